import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserOrSkip, chooseOption, newPage, screenshot, signIn, startWorld, type WebWorld } from './support.js';

const run = browserOrSkip();

describe.skipIf(!run)('web shell in Chromium', { timeout: 180_000 }, () => {
  let w: WebWorld;
  beforeAll(async () => {
    w = await startWorld();
  }, 300_000);
  afterAll(async () => {
    await w?.close();
  });

  it('shows the demo accounts, refuses a wrong password with the attempts left, then signs in', async () => {
    const { context, page } = await newPage(w);
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await expect(page.getByTestId('demo-marker').textContent()).resolves.toBe('演示环境');
    await page.getByRole('cell', { name: 'jingban', exact: true }).waitFor();
    await screenshot(page, 'login');

    await page.getByLabel('用户名').fill('jingban');
    await page.getByLabel('密码', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const err = page.getByTestId('login-error');
    await err.waitFor();
    expect(await err.textContent()).toContain('再失败 4 次');

    await signIn(page, 'jingban');
    expect(await page.getByTestId('role-name').textContent()).toBe('乡镇经办');
    expect(await page.getByTestId('region-path').textContent()).toMatch(/崆峒区.*崆峒镇|崆峒镇/);
    await context.close();
  });

  it('a caseworker sees no administration menu and gets 403 on its URL', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'jingban');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await expect(menu.getByText('家庭与人员').isVisible()).resolves.toBe(true);
    expect(await menu.getByText('用户管理').count()).toBe(0);
    expect(await menu.getByText('审计日志').count()).toBe(0);
    expect(await menu.getByText('系统管理').count()).toBe(0);
    await page.goto('/admin/users');
    await page.getByText('您的角色无权打开此页面').waitFor();
    await context.close();
  });

  it('an administrator manages users and sees the audit trail with the chain status', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'admin');
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await menu.getByText('用户管理').click();
    await page.getByText('jingban2', { exact: true }).waitFor();
    await screenshot(page, 'admin-users');

    // Create a user; the password rules are checked in the browser before anything is sent.
    await page.getByRole('button', { name: /新建用户/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('wang.test');
    await dialog.getByLabel('姓名').fill('王测试');
    await chooseOption(page, dialog, '角色', /^乡镇经办/);
    await dialog.getByLabel(/初始密码/).fill('short');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('密码至少 10 位').waitFor();
    await dialog.getByLabel(/初始密码/).fill('Chang3-Me-Now!');
    await chooseOption(page, dialog, '管辖区划', '平凉市', (p) =>
      p.locator('.ant-select-tree-title', { hasText: '平凉市' }).first(),
    );
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('wang.test', { exact: true }).waitFor();

    await menu.getByText('审计日志').click();
    await page
      .getByTestId('audit-verify')
      .getByText(/哈希链校验通过/)
      .waitFor();
    await page
      .getByRole('cell', { name: /user\.create|用户/ })
      .first()
      .waitFor();
    await screenshot(page, 'admin-audit');
    await context.close();
  });

  it('switches the interface to English and back', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.getByText('EN', { exact: true }).click();
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    await menu.getByText('Households & persons').waitFor();
    expect(await page.getByTestId('role-name').textContent()).toBe('County approver');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('navigation', { name: '主菜单' }).getByText('家庭与人员').waitFor();
    await context.close();
  });

  it('an expired session leads back to the login page with the reason', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.getByTestId('stat-households').waitFor();
    // Every call of the page has answered: one still under way would touch the session after the update below.
    await page.waitForLoadState('networkidle');
    // The idle timeout elapsed on the server; the next call answers 401 SESSION_EXPIRED.
    await w.database.db.execute(sql`UPDATE sessions SET last_seen_at = now() - interval '3 hours'`);
    await page.getByRole('navigation', { name: '主菜单' }).getByText('家庭与人员').click();
    await page.waitForURL(/reason=SESSION_EXPIRED/);
    expect(await page.getByTestId('login-reason').textContent()).toContain('登录已失效');
    // Signing in again returns to the screen that was asked for.
    await page.getByLabel('用户名').fill('shenpi');
    await page.getByLabel('密码', { exact: true }).fill('Jiuzhu@Demo2026');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/registry$/);
    await page.getByTestId('person-results').waitFor();
    await page.waitForLoadState('networkidle');

    // Noticed on page load too (the first /auth/me of a new tab).
    await w.database.db.execute(sql`UPDATE sessions SET last_seen_at = now() - interval '3 hours'`);
    await page.goto('/admin/audit');
    await page.getByTestId('login-reason').waitFor();
    await context.close();
  });

  it('a forced password change comes first, with the rules checked in the browser', async () => {
    await w.database.db.execute(sql`UPDATE users SET must_change_password = true WHERE username = 'shenhe'`);
    const { context, page } = await newPage(w);
    await page.goto('/login');
    await page.getByLabel('用户名').fill('shenhe');
    await page.getByLabel('密码', { exact: true }).fill('Jiuzhu@Demo2026');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(/\/change-password/);
    await page.getByLabel('当前密码').fill('Jiuzhu@Demo2026');
    await page.getByLabel('新密码', { exact: true }).fill('abcdefghijk');
    await page.getByLabel('确认新密码').fill('abcdefghijk');
    await page.getByRole('button', { name: /修改密码/ }).click();
    await page.getByText('密码须包含小写字母、大写字母、数字、符号中的至少三类').waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('Review-2026-ok');
    await page.getByLabel('确认新密码').fill('Review-2026-ok');
    await page.getByRole('button', { name: /修改密码/ }).click();
    await page.getByTestId('region-path').waitFor();
    await context.close();
  });
});
