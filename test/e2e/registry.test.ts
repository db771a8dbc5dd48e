import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeIdNumber } from '../../src/domain/identity/id-number.js';
import { first } from '../../src/server/db/client.js';
import { COLUMNS } from '../../src/server/modules/registry-import/columns.js';
import { actorForUser, type UserRow } from '../../src/server/platform/auth.js';
import { seedHouseholds } from '../../src/server/seed/service.js';
import { browserOrSkip, fillCorrecting, newPage, screenshot, signIn, startWorld, type WebWorld } from './support.js';

const run = browserOrSkip();

describe.skipIf(!run)('registry screens in Chromium', { timeout: 180_000 }, () => {
  let w: WebWorld;
  /** A person in the demo caseworker's township, and a household in the second county. */
  let local: { id_number: string; name: string; household_id: number; person_id: number };
  let township: string;
  let otherCountyHousehold: number;

  beforeAll(async () => {
    w = await startWorld();
    const admin = await first<UserRow>(w.database.db, sql`SELECT * FROM users WHERE username = 'admin'`);
    const jingban = await first<{ region_code: string }>(
      w.database.db,
      sql`SELECT region_code FROM users WHERE username = 'jingban'`,
    );
    const jingban2 = await first<{ region_code: string }>(
      w.database.db,
      sql`SELECT region_code FROM users WHERE username = 'jingban2'`,
    );
    township = jingban!.region_code;
    const actor = await actorForUser(w.database.db, admin!);
    // Real rows through the synthetic-ledger generator: households in the caseworker's township and in county 2.
    await seedHouseholds(w.database, actor, { households: 120, seed: 11, regionCode: township, withEnrollments: true });
    await seedHouseholds(w.database, actor, {
      households: 60,
      seed: 12,
      regionCode: jingban2!.region_code,
      withEnrollments: true,
    });
    local = (await first(
      w.database.db,
      sql`SELECT p.id_number, p.name, p.household_id::int AS household_id, p.id::int AS person_id FROM persons p
          WHERE p.region_code LIKE ${`${township}%`} AND p.relation = 'head' ORDER BY p.id LIMIT 1`,
    ))!;
    otherCountyHousehold = Number(
      (await first<{ id: number }>(
        w.database.db,
        sql`SELECT id FROM households WHERE county_code = ${jingban2!.region_code.slice(0, 6)} ORDER BY id LIMIT 1`,
      ))!.id,
    );
  }, 300_000);
  afterAll(async () => {
    await w?.close();
  });

  it('shows the real figures of the area on the dashboard', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    const households = await first<{ n: number }>(
      w.database.db,
      sql`SELECT count(*)::int AS n FROM households WHERE region_code LIKE ${`${township}%`} AND status = 'active'`,
    );
    await page.getByTestId('stat-households').waitFor();
    const shown = (await page
      .getByTestId('stat-households')
      .locator('.ant-statistic-content-value')
      .textContent())!.replace(/,/g, '');
    expect(Number(shown)).toBe(households!.n);
    await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(800); // the charts' entry animation
    await screenshot(page, 'dashboard');

    await page.getByText('EN', { exact: true }).click();
    await page.getByText('Recipients by programme').waitFor();
    await page.mouse.move(100, 740); // away from the chart's tooltip
    await page.waitForTimeout(800);
    await screenshot(page, 'dashboard-en');
    await context.close();
  });

  it('finds a person by ID number and opens the household', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('家庭与人员').click();
    await page.getByTestId('person-results').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'registry-list');

    // A mistyped check character is caught in the browser before any request.
    const typo = local.id_number.slice(0, 17) + (local.id_number[17] === '1' ? '2' : '1');
    await page.getByLabel('身份证号码（精确）').fill(typo);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.getByText('身份证号码校验位不正确').waitFor();

    await fillCorrecting(page.getByLabel('身份证号码（精确）'), local.id_number, page, '身份证号码校验位不正确');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL(new RegExp(`idNumber=${local.id_number}`));
    const rows = page.getByTestId('person-results').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain(local.name);
    // Masked in the list: first 6 and last 4 digits only.
    expect(await rows.first().textContent()).toContain(
      `${local.id_number.slice(0, 6)}********${local.id_number.slice(14)}`,
    );

    await rows.first().getByRole('link', { name: local.name }).click();
    await page.getByTestId('household-page').waitFor();
    await page.getByTestId('members').getByText(local.name, { exact: true }).waitFor();
    await page.getByTestId('history').waitFor();
    await screenshot(page, 'household');
    await context.close();
  });

  it('shows a conflict when the member changed meanwhile, with reload and compare', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.goto(`/registry/households/${local.household_id}`);
    await page.getByRole('button', { name: `修改 ${local.name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('联系电话').fill('13900001111');

    // Someone else saves the same person in the meantime.
    await w.database.db.execute(
      sql`UPDATE persons SET phone = '13800002222', version = version + 1, change_reason = '他人修改' WHERE id = ${local.person_id}`,
    );

    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('conflict-alert').waitFor();
    expect(await page.getByTestId('conflict-alert').textContent()).toContain('该记录已被他人修改 — 重新加载 / 对比');
    await page.getByTestId('conflict-compare').click();
    const diff = page.getByTestId('conflict-diff');
    await diff.getByText('13800002222').waitFor();
    expect(await diff.textContent()).toContain('13900001111');
    await screenshot(page, 'conflict');

    await page.getByTestId('conflict-reload').click();
    await page.getByTestId('members').getByText('13800002222').waitFor();
    // Nothing of the stale edit was written.
    const phone = await first<{ phone: string }>(
      w.database.db,
      sql`SELECT phone FROM persons WHERE id = ${local.person_id}`,
    );
    expect(phone!.phone).toBe('13800002222');
    await context.close();
  });

  it('reveals a full ID number only on request, and the reveal is audited', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.goto(`/registry/households/${local.household_id}`);
    const cell = page.getByTestId(`id-${local.person_id}`);
    await cell.waitFor();
    expect(await cell.textContent()).not.toBe(local.id_number);
    await page.getByRole('button', { name: `查看 ${local.name} 的完整身份证号码` }).click();
    // Under load a click can land while the confirmation is still animating in and be lost: click until it took.
    const confirm = page.locator('.ant-modal-confirm').getByRole('button', { name: /查\s*看/ });
    await confirm.waitFor();
    await expect
      .poll(
        async () => {
          if (await confirm.isVisible()) await confirm.click({ timeout: 2_000 }).catch(() => undefined);
          return cell.textContent();
        },
        { timeout: 20_000 },
      )
      .toBe(local.id_number);
    const audit = await first<{ n: number }>(
      w.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE '%reveal%' AND entity_id = ${String(local.person_id)}`,
    );
    expect(audit!.n).toBeGreaterThan(0);
    await context.close();
  });

  it('creates a household with the ID number checked in the browser', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.goto('/registry/households/new');
    await page.getByLabel('所在村（社区）').click();
    await page.locator('.ant-select-tree-switcher').first().click();
    const village = page.locator('.ant-select-tree-title', { hasText: /村|社区/ }).first();
    await village.waitFor();
    // Let the tree's expand animation finish, else the click lands on the moving placeholder.
    await expect.poll(() => page.locator('.ant-select-tree-treenode-motion').count(), { timeout: 15_000 }).toBe(0);
    await page.waitForTimeout(300);
    const villageName = (await village.textContent())!;
    await village.click();
    await page.locator('.ant-select').first().getByTitle(villageName).waitFor();
    await page.getByLabel('地址').fill('新建路 8 号');
    const idNumber = makeIdNumber('620802', '1975-06-15', 91);
    const bad = idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');
    await page.getByPlaceholder('身份证号码').first().fill(bad);
    await page.getByPlaceholder('姓名').first().fill('新户主');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('身份证号码校验位不正确').waitFor();
    await fillCorrecting(page.getByPlaceholder('身份证号码').first(), idNumber, page, '身份证号码校验位不正确');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('household-page').waitFor();
    await page.getByTestId('members').getByText('新户主', { exact: true }).waitFor();
    const row = await first<{ n: number }>(
      w.database.db,
      sql`SELECT count(*)::int AS n FROM persons WHERE id_number = ${idNumber}`,
    );
    expect(row!.n).toBe(1);
    await context.close();
  });

  it("a county user opening another county's household by URL gets 'not found'", async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.goto(`/registry/households/${otherCountyHousehold}`);
    await page.getByTestId('household-not-found').waitFor();
    expect(await page.getByTestId('household-not-found').textContent()).toContain('不在您的管辖范围内');
    await context.close();
  });

  it('imports a ledger with errors: valid rows written, the error workbook downloads', async () => {
    const village = (await first<{ code: string }>(
      w.database.db,
      sql`SELECT code FROM regions WHERE level = 5 AND code LIKE ${`${township}%`} ORDER BY code DESC LIMIT 1`,
    ))!.code;
    const id = (birth: string, seq: number) => makeIdNumber('620802', birth, seq);
    const bad = id('1970-02-03', 31).slice(0, 17) + (id('1970-02-03', 31).endsWith('1') ? '2' : '1');
    // The template's columns (the first seven filled in, the optional rest left empty).
    const pad = (cells: string[]) => [...cells, ...Array(COLUMNS.length - cells.length).fill('')].join(',');
    const csv = [
      COLUMNS.map((c) => c.header).join(','),
      pad(['E2E-0001', village, '测试路 1 号', '农村', '户主', '导入甲', id('1961-04-05', 11)]),
      pad(['E2E-0001', village, '测试路 1 号', '农村', '配偶', '导入乙', id('1963-07-08', 22)]),
      pad(['E2E-0002', village, '测试路 2 号', '农村', '户主', '导入丙', bad]),
      pad(['E2E-0003', village, '测试路 3 号', '城乡', '户主', '导入丁', id('1980-01-01', 45)]),
    ].join('\r\n');
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('导入与导出').click();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${csv}`, 'utf8') });
    await page.getByText('导入有效行').click();
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-committed').waitFor({ timeout: 60_000 });
    const summary = await page.getByTestId('import-summary').textContent();
    expect(summary).toMatch(/错误行\s*2/);
    expect(summary).toMatch(/有效行\s*2/);
    await screenshot(page, 'import');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-errors').click()]);
    expect(download.suggestedFilename()).toMatch(/导入错误.*\.xlsx$/);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK'); // an xlsx is a zip

    const written = await first<{ n: number }>(
      w.database.db,
      sql`SELECT count(*)::int AS n FROM households WHERE household_no LIKE 'E2E-%'`,
    );
    expect(written!.n).toBe(1);
    await context.close();
  }, 180_000);

  it('fits a 1024-wide tablet and prints the household without the controls', async () => {
    const { context, page } = await newPage(w, { width: 1024, height: 768 });
    await signIn(page, 'jingban');
    await page.goto(`/registry/households/${local.household_id}`);
    await page.getByTestId('members').waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'household-tablet');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: /打\s*印/ }).isVisible()).toBe(false);
    expect(await page.getByTestId('members').isVisible()).toBe(true);
    await context.close();
  });
});
