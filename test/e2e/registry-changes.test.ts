import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, maskIdNumber } from '../../src/domain/identity/id-number.js';
import { first, rows } from '../../src/server/db/client.js';
import { actorForUser, type UserRow } from '../../src/server/platform/auth.js';
import { seedHouseholds } from '../../src/server/seed/service.js';
import {
  browserOrSkip,
  chooseOption,
  fillCorrecting,
  newPage,
  screenshot,
  signIn,
  startWorld,
  type WebWorld,
} from './support.js';

const run = browserOrSkip();

interface Member {
  person_id: number;
  name: string;
  id_number: string;
  household_id: number;
}

/**
 * Opens the 更多 menu of a member row and picks an entry, until the entry's dialog shows (under load a click during
 * the dropdown's entry animation can be lost; then the menu is closed and opened again).
 */
async function memberAction(page: Page, name: string, entry: string, dialogTitle: RegExp): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: dialogTitle });
  for (let attempt = 1; ; attempt++) {
    await page.getByRole('button', { name: `${name} 的更多操作` }).click();
    await page
      .getByRole('menuitem', { name: entry })
      .click({ timeout: 10_000 })
      .catch(() => undefined);
    if (
      await dialog.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      )
    )
      return dialog;
    if (attempt === 4) throw new Error(`菜单项「${entry}」未能打开`);
    await page.keyboard.press('Escape');
  }
}

