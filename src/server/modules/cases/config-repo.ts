/** SQL of the case configuration: effective-dated parameters, workflow definitions, the working-day calendar. */
import { sql } from 'drizzle-orm';
import type { WorkCalendar } from '../../../domain/calendar.js';
import type { WorkflowDefinition } from '../../../domain/workflow/engine.js';
import { type Db, first, rows } from '../../db/client.js';

/** The parameter row in force for a region on a date: longest region prefix, then latest effective_from. */
export async function resolveParameter<T>(
  db: Db,
  programme: string,
  key: string,
  regionCode: string,
  asOf: string,
  sameYear = false,
) {
  const r = await first<{ value: T; region_code: string; effective_from: string; citation: string }>(
    db,
    sql`SELECT value, region_code, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, citation FROM case_parameters
        WHERE programme = ${programme} AND key = ${key} AND ${regionCode} LIKE region_code || '%' AND effective_from <= ${asOf}::date
          ${sameYear ? sql`AND effective_from >= date_trunc('year', ${asOf}::date)` : sql``}
        ORDER BY length(region_code) DESC, effective_from DESC LIMIT 1`,
  );
  return r;
}

export async function upsertParameter(
  db: Db,
  p: {
    programme: string;
    key: string;
    regionCode: string;
    effectiveFrom: string;
    value: unknown;
    citation: string;
    by: number | null;
  },
) {
  await db.execute(sql`INSERT INTO case_parameters (programme, key, region_code, effective_from, value, citation, created_by)
    VALUES (${p.programme}, ${p.key}, ${p.regionCode}, ${p.effectiveFrom}::date, ${JSON.stringify(p.value)}::jsonb, ${p.citation}, ${p.by})
    ON CONFLICT (programme, key, region_code, effective_from) DO UPDATE SET value = EXCLUDED.value, citation = EXCLUDED.citation, created_by = EXCLUDED.created_by, created_at = now()`);
}

export async function resolveWorkflow(db: Db, programme: string, regionCode: string, asOf: string) {
  return first<{ id: number; definition: WorkflowDefinition; region_code: string; effective_from: string }>(
    db,
    sql`SELECT id, definition, region_code, to_char(effective_from, 'YYYY-MM-DD') AS effective_from FROM workflow_definitions
        WHERE programme = ${programme} AND ${regionCode} LIKE region_code || '%' AND effective_from <= ${asOf}::date
        ORDER BY length(region_code) DESC, effective_from DESC LIMIT 1`,
  );
}

export async function upsertWorkflow(
  db: Db,
  w: {
    programme: string;
    regionCode: string;
    effectiveFrom: string;
    definition: WorkflowDefinition;
    note: string;
    by: number | null;
  },
) {
  await db.execute(sql`INSERT INTO workflow_definitions (programme, region_code, effective_from, definition, note, created_by)
    VALUES (${w.programme}, ${w.regionCode}, ${w.effectiveFrom}::date, ${JSON.stringify(w.definition)}::jsonb, ${w.note}, ${w.by})
    ON CONFLICT (programme, region_code, effective_from) DO UPDATE SET definition = EXCLUDED.definition, note = EXCLUDED.note, created_by = EXCLUDED.created_by, created_at = now()`);
}

/** National ('') and county holidays/调休 days; a county row overrides the national one for the same day. */
export async function loadCalendar(db: Db, countyCode: string): Promise<WorkCalendar> {
  const list = await rows<{ day: string; kind: string }>(
    db,
    sql`SELECT DISTINCT ON (day) to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days
        WHERE region_code IN ('', ${countyCode}) ORDER BY day, length(region_code) DESC`,
  );
  return {
    holidays: new Set(list.filter((d) => d.kind === 'holiday').map((d) => d.day)),
    workdays: new Set(list.filter((d) => d.kind === 'workday').map((d) => d.day)),
  };
}

export async function putCalendarDays(
  db: Db,
  regionCode: string,
  days: Array<{ day: string; kind: string; note: string }>,
) {
  await db.execute(sql`INSERT INTO calendar_days (region_code, day, kind, note)
    VALUES ${sql.join(
      days.map((d) => sql`(${regionCode}, ${d.day}::date, ${d.kind}, ${d.note})`),
      sql`, `,
    )}
    ON CONFLICT (region_code, day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note`);
}

export async function calendarDays(db: Db, regionCode: string, year: number) {
  return rows<{ region_code: string; day: string; kind: string; note: string }>(
    db,
    sql`SELECT region_code, to_char(day, 'YYYY-MM-DD') AS day, kind, note FROM calendar_days
        WHERE region_code IN ('', ${regionCode}) AND day >= make_date(${year}, 1, 1) AND day < make_date(${year + 1}, 1, 1) ORDER BY day`,
  );
}

// ---- enrollments, referrals, refusals, tasks, budget ---------------------------------------------------------------
