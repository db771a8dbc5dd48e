import { type SQL, sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';
import { HOUSEHOLD_COLS, type HouseholdRow, type MembershipRow, PERSON_COLS, type PersonRow } from './repo.js';
import {
  CERT_COLS,
  type CertRow,
  type EnrollmentRow,
  INCOME_COLS,
  type IncomeRow,
  PROPERTY_COLS,
  type PropertyRow,
} from './repo-items.js';

/**
 * "As of T" reads (0002_registry.sql): a current row is valid from valid_from, a history row from valid_from to
 * valid_to; the state at instant T is current rows with valid_from < T ∪ history rows with valid_from < T <= valid_to.
 */
function asOf(table: string, cols: SQL, at: string): SQL {
  const t = sql.raw(table);
  const h = sql.raw(`${table}_history`);
  return sql`(SELECT ${cols} FROM ${t} WHERE valid_from < ${at}::timestamptz
      UNION ALL SELECT ${cols} FROM ${h} WHERE valid_from < ${at}::timestamptz AND valid_to >= ${at}::timestamptz)`;
}

export function householdAsOf(db: Db, id: number, scope: Scope, at: string) {
  return first<HouseholdRow>(
    db,
    sql`SELECT * FROM ${asOf('households', HOUSEHOLD_COLS, at)} h WHERE h.id = ${id} AND ${inScope(sql`h.region_code`, scope)}`,
  );
}

export function membersAsOf(db: Db, householdId: number, scope: Scope, at: string) {
  return rows<PersonRow>(
    db,
    sql`SELECT * FROM ${asOf('persons', PERSON_COLS, at)} p
        WHERE p.household_id = ${householdId} AND ${inScope(sql`p.region_code`, scope)}
        ORDER BY (p.relation = 'head') DESC, p.birth_date, p.id`,
  );
}

export function certsAsOf(db: Db, personIds: number[], at: string) {
  if (personIds.length === 0) return Promise.resolve([] as CertRow[]);
  return rows<CertRow>(
    db,
    sql`SELECT * FROM ${asOf('disability_certs', CERT_COLS, at)} c WHERE c.person_id IN (${sql.join(
      personIds.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
}

export function incomeAsOf(db: Db, householdId: number, at: string) {
  return rows<IncomeRow>(
    db,
    sql`SELECT * FROM ${asOf('income_items', INCOME_COLS, at)} i WHERE i.household_id = ${householdId} ORDER BY i.id`,
  );
}

export function propertyAsOf(db: Db, householdId: number, at: string) {
  return rows<PropertyRow>(
    db,
    sql`SELECT * FROM ${asOf('property_items', PROPERTY_COLS, at)} i WHERE i.household_id = ${householdId} ORDER BY i.id`,
  );
}

export function enrollmentsAsOf(db: Db, householdId: number, at: string) {
  const cols = sql.raw(
    'id, household_id, person_id, programme, status, dibao_kind, rural_class, start_month, end_month, monthly_amount_fen',
  );
  return rows<EnrollmentRow>(
    db,
    sql`SELECT * FROM ${asOf('programme_enrollments', cols, at)} e WHERE e.household_id = ${householdId} ORDER BY e.start_month DESC, e.id`,
  );
}

/** Memberships as of a CST date: stays begun on or before it and not ended by it. */
export function membershipsAsOf(db: Db, householdId: number, date: string) {
  return rows<MembershipRow>(
    db,
    sql`SELECT m.id, m.person_id, p.name AS person_name, m.household_id, m.relation, m.joined_on,
               CASE WHEN m.left_on <= ${date}::date THEN m.left_on END AS left_on,
               CASE WHEN m.left_on <= ${date}::date THEN m.leave_reason END AS leave_reason
        FROM household_memberships m JOIN persons p ON p.id = m.person_id
        WHERE m.household_id = ${householdId} AND m.joined_on <= ${date}::date ORDER BY m.joined_on, m.id`,
  );
}

export interface VersionRow {
  entity: 'household' | 'person' | 'disability_cert' | 'income_item' | 'property_item';
  id: number;
  valid_from: string;
  valid_to: string | null;
  changed_by: number | null;
  change_reason: string | null;
  seq: number | null;
  data: Record<string, unknown>;
}

/**
 * Every version (history and current) of a household and of the records that ever belonged to it, limited to versions
 * inside the caller's area (a member who moved to another county brings no data of theirs from there).
 */
export function versionsOfHousehold(db: Db, householdId: number, scope: Scope) {
  const personIds = sql`(SELECT id FROM persons WHERE household_id = ${householdId}
      UNION SELECT id FROM persons_history WHERE household_id = ${householdId})`;
  const part = (entity: string, table: string, where: SQL) => {
    const t = sql.raw(table);
    const h = sql.raw(`${table}_history`);
    const w = sql`${where} AND ${inScope(sql`t.region_code`, scope)}`;
    return sql`SELECT ${entity}::text AS entity, id, valid_from, NULL::timestamptz AS valid_to, changed_by, change_reason,
                      NULL::bigint AS seq, to_jsonb(t) AS data FROM ${t} t WHERE ${w}
               UNION ALL
               SELECT ${entity}, id, valid_from, valid_to, changed_by, change_reason, hist_seq, to_jsonb(t) - 'hist_seq' - 'valid_to'
               FROM ${h} t WHERE ${w}`;
  };
  return rows<VersionRow>(
    db,
    sql`${part('household', 'households', sql`t.id = ${householdId}`)}
        UNION ALL ${part('person', 'persons', sql`t.id IN ${personIds}`)}
        UNION ALL ${part('disability_cert', 'disability_certs', sql`t.person_id IN ${personIds}`)}
        UNION ALL ${part('income_item', 'income_items', sql`t.household_id = ${householdId}`)}
        UNION ALL ${part('property_item', 'property_items', sql`t.household_id = ${householdId}`)}`,
  );
}
