/** SQL of the policy module: parameter rows, counties of a region, and registry households as rule facts. */
import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface ParameterRecord {
  id: number;
  programme: 'dibao' | 'tekun' | 'disability';
  region_code: string;
  region_name: string | null;
  key: string;
  value: unknown;
  effective_from: string;
  effective_to: string | null;
  source_document: string;
  source_article: string;
  note: string | null;
  supersedes_id: number | null;
  created_by: string | null;
  created_at: string;
}

const SELECT = sql`SELECT p.id, p.programme, p.region_code, r.name AS region_name, p.key, p.value,
    to_char(p.effective_from, 'YYYY-MM-DD') AS effective_from, to_char(p.effective_to, 'YYYY-MM-DD') AS effective_to,
    p.source_document, p.source_article, p.note, p.supersedes_id, u.username AS created_by, p.created_at
  FROM policy_parameters p LEFT JOIN regions r ON r.code = p.region_code LEFT JOIN users u ON u.id = p.created_by`;

/**
 * Parameters visible in a scope: those of the scope's ancestors (they apply to it) and those inside it.
 * A county's parameters are not shown to another county.
 */
function visible(scope: Scope) {
  return sql`(${scope.regionCode} LIKE p.region_code || '%' OR ${inScope(sql`p.region_code`, scope)})`;
}

export interface ParameterFilter {
  programme?: string;
  key?: string;
  regionCode?: string;
  asOf?: string;
  after?: number;
  limit: number;
}

export function listParameters(db: Db, scope: Scope, f: ParameterFilter) {
  const conds = [visible(scope)];
  if (f.programme) conds.push(sql`p.programme = ${f.programme}`);
  if (f.key) conds.push(sql`p.key = ${f.key}`);
  // A region filter shows what applies there: its own rows and its ancestors'.
  if (f.regionCode)
    conds.push(sql`(${f.regionCode} LIKE p.region_code || '%' OR p.region_code LIKE ${`${f.regionCode}%`})`);
  if (f.asOf)
    conds.push(
      sql`p.effective_from <= ${f.asOf}::date AND (p.effective_to IS NULL OR p.effective_to > ${f.asOf}::date)`,
    );
  if (f.after !== undefined) conds.push(sql`p.id > ${f.after}`);
  return rows<ParameterRecord>(
    db,
    sql`${SELECT} WHERE ${sql.join(conds, sql` AND `)} ORDER BY p.id LIMIT ${f.limit + 1}`,
  );
}

export function findParameter(db: Db, scope: Scope, id: number) {
  return first<ParameterRecord>(db, sql`${SELECT} WHERE p.id = ${id} AND ${visible(scope)}`);
}

/** Every row that can apply to some county under `regionCode` (its ancestors and its descendants). */
export function parametersFor(db: Db, regionCode: string) {
  return rows<ParameterRecord>(
    db,
    sql`${SELECT} WHERE ${regionCode} LIKE p.region_code || '%' OR p.region_code LIKE ${`${regionCode}%`} ORDER BY p.id`,
  );
}

export function regionExists(db: Db, code: string) {
  return first<{ code: string; name: string }>(
    db,
    sql`SELECT code, name FROM regions WHERE code = ${code} AND retired_in IS NULL`,
  );
}

/** The open-ended row of the same key and scope that starts before `from` (the one a new row supersedes). */
export function findOpenPredecessor(db: Db, programme: string, regionCode: string, key: string, from: string) {
  return first<{ id: number }>(
    db,
    sql`SELECT id FROM policy_parameters WHERE programme = ${programme} AND region_code = ${regionCode} AND key = ${key}
          AND effective_to IS NULL AND effective_from < ${from}::date FOR UPDATE`,
  );
}

/** Closes an open period: the only change a parameter row ever receives (enforced by trigger). */
export async function closeParameter(db: Db, id: number, to: string) {
  await db.execute(
    sql`UPDATE policy_parameters SET effective_to = ${to}::date WHERE id = ${id} AND effective_to IS NULL`,
  );
}

