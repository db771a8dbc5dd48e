import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

/** Search, liaison lists and figures. Every statement is limited to the caller's scope in SQL; keyset by id. */

export interface PersonFilter {
  idNumber?: string;
  name?: string;
  regionCode?: string;
  householdId?: number;
  disabilityType?: string;
  disabilityLevel?: number;
  hasDisability?: boolean;
  programme?: string;
  programmeStatus?: string;
  /** birth_date <= bornOnOrBefore (age at least n) */
  bornOnOrBefore?: string;
  /** birth_date > bornAfter (age at most n) */
  bornAfter?: string;
  housingRating?: string;
  hukouType?: string;
  sex?: string;
  includeDissolved?: boolean;
}

export interface PersonSearchRow {
  id: number;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  relation: string | null;
  household_id: number | null;
  household_no: string | null;
  region_code: string;
  region_name: string | null;
  address: string | null;
  hukou_type: 'urban' | 'rural' | null;
  housing_rating: 'A' | 'B' | 'C' | 'D' | null;
  disability_type: string | null;
  disability_level: number | null;
  programmes: string[] | null;
}

/** Active enrolments of a person: their own, or their household's household-level ones (低保). */
const enrolled = (programme: SQL | null, status: string) => sql`EXISTS (SELECT 1 FROM programme_enrollments e
  WHERE e.household_id = p.household_id AND (e.person_id IS NULL OR e.person_id = p.id)
    AND e.status = ${status} ${programme ? sql`AND e.programme = ${programme}` : sql``})`;

