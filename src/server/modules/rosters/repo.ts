import { type SQL, sql } from 'drizzle-orm';
import { affected, type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';
import { type GenerateParams, generateLinesSql, targetsSql } from './generate-sql.js';

export interface RosterRecord {
  id: number;
  kind: 'regular' | 'reissue';
  parent_roster_id: number | null;
  month: string;
  county_code: string;
  county_name: string | null;
  region_code: string;
  programme: string;
  status: 'draft' | 'checked' | 'approved' | 'sent' | 'reconciled';
  line_count: number;
  payable_count: number;
  total_fen: number;
  province_fen: number;
  city_fen: number;
  county_fen: number;
  error_count: number;
  adjustment_count: number;
  version: number;
  generated_at: string;
  checked_at: string | null;
  approved_at: string | null;
  sent_at: string | null;
  reconciled_at: string | null;
}

export interface RosterLineRecord {
  line_no: number;
  kind: 'regular' | 'back_pay' | 'stop' | 'recovery' | 'reissue';
  for_month: string;
  enrollment_id: number | null;
  household_id: number;
  person_id: number | null;
  payee_person_id: number | null;
  payee_name: string | null;
  payee_id_number: string | null;
  region_code: string;
  township_code: string;
  covered_persons: number | null;
  dibao_kind: string | null;
  rural_class: number | null;
  bank_name: string | null;
  bank_account: string | null;
  bank_account_holder: string | null;
  amount_fen: number;
  province_fen: number;
  city_fen: number;
  county_fen: number;
  legal_basis: string;
  reason: string | null;
  error_code: string | null;
  error_message: string | null;
  held: boolean;
  hold_reason: string | null;
  pay_status: 'pending' | 'paid' | 'failed' | 'not_paid';
  fail_reason: string | null;
  reissued_in: number | null;
}

const rosterCols = sql`r.id, r.kind, r.parent_roster_id, r.month, r.county_code, rg.name AS county_name, r.region_code,
  r.programme, r.status, r.line_count, r.payable_count, r.total_fen, r.province_fen, r.city_fen, r.county_fen,
  r.error_count, r.adjustment_count, r.version, r.generated_at::text, r.checked_at::text, r.approved_at::text,
  r.sent_at::text, r.reconciled_at::text`;

export async function findRoster(db: Db, id: number, scope: Scope, lock = false): Promise<RosterRecord | undefined> {
  return first<RosterRecord>(
    db,
    sql`SELECT ${rosterCols} FROM rosters r LEFT JOIN regions rg ON rg.code = r.county_code
        WHERE r.id = ${id} AND ${inScope(sql`r.region_code`, scope)} ${lock ? sql`FOR UPDATE OF r` : sql``}`,
  );
}

export async function findRegularRoster(
  db: Db,
  county: string,
  month: string,
  programme: string,
): Promise<RosterRecord | undefined> {
  return first<RosterRecord>(
    db,
    sql`SELECT ${rosterCols} FROM rosters r LEFT JOIN regions rg ON rg.code = r.county_code
        WHERE r.county_code = ${county} AND r.month = ${month} AND r.programme = ${programme} AND r.kind = 'regular'`,
  );
}

export interface RosterFilter {
  regionCode?: string;
  month?: string;
  programme?: string;
  status?: string;
  limit: number;
  after?: number;
}

export async function listRosters(db: Db, scope: Scope, f: RosterFilter): Promise<RosterRecord[]> {
  const conds: SQL[] = [inScope(sql`r.region_code`, scope)];
  if (f.regionCode)
    conds.push(sql`(r.region_code LIKE ${`${f.regionCode}%`} OR ${f.regionCode} LIKE r.region_code || '%')`);
  if (f.month) conds.push(sql`r.month = ${f.month}`);
  if (f.programme) conds.push(sql`r.programme = ${f.programme}`);
  if (f.status) conds.push(sql`r.status = ${f.status}`);
  if (f.after !== undefined) conds.push(sql`r.id < ${f.after}`);
  return rows<RosterRecord>(
    db,
    sql`SELECT ${rosterCols} FROM rosters r LEFT JOIN regions rg ON rg.code = r.county_code
        WHERE ${sql.join(conds, sql` AND `)} ORDER BY r.id DESC LIMIT ${f.limit + 1}`,
  );
}

export async function insertRoster(
  db: Db,
  r: {
    county: string;
    month: string;
    programme: string;
    kind: 'regular' | 'reissue';
    parentId: number | null;
    by: number | null;
  },
): Promise<number> {
  const row = await first<{ id: number }>(
    db,
    sql`INSERT INTO rosters (kind, parent_roster_id, month, county_code, region_code, programme, generated_by)
        VALUES (${r.kind}, ${r.parentId}, ${r.month}, ${r.county}, ${r.county}, ${r.programme}, ${r.by}) RETURNING id`,
  );
  return Number(row!.id);
}

/** Tries the per county-month-programme generation lock (transaction-scoped); false when another holds it. */
export async function tryGenerationLock(db: Db, county: string, month: string, programme: string): Promise<boolean> {
  const r = await first<{ ok: boolean }>(
    db,
    sql`SELECT pg_try_advisory_xact_lock(hashtext(${`roster:${county}:${month}:${programme}`})) AS ok`,
  );
  return r?.ok === true;
}

export async function deleteLines(db: Db, rosterId: number): Promise<void> {
  await db.execute(sql`DELETE FROM roster_lines WHERE roster_id = ${rosterId}`);
}

/** Runs inside the caller's transaction (the temporary target table lives on its connection). */
export async function insertGeneratedLines(db: Db, p: GenerateParams): Promise<number> {
  await db.execute(sql`DROP TABLE IF EXISTS roster_gen_target`);
  await db.execute(sql`CREATE TEMP TABLE roster_gen_target ON COMMIT DROP AS ${targetsSql(p.rosterIds)}`);
  await db.execute(sql`ANALYZE roster_gen_target`);
  const n = await affected(db, generateLinesSql(p));
  await db.execute(sql`DROP TABLE roster_gen_target`);
  return n;
}

const idArray = (ids: number[]) =>
  sql`ARRAY[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::bigint[]`;

/** 扣减 larger than what the payee receives this month cannot be withheld from the payment: flagged for handling. */
export async function flagUnrecoverable(db: Db, rosterIds: number[]): Promise<void> {
  await db.execute(sql`
    UPDATE roster_lines l SET error_code = 'recovery_exceeds_payment',
           error_message = '扣减金额超过该户本月应发金额，请暂缓此行并线下追缴'
    FROM (SELECT roster_id, household_id FROM roster_lines
          WHERE roster_id = ANY(${idArray(rosterIds)}) AND NOT held AND kind = 'recovery'
          GROUP BY roster_id, household_id) cand
    WHERE l.roster_id = cand.roster_id AND l.household_id = cand.household_id AND l.kind = 'recovery' AND NOT l.held
      AND l.error_code IS NULL
      AND (SELECT sum(x.amount_fen) FROM roster_lines x WHERE x.roster_id = cand.roster_id AND x.household_id = cand.household_id AND NOT x.held) < 0`);
}

export async function refreshTotals(db: Db, rosterIds: number[], bumpVersion: boolean): Promise<void> {
  await db.execute(sql`
    UPDATE rosters r SET
      line_count = coalesce(t.lines, 0), payable_count = coalesce(t.payable, 0), total_fen = coalesce(t.total, 0),
      province_fen = coalesce(t.prov, 0), city_fen = coalesce(t.city, 0), county_fen = coalesce(t.cnty, 0),
      error_count = coalesce(t.errors, 0), adjustment_count = coalesce(t.adjustments, 0)
      ${bumpVersion ? sql`, version = r.version + 1` : sql``}
    FROM (SELECT id FROM unnest(${idArray(rosterIds)}) AS id) ids
    LEFT JOIN (SELECT roster_id, count(*)::int AS lines,
                 count(*) FILTER (WHERE NOT held AND amount_fen <> 0)::int AS payable,
                 coalesce(sum(amount_fen) FILTER (WHERE NOT held), 0) AS total,
                 coalesce(sum(province_fen) FILTER (WHERE NOT held), 0) AS prov,
                 coalesce(sum(city_fen) FILTER (WHERE NOT held), 0) AS city,
                 coalesce(sum(county_fen) FILTER (WHERE NOT held), 0) AS cnty,
                 count(*) FILTER (WHERE NOT held AND error_code IS NOT NULL)::int AS errors,
                 count(*) FILTER (WHERE kind IN ('back_pay', 'stop', 'recovery'))::int AS adjustments
          FROM roster_lines WHERE roster_id = ANY(${idArray(rosterIds)}) GROUP BY roster_id) t ON t.roster_id = ids.id
    WHERE r.id = ids.id`);
}

/** Rosters of a batch, with their keys (bulk generation). */
export async function insertRosters(
  db: Db,
  r: { month: string; pairs: { county: string; programme: string }[]; by: number | null },
): Promise<{ id: number; county_code: string; programme: string }[]> {
  const payload = JSON.stringify(r.pairs.map((x) => ({ c: x.county, p: x.programme })));
  return rows(
    db,
    sql`INSERT INTO rosters (kind, month, county_code, region_code, programme, generated_by)
        SELECT 'regular', ${r.month}, x.c, x.c, x.p, ${r.by} FROM jsonb_to_recordset(${payload}::jsonb) AS x(c text, p text)
        RETURNING id, county_code, programme`,
  );
}

export async function markRegenerated(db: Db, rosterId: number, by: number | null): Promise<void> {
  await db.execute(sql`UPDATE rosters SET status = 'draft', generated_at = now(), generated_by = ${by},
                       checked_at = NULL, checked_by = NULL WHERE id = ${rosterId}`);
}

/** A state change with optimistic concurrency; null when the version is stale. */
export async function setStatus(
  db: Db,
  id: number,
  version: number,
  to: string,
  by: number | null,
): Promise<number | null> {
  const stamp =
    to === 'checked'
      ? sql`checked_at = now(), checked_by = ${by}`
      : to === 'approved'
        ? sql`approved_at = now(), approved_by = ${by}`
        : to === 'sent'
          ? sql`sent_at = now(), sent_by = ${by}`
          : sql`reconciled_at = now(), reconciled_by = ${by}`;
  const r = await first<{ version: number }>(
    db,
    sql`UPDATE rosters SET status = ${to}, ${stamp}, version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING version`,
  );
  return r ? Number(r.version) : null;
}

export async function bumpVersion(db: Db, id: number, version: number): Promise<boolean> {
  return (
    (await affected(db, sql`UPDATE rosters SET version = version + 1 WHERE id = ${id} AND version = ${version}`)) === 1
  );
}

export async function errorLines(db: Db, rosterId: number, limit = 500) {
  return rows<{ line_no: number; payee_name: string | null; error_code: string; error_message: string }>(
    db,
    sql`SELECT line_no, payee_name, error_code, error_message FROM roster_lines
        WHERE roster_id = ${rosterId} AND error_code IS NOT NULL AND NOT held ORDER BY line_no LIMIT ${limit}`,
  );
}

export interface LineFilter {
  kind?: string;
  townshipCode?: string;
  errorsOnly?: boolean;
  payStatus?: string;
  after?: number;
  limit: number;
}

export async function listLines(db: Db, rosterId: number, f: LineFilter): Promise<RosterLineRecord[]> {
  const conds: SQL[] = [sql`roster_id = ${rosterId}`];
  if (f.kind) conds.push(sql`kind = ${f.kind}`);
  if (f.townshipCode) conds.push(sql`region_code LIKE ${`${f.townshipCode}%`}`);
  if (f.errorsOnly) conds.push(sql`error_code IS NOT NULL`);
  if (f.payStatus) conds.push(sql`pay_status = ${f.payStatus}`);
  if (f.after !== undefined) conds.push(sql`line_no > ${f.after}`);
  return rows<RosterLineRecord>(
    db,
    sql`SELECT * FROM roster_lines WHERE ${sql.join(conds, sql` AND `)} ORDER BY line_no LIMIT ${f.limit + 1}`,
  );
}

export async function findLine(db: Db, rosterId: number, lineNo: number): Promise<RosterLineRecord | undefined> {
  return first<RosterLineRecord>(
    db,
    sql`SELECT * FROM roster_lines WHERE roster_id = ${rosterId} AND line_no = ${lineNo}`,
  );
}

export async function setLineHold(db: Db, rosterId: number, lineNo: number, held: boolean, reason: string | null) {
  await db.execute(sql`UPDATE roster_lines SET held = ${held}, hold_reason = ${held ? reason : null}
                       WHERE roster_id = ${rosterId} AND line_no = ${lineNo}`);
}

export async function allLines(db: Db, rosterId: number): Promise<RosterLineRecord[]> {
  return rows<RosterLineRecord>(db, sql`SELECT * FROM roster_lines WHERE roster_id = ${rosterId} ORDER BY line_no`);
}

export async function totalsByTownship(db: Db, rosterId: number) {
  return rows<{
    township_code: string;
    township_name: string | null;
    lines: number;
    households: number;
    persons: number;
    total_fen: number;
    province_fen: number;
    city_fen: number;
    county_fen: number;
  }>(
    db,
    sql`SELECT l.township_code, rg.name AS township_name, count(*)::int AS lines,
               count(DISTINCT l.household_id)::int AS households,
               coalesce(sum(l.covered_persons) FILTER (WHERE l.kind = 'regular'), 0)::int AS persons,
               coalesce(sum(l.amount_fen), 0) AS total_fen, coalesce(sum(l.province_fen), 0) AS province_fen,
               coalesce(sum(l.city_fen), 0) AS city_fen, coalesce(sum(l.county_fen), 0) AS county_fen
        FROM roster_lines l LEFT JOIN regions rg ON rg.code = l.township_code
        WHERE l.roster_id = ${rosterId} AND NOT l.held
        GROUP BY l.township_code, rg.name ORDER BY l.township_code`,
  );
}

export async function totalsByKind(db: Db, rosterId: number) {
  return rows<{ kind: RosterLineRecord['kind']; lines: number; total_fen: number }>(
    db,
    sql`SELECT kind, count(*)::int AS lines, coalesce(sum(amount_fen), 0) AS total_fen
        FROM roster_lines WHERE roster_id = ${rosterId} AND NOT held GROUP BY kind ORDER BY kind`,
  );
}

export async function summaryByCounty(db: Db, scope: Scope, month: string, regionCode?: string) {
  const conds: SQL[] = [inScope(sql`r.region_code`, scope), sql`r.month = ${month}`, sql`r.kind = 'regular'`];
  if (regionCode) conds.push(sql`(r.region_code LIKE ${`${regionCode}%`} OR ${regionCode} LIKE r.region_code || '%')`);
  return rows<{
    county_code: string;
    county_name: string | null;
    programme: string;
    rosters: number;
    status: string;
    lines: number;
    total_fen: number;
  }>(
    db,
    sql`SELECT r.county_code, rg.name AS county_name, r.programme, count(*)::int AS rosters, min(r.status) AS status,
               sum(r.line_count)::int AS lines, sum(r.total_fen) AS total_fen
        FROM rosters r LEFT JOIN regions rg ON rg.code = r.county_code
        WHERE ${sql.join(conds, sql` AND `)}
        GROUP BY r.county_code, rg.name, r.programme ORDER BY r.county_code, r.programme`,
  );
}

export async function programmeSetting(db: Db, programme: string, county: string) {
  return first<{
    pays_monthly: boolean;
    province_bp: number;
    city_bp: number;
    county_bp: number;
    legal_basis: string;
    is_local_setting: boolean;
  }>(
    db,
    sql`SELECT pays_monthly, province_bp, city_bp, county_bp, legal_basis, is_local_setting FROM roster_programme_settings
        WHERE programme = ${programme} AND ${county} LIKE region_code || '%' ORDER BY length(region_code) DESC LIMIT 1`,
  );
}

export async function regionExists(db: Db, code: string): Promise<boolean> {
  return (await first(db, sql`SELECT 1 FROM regions WHERE code = ${code}`)) !== undefined;
}

/** Copies failed, not yet re-issued lines of a roster into a re-issue roster, with the household's current account. */
export async function insertReissueLines(db: Db, fromRoster: number, toRoster: number): Promise<number> {
  const n = await affected(
    db,
    sql`INSERT INTO roster_lines (roster_id, line_no, kind, for_month, enrollment_id, household_id, person_id, payee_person_id,
          payee_name, payee_id_number, region_code, township_code, covered_persons, dibao_kind, rural_class, bank_name,
          bank_account, bank_account_holder, amount_fen, province_fen, city_fen, county_fen, legal_basis, reason,
          error_code, error_message)
        SELECT ${toRoster}, row_number() OVER (ORDER BY l.line_no)::int, 'reissue', l.for_month, l.enrollment_id, l.household_id,
               l.person_id, l.payee_person_id, l.payee_name, l.payee_id_number, l.region_code, l.township_code,
               l.covered_persons, l.dibao_kind, l.rural_class, h.bank_name, h.bank_account, h.bank_account_holder,
               l.amount_fen, l.province_fen, l.city_fen, l.county_fen, l.legal_basis,
               '重新发放：名册 ' || l.roster_id || ' 第 ' || l.line_no || ' 行，银行退回：' || coalesce(l.fail_reason, ''),
               CASE WHEN coalesce(btrim(h.bank_account), '') = '' THEN 'missing_bank_account'
                    WHEN btrim(h.bank_account) !~ '^[0-9]{8,30}$' THEN 'invalid_bank_account' END,
               CASE WHEN coalesce(btrim(h.bank_account), '') = '' THEN '缺少发放银行账号'
                    WHEN btrim(h.bank_account) !~ '^[0-9]{8,30}$' THEN '银行账号格式不正确（应为8–30位数字）' END
        FROM roster_lines l JOIN households h ON h.id = l.household_id
        WHERE l.roster_id = ${fromRoster} AND l.pay_status = 'failed' AND l.reissued_in IS NULL`,
  );
  await db.execute(sql`UPDATE roster_lines SET reissued_in = ${toRoster}
                       WHERE roster_id = ${fromRoster} AND pay_status = 'failed' AND reissued_in IS NULL`);
  return n;
}

export async function applyPayResults(
  db: Db,
  rosterId: number,
  results: { lineNo: number; status: 'paid' | 'failed'; reason: string | null }[],
) {
  if (results.length === 0) return;
  const payload = JSON.stringify(results.map((r) => ({ n: r.lineNo, s: r.status, r: r.reason })));
  await db.execute(sql`
    UPDATE roster_lines l SET pay_status = x.s, fail_reason = x.r
    FROM jsonb_to_recordset(${payload}::jsonb) AS x(n int, s text, r text)
    WHERE l.roster_id = ${rosterId} AND l.line_no = x.n`);
}

export async function markNotPaid(db: Db, rosterId: number) {
  await db.execute(sql`UPDATE roster_lines SET pay_status = 'not_paid'
                       WHERE roster_id = ${rosterId} AND (held OR amount_fen <= 0) AND pay_status = 'pending'`);
}

export async function pendingPayableCount(db: Db, rosterId: number): Promise<number> {
  const r = await first<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM roster_lines WHERE roster_id = ${rosterId} AND pay_status = 'pending' AND NOT held AND amount_fen > 0`,
  );
  return Number(r?.n ?? 0);
}

export async function insertBankReturn(
  db: Db,
  r: {
    rosterId: number;
    region: string;
    filename: string | null;
    applied: boolean;
    paid: number;
    failed: number;
    problems: unknown;
    reissue: number | null;
    by: number | null;
  },
): Promise<number> {
  const row = await first<{ id: number }>(
    db,
    sql`INSERT INTO bank_returns (roster_id, region_code, filename, applied, paid_count, failed_count, problems, reissue_roster_id, imported_by)
        VALUES (${r.rosterId}, ${r.region}, ${r.filename}, ${r.applied}, ${r.paid}, ${r.failed}, ${JSON.stringify(r.problems)}::jsonb,
                ${r.reissue}, ${r.by}) RETURNING id`,
  );
  return Number(row!.id);
}
