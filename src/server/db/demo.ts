import { sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import { type Database, first, rows } from './client.js';
import { hashPassword } from '../platform/auth.js';
import { writeAudit } from '../platform/audit.js';
import { inTransaction } from '../platform/tx.js';
import { DEMO_PASSWORD } from '../modules/auth/routes.js';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  /** Region: 'city' | 'county' | 'county2' | 'township' — resolved against the loaded division codes. */
  at: 'city' | 'county' | 'county2' | 'township';
}

/** One demo account per role (plus a caseworker in a second county to show region isolation). */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', at: 'city' },
  { username: 'jingban', displayName: '王经办', role: 'caseworker', at: 'township' },
  { username: 'shenhe', displayName: '李审核', role: 'township_reviewer', at: 'township' },
  { username: 'shenpi', displayName: '张审批', role: 'county_approver', at: 'county' },
  { username: 'jiandu', displayName: '赵监督', role: 'supervisor', at: 'city' },
  { username: 'shenji', displayName: '孙审计', role: 'auditor', at: 'city' },
  { username: 'zhujian', displayName: '周住建', role: 'dept_housing', at: 'city' },
  { username: 'caizheng', displayName: '吴财政', role: 'dept_finance', at: 'city' },
  { username: 'canlian', displayName: '郑残联', role: 'dept_disability', at: 'city' },
  { username: 'yibao', displayName: '冯医保', role: 'dept_medical', at: 'city' },
  { username: 'jingban2', displayName: '陈经办（泾川）', role: 'caseworker', at: 'county2' },
];

export async function demoRegions(database: Database, config: Config) {
  const counties = await rows<{ code: string }>(
    database.db,
    sql`SELECT code FROM regions WHERE level = 3 AND code LIKE ${`${config.regionRoot}%`} AND retired_in IS NULL ORDER BY code LIMIT 2`,
  );
  const county = counties[0]?.code;
  const county2 = counties[1]?.code ?? county;
  if (!county) throw new Error(`没有 ${config.regionRoot} 下的县级区划，请先加载区划数据`);
  // The first town (镇, 100–199) of the first county; falls back to its first township of any kind.
  const town = await first<{ code: string }>(
    database.db,
    sql`SELECT code FROM regions WHERE parent_code = ${county} AND level = 4 ORDER BY (substr(code, 7, 1) = '1') DESC, code LIMIT 1`,
  );
  const city = config.regionRoot.length === 4 ? config.regionRoot : county.slice(0, 4);
  return { city, county, county2: county2!, township: town?.code ?? county };
}

/** Creates the demo accounts that do not exist yet (password DEMO_PASSWORD, no forced change). Idempotent. */
export async function seedDemoAccounts(database: Database, config: Config): Promise<string[]> {
  const where = await demoRegions(database, config);
  const hash = await hashPassword(DEMO_PASSWORD);
  const created: string[] = [];
  await inTransaction(database.db, async (tx) => {
    for (const a of DEMO_ACCOUNTS) {
      const r = await first<{ id: number }>(
        tx,
        sql`INSERT INTO users (username, display_name, password_hash, role_code, region_code, is_demo, must_change_password)
            VALUES (${a.username}, ${a.displayName}, ${hash}, ${a.role}, ${where[a.at]}, true, false)
            ON CONFLICT DO NOTHING RETURNING id`,
      );
      if (r) {
        created.push(a.username);
        await writeAudit(tx, null, {
          action: 'user.create_demo',
          entityType: 'user',
          entityId: r.id,
          regionCode: where[a.at],
          diff: { username: a.username, role: a.role },
        });
      }
    }
  });
  return created;
}