function personConditions(scope: Scope, f: PersonFilter): SQL[] {
  const c: SQL[] = [inScope(sql`p.region_code`, scope)];
  if (f.idNumber) c.push(sql`p.id_number = ${f.idNumber}`);
  else if (!f.includeDissolved && f.householdId === undefined) c.push(sql`h.status = 'active'`);
  if (f.name) c.push(sql`p.name LIKE ${`${f.name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (f.regionCode) c.push(sql`p.region_code LIKE ${`${f.regionCode}%`}`);
  if (f.householdId !== undefined) c.push(sql`p.household_id = ${f.householdId}`);
  if (f.disabilityType) c.push(sql`c.disability_type = ${f.disabilityType}`);
  if (f.disabilityLevel !== undefined) c.push(sql`c.disability_level = ${f.disabilityLevel}`);
  if (f.hasDisability === true) c.push(sql`c.id IS NOT NULL`);
  if (f.hasDisability === false) c.push(sql`c.id IS NULL`);
  if (f.programme) c.push(enrolled(sql`${f.programme}`, f.programmeStatus ?? 'active'));
  else if (f.programmeStatus) c.push(enrolled(null, f.programmeStatus));
  if (f.bornOnOrBefore) c.push(sql`p.birth_date <= ${f.bornOnOrBefore}::date`);
  if (f.bornAfter) c.push(sql`p.birth_date > ${f.bornAfter}::date`);
  if (f.housingRating) c.push(sql`h.housing_rating = ${f.housingRating}`);
  if (f.hukouType) c.push(sql`h.hukou_type = ${f.hukouType}`);
  if (f.sex) c.push(sql`p.sex = ${f.sex}`);
  return c;
}

/**
 * Keyset after the last row: by id, or by (name, id) for a name-prefix search so that the (county_code, name, id)
 * index serves it; a county (or narrower) area also pins county_code for that index.
 */
export function searchPersons(
  db: Db,
  scope: Scope,
  f: PersonFilter,
  after: { id: number; name?: string } | null,
  limit: number,
  byName = Boolean(f.name) && !f.idNumber,
) {
  const c = personConditions(scope, f);
  const area = (f.regionCode ?? '').length > scope.regionCode.length ? f.regionCode! : scope.regionCode;
  if (area.length >= 6) c.push(sql`p.county_code = ${area.slice(0, 6)}`);
  if (after !== null)
    c.push(byName ? sql`(p.name, p.id) > (${after.name ?? ''}, ${after.id})` : sql`p.id > ${after.id}`);
  return rows<PersonSearchRow>(
    db,
    sql`SELECT p.id, p.id_number, p.name, p.sex, p.birth_date, p.relation, p.household_id, h.household_no, p.region_code,
               r.name AS region_name, h.address, h.hukou_type, h.housing_rating, c.disability_type, c.disability_level,
               (SELECT array_agg(DISTINCT e.programme ORDER BY e.programme) FROM programme_enrollments e
                 WHERE e.household_id = p.household_id AND (e.person_id IS NULL OR e.person_id = p.id) AND e.status = 'active') AS programmes
        FROM persons p
        LEFT JOIN households h ON h.id = p.household_id
        LEFT JOIN disability_certs c ON c.person_id = p.id
        LEFT JOIN regions r ON r.code = p.region_code
        WHERE ${sql.join(c, sql` AND `)}
        ORDER BY ${byName ? sql`p.name, p.id` : sql`p.id`} LIMIT ${limit}`,
  );
}

export function countPersons(db: Db, scope: Scope, f: PersonFilter) {
  return rows<{ n: number }>(
    db,
    sql`SELECT count(*)::bigint AS n FROM persons p LEFT JOIN households h ON h.id = p.household_id
        LEFT JOIN disability_certs c ON c.person_id = p.id WHERE ${sql.join(personConditions(scope, f), sql` AND `)}`,
  ).then((r) => Number(r[0]?.n ?? 0));
}

export interface HouseholdFilter {
  regionCode?: string;
  headName?: string;
  householdNo?: string;
  hukouType?: string;
  housingRating?: string;
  programme?: string;
  status?: string;
}

export function searchHouseholds(db: Db, scope: Scope, f: HouseholdFilter, after: number | null, limit: number) {
  const c: SQL[] = [inScope(sql`h.region_code`, scope)];
  if (f.regionCode) c.push(sql`h.region_code LIKE ${`${f.regionCode}%`}`);
  if (f.headName) c.push(sql`hp.name LIKE ${`${f.headName.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (f.householdNo) c.push(sql`h.household_no = ${f.householdNo}`);
  if (f.hukouType) c.push(sql`h.hukou_type = ${f.hukouType}`);
  if (f.housingRating) c.push(sql`h.housing_rating = ${f.housingRating}`);
  c.push(sql`h.status = ${f.status ?? 'active'}`);
  if (f.programme) {
    c.push(
      sql`EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = h.id AND e.programme = ${f.programme} AND e.status = 'active')`,
    );
  }
  if (after !== null) c.push(sql`h.id > ${after}`);
  return rows<{
    id: number;
    household_no: string | null;
    region_code: string;
    region_name: string | null;
    address: string;
    hukou_type: 'urban' | 'rural';
    head_name: string | null;
    head_id_number: string | null;
    member_count: number;
    housing_rating: 'A' | 'B' | 'C' | 'D' | null;
    status: 'active' | 'dissolved';
    programmes: string[] | null;
    version: number;
  }>(
    db,
    sql`SELECT h.id, h.household_no, h.region_code, r.name AS region_name, h.address, h.hukou_type, hp.name AS head_name,
               hp.id_number AS head_id_number,
               (SELECT count(*) FROM persons m WHERE m.household_id = h.id)::int AS member_count,
               h.housing_rating, h.status, h.version,
               (SELECT array_agg(DISTINCT e.programme ORDER BY e.programme) FROM programme_enrollments e
                 WHERE e.household_id = h.id AND e.status = 'active') AS programmes
        FROM households h
        LEFT JOIN persons hp ON hp.id = h.head_person_id
        LEFT JOIN regions r ON r.code = h.region_code
        WHERE ${sql.join(c, sql` AND `)}
        ORDER BY h.id LIMIT ${limit}`,
  );
}

const regionFilter = (col: SQL, regionCode: string | undefined) =>
  regionCode ? sql`AND ${col} LIKE ${`${regionCode}%`}` : sql``;

/** 住建 liaison: C/D-rated (dangerous, 危房) active households, with the dibao class when the household receives dibao. */
export function dangerousHousing(
  db: Db,
  scope: Scope,
  regionCode: string | undefined,
  after: number | null,
  limit: number,
) {
  return rows<{
    id: number;
    region_code: string;
    village_name: string | null;
    address: string;
    head_name: string | null;
    housing_rating: 'C' | 'D';
    housing_appraised_on: string | null;
    housing_appraisal_body: string | null;
    dibao_kind: 'urban' | 'rural' | null;
    rural_class: number | null;
  }>(
    db,
    sql`SELECT h.id, h.region_code, r.name AS village_name, h.address, hp.name AS head_name, h.housing_rating,
               h.housing_appraised_on, h.housing_appraisal_body, d.dibao_kind, d.rural_class
        FROM households h
        LEFT JOIN persons hp ON hp.id = h.head_person_id
        LEFT JOIN regions r ON r.code = h.region_code
        LEFT JOIN LATERAL (SELECT e.dibao_kind, e.rural_class FROM programme_enrollments e
                           WHERE e.household_id = h.id AND e.programme = 'dibao' AND e.status = 'active'
                           ORDER BY e.id DESC LIMIT 1) d ON true
        WHERE ${inScope(sql`h.region_code`, scope)} ${regionFilter(sql`h.region_code`, regionCode)}
          AND h.housing_rating IN ('C', 'D') AND h.status = 'active' ${after !== null ? sql`AND h.id > ${after}` : sql``}
        ORDER BY h.id LIMIT ${limit}`,
  );
}

/** A person on a liaison list: who and where; each list adds its own columns. */
export interface LiaisonPersonRow {
  id: number;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  region_code: string;
  village_name: string | null;
}

const LIAISON_PERSON_COLS = sql.raw(
  'p.id, p.id_number, p.name, p.sex, p.birth_date, p.region_code, r.name AS village_name',
);

/** 残联 liaison: persons holding a disability certificate. */
export function disabledPersons(
  db: Db,
  scope: Scope,
  regionCode: string | undefined,
  after: number | null,
  limit: number,
) {
  return rows<
    LiaisonPersonRow & {
      cert_no: string;
      generation: number;
      disability_type: string;
      disability_level: number | null;
      needs_long_term_care: boolean;
      hukou_local: boolean;
    }
  >(
    db,
    sql`SELECT ${LIAISON_PERSON_COLS}, c.cert_no, c.generation,
               c.disability_type, c.disability_level, c.needs_long_term_care, p.hukou_local
        FROM disability_certs c JOIN persons p ON p.id = c.person_id
        LEFT JOIN regions r ON r.code = p.region_code
        WHERE ${inScope(sql`p.region_code`, scope)} ${regionFilter(sql`p.region_code`, regionCode)}
          AND p.death_date IS NULL ${after !== null ? sql`AND p.id > ${after}` : sql``}
        ORDER BY p.id LIMIT ${limit}`,
  );
}

/** 医保 liaison: members of active dibao households and 特困 persons (medical assistance targets, POLICY.md §5). */
export function assistanceMembers(
  db: Db,
  scope: Scope,
  regionCode: string | undefined,
  after: number | null,
  limit: number,
) {
  return rows<LiaisonPersonRow & { household_id: number; programmes: string[] }>(
    db,
    sql`SELECT ${LIAISON_PERSON_COLS}, p.household_id,
               array_agg(DISTINCT e.programme ORDER BY e.programme) AS programmes
        FROM persons p
        JOIN programme_enrollments e ON e.household_id = p.household_id AND (e.person_id IS NULL OR e.person_id = p.id)
        LEFT JOIN regions r ON r.code = p.region_code
        WHERE ${inScope(sql`p.region_code`, scope)} ${regionFilter(sql`p.region_code`, regionCode)}
          AND e.programme IN ('dibao', 'tekun') AND e.status = 'active' AND p.death_date IS NULL
          ${after !== null ? sql`AND p.id > ${after}` : sql``}
        GROUP BY p.id, r.name
        ORDER BY p.id LIMIT ${limit}`,
  );
}
