import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, monthCst, todayCst } from '../../src/domain/calendar.js';
import { first } from '../../src/server/db/client.js';
import { type Client, login } from '../support/app.js';
import { INVESTIGATION, makeHousehold, REVIEW, setStandard, upload } from '../support/factories-cases.js';
import { DEMO_PASSWORD } from '../../src/server/modules/auth/routes.js';
import { browserOrSkip, newPage, screenshot, signIn, startWorld, type WebWorld } from './support.js';

const run = browserOrSkip();

/** 低保 in the browser (issue 5 item 9): one inclusion from intake to payment, one refusal with its Word notice. */
describe.skipIf(!run)('低保 screens in Chromium', () => {
  let w: WebWorld;
  let village: string;
  let api: Record<string, Client>;
  const today = todayCst();

  beforeAll(async () => {
    w = await startWorld({ filesDir: `/tmp/jiuzhu-e2e-files-${process.pid}` });
    const jingban = await first<{ region_code: string }>(
      w.database.db,
      sql`SELECT region_code FROM users WHERE username = 'jingban'`,
    );
    village = (await first<{ code: string }>(
      w.database.db,
      sql`SELECT code FROM regions WHERE parent_code = ${jingban!.region_code} ORDER BY code LIMIT 1`,
    ))!.code;
    await setStandard(w.database.db, village.slice(0, 6), Number(today.slice(0, 4)));
    api = {};
    for (const u of ['jingban', 'shenhe', 'shenpi']) api[u] = await login(w.app, u, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await w?.close();
  });

  const version = async (id: number) => (await api.shenpi!.get(`/api/v1/cases/${id}`)).json().version as number;
  const step = async (c: Client, id: number, s: string, data: Record<string, unknown> = {}) => {
    const r = await c.post(`/api/v1/cases/${id}/steps/${s}`, { version: await version(id), data });
    expect(r.statusCode, r.body).toBe(200);
  };
  const files = async (c: Client, id: number, kinds: string[]) => {
    for (const k of kinds) expect((await upload(w.app, c, id, k)).statusCode).toBe(201);
  };
  /** investigation → review → (browser assessment) → 公示 elapsed, through the API. */
  const investigateAndReview = async (id: number) => {
    await files(api.jingban!, id, ['household_visit_form', 'neighbour_visit_record', 'verification_report']);
    await step(api.jingban!, id, 'investigation', INVESTIGATION(today));
    await files(api.shenhe!, id, ['review_minutes']);
    await step(api.shenhe!, id, 'democratic_review', REVIEW(today));
  };
  const publicity = async (id: number) => {
    expect(
      (
        await api.shenhe!.post(`/api/v1/cases/${id}/publicity`, {
          version: await version(id),
          startOn: today,
          place: '村务公开栏',
        })
      ).statusCode,
    ).toBe(200);
    await w.database.db.execute(
      sql`UPDATE cases SET flags = jsonb_set(flags, '{publicityStartOn}', to_jsonb(${addDays(today, -8)}::text)) WHERE id = ${id}`,
    );
    await files(api.shenhe!, id, ['publicity_record']);
    await step(api.shenhe!, id, 'publicity');
    await files(api.shenpi!, id, ['approval_form']);
  };

  it('takes a household from application to payment', async () => {
    const { householdId } = await makeHousehold(w.database.db, {
      regionCode: village,
      housingRating: 'C',
      members: [
        { name: '浏览器甲', birthDate: '1955-01-01', labour: 'partial', graveIllness: true },
        { name: '浏览器乙', birthDate: '1958-02-02', labour: 'none' },
      ],
      income: [{ kind: 'wages', amountFen: 20_000 }],
    });
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.goto('/dibao/cases');
    await page.getByLabel('家庭编号').fill(String(householdId));
    await page.getByRole('button', { name: '登记申请' }).click();
    await page.waitForURL(/\/dibao\/cases\/\d+$/);
    const id = Number(page.url().split('/').pop());
    await page.getByText('本步骤缺少材料').waitFor();
    await files(api.jingban!, id, [
      'application_form',
      'id_copies',
      'income_declaration',
      'verification_authorization',
    ]);
    await page.reload();
    await page.getByRole('button', { name: /^受\s*理$/ }).click();
    await page.getByText('已完成本步骤').waitFor();
    await investigateAndReview(id);
    await context.close();

    const r = await newPage(w);
    await signIn(r.page, 'shenhe');
    await r.page.goto(`/dibao/cases/${id}`);
    await r.page.getByRole('button', { name: /综合评估/ }).click();
    await r.page.getByText('符合条件', { exact: true }).waitFor();
    await r.page.getByText(/民主评议得分 80 分/).waitFor();
    await screenshot(r.page, 'dibao-case-assessed');
    await r.context.close();
    await publicity(id);

    const a = await newPage(w);
    await signIn(a.page, 'shenpi');
    await a.page.goto('/dibao/cases?worklist=to_approve');
    await a.page
      .getByRole('link', { name: /DIBAO-/ })
      .first()
      .waitFor();
    await a.page.goto(`/dibao/cases/${id}`);
    await a.page.getByRole('button', { name: '提交决定' }).click();
    await a.page.getByText('已确认（在保）').waitFor();
    await a.page.getByText('确认通知书').waitFor();
    await screenshot(a.page, 'dibao-case-approved');
    await a.context.close();
    const e = await first<{ start_month: string; status: string; monthly_amount_fen: number }>(
      w.database.db,
      sql`SELECT start_month, status, monthly_amount_fen FROM programme_enrollments WHERE household_id = ${householdId}`,
    );
    expect(e).toMatchObject({ start_month: addMonths(monthCst(), 1), status: 'active' });
    expect(Number(e!.monthly_amount_fen)).toBeGreaterThan(0);
  }, 300_000);

  it('refuses a household and issues the written notice with reason and article', async () => {
    const { householdId } = await makeHousehold(w.database.db, {
      regionCode: village,
      members: [{ name: '浏览器富户', birthDate: '1980-01-01' }],
      income: [{ kind: 'wages', amountFen: 500_000 }],
    });
    const c = await api.jingban!.post('/api/v1/cases', { householdId, appliedOn: addDays(today, -10) });
    const id = c.json().id as number;
    await files(api.jingban!, id, [
      'application_form',
      'id_copies',
      'income_declaration',
      'verification_authorization',
    ]);
    await step(api.jingban!, id, 'acceptance');
    await investigateAndReview(id);
    await step(api.shenhe!, id, 'assessment');
    await publicity(id);

    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.goto(`/dibao/cases/${id}`);
    await page.getByText('不符合条件', { exact: true }).waitFor();
    await page.getByLabel('理由（不予确认必填）').fill('家庭人均收入高于本地低保标准。');
    await page.getByRole('button', { name: '提交决定' }).click();
    await page.getByText('不予确认告知书').waitFor();
    await page.getByRole('button', { name: /^签\s*发$/ }).click();
    await page.getByText(/民低〔\d{4}〕\d+号/).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 Word' }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const xml = await (await JSZip.loadAsync(readFileSync(path!))).file('word/document.xml')!.async('string');
    expect(xml).toContain('家庭人均收入高于本地低保标准');
    expect(xml).toContain('第十三条');
    expect(xml).toContain('六十日');
    await screenshot(page, 'dibao-case-refused');
    await context.close();
  }, 300_000);
});
