import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';

export interface CountyRow {
  county_code: string;
  county_name: string;
  last_registry: string | null;
  last_entitlement: string | null;
  last_case: string | null;
  confirmed_at: string | null;
  rosters: { programme: string; status: string }[] | null;
}

/**
 * Counties inside (or containing) the given area, with the last registry, entitlement and case change, the
 * month's confirmation and its rosters. Each "last change" is an index lookup on (county_code, valid_from).
 */
export async function countyStatuses(db: Db, area: string, month: string): Promise<CountyRow[]> {
  return rows<CountyRow>(
    db,
    sql`SELECT c.code AS county_code, c.name AS county_name,
          greatest((SELECT max(valid_from) FROM households h WHERE h.county_code = c.code),
                   (SELECT max(valid_from) FROM persons p WHERE p.county_code = c.code))::text AS last_registry,
          (SELECT max(valid_from) FROM programme_enrollments e WHERE e.county_code = c.code)::text AS last_entitlement,
          (SELECT max(updated_at) FROM cases k WHERE k.county_code = c.code)::text AS last_case,
          u.confirmed_at::text AS confirmed_at,
          (SELECT json_agg(json_build_object('programme', r.programme, 'status', r.status) ORDER BY r.programme)
             FROM rosters r WHERE r.county_code = c.code AND r.month = ${month} AND r.kind = 'regular') AS rosters
        FROM regions c
        LEFT JOIN county_monthly_updates u ON u.county_code = c.code AND u.month = ${month}
        WHERE c.level = 3 AND c.retired_in IS NULL AND (c.code LIKE ${`${area}%`} OR ${area} LIKE c.code || '%')
        ORDER BY c.code`,
  );
}

export async function deadlineDay(db: Db, county: string): Promise<number> {
  const r = await first<{ deadline_day: number }>(
    db,
    sql`SELECT deadline_day FROM monthly_update_settings WHERE ${county} LIKE region_code || '%'
        ORDER BY length(region_code) DESC LIMIT 1`,
  );
  return Number(r?.deadline_day ?? 10);
}

export async function upsertConfirmation(
  db: Db,
  county: string,
  month: string,
  by: number | null,
  note: string | null,
) {
  return first<{ confirmed_at: string }>(
    db,
    sql`INSERT INTO county_monthly_updates (county_code, region_code, month, confirmed_by, note)
        VALUES (${county}, ${county}, ${month}, ${by}, ${note})
        ON CONFLICT (county_code, month) DO UPDATE SET confirmed_at = now(), confirmed_by = EXCLUDED.confirmed_by, note = EXCLUDED.note
        RETURNING confirmed_at::text`,
  );
}

export async function countyExists(db: Db, county: string): Promise<boolean> {
  return (await first(db, sql`SELECT 1 FROM regions WHERE code = ${county} AND level = 3`)) !== undefined;
}
