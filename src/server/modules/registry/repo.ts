import { type SQL, sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { PersonFacts } from './rules.js';

/** SQL of households, persons and memberships. Every read of people's data is limited to the Scope in SQL. */

export interface HouseholdRow {
  id: number;
  household_no: string | null;
  region_code: string;
  address: string;
  hukou_type: 'urban' | 'rural';
  head_person_id: number | null;
  formed_on: string | null;
  status: 'active' | 'dissolved';
  housing_structure: string | null;
  housing_rating: 'A' | 'B' | 'C' | 'D' | null;
  housing_appraised_on: string | null;
  housing_appraisal_body: string | null;
  bank_name: string | null;
  bank_account: string | null;
  bank_account_holder: string | null;
  version: number;
  valid_from: string;
  changed_by: number | null;
  change_reason: string | null;
}

export interface PersonRow {
  id: number;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  ethnicity: string | null;
  phone: string | null;
  hukou_region_code: string | null;
  hukou_local: boolean;
  education: string | null;
  student_status: string | null;
  health: string | null;
  grave_illness: boolean;
  labour_capacity: string | null;
  death_date: string | null;
  household_id: number | null;
  relation: string | null;
  region_code: string;
  version: number;
}

/** A stay of a person in a household (household_memberships), with the person's name. */
export interface MembershipRow {
  id: number;
  person_id: number;
  person_name: string;
  household_id: number;
  relation: string;
  joined_on: string;
  left_on: string | null;
  leave_reason: string | null;
}

export const HOUSEHOLD_COLS =
  sql.raw(`id, household_no, region_code, address, hukou_type, head_person_id, formed_on, status,
  housing_structure, housing_rating, housing_appraised_on, housing_appraisal_body, bank_name, bank_account,
  bank_account_holder, version, valid_from, changed_by, change_reason`);

export const PERSON_COLS =
  sql.raw(`id, id_number, name, sex, birth_date, ethnicity, phone, hukou_region_code, hukou_local,
  education, student_status, health, grave_illness, labour_capacity, death_date, household_id, relation, region_code, version`);

export function findHousehold(db: Db, id: number, scope: Scope, forUpdate = false) {
  return first<HouseholdRow>(
    db,
    sql`SELECT ${HOUSEHOLD_COLS} FROM households WHERE id = ${id} AND ${inScope(sql`region_code`, scope)}
        ${forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
}

export function findPerson(db: Db, id: number, scope: Scope, forUpdate = false) {
  return first<PersonRow>(
    db,
    sql`SELECT ${PERSON_COLS} FROM persons WHERE id = ${id} AND ${inScope(sql`region_code`, scope)}
        ${forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
}

export function membersOf(db: Db, householdId: number, scope: Scope) {
  return rows<PersonRow>(
    db,
    sql`SELECT ${PERSON_COLS} FROM persons WHERE household_id = ${householdId} AND ${inScope(sql`region_code`, scope)}
        ORDER BY (relation = 'head') DESC, birth_date, id`,
  );
}

/** Existing persons with any of these ID numbers (system-wide: one record per number), with the scope flag. */
export function personsByIdNumbers(db: Db, idNumbers: string[], scope: Scope) {
  if (idNumbers.length === 0) return Promise.resolve([]);
  return rows<{ id: number; id_number: string; household_id: number | null; in_scope: boolean }>(
    db,
    sql`SELECT id, id_number, household_id, ${inScope(sql`region_code`, scope)} AS in_scope
        FROM persons WHERE id_number IN (${sql.join(
          idNumbers.map((n) => sql`${n}`),
          sql`, `,
        )})`,
  );
}

export function householdNoTaken(db: Db, householdNo: string, exceptId?: number) {
  return first(
    db,
    sql`SELECT 1 FROM households WHERE household_no = ${householdNo} ${exceptId ? sql`AND id <> ${exceptId}` : sql``}`,
  );
}

export function findVillage(db: Db, code: string) {
  return first<{ code: string; name: string; level: number; retired_in: string | null }>(
    db,
    sql`SELECT code, name, level, retired_in FROM regions WHERE code = ${code}`,
  );
}

/** Reserves `n` person ids (so the household can name its head in the same statement batch). */
export async function reservePersonIds(db: Db, n: number): Promise<number[]> {
  const r = await rows<{ id: number }>(
    db,
    sql`SELECT nextval(pg_get_serial_sequence('persons', 'id')) AS id FROM generate_series(1, ${n})`,
  );
  return r.map((x) => Number(x.id));
}

export interface NewHousehold {
  householdNo: string | null;
  regionCode: string;
  address: string;
  hukouType: string;
  headPersonId: number;
  formedOn: string | null;
  housing: {
    structure: string | null;
    rating: string | null;
    appraisedOn: string | null;
    appraisalBody: string | null;
  };
}

export async function insertHousehold(
  db: Db,
  h: NewHousehold,
  actorId: number | null,
  reason: string,
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO households (household_no, region_code, address, hukou_type, head_person_id, formed_on,
          housing_structure, housing_rating, housing_appraised_on, housing_appraisal_body, changed_by, change_reason)
        VALUES (${h.householdNo}, ${h.regionCode}, ${h.address}, ${h.hukouType}, ${h.headPersonId}, ${h.formedOn},
          ${h.housing.structure}, ${h.housing.rating}, ${h.housing.appraisedOn}, ${h.housing.appraisalBody},
          ${actorId}, ${reason})
        RETURNING id`,
  );
  return Number(r!.id);
}

export interface NewPerson extends PersonFacts {
  id: number;
  relation: string;
}

/** Inserts persons and opens their memberships, set-based (one statement each through jsonb_to_recordset). */
export async function insertMembers(
  db: Db,
  householdId: number,
  regionCode: string,
  people: NewPerson[],
  joinedOn: string,
  actorId: number | null,
  reason: string,
) {
  const json = JSON.stringify(people);
  await db.execute(sql`
    INSERT INTO persons (id, id_number, name, sex, birth_date, ethnicity, phone, hukou_region_code, hukou_local, education,
      student_status, health, grave_illness, labour_capacity, death_date, household_id, relation, region_code,
      changed_by, change_reason)
    SELECT x.id, x."idNumber", x.name, x.sex, x."birthDate"::date, x.ethnicity, x.phone, x."hukouRegionCode", x."hukouLocal",
      x.education, x."studentStatus", x.health, x."graveIllness", x."labourCapacity", x."deathDate"::date,
      ${householdId}, x.relation, ${regionCode}, ${actorId}, ${reason}
    FROM jsonb_to_recordset(${json}::jsonb) AS x(id bigint, "idNumber" text, name text, sex text, "birthDate" text,
      ethnicity text, phone text, "hukouRegionCode" text, "hukouLocal" boolean, education text, "studentStatus" text,
      health text, "graveIllness" boolean, "labourCapacity" text, "deathDate" text, relation text)`);
  await db.execute(sql`
    INSERT INTO household_memberships (person_id, household_id, relation, region_code, joined_on, created_by)
    SELECT x.id, ${householdId}, x.relation, ${regionCode}, ${joinedOn}::date, ${actorId}
    FROM jsonb_to_recordset(${json}::jsonb) AS x(id bigint, relation text)`);
}

/** Versioned update of a table's row: applies `set` only at the expected version. Returns the new row or undefined. */
function versionedUpdate<Row>(table: 'households' | 'persons', cols: SQL) {
  return (db: Db, id: number, version: number, set: SQL, actorId: number | null, reason: string) =>
    first<Row>(
      db,
      sql`UPDATE ${sql.raw(table)} SET ${set}, version = version + 1, changed_by = ${actorId}, change_reason = ${reason}
        WHERE id = ${id} AND version = ${version} RETURNING ${cols}`,
    );
}

export const updateHouseholdVersioned = versionedUpdate<HouseholdRow>('households', HOUSEHOLD_COLS);
export const updatePersonVersioned = versionedUpdate<PersonRow>('persons', PERSON_COLS);

/**
 * A household moved to another village: its members, their certificates, its income and property items, open
 * memberships and programme enrolments follow, set-based (persons.region_code always equals the household's).
 */
export async function moveHouseholdRegion(
  db: Db,
  householdId: number,
  regionCode: string,
  actorId: number | null,
  reason: string,
) {
  await db.execute(sql`UPDATE persons SET region_code = ${regionCode}, version = version + 1, changed_by = ${actorId},
      change_reason = ${reason} WHERE household_id = ${householdId} AND region_code <> ${regionCode}`);
  await db.execute(sql`UPDATE disability_certs c SET region_code = ${regionCode}, version = c.version + 1,
      changed_by = ${actorId}, change_reason = ${reason}
    FROM persons p WHERE p.id = c.person_id AND p.household_id = ${householdId} AND c.region_code <> ${regionCode}`);
  for (const t of ['income_items', 'property_items', 'programme_enrollments']) {
    await db.execute(sql`UPDATE ${sql.raw(t)} SET region_code = ${regionCode}, version = version + 1, changed_by = ${actorId},
        change_reason = ${reason} WHERE household_id = ${householdId} AND region_code <> ${regionCode}`);
  }
  await db.execute(sql`UPDATE household_memberships SET region_code = ${regionCode}
    WHERE household_id = ${householdId} AND left_on IS NULL`);
}

/** A change of a household's members is a change of the household: its version moves on, stamped with who and why. */
export async function touchHousehold(db: Db, id: number, actorId: number | null, reason: string) {
  await db.execute(sql`UPDATE households SET version = version + 1, changed_by = ${actorId}, change_reason = ${reason}
    WHERE id = ${id}`);
}

/** Sets a person's relation to the head (a change of head: the new head and the former one). */
export async function setPersonRelation(
  db: Db,
  personId: number,
  relation: string,
  actorId: number | null,
  reason: string,
) {
  await db.execute(sql`UPDATE persons SET relation = ${relation}, version = version + 1, changed_by = ${actorId},
    change_reason = ${reason} WHERE id = ${personId}`);
}

/** Closes a person's open membership (a move or a removal is recorded, never overwritten). */
export async function closeMembership(db: Db, personId: number, leftOn: string, reason: string) {
  await db.execute(sql`UPDATE household_memberships SET left_on = ${leftOn}, leave_reason = ${reason}
    WHERE person_id = ${personId} AND left_on IS NULL`);
}

export async function openMembership(
  db: Db,
  m: { personId: number; householdId: number; relation: string; regionCode: string; joinedOn: string },
  actorId: number | null,
) {
  await db.execute(sql`INSERT INTO household_memberships (person_id, household_id, relation, region_code, joined_on, created_by)
    VALUES (${m.personId}, ${m.householdId}, ${m.relation}, ${m.regionCode}, ${m.joinedOn}, ${actorId})`);
}

/**
 * A person's own records follow them to another household (certificate region, personal income/property items).
 */
export async function movePersonRecords(
  db: Db,
  personId: number,
  householdId: number,
  regionCode: string,
  actorId: number | null,
  reason: string,
) {
  await db.execute(sql`UPDATE disability_certs SET region_code = ${regionCode}, version = version + 1, changed_by = ${actorId},
      change_reason = ${reason} WHERE person_id = ${personId} AND region_code <> ${regionCode}`);
  for (const t of ['income_items', 'property_items']) {
    await db.execute(sql`UPDATE ${sql.raw(t)} SET household_id = ${householdId}, region_code = ${regionCode},
        version = version + 1, changed_by = ${actorId}, change_reason = ${reason}
      WHERE person_id = ${personId} AND household_id <> ${householdId}`);
  }
}

/** Dissolving: every open membership closes, the members are left without a household. */
export async function dissolveMembers(
  db: Db,
  householdId: number,
  leftOn: string,
  actorId: number | null,
  reason: string,
) {
  await db.execute(sql`UPDATE household_memberships SET left_on = ${leftOn}, leave_reason = ${reason}
    WHERE household_id = ${householdId} AND left_on IS NULL`);
  await db.execute(sql`UPDATE persons SET household_id = NULL, relation = NULL, version = version + 1,
      changed_by = ${actorId}, change_reason = ${reason} WHERE household_id = ${householdId}`);
}

export function membershipsOf(db: Db, householdId: number) {
  return rows<MembershipRow>(
    db,
    sql`SELECT m.id, m.person_id, p.name AS person_name, m.household_id, m.relation, m.joined_on, m.left_on, m.leave_reason
        FROM household_memberships m JOIN persons p ON p.id = m.person_id
        WHERE m.household_id = ${householdId} ORDER BY m.joined_on, m.id`,
  );
}

export function regionPathOf(db: Db, code: string) {
  const codes = [6, 9, 12].filter((n) => n <= code.length).map((n) => code.slice(0, n));
  return rows<{ name: string }>(
    db,
    sql`SELECT name FROM regions WHERE code IN (${sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    )}) ORDER BY length(code)`,
  ).then((r) => r.map((x) => x.name).join(' / '));
}

export function userNames(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve(new Map<number, string>());
  return rows<{ id: number; display_name: string }>(
    db,
    sql`SELECT id, display_name FROM users WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  ).then((r) => new Map(r.map((x) => [Number(x.id), x.display_name])));
}
