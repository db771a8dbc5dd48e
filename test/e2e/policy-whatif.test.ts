import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { makeHousehold } from '../support/factories-cases.js';
import { browserOrSkip, newPage, screenshot, signIn, startWorld, type WebWorld } from './support.js';

const run = browserOrSkip();

/**
 * The what-if screen over a policy fact snapshot (issue 6 item 7): a county approver builds the county's snapshot
 * for a date (background job with progress), then simulates the nursing table widened to every level 1–2 and is told
 * the answer comes from that snapshot.
 */
describe.skipIf(!run)('what-if and fact snapshots in Chromium', () => {
  let w: WebWorld;
  let county: string;

  beforeAll(async () => {
    w = await startWorld({ filesDir: `/tmp/jiuzhu-e2e-whatif-files-${process.pid}` });
    await seedPolicyParameters(w.database.db, '6208');
    county = (await first<{ region_code: string }>(
      w.database.db,
      sql`SELECT region_code FROM users WHERE username = 'shenpi'`,
    ))!.region_code.slice(0, 6);
    const village = (await first<{ code: string }>(
      w.database.db,
      sql`SELECT code FROM regions WHERE level = 5 AND code LIKE ${`${county}%`} ORDER BY code LIMIT 1`,
    ))!.code;
    // A physical level 2 certificate holder: no nursing subsidy under the seed table, one under the widened table.
    await makeHousehold(w.database.db, {
      regionCode: village,
      members: [{ name: '模拟二级肢体', birthDate: '1980-04-04', labour: 'none', disabilityLevel: 2 }],
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('builds the county snapshot with progress, then simulates from it and says so', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.goto('/policy/what-if');
    await page.getByLabel('县（6位）').fill(county);
    const card = page.getByTestId('fact-snapshots');
    await card.getByText('尚无快照').waitFor();
    await card.getByLabel('快照日期').fill('2025-06-01');
    await card.getByTestId('snapshot-build').click();
    await card.getByText('快照已生成').waitFor();
    await card.locator('tr', { hasText: '2025-06-01' }).first().waitFor();
    expect(await page.getByLabel('日期', { exact: true }).inputValue()).toBe('2025-06-01');

    await page.getByText('护理补贴扩至所有一二级').click();
    await page
      .getByRole('button', { name: '模 拟' })
      .or(page.getByRole('button', { name: '模拟' }))
      .click();
    await page
      .getByTestId('whatif-facts')
      .getByText(/依据 2025-06-01 的事实快照/)
      .waitFor();
    const row = page.locator('.ant-table-row', { hasText: county }).first();
    await expect.poll(async () => ((await row.locator('td').nth(1).textContent()) ?? '').trim()).toBe('1');
    await screenshot(page, 'policy-whatif-snapshot');
    await context.close();
  });
});
