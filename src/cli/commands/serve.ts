import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildApp } from '../../server/app.js';
import { hasDemoAccounts, openConfiguredDatabase, prepareDatabase } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { seedDemo } from '../../server/db/demo-data.js';

async function serve(opts: { port?: string; demo?: boolean }) {
  const config = loadConfig(opts.port ? { port: Number(opts.port) } : {});
  const database = await openConfiguredDatabase(config);
  const prep = await prepareDatabase(database, config);
  if (prep.migrations.applied.length) console.error(`已应用迁移: ${prep.migrations.applied.join(', ')}`);
  if (prep.regions) console.error(`已加载区划 ${config.regionRoot}: ${prep.regions.nodes} 个节点`);
  if (opts.demo) {
    if (config.env === 'production') throw new Error('生产环境（NODE_ENV=production）不能运行演示模式');
    const r = await seedDemo(database, config, (msg) => console.error(msg));
    if (r.accounts.length) console.error(`已创建演示账号: ${r.accounts.join(', ')}`);
  }
  if (config.env === 'production' && (await hasDemoAccounts(database))) {
    await database.close();
    throw new Error(
      '生产环境中存在演示账号，拒绝启动。请先停用并删除演示账号 (demo accounts exist; refusing to start with NODE_ENV=production)',
    );
  }
  const app = await buildApp({ config, database, serveWeb: true });
  const close = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ host: config.host, port: config.port });
  const demo = await hasDemoAccounts(database);
  console.error(
    `Jiuzhu 救助 ${demo ? '【演示模式 DEMO】' : ''}已启动: http://localhost:${config.port}  (数据库: ${database.kind})`,
  );
}

/** Builds the web UI when its bundle is missing (first start on a fresh clone). */
export function ensureWebBuilt() {
  const config = loadConfig();
  if (existsSync(join(config.webDir, 'index.html'))) return;
  if (!existsSync('vite.config.ts')) return;
  console.error('首次启动：正在构建网页界面 (building the web UI)…');
  const r = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('网页界面构建失败 (web build failed)');
}

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('迁移数据库并启动服务 (migrate, then serve the API and web UI)')
    .option('-p, --port <port>', '端口 (default: $PORT or 3000)')
    .action((o) => serve(o));
  program
    .command('demo')
    .description('演示模式：构建界面、迁移、加载平凉市区划与演示数据和账号，然后启动')
    .option('-p, --port <port>', '端口')
    .action(async (o) => {
      ensureWebBuilt();
      await serve({ ...o, demo: true });
    });
}
