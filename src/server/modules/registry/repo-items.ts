import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

/** SQL of disability certificates, income and property items and programme enrolments (read-only here). */

export interface CertRow {
  id: number;
  person_id: number;
  region_code: string;
  cert_no: string;
  generation: number;
  disability_type: string;
  disability_level: number | null;
  issued_on: string | null;
  expires_on: string | null;
  needs_long_term_care: boolean;
  care_since: string | null;
  version: number;
}

export interface IncomeRow {
  id: number;
  household_id: number;
  person_id: number | null;
  region_code: string;
  kind: string;
  period: string;
  amount_fen: number;
  verified: boolean;
  source: string | null;
  version: number;
}

export interface PropertyRow {
  id: number;
  household_id: number;
  person_id: number | null;
  region_code: string;
  kind: string;
  description: string | null;
  vehicle_type: string | null;
  area_sqm: string | null;
  value_fen: number;
  source: string | null;
  version: number;
}

export interface EnrollmentRow {
  id: number;
  person_id: number | null;
  programme: string;
  status: string;
  dibao_kind: string | null;
  rural_class: number | null;
  start_month: string;
  end_month: string | null;
  monthly_amount_fen: number | null;
}

export const CERT_COLS =
  sql.raw(`id, person_id, region_code, cert_no, generation, disability_type, disability_level, issued_on,
  expires_on, needs_long_term_care, care_since, version`);
export const INCOME_COLS = sql.raw(
  'id, household_id, person_id, region_code, kind, period, amount_fen, verified, source, version',
);
export const PROPERTY_COLS = sql.raw(
  'id, household_id, person_id, region_code, kind, description, vehicle_type, area_sqm, value_fen, source, version',
);

export function certsOfPersons(db: Db, personIds: number[], scope: Scope) {
  if (personIds.length === 0) return Promise.resolve([] as CertRow[]);
  return rows<CertRow>(
    db,
    sql`SELECT ${CERT_COLS} FROM disability_certs
        WHERE person_id IN (${sql.join(
          personIds.map((i) => sql`${i}`),
          sql`, `,
        )}) AND ${inScope(sql`region_code`, scope)}`,
  );
}

export function certOfPerson(db: Db, personId: number) {
  return first<CertRow>(db, sql`SELECT ${CERT_COLS} FROM disability_certs WHERE person_id = ${personId}`);
}

export interface CertValues {
  certNo: string;
  generation: number;
  type: string;
  level: number | null;
  issuedOn: string | null;
  expiresOn: string | null;
  needsLongTermCare: boolean;
  careSince: string | null;
}

export function insertCert(
  db: Db,
  personId: number,
  regionCode: string,
  c: CertValues,
  actorId: number | null,
  reason: string,
) {
  return first<CertRow>(
    db,
    sql`INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level, issued_on,
          expires_on, needs_long_term_care, care_since, changed_by, change_reason)
        VALUES (${personId}, ${regionCode}, ${c.certNo}, ${c.generation}, ${c.type}, ${c.level}, ${c.issuedOn}, ${c.expiresOn},
          ${c.needsLongTermCare}, ${c.careSince}, ${actorId}, ${reason})
        RETURNING ${CERT_COLS}`,
  );
}

export function updateCert(db: Db, id: number, version: number, c: CertValues, actorId: number | null, reason: string) {
  return first<CertRow>(
    db,
    sql`UPDATE disability_certs SET cert_no = ${c.certNo}, generation = ${c.generation}, disability_type = ${c.type},
          disability_level = ${c.level}, issued_on = ${c.issuedOn}, expires_on = ${c.expiresOn},
          needs_long_term_care = ${c.needsLongTermCare}, care_since = ${c.careSince},
          version = version + 1, changed_by = ${actorId}, change_reason = ${reason}
        WHERE id = ${id} AND version = ${version} RETURNING ${CERT_COLS}`,
  );
}

/**
 * Deletes a row of a history-kept table, stamping who and why first so the trigger-kept history names them.
 * `table` is one of the registry's own table names (never user input).
 */
export async function deleteStamped(
  db: Db,
  table: 'disability_certs' | 'income_items' | 'property_items',
  id: number,
  version: number,
  actorId: number | null,
  reason: string,
) {
  const t = sql.raw(table);
  const stamped = await first(
    db,
    sql`UPDATE ${t} SET changed_by = ${actorId}, change_reason = ${reason} WHERE id = ${id} AND version = ${version} RETURNING id`,
  );
  if (!stamped) return false;
  await db.execute(sql`DELETE FROM ${t} WHERE id = ${id}`);
  return true;
}

