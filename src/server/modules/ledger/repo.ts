import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

/**
 * The finance ledger (计财台帐) is a view of the frozen rosters (approved, sent or reconciled regular rosters):
 * nothing is copied, so the ledger and the rosters agree by construction (POLICY S11 "one set of data").
 */
const FROZEN = sql`r.kind = 'regular' AND r.status IN ('approved', 'sent', 'reconciled')`;

export async function ledgerTotals(
  db: Db,
  scope: Scope,
  q: { month: string; programme?: string; regionCode?: string },
) {
  const conds: SQL[] = [inScope(sql`r.region_code`, scope), FROZEN, sql`r.month = ${q.month}`];
  if (q.programme) conds.push(sql`r.programme = ${q.programme}`);
  if (q.regionCode)
    conds.push(sql`(r.region_code LIKE ${`${q.regionCode}%`} OR ${q.regionCode} LIKE r.region_code || '%')`);
  return rows<{
    county_code: string;
    county_name: string | null;
    programme: string;
    roster_id: number;
    status: string;
    persons: number;
    lines: number;
    total_fen: number;
    province_fen: number;
    city_fen: number;
    county_fen: number;
  }>(
    db,
    sql`SELECT r.county_code, rg.name AS county_name, r.programme, r.id AS roster_id, r.status,
               (SELECT count(DISTINCT l.payee_id_number)::int FROM roster_lines l WHERE l.roster_id = r.id AND NOT l.held AND l.amount_fen <> 0) AS persons,
               r.line_count AS lines, r.total_fen, r.province_fen, r.city_fen, r.county_fen
        FROM rosters r LEFT JOIN regions rg ON rg.code = r.county_code
        WHERE ${sql.join(conds, sql` AND `)} ORDER BY r.county_code, r.programme`,
  );
}

export interface LedgerLine {
  month: string;
  programme: string;
  county_code: string;
  township_code: string;
  township_name: string | null;
  id_number: string;
  name: string | null;
  persons: number | null;
  amount_fen: number;
  province_fen: number;
  city_fen: number;
  county_fen: number;
  detail: string | null;
}

/** Per-person lines: the net of each payee's lines in a frozen roster (regular + 补发 − 扣减), one row per person and month. */
export async function ledgerLines(
  db: Db,
  scope: Scope,
  q: { county: string; month?: string; programme?: string },
): Promise<LedgerLine[]> {
  const conds: SQL[] = [inScope(sql`r.region_code`, scope), FROZEN, sql`r.county_code = ${q.county}`];
  if (q.month) conds.push(sql`r.month = ${q.month}`);
  if (q.programme) conds.push(sql`r.programme = ${q.programme}`);
  return rows<LedgerLine>(
    db,
    sql`SELECT r.month, r.programme, r.county_code, min(l.township_code) AS township_code, min(t.name) AS township_name,
               l.payee_id_number AS id_number, min(l.payee_name) AS name,
               max(l.covered_persons) FILTER (WHERE l.kind = 'regular') AS persons,
               sum(l.amount_fen) AS amount_fen, sum(l.province_fen) AS province_fen, sum(l.city_fen) AS city_fen,
               sum(l.county_fen) AS county_fen,
               string_agg(l.reason, '；' ORDER BY l.line_no) FILTER (WHERE l.reason IS NOT NULL) AS detail
        FROM rosters r JOIN roster_lines l ON l.roster_id = r.id
        LEFT JOIN regions t ON t.code = l.township_code
        WHERE ${sql.join(conds, sql` AND `)} AND NOT l.held AND l.payee_id_number IS NOT NULL
        GROUP BY r.month, r.programme, r.county_code, l.payee_id_number
        HAVING sum(l.amount_fen) <> 0 OR bool_or(l.kind = 'regular')
        ORDER BY r.month, r.programme, min(l.township_code), l.payee_id_number`,
  );
}
