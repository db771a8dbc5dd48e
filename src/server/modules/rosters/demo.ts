import { sql } from 'drizzle-orm';
import { addMonths, monthCst } from '../../../domain/calendar.js';
import { type Database, rows } from '../../db/client.js';
import type { Actor } from '../../platform/context.js';
import { scopeOf } from '../../platform/scope.js';
import { findRegularRoster } from './repo.js';
import { generateRoster, holdLine, transitionRoster } from './service.js';

/**
 * Demo step (idempotent): last month's 低保 roster of the first county with 低保 entitlements, generated, lines with
 * errors held (暂缓, so they come back as 补发), checked and approved — a frozen roster to show the bank file, the
 * ledger and next month's adjustments against.
 */
export async function seedDemoRosters(
  database: Database,
  regionRoot: string,
): Promise<{ rosterId: number; lines: number } | null> {
  const [county] = await rows<{ county_code: string }>(
    database.db,
    sql`SELECT county_code FROM programme_enrollments WHERE programme = 'dibao' AND status = 'active' AND county_code LIKE ${`${regionRoot}%`}
        GROUP BY county_code ORDER BY county_code LIMIT 1`,
  );
  if (!county) return null;
  const month = addMonths(monthCst(), -1);
  if (await findRegularRoster(database.db, county.county_code, month, 'dibao')) return null;
  const actor: Actor = {
    id: null,
    username: 'demo-seed',
    role: 'county_approver',
    regionCode: county.county_code,
    scope: scopeOf(county.county_code),
    permissions: new Set(['roster.generate', 'roster.approve']),
  };
  const ctx = { db: database.db, actor, locale: 'zh' as const };
  let r = await generateRoster(ctx, { countyCode: county.county_code, month, programme: 'dibao' });
  const errors = await rows<{ line_no: number; error_message: string }>(
    database.db,
    sql`SELECT line_no, error_message FROM roster_lines WHERE roster_id = ${r.id} AND error_code IS NOT NULL ORDER BY line_no`,
  );
  for (const e of errors) {
    r = await holdLine(ctx, r.id, Number(e.line_no), {
      version: r.version,
      held: true,
      reason: `演示：${e.error_message}，暂缓发放`,
    });
  }
  r = await transitionRoster(ctx, r.id, r.version, 'checked');
  r = await transitionRoster(ctx, r.id, r.version, 'approved');
  return { rosterId: r.id, lines: r.lineCount };
}