export function incomeOf(db: Db, householdId: number, scope: Scope) {
  return rows<IncomeRow>(
    db,
    sql`SELECT ${INCOME_COLS} FROM income_items WHERE household_id = ${householdId} AND ${inScope(sql`region_code`, scope)} ORDER BY id`,
  );
}

export function propertyOf(db: Db, householdId: number, scope: Scope) {
  return rows<PropertyRow>(
    db,
    sql`SELECT ${PROPERTY_COLS} FROM property_items WHERE household_id = ${householdId} AND ${inScope(sql`region_code`, scope)} ORDER BY id`,
  );
}

export function enrollmentsOf(db: Db, householdId: number, scope: Scope) {
  return rows<EnrollmentRow>(
    db,
    sql`SELECT id, person_id, programme, status, dibao_kind, rural_class, start_month, end_month, monthly_amount_fen
        FROM programme_enrollments WHERE household_id = ${householdId} AND ${inScope(sql`region_code`, scope)}
        ORDER BY start_month DESC, id`,
  );
}

export function findIncome(db: Db, id: number, scope: Scope) {
  return first<IncomeRow>(
    db,
    sql`SELECT ${INCOME_COLS} FROM income_items WHERE id = ${id} AND ${inScope(sql`region_code`, scope)}`,
  );
}

export function findProperty(db: Db, id: number, scope: Scope) {
  return first<PropertyRow>(
    db,
    sql`SELECT ${PROPERTY_COLS} FROM property_items WHERE id = ${id} AND ${inScope(sql`region_code`, scope)}`,
  );
}

export interface IncomeValues {
  personId: number | null;
  kind: string;
  period: string;
  amountFen: number;
  verified: boolean;
  source: string | null;
}

export function insertIncome(
  db: Db,
  householdId: number,
  regionCode: string,
  v: IncomeValues,
  actorId: number | null,
  reason: string,
) {
  return first<IncomeRow>(
    db,
    sql`INSERT INTO income_items (household_id, person_id, region_code, kind, period, amount_fen, verified, source, changed_by, change_reason)
        VALUES (${householdId}, ${v.personId}, ${regionCode}, ${v.kind}, ${v.period}, ${v.amountFen}, ${v.verified}, ${v.source},
          ${actorId}, ${reason})
        RETURNING ${INCOME_COLS}`,
  );
}

export function updateIncome(
  db: Db,
  id: number,
  version: number,
  v: IncomeValues,
  actorId: number | null,
  reason: string,
) {
  return first<IncomeRow>(
    db,
    sql`UPDATE income_items SET person_id = ${v.personId}, kind = ${v.kind}, period = ${v.period}, amount_fen = ${v.amountFen},
          verified = ${v.verified}, source = ${v.source}, version = version + 1, changed_by = ${actorId}, change_reason = ${reason}
        WHERE id = ${id} AND version = ${version} RETURNING ${INCOME_COLS}`,
  );
}

export interface PropertyValues {
  personId: number | null;
  kind: string;
  description: string | null;
  vehicleType: string | null;
  areaSqm: number | null;
  valueFen: number;
  source: string | null;
}

export function insertProperty(
  db: Db,
  householdId: number,
  regionCode: string,
  v: PropertyValues,
  actorId: number | null,
  reason: string,
) {
  return first<PropertyRow>(
    db,
    sql`INSERT INTO property_items (household_id, person_id, region_code, kind, description, vehicle_type, area_sqm, value_fen,
          source, changed_by, change_reason)
        VALUES (${householdId}, ${v.personId}, ${regionCode}, ${v.kind}, ${v.description}, ${v.vehicleType}, ${v.areaSqm},
          ${v.valueFen}, ${v.source}, ${actorId}, ${reason})
        RETURNING ${PROPERTY_COLS}`,
  );
}

export function updateProperty(
  db: Db,
  id: number,
  version: number,
  v: PropertyValues,
  actorId: number | null,
  reason: string,
) {
  return first<PropertyRow>(
    db,
    sql`UPDATE property_items SET person_id = ${v.personId}, kind = ${v.kind}, description = ${v.description},
          vehicle_type = ${v.vehicleType}, area_sqm = ${v.areaSqm}, value_fen = ${v.valueFen}, source = ${v.source},
          version = version + 1, changed_by = ${actorId}, change_reason = ${reason}
        WHERE id = ${id} AND version = ${version} RETURNING ${PROPERTY_COLS}`,
  );
}