describe.skipIf(!run)(
  'registry changes in Chromium: move, correct-id, dissolve, liaison lists',
  { timeout: 180_000 },
  () => {
    let w: WebWorld;
    let township: string;
    /** Distinct households of the caseworker's township, one per test, so the tests do not depend on each other. */
    let mover: Member;
    let target: { household_id: number; head_name: string; head_id: string };
    let corrected: Member;
    let otherHead: Member;
    let dissolvable: { id: number; head_name: string; members: number };
    let enrolled: { id: number };
    let withIncome: { household_id: number; item_id: number; amount_fen: number; version: number };
    let dangerous: { id: number; head_name: string };

    beforeAll(async () => {
      w = await startWorld();
      const db = w.database.db;
      const admin = await first<UserRow>(db, sql`SELECT * FROM users WHERE username = 'admin'`);
      township = (await first<{ region_code: string }>(
        db,
        sql`SELECT region_code FROM users WHERE username = 'jingban'`,
      ))!.region_code;
      const actor = await actorForUser(db, admin!);
      await seedHouseholds(w.database, actor, {
        households: 80,
        seed: 21,
        regionCode: township,
        withEnrollments: true,
      });
      const inTown = `${township}%`;
      const used: number[] = [0];
      const notUsed = () =>
        sql`h.id NOT IN (${sql.join(
          used.map((x) => sql`${x}`),
          sql`, `,
        )})`;
      // A non-head member of a household without active assistance, and a household of another head to move into.
      mover = (await first<Member>(
        db,
        sql`SELECT p.id::int AS person_id, p.name, p.id_number, p.household_id::int AS household_id
          FROM persons p JOIN households h ON h.id = p.household_id
          WHERE h.region_code LIKE ${inTown} AND p.relation <> 'head' AND h.status = 'active' ORDER BY p.id LIMIT 1`,
      ))!;
      used.push(mover.household_id);
      target = (await first(
        db,
        sql`SELECT h.id::int AS household_id, hp.name AS head_name, hp.id_number AS head_id FROM households h
          JOIN persons hp ON hp.id = h.head_person_id
          WHERE h.region_code LIKE ${inTown} AND h.status = 'active' AND ${notUsed()} ORDER BY h.id LIMIT 1`,
      ))!;
      used.push(target.household_id);
      corrected = (await first<Member>(
        db,
        sql`SELECT p.id::int AS person_id, p.name, p.id_number, p.household_id::int AS household_id
          FROM persons p JOIN households h ON h.id = p.household_id
          WHERE h.region_code LIKE ${inTown} AND p.relation <> 'head' AND ${notUsed()} ORDER BY p.id LIMIT 1`,
      ))!;
      used.push(corrected.household_id);
      otherHead = (await first<Member>(
        db,
        sql`SELECT p.id::int AS person_id, p.name, p.id_number, p.household_id::int AS household_id
          FROM persons p WHERE p.relation = 'head' AND p.household_id = ${corrected.household_id}`,
      ))!;
      dissolvable = (await first(
        db,
        sql`SELECT h.id::int AS id, hp.name AS head_name,
                 (SELECT count(*)::int FROM persons m WHERE m.household_id = h.id) AS members
          FROM households h JOIN persons hp ON hp.id = h.head_person_id
          WHERE h.region_code LIKE ${inTown} AND h.status = 'active' AND ${notUsed()}
            AND NOT EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = h.id AND e.status = 'active')
          ORDER BY h.id LIMIT 1`,
      ))!;
      used.push(dissolvable.id);
      enrolled = (await first(
        db,
        sql`SELECT h.id::int AS id FROM households h WHERE h.region_code LIKE ${inTown} AND ${notUsed()}
            AND EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = h.id AND e.status = 'active')
          ORDER BY h.id LIMIT 1`,
      ))!;
      used.push(enrolled.id);
      withIncome = (await first(
        db,
        sql`SELECT i.household_id::int AS household_id, i.id::int AS item_id, i.amount_fen::int AS amount_fen, i.version
          FROM income_items i JOIN households h ON h.id = i.household_id
          WHERE h.region_code LIKE ${inTown} AND h.status = 'active' AND ${notUsed()} ORDER BY i.id LIMIT 1`,
      ))!;
      dangerous = (await first(
        db,
        sql`SELECT h.id::int AS id, hp.name AS head_name FROM households h JOIN persons hp ON hp.id = h.head_person_id
          WHERE h.housing_rating IN ('C', 'D') AND h.status = 'active' ORDER BY h.id LIMIT 1`,
      ))!;
      for (const x of [mover, target, corrected, otherHead, dissolvable, enrolled, withIncome, dangerous])
        expect(x, 'the seeded ledger has the rows these tests need').toBeTruthy();
    }, 300_000);
    afterAll(async () => {
      await w?.close();
    });

    it('moves a member into a household found by search, and shows them there', async () => {
      const { context, page } = await newPage(w);
      await signIn(page, 'jingban');
      await page.goto(`/registry/households/${mover.household_id}`);
      await page.getByTestId('members').getByText(mover.name, { exact: true }).waitFor();
      const dialog = await memberAction(page, mover.name, '迁往其他家庭户', new RegExp(`${mover.name} 迁往其他家庭户`));

      // Nothing chosen yet: the form says so instead of sending.
      await dialog.getByRole('button', { name: '确认迁移' }).click();
      await dialog.getByText('请查找并选择迁入的家庭户').waitFor();

      // A mistyped ID number is refused in the browser, by the server's rule.
      await dialog.getByText('身份证号码', { exact: true }).click();
      const typo = target.head_id.slice(0, 17) + (target.head_id.endsWith('1') ? '2' : '1');
      await dialog.getByLabel('查找迁入家庭').fill(typo);
      await dialog.getByRole('button', { name: /查\s*找/ }).click();
      await dialog.getByText('身份证号码校验位不正确').waitFor();

      // By the head's name: the candidates of the area, the target told apart by the head's masked number.
      await dialog.getByText('户主姓名', { exact: true }).click();
      await dialog.getByLabel('查找迁入家庭').fill(target.head_name);
      await dialog.getByRole('button', { name: /查\s*找/ }).click();
      const row = dialog.getByTestId('move-candidates').locator('tr', { hasText: maskIdNumber(target.head_id) });
      await row.first().waitFor();
      await row.first().locator('td').nth(1).click();
      await expect.poll(() => row.first().locator('input[type=radio]').isChecked()).toBe(true);
      await chooseOption(page, dialog, '与新户主的关系', '兄弟姐妹');
      await dialog.getByLabel('迁移原因').fill('投靠兄长');
      await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
      await screenshot(page, 'household-move');
      await dialog.getByRole('button', { name: '确认迁移' }).click();

      const done = page.locator('.ant-modal-confirm');
      await done.locator('.ant-modal-confirm-title', { hasText: `已将 ${mover.name} 迁入` }).waitFor();
      // A click that lands while the dialog is still opening can be lost on a loaded machine: click again until the
      // page has moved (the navigation itself is what is tested).
      const there = new RegExp(`/registry/households/${target.household_id}$`);
      await expect
        .poll(
          async () => {
            if (!there.test(page.url()))
              await done
                .getByRole('button', { name: '打开迁入的家庭' })
                .click({ timeout: 3_000 })
                .catch(() => undefined);
            return there.test(page.url());
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(true);
      const members = page.getByTestId('members');
      await members.getByText(mover.name, { exact: true }).waitFor();
      expect(await members.locator('tr', { hasText: mover.name }).first().textContent()).toContain('兄弟姐妹');
      await page.getByTestId('memberships').getByText(mover.name).waitFor();

      const p = await first<{ household_id: number; relation: string }>(
        w.database.db,
        sql`SELECT household_id::int AS household_id, relation FROM persons WHERE id = ${mover.person_id}`,
      );
      expect(p).toEqual({ household_id: target.household_id, relation: 'sibling' });
      const stays = await rows<{ household_id: number; left_on: string | null; leave_reason: string | null }>(
        w.database.db,
        sql`SELECT household_id::int AS household_id, left_on, leave_reason FROM household_memberships
          WHERE person_id = ${mover.person_id} ORDER BY id`,
      );
      expect(stays.map((s) => [s.household_id, s.left_on !== null, s.leave_reason])).toEqual([
        [mover.household_id, true, '投靠兄长'],
        [target.household_id, false, null],
      ]);
      await context.close();
    });

    it('corrects an ID number: a mistyped one is refused in the browser, a registered one by the server', async () => {
      const { context, page } = await newPage(w);
      // Correcting an ID number is the county approver's (registry.correct_id).
      await signIn(page, 'shenpi');
      await page.goto(`/registry/households/${corrected.household_id}`);
      await page.getByTestId('members').getByText(corrected.name, { exact: true }).waitFor();
      let posted = 0;
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().includes('/correct-id')) posted++;
      });
      const dialog = await memberAction(page, corrected.name, '更正身份证号码', /更正身份证号码/);

      const fresh = makeIdNumber('620802', '1979-03-21', 357);
      const typo = fresh.slice(0, 17) + (fresh.endsWith('1') ? '2' : '1');
      await dialog.getByLabel('正确的身份证号码').fill(typo);
      await dialog.getByRole('button', { name: '确认更正' }).click();
      await dialog.getByText('身份证号码校验位不正确').waitFor();
      await dialog.getByText('更正身份证号码须说明原因').waitFor();
      expect(posted).toBe(0);

      // A valid number already registered (the head's): the server's field error under the field.
      await fillCorrecting(
        dialog.getByLabel('正确的身份证号码'),
        otherHead.id_number,
        dialog,
        '身份证号码校验位不正确',
      );
      await fillCorrecting(dialog.getByLabel('更正原因'), '核对户口簿发现录入错误', dialog, '更正身份证号码须说明原因');
      await dialog.getByRole('button', { name: '确认更正' }).click();
      await dialog.locator('.ant-form-item-explain-error', { hasText: '已登记' }).waitFor();
      expect(posted).toBe(1);

      await dialog.getByLabel('正确的身份证号码').fill(fresh);
      await dialog.getByText('按新号码：男，出生日期 1979-03-21').waitFor();
      await dialog.getByRole('button', { name: '确认更正' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect
        .poll(() => page.getByTestId(`id-${corrected.person_id}`).textContent(), { timeout: 15_000 })
        .toBe(maskIdNumber(fresh));

      const p = await first<{ id_number: string; sex: string; birth_date: string }>(
        w.database.db,
        sql`SELECT id_number, sex, birth_date FROM persons WHERE id = ${corrected.person_id}`,
      );
      expect({ ...p, id_number: p!.id_number.trim() }).toEqual({
        id_number: fresh,
        sex: 'M',
        birth_date: '1979-03-21',
      });
      const audit = await first<{ n: number }>(
        w.database.db,
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.correct_id' AND entity_id = ${String(corrected.person_id)}`,
      );
      expect(audit!.n).toBe(1);

      // A caseworker has no such entry.
      const other = await newPage(w);
      await signIn(other.page, 'jingban');
      await other.page.goto(`/registry/households/${corrected.household_id}`);
      await other.page.getByRole('button', { name: `${corrected.name} 的更多操作` }).click();
      await other.page.getByRole('menuitem', { name: '迁出本户' }).waitFor();
      expect(await other.page.getByRole('menuitem', { name: '更正身份证号码' }).count()).toBe(0);
      await other.context.close();
      await context.close();
    });

    it('dissolves a household: refused while assistance is active, then read-only', async () => {
      const { context, page } = await newPage(w);
      await signIn(page, 'jingban');

      // A household receiving assistance: the dialog says why it cannot be dissolved, and offers no button.
      await page.goto(`/registry/households/${enrolled.id}`);
      await page.getByRole('button', { name: '注销家庭户' }).click();
      const blocked = page.getByRole('dialog', { name: /注销家庭户/ });
      await blocked.getByTestId('dissolve-blocked').getByText('须先办理停发').waitFor();
      expect(await blocked.getByRole('button', { name: '确认注销' }).isDisabled()).toBe(true);
      await blocked.getByRole('button', { name: /取\s*消/ }).click();
      await blocked.waitFor({ state: 'detached' });

      await page.goto(`/registry/households/${dissolvable.id}`);
      await page.getByTestId('members').waitFor();
      await page.getByRole('button', { name: '注销家庭户' }).click();
      const dialog = page.getByRole('dialog', { name: /注销家庭户/ });
      expect(await dialog.getByTestId('dissolve-effects').textContent()).toContain(
        `本户 ${dissolvable.members} 名成员`,
      );
      await dialog.getByRole('button', { name: '确认注销' }).click();
      await dialog.getByText('请说明注销原因').waitFor();
      await dialog.getByLabel('注销原因').fill('全户迁往外省');

      // Assistance granted meanwhile (after the page was loaded): the server refuses, its code shown.
      const e = await first<{ id: number }>(
        w.database.db,
        sql`INSERT INTO programme_enrollments (household_id, region_code, programme, status, start_month)
          SELECT id, region_code, 'temporary', 'active', '2025-01' FROM households WHERE id = ${dissolvable.id}
          RETURNING id::int AS id`,
      );
      await dialog.getByRole('button', { name: '确认注销' }).click();
      const refusal = dialog.getByTestId('dissolve-error');
      await refusal.getByText('须先办理停发').waitFor();
      expect(await refusal.textContent()).toContain('错误代码：INVALID_STATE');
      await w.database.db.execute(sql`UPDATE programme_enrollments SET status = 'ended', end_month = '2025-02'
      WHERE id = ${e!.id}`);

      await dialog.getByRole('button', { name: '确认注销' }).click();
      await page.getByTestId('dissolved-banner').waitFor();
      expect(await page.getByTestId('dissolved-banner').textContent()).toContain('全户迁往外省');
      await page.getByRole('heading', { name: new RegExp(`${dissolvable.head_name}（原户主）\\s*已注销`) }).waitFor();
      for (const label of ['修改家庭信息', '注销家庭户', '添加成员', '登记收入']) {
        expect(await page.getByRole('button', { name: label }).count()).toBe(0);
      }
      expect(await page.getByTestId('memberships').textContent()).toContain('全户迁往外省');
      await screenshot(page, 'household-dissolved');

      const h = await first<{ status: string; members: number }>(
        w.database.db,
        sql`SELECT status, (SELECT count(*)::int FROM persons WHERE household_id = ${dissolvable.id}) AS members
          FROM households WHERE id = ${dissolvable.id}`,
      );
      expect(h).toEqual({ status: 'dissolved', members: 0 });
      await context.close();
    });

    it('edits an income item and sets the payment account from the household page', async () => {
      const { context, page } = await newPage(w);
      await signIn(page, 'jingban');
      await page.goto(`/registry/households/${withIncome.household_id}`);
      const incomeCard = page.locator('.ant-card').filter({ has: page.getByRole('button', { name: '登记收入' }) });
      await incomeCard.locator('tbody tr.ant-table-row').first().waitFor();
      await incomeCard
        .getByRole('button', { name: /修\s*改/ })
        .first()
        .click();
      const dialog = page.getByRole('dialog', { name: '修改收入' });
      const amount = dialog.getByLabel('金额（元）');
      await expect.poll(() => amount.inputValue()).toBe((withIncome.amount_fen / 100).toFixed(2));
      await amount.fill('1234.56');
      await dialog.getByLabel('变更原因').fill('入户核实');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await incomeCard.getByText('1,234.56').waitFor();
      const item = await first<{ amount_fen: number; version: number }>(
        w.database.db,
        sql`SELECT amount_fen::int AS amount_fen, version FROM income_items WHERE id = ${withIncome.item_id}`,
      );
      expect(item).toEqual({ amount_fen: 123456, version: withIncome.version + 1 });

      await page.getByRole('button', { name: /^(设\s*置|更\s*换)$/ }).click();
      const account = page.getByRole('dialog', { name: /发放账户/ });
      await account.getByLabel('开户银行').fill('甘肃省农村信用社');
      await account.getByLabel('户名').fill('测试户名');
      await account.getByLabel('银行账号').fill('12ab');
      await account.getByRole('button', { name: /保\s*存/ }).click();
      await account.getByText('银行账号应为 8–30 位数字').waitFor();
      await account.getByLabel('银行账号').fill('6228480012345678901');
      await account.getByRole('button', { name: /保\s*存/ }).click();
      await account.waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('account').textContent(), { timeout: 15_000 }).toMatch(/^6228\*+8901$/);
      await context.close();
    });

    it('a 住建 liaison lands on their list, sees the dangerous housing, and edits nothing', async () => {
      const { context, page } = await newPage(w);
      await signIn(page, 'zhujian');
      const menu = page.getByRole('navigation', { name: '主菜单' });
      await menu.getByText('危房清单').waitFor();
      for (const hidden of ['家庭与人员', '持证残疾人', '救助对象成员', '导入与导出'])
        expect(await menu.getByText(hidden).count()).toBe(0);

      await page
        .getByTestId('liaison-lists')
        .getByRole('button', { name: /打开危房清单/ })
        .click();
      await page.waitForURL(/\/registry\/dangerous-housing$/);
      const table = page.getByTestId('dangerous-housing');
      const firstRow = table.locator('tbody tr.ant-table-row').first();
      await firstRow.waitFor();
      expect(await firstRow.textContent()).toContain(dangerous.head_name);
      expect(await firstRow.textContent()).toMatch(/[CD] 级/);
      // No way into the household page or any edit from here.
      expect(await table.getByRole('link').count()).toBe(0);
      expect(await page.getByRole('button', { name: /修\s*改|注销|新建/ }).count()).toBe(0);
      await screenshot(page, 'dangerous-housing');

      await page.goto(`/registry/households/${dangerous.id}`);
      await page.getByText('您的角色无权打开此页面').waitFor();
      expect(await page.getByTestId('household-page').count()).toBe(0);
      await context.close();
    });
  },
);
