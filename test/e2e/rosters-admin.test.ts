import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserOrSkip, chooseOption, newPage, screenshot, signIn, startWorld, type WebWorld } from './support.js';

/** The bank layouts and API clients screens in Chromium (issue 7: screens of the roster / exchange capability). */
const run = browserOrSkip();

describe.skipIf(!run)('bank layouts and API clients screens', { timeout: 240_000 }, () => {
  let w: WebWorld;
  beforeAll(async () => {
    w = await startWorld();
  }, 300_000);
  afterAll(async () => {
    await w?.close();
  });

  it('a county approver builds a fixed-width GBK layout with the live preview and saves it', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'shenpi');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('银行代发格式').click();
    await page.getByText('generic_csv').waitFor();
    await page.getByRole('button', { name: /新建格式/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('格式代码').fill('e2e_fixed');
    await dialog.getByLabel('名称').fill('演示 定长格式');
    await dialog.getByText('定长文本', { exact: true }).click();
    await dialog.getByText('GBK', { exact: true }).click();
    // without widths the preview lists the problem for each column
    await dialog.getByText('定长文件须填写宽度').first().waitFor();
    const widths = dialog.getByPlaceholder('宽度(字节)');
    await expect(widths.count()).resolves.toBe(4);
    for (const [i, v] of ['6', '22', '12', '12'].entries()) await widths.nth(i).fill(v);
    const preview = dialog.getByTestId('layout-preview');
    await preview.getByText('张建国').waitFor();
    expect(await preview.textContent()).toContain('← 52 字节');
    // a column too narrow is named in Chinese
    await widths.nth(1).fill('10');
    await dialog.getByText('第 2 列（账号）：宽度 10 小于该字段至少需要的 19 字节').waitFor();
    await widths.nth(1).fill('22');
    await preview.getByText('张建国').waitFor();
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'bank-layout-editor');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('e2e_fixed').waitFor();
    expect(await page.getByRole('row', { name: /e2e_fixed/ }).textContent()).toContain('v1');
    await context.close();
  });

  it('an administrator registers an API client, sees the secret once, and opens its call log', async () => {
    const { context, page } = await newPage(w);
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: '主菜单' }).getByText('接口客户端').click();
    await page.getByRole('button', { name: /登记客户端/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称（调用方系统）').fill('演示核对平台');
    await chooseOption(page, dialog, '授权区划 1', '平凉市');
    await dialog.getByRole('button', { name: /登\s*记/ }).click();
    const secret = page.getByTestId('client-secret');
    await secret.waitFor();
    const value = (await secret.textContent()) ?? '';
    expect(value.length).toBeGreaterThanOrEqual(40);
    await page.getByText('客户端密钥只显示这一次').waitFor();
    await page.waitForTimeout(600); // let the dialog's entry animation finish for the screenshot
    await screenshot(page, 'api-client-secret');
    await page.getByRole('button', { name: /我已妥善保存密钥/ }).click();
    await secret.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: '演示核对平台' }).waitFor();
    expect(await page.content()).not.toContain(value);
    await page
      .getByRole('button', { name: /调用记录/ })
      .first()
      .click();
    await page.getByText('调用记录：演示核对平台').waitFor();
    await page.getByText('累计调用').waitFor();
    await context.close();
  });
});
