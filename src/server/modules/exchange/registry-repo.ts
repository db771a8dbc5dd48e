/**
 * Registry reads for API clients, limited to the client's areas: persons and households found by the registry
 * search (with their programmes), and the change feed (upserts from the live tables, deletes from *_history).
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, preparedRows, rows } from '../../db/client.js';

/** Region predicate of an API client: the row lies in one of its areas. */
export function inClientRegions(column: SQL, regionCodes: string[]): SQL {
  return sql`(${sql.join(
    regionCodes.map((r) => sql`${column} LIKE ${`${r}%`}`),
    sql` OR `,
  )})`;
}

const programmes = (household: SQL, person: SQL | null) => sql`coalesce((
  SELECT json_agg(json_build_object('programme', e.programme, 'status', e.status, 'dibao_kind', e.dibao_kind,
           'rural_class', e.rural_class, 'start_month', e.start_month, 'end_month', e.end_month,
           'monthly_amount_fen', e.monthly_amount_fen) ORDER BY e.programme, e.id)
  FROM programme_enrollments e
  WHERE e.household_id = ${household} ${person ? sql`AND (e.person_id IS NULL OR e.person_id = ${person})` : sql``}), '[]'::json)`;

export interface ProgrammeStatusRow {
  programme: string;
  status: string;
  dibao_kind: string | null;
  rural_class: number | null;
  start_month: string;
  end_month: string | null;
  monthly_amount_fen: number | null;
}

export interface PersonHit {
  person_id: number;
  id_number: string;
  name: string;
  sex: string;
  birth_date: string;
  death_date: string | null;
  region_code: string;
  household_id: number | null;
  household_no: string | null;
  relation: string | null;
  address: string | null;
  phone: string | null;
  programmes: ProgrammeStatusRow[];
  updated_at: string;
  total: number;
}

export async function searchPersons(
  db: Db,
  regions: string[],
  where: SQL,
  limit: number,
  offset: number,
): Promise<PersonHit[]> {
  return preparedRows<PersonHit>(
    db,
    sql`SELECT p.id AS person_id, p.id_number, p.name, p.sex, p.birth_date::text, p.death_date::text, p.region_code,
               p.household_id, h.household_no, p.relation, h.address, p.phone,
               ${programmes(sql`p.household_id`, sql`p.id`)} AS programmes, p.valid_from::text AS updated_at,
               count(*) OVER ()::int AS total
        FROM persons p LEFT JOIN households h ON h.id = p.household_id
        WHERE ${inClientRegions(sql`p.region_code`, regions)} AND ${where}
        ORDER BY p.id LIMIT ${limit} OFFSET ${offset}`,
  );
}

export interface HouseholdHit {
  household_id: number;
  household_no: string | null;
  region_code: string;
  hukou_type: string;
  status: string;
  address: string | null;
  members: { person_id: number; id_number: string; name: string; relation: string | null }[];
  programmes: ProgrammeStatusRow[];
  updated_at: string;
  total: number;
}

export async function searchHouseholds(
  db: Db,
  regions: string[],
  where: SQL,
  limit: number,
  offset: number,
): Promise<HouseholdHit[]> {
  return preparedRows<HouseholdHit>(
    db,
    sql`SELECT h.id AS household_id, h.household_no, h.region_code, h.hukou_type, h.status, h.address,
               coalesce((SELECT json_agg(json_build_object('person_id', m.id, 'id_number', m.id_number, 'name', m.name, 'relation', m.relation) ORDER BY m.id)
                         FROM persons m WHERE m.household_id = h.id), '[]'::json) AS members,
               ${programmes(sql`h.id`, null)} AS programmes, h.valid_from::text AS updated_at,
               count(*) OVER ()::int AS total
        FROM households h
        WHERE ${inClientRegions(sql`h.region_code`, regions)} AND ${where}
        ORDER BY h.id LIMIT ${limit} OFFSET ${offset}`,
  );
}

export interface ChangeRow {
  changed_at: string;
  entity: 'household' | 'person' | 'enrollment';
  op: 'upsert' | 'delete';
  id: number;
  region_code: string;
  record: Record<string, unknown> | null;
}

/**
 * The change feed: current rows changed after `since` (upserts) and rows deleted after it (from *_history), in
 * (changed_at, entity, id) order, keyset-paginated. Person ID numbers are masked by the caller per its platform.
 */
export async function changes(
  db: Db,
  regions: string[],
  since: string,
  after: [string, string, number] | null,
  limit: number,
): Promise<ChangeRow[]> {
  const key = after
    ? sql`AND (x.changed_at, x.entity, x.id) > (${after[0]}::timestamptz, ${after[1]}, ${after[2]}::bigint)`
    : sql``;
  const inR = (c: SQL) => inClientRegions(c, regions);
  return rows<ChangeRow>(
    db,
    sql`SELECT to_char(x.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed_at, x.entity, x.op, x.id, x.region_code, x.record FROM (
          SELECT h.valid_from AS changed_at, 'household' AS entity, 'upsert' AS op, h.id, h.region_code,
                 json_build_object('household_no', h.household_no, 'hukou_type', h.hukou_type, 'status', h.status, 'head_person_id', h.head_person_id) AS record
          FROM households h WHERE h.valid_from > ${since}::timestamptz AND ${inR(sql`h.region_code`)}
          UNION ALL
          SELECT p.valid_from, 'person', 'upsert', p.id, p.region_code,
                 json_build_object('id_number', p.id_number, 'name', p.name, 'sex', p.sex, 'birth_date', p.birth_date,
                   'death_date', p.death_date, 'household_id', p.household_id, 'relation', p.relation)
          FROM persons p WHERE p.valid_from > ${since}::timestamptz AND ${inR(sql`p.region_code`)}
          UNION ALL
          SELECT e.valid_from, 'enrollment', 'upsert', e.id, e.region_code,
                 json_build_object('household_id', e.household_id, 'person_id', e.person_id, 'programme', e.programme, 'status', e.status,
                   'start_month', e.start_month, 'end_month', e.end_month, 'monthly_amount_fen', e.monthly_amount_fen)
          FROM programme_enrollments e WHERE e.valid_from > ${since}::timestamptz AND ${inR(sql`e.region_code`)}
          UNION ALL
          SELECT max(d.valid_to), 'person', 'delete', d.id, d.region_code, NULL::json
          FROM persons_history d WHERE d.valid_to > ${since}::timestamptz AND ${inR(sql`d.region_code`)}
            AND NOT EXISTS (SELECT 1 FROM persons c WHERE c.id = d.id) GROUP BY d.id, d.region_code
          UNION ALL
          SELECT max(d.valid_to), 'enrollment', 'delete', d.id, d.region_code, NULL::json
          FROM programme_enrollments_history d WHERE d.valid_to > ${since}::timestamptz AND ${inR(sql`d.region_code`)}
            AND NOT EXISTS (SELECT 1 FROM programme_enrollments c WHERE c.id = d.id) GROUP BY d.id, d.region_code
        ) x WHERE true ${key}
        ORDER BY x.changed_at, x.entity, x.id LIMIT ${limit + 1}`,
  );
}