export async function insertParameter(
  db: Db,
  p: {
    programme: string;
    regionCode: string;
    key: string;
    value: unknown;
    effectiveFrom: string;
    effectiveTo: string | null;
    sourceDocument: string;
    sourceArticle: string;
    note: string | null;
    supersedesId: number | null;
    createdBy: number | null;
  },
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO policy_parameters (programme, region_code, key, value, effective_from, effective_to, source_document, source_article, note, supersedes_id, created_by)
        VALUES (${p.programme}, ${p.regionCode}, ${p.key}, ${JSON.stringify(p.value)}::jsonb, ${p.effectiveFrom}::date, ${p.effectiveTo}::date,
                ${p.sourceDocument}, ${p.sourceArticle}, ${p.note}, ${p.supersedesId}, ${p.createdBy})
        RETURNING id`,
  );
  return Number(r!.id);
}

/** County-level regions under (or containing) `regionCode`, limited to the scope. */
export function countiesOf(db: Db, scope: Scope, regionCode: string) {
  return rows<{ code: string; name: string }>(
    db,
    sql`SELECT code, name FROM regions WHERE level = 3 AND retired_in IS NULL
          AND code LIKE ${`${regionCode.slice(0, 6)}%`} AND ${inScope(sql`code`, scope)} ORDER BY code`,
  );
}

// ── Registry households as rule facts (the same shape POST /v1/evaluate takes) ─────────────────────────
export interface RegistryFactsRows {
  households: Array<{ id: number; region_code: string; hukou_type: 'urban' | 'rural' }>;
  persons: Array<{
    id: number;
    household_id: number;
    birth_date: string;
    hukou_local: boolean;
    student_status: string | null;
    death_date: string | null;
    relation: string | null;
  }>;
  certs: Array<{
    person_id: number;
    generation: 1 | 2;
    disability_type: string;
    disability_level: number | null;
    needs_long_term_care: boolean;
    issued_on: string | null;
    expires_on: string | null;
  }>;
  income: Array<{
    household_id: number;
    person_id: number | null;
    kind: string;
    period: 'monthly' | 'annual';
    amount_fen: number;
  }>;
  property: Array<{ household_id: number; person_id: number | null; kind: string; value_fen: number }>;
  enrollments: Array<{
    id: number;
    household_id: number;
    person_id: number | null;
    programme: string;
    dibao_kind: 'urban' | 'rural' | null;
    rural_class: number | null;
    status: string;
  }>;
  benefits: Array<{ person_id: number; kind: string; monthly_amount_fen: number | null }>;
  supporters: Array<{
    person_id: number;
    name: string;
    relation: string;
    birth_date: string;
    is_tekun: boolean;
    is_dibao: boolean;
    annual_income_fen: number | null;
    property_fen: number | null;
    disability_type: string | null;
    disability_level: number | null;
    lacks_civil_capacity: boolean;
    declared_missing: boolean;
    imprisoned: boolean;
  }>;
}

/** Loads current registry rows of the given households (in scope) for the pure rules. */
export async function loadRegistryFacts(
  db: Db,
  scope: Scope,
  householdIds: number[],
  asOf: string,
): Promise<RegistryFactsRows> {
  const ids = sql`(SELECT unnest(${`{${householdIds.join(',')}}`}::bigint[]))`;
  const d = sql`${asOf}::date`;
  const households = await rows<RegistryFactsRows['households'][number]>(
    db,
    sql`SELECT id, region_code, hukou_type FROM households WHERE id IN ${ids} AND ${inScope(sql`region_code`, scope)}`,
  );
  const pids = sql`(SELECT id FROM persons WHERE household_id IN ${ids})`;
  return {
    households,
    persons: await rows(
      db,
      sql`SELECT id, household_id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, hukou_local, student_status, to_char(death_date, 'YYYY-MM-DD') AS death_date, relation FROM persons WHERE household_id IN ${ids} ORDER BY id`,
    ),
    certs: await rows(
      db,
      sql`SELECT person_id, generation, disability_type, disability_level, needs_long_term_care, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, to_char(expires_on, 'YYYY-MM-DD') AS expires_on FROM disability_certs WHERE person_id IN ${pids}`,
    ),
    income: await rows(
      db,
      sql`SELECT household_id, person_id, kind, period, amount_fen FROM income_items WHERE household_id IN ${ids} ORDER BY id`,
    ),
    property: await rows(
      db,
      sql`SELECT household_id, person_id, kind, value_fen FROM property_items WHERE household_id IN ${ids} ORDER BY id`,
    ),
    enrollments: await rows(
      db,
      sql`SELECT id, household_id, person_id, programme, dibao_kind, rural_class, status FROM programme_enrollments WHERE household_id IN ${ids} ORDER BY id`,
    ),
    benefits: await rows(
      db,
      sql`SELECT person_id, kind, monthly_amount_fen FROM person_benefit_facts WHERE person_id IN ${pids} AND valid_from <= ${d} AND (valid_to IS NULL OR valid_to > ${d}) ORDER BY id`,
    ),
    supporters: await rows(
      db,
      sql`SELECT person_id, name, relation, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, is_tekun, is_dibao, annual_income_fen, property_fen, disability_type, disability_level, lacks_civil_capacity, declared_missing, imprisoned FROM legal_supporters WHERE person_id IN ${pids} ORDER BY id`,
    ),
  };
}

/** Household ids of a region in scope (for sampling and the agreement test). */
export function householdIdsIn(db: Db, scope: Scope, regionCode: string, limit: number) {
  return rows<{ id: number }>(
    db,
    sql`SELECT id FROM households WHERE ${inScope(sql`region_code`, scope)} AND region_code LIKE ${`${regionCode}%`} ORDER BY id LIMIT ${limit}`,
  );
}

/** Inserts a seed parameter unless the key already has a row at that region (idempotent demo seeding). */
export async function insertSeedParameter(
  db: Db,
  p: {
    programme: string;
    regionCode: string;
    key: string;
    value: unknown;
    effectiveFrom: string;
    sourceDocument: string;
    sourceArticle: string;
    note: string | null;
  },
): Promise<boolean> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO policy_parameters (programme, region_code, key, value, effective_from, source_document, source_article, note)
        SELECT ${p.programme}, ${p.regionCode}, ${p.key}, ${JSON.stringify(p.value)}::jsonb, ${p.effectiveFrom}::date, ${p.sourceDocument}, ${p.sourceArticle}, ${p.note}
        WHERE EXISTS (SELECT 1 FROM regions WHERE code = ${p.regionCode})
          AND NOT EXISTS (SELECT 1 FROM policy_parameters WHERE programme = ${p.programme} AND region_code = ${p.regionCode} AND key = ${p.key})
        RETURNING id`,
  );
  return r !== undefined;
}

export async function parameterCount(db: Db): Promise<number> {
  const r = await first<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM policy_parameters`);
  return Number(r?.n ?? 0);
}
