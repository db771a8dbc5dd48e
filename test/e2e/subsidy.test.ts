import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, monthCst, todayCst } from '../../src/domain/calendar.js';
import { tekunCaseWorkflow } from '../../src/domain/programs/tekun/workflow.js';
import { first } from '../../src/server/db/client.js';
import { DEMO_PASSWORD } from '../../src/server/modules/auth/routes.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login } from '../support/app.js';
import { makeHousehold, upload } from '../support/factories-cases.js';
import { subsidyKit } from '../support/subsidy-kit.js';
import { browserOrSkip, chooseOption, newPage, screenshot, signIn, startWorld, type WebWorld } from './support.js';

const run = browserOrSkip();

/**
 * Disability subsidy application and the 特困 yearly review in the browser (issue 6): a nursing subsidy from intake to
 * enrolment (POLICY.md §4), and a 特困 recipient reviewed, adjusted and terminated (POLICY.md §3 [C arts.21–26]).
 */
describe.skipIf(!run)('subsidy and 特困 review screens in Chromium', () => {
  let w: WebWorld;
  let village: string;
  let api: Record<string, Client>;
  const today = todayCst();

  beforeAll(async () => {
    w = await startWorld({ filesDir: `/tmp/jiuzhu-e2e-subsidy-files-${process.pid}` });
    await seedPolicyParameters(w.database.db, '6208');
    const jingban = await first<{ region_code: string }>(
      w.database.db,
      sql`SELECT region_code FROM users WHERE username = 'jingban'`,
    );
    village = (await first<{ code: string }>(
      w.database.db,
      sql`SELECT code FROM regions WHERE parent_code = ${jingban!.region_code} ORDER BY code LIMIT 1`,
    ))!.code;
    api = {};
    for (const u of ['jingban', 'shenhe', 'shenpi']) api[u] = await login(w.app, u, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await w?.close();
  });

  const files = async (c: Client, id: number, kinds: string[]) => {
    for (const k of kinds) expect((await upload(w.app, c, id, k)).statusCode).toBe(201);
  };

  it('takes a nursing-subsidy application from intake to enrolment, with the amount and funding split shown', async () => {
    const { householdId, personIds } = await makeHousehold(w.database.db, {
      regionCode: village,
      members: [{ name: '浏览器残疾人', birthDate: '1972-03-03', labour: 'none', disabilityLevel: 1 }],
    });
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.goto('/dibao/cases');
    const intake = page.locator('form').first();
    await chooseOption(page, intake, '申请项目', '重度残疾人护理补贴');
    await page.getByLabel('申请人编号（按人申请的项目必填）').fill(String(personIds[0]));
    await page.getByLabel('家庭编号').fill(String(householdId));
    await page.getByRole('button', { name: '登记申请' }).click();
    await page.waitForURL(/\/dibao\/cases\/\d+$/);
    const id = Number(page.url().split('/').pop());
    await page.getByRole('heading', { name: /重度残疾人护理补贴 案件/ }).waitFor();
    await files(api.jingban!, id, ['application_form', 'disability_cert_copy', 'id_copies']);
    await page.reload();
    await page.getByRole('button', { name: /^受\s*理$/ }).click();
    await page.getByText('已完成本步骤').waitFor();
    await context.close();

    await files(api.shenhe!, id, ['township_review_form']);
    const r = await newPage(w);
    await signIn(r.page, 'shenhe');
    await r.page.goto(`/dibao/cases/${id}`);
    await r.page.getByLabel('乡镇（街道）初审意见').fill('肢体一级，持第二代残疾人证，情况属实。');
    await r.page.getByRole('button', { name: '完成初审并评估' }).click();
    await r.page.getByText('符合条件，予以发放').waitFor();
    const split = r.page.locator('.ant-descriptions').filter({ hasText: '省级' });
    await split.getByText('80.00').waitFor();
    await split.getByText('20.00').waitFor();
    await r.page.getByText('D7.exclusion').waitFor();
    await screenshot(r.page, 'subsidy-case-assessed');
    await r.context.close();

    await files(api.shenpi!, id, ['approval_form']);
    const a = await newPage(w);
    await signIn(a.page, 'shenpi');
    await a.page.goto(`/dibao/cases/${id}`);
    await a.page.getByRole('button', { name: '提交决定' }).click();
    await a.page.getByText('已确认（在保）').waitFor();
    await a.context.close();
    const e = await first<{ programme: string; start_month: string; monthly_amount_fen: number }>(
      w.database.db,
      sql`SELECT programme, start_month, monthly_amount_fen FROM programme_enrollments WHERE person_id = ${personIds[0]!} AND status = 'active'`,
    );
    expect(e).toMatchObject({ programme: 'disability_nursing', start_month: addMonths(monthCst(), 1) });
    expect(Number(e!.monthly_amount_fen)).toBe(10000);
  });

  it('a certificate re-assessed to level 3 shows in the review tasks; the review proposes a stop and the stop is drafted', async () => {
    const kit = subsidyKit(w, { cw: api.jingban!, tr: api.shenhe!, ca: api.shenpi! }, { village });
    const a = await kit.approved('disability_nursing', { cert: { type: 'intellectual', level: 1 } });
    await w.database.db.execute(
      sql`UPDATE disability_certs SET disability_level = 3, version = version + 1, change_reason = '残联重新评定' WHERE person_id = ${a.personId}`,
    );
    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('复核任务').click();
    const row = page.getByTestId('review-tasks').locator('tr', { hasText: '残疾人证变更' });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('重度残疾人护理补贴');
    await screenshot(page, 'review-tasks');
    await row.first().getByRole('link').click();
    await page.getByTestId('subsidy-review').waitFor();
    await page.getByRole('button', { name: '按当前登记信息复核' }).click();
    const result = page.getByTestId('subsidy-review-result');
    await result.getByText('停发', { exact: true }).waitFor();
    expect(await result.textContent()).toContain('D3');
    await screenshot(page, 'subsidy-review-stop');
    await result.getByRole('button', { name: '办理停发' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('事实（写入告知书）').fill('残联重新评定为智力三级，不再属于护理补贴对象。');
    await dialog.getByRole('button', { name: '作出停发决定' }).click();
    await page.getByText('已退出').first().waitFor();
    const e = await first<{ status: string; end_month: string }>(
      w.database.db,
      sql`SELECT status, end_month FROM programme_enrollments WHERE person_id = ${a.personId} AND programme = 'disability_nursing'`,
    );
    expect(e).toEqual({ status: 'ended', end_month: monthCst() });
    const n = await first<{ title: string; reasons: string }>(
      w.database.db,
      sql`SELECT title, reasons FROM notices WHERE case_id = ${a.caseId} AND kind = 'termination'`,
    );
    expect(n!.title).toBe('重度残疾人护理补贴停发告知书');
    expect(n!.reasons).toContain('D3');
    await context.close();
  });

  it('reviews a 特困 recipient from the worklist, adjusts the care tier, then terminates with the notice drafted', async () => {
    const { householdId, personIds } = await makeHousehold(w.database.db, {
      regionCode: village,
      members: [{ name: '浏览器供养对象', birthDate: '1944-04-04', labour: 'none' }],
    });
    const personId = personIds[0]!;
    const decided = addDays(today, -380);
    const c = await first<{ id: number; case_no: string }>(
      w.database.db,
      sql`INSERT INTO cases (case_no, programme, household_id, applicant_person_id, region_code, workflow, status, applied_on, decided_on,
                             decision, care_tier, monthly_amount_fen, start_month, next_review_on, completed)
          VALUES ('TEKUN-E2E-1', 'tekun', ${householdId}, ${personId}, ${village}, ${JSON.stringify(tekunCaseWorkflow)}::jsonb, 'approved',
                  ${addDays(decided, -30)}::date, ${decided}::date, 'approved', 'partly_lost', 90000, ${addMonths(decided.slice(0, 7), 1)},
                  ${addDays(decided, 365)}::date, '{}'::jsonb)
          RETURNING id, case_no`,
    );
    await w.database.db.execute(sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen)
      VALUES (${householdId}, ${personId}, ${village}, 'tekun', 'active', ${addMonths(decided.slice(0, 7), 1)}, 90000)`);
    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.goto('/dibao/tekun-review');
    await page.getByRole('link', { name: 'TEKUN-E2E-1' }).click();
    await page.waitForURL(`**/dibao/cases/${c!.id}`);
    await page.getByLabel('复核人员（每行一人，至少 2 人）').fill('王复核\n李复核');
    for (const activity of ['进食', '穿衣', '如厕', '洗澡']) await page.getByLabel(activity).uncheck();
    await page.getByRole('button', { name: '年度复核评估' }).click();
    await page.getByText('调整档次或金额').waitFor();
    await page.getByRole('button', { name: '执行调整' }).click();
    await page.getByText('已调整，调整告知书草稿已生成').waitFor();
    await page.getByRole('button', { name: '终止救助供养' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('POLICY.md §3 [C art.24] 死亡').waitFor();
    await dialog.getByLabel('事实（写入告知书）').fill('供养对象病故，村委会出具死亡证明。');
    await screenshot(page, 'tekun-terminate');
    await dialog.getByRole('button', { name: '作出终止决定' }).click();
    await page.getByRole('heading', { name: /已退出/ }).waitFor();
    await context.close();
    const e = await first<{ n: number }>(
      w.database.db,
      sql`SELECT count(*)::int AS n FROM programme_enrollments WHERE person_id = ${personId} AND status = 'active'`,
    );
    expect(Number(e?.n)).toBe(0);
    const n = await first<{ title: string }>(
      w.database.db,
      sql`SELECT title FROM notices WHERE case_id = ${c!.id} AND kind = 'termination'`,
    );
    expect(n?.title).toBe('终止特困人员救助供养告知书');
  });
});
