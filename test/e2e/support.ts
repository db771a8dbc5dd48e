import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/client.js';
import { seedDemoAccounts } from '../../src/server/db/demo.js';
import { DEMO_PASSWORD } from '../../src/server/modules/auth/routes.js';
import { freshDatabase } from '../support/db.js';

/**
 * Browser tests: the real server (buildApp with the built web UI) on a fresh PGlite and a free port, driven by
 * Debian's Chromium through playwright-core. Without /usr/bin/chromium the suite is skipped with a message — except
 * in CI (CI=true), where a missing browser is a failure.
 */
export const CHROMIUM = process.env.JIUZHU_CHROMIUM || '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = process.env.CI === 'true';
export const SCREENSHOTS = join(process.cwd(), 'docs/screenshots');

export function browserOrSkip(): boolean {
  if (HAS_CHROMIUM) return true;
  if (IN_CI) throw new Error(`浏览器测试需要 Chromium（${CHROMIUM}），CI 中不能跳过：apt-get install -y chromium`);
  console.warn(
    `[e2e] 跳过浏览器测试：未找到 ${CHROMIUM}（apt-get install -y chromium 后再运行） — skipped: Chromium not found`,
  );
  return false;
}

/** Builds the web UI once when dist/web is missing (the same thing `jiuzhu demo` does). */
export function ensureWebBuilt(): string {
  const webDir = join(process.cwd(), 'dist/web');
  if (!existsSync(join(webDir, 'index.html'))) {
    const r = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  return webDir;
}

export interface WebWorld {
  app: FastifyInstance;
  database: Database;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startWorld(overrides: Parameters<typeof loadConfig>[0] = {}): Promise<WebWorld> {
  const webDir = ensureWebBuilt();
  const database = await freshDatabase();
  const config = loadConfig({ env: 'test', logLevel: 'silent', webDir, ...overrides });
  await seedDemoAccounts(database, config);
  const app = await buildApp({ config, database, serveWeb: true, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  return {
    app,
    database,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await database.close();
    },
  };
}

export async function newPage(
  world: WebWorld,
  viewport = { width: 1366, height: 768 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await world.browser.newContext({
    viewport,
    locale: 'zh-CN',
    acceptDownloads: true,
    baseURL: world.baseUrl,
  });
  const page = await context.newPage();
  // Generous: the suite shares a small CI machine with the rest of the tests.
  page.setDefaultTimeout(30_000);
  return { context, page };
}

/** Signs in through the login form and waits for the layout. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('region-path').waitFor();
}

/** A screenshot for the docs, taken once the page's CSS animations (a dialog opening, a message) have finished. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, {
      timeout: 5_000,
    })
    .catch(() => undefined); // an endless animation (a spinner) only makes the picture less tidy
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/**
 * Picks an option of an Ant Design select (or tree select) inside `scope` and waits until the select shows it. On a
 * loaded machine a click can land while the dropdown is still animating in and be lost; then the dropdown is closed
 * and opened again. `option` is the option's title; `pick` finds the option to click when that is not its title.
 */
export async function chooseOption(
  page: Page,
  scope: Locator,
  label: string,
  option: RegExp | string,
  pick: (page: Page) => Locator = (p) => p.getByTitle(option).first(),
) {
  for (let attempt = 1; ; attempt++) {
    await scope.getByLabel(label).click();
    await pick(page)
      .click({ timeout: 10_000 })
      .catch(() => undefined);
    const took = await scope
      .getByTitle(option)
      .first()
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (took) return;
    if (attempt === 4) throw new Error(`选择框「${label}」未能选中 ${option}`);
    await page.keyboard.press('Escape');
  }
}

/**
 * Types a corrected value into a field that shows a validation message and waits until the message has left the page.
 * The message collapses with an animation that moves every control below it; a click sent while it moves can land on
 * the neighbouring button (in the registry search, 重置 instead of 查询). `scope` is where the message is shown.
 */
export async function fillCorrecting(field: Locator, value: string, scope: Locator | Page, message: string) {
  await field.fill(value);
  await scope.getByText(message).first().waitFor({ state: 'hidden', timeout: 15_000 });
}
