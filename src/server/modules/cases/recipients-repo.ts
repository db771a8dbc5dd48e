/**
 * SQL of the recipients: enrolments (programme_enrollments), referrals, refusals of work, review tasks (per case,
 * migration 0014) and the county's budget position.
 */
import { type SQL, sql } from 'drizzle-orm';
import { affected, type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

/** Ends the household's active 低保 enrollment (last paid month) and returns its id. */
export async function endEnrollment(db: Db, householdId: number, endMonth: string, reason: string, by: number | null) {
  return affected(
    db,
    sql`UPDATE programme_enrollments SET status = 'ended', end_month = ${endMonth}, changed_by = ${by}, change_reason = ${reason}, version = version + 1
        WHERE household_id = ${householdId} AND programme = 'dibao' AND status = 'active'`,
  );
}

export async function insertEnrollment(
  db: Db,
  e: {
    householdId: number;
    regionCode: string;
    kind: string;
    ruralClass: number | null;
    startMonth: string;
    endMonth: string | null;
    amount: number;
    caseRef: string;
    by: number | null;
    reason: string;
  },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, end_month,
                                           monthly_amount_fen, case_ref, changed_by, change_reason)
        VALUES (${e.householdId}, ${e.regionCode}, 'dibao', ${e.kind}, ${e.ruralClass}, 'active', ${e.startMonth}, ${e.endMonth}, ${e.amount},
                ${e.caseRef}, ${e.by}, ${e.reason})
        RETURNING id`,
  );
  return Number(r!.id);
}

export async function insertReferral(
  db: Db,
  r: { caseId: number; householdId: number; regionCode: string; kind: string; reason: string; by: number | null },
) {
  const x = await first<{ id: number }>(
    db,
    sql`INSERT INTO referrals (case_id, household_id, region_code, kind, reason, created_by)
        VALUES (${r.caseId}, ${r.householdId}, ${r.regionCode}, ${r.kind}, ${r.reason}, ${r.by}) RETURNING id`,
  );
  return Number(x!.id);
}

export async function insertWorkRefusal(
  db: Db,
  w: { caseId: number; personId: number; regionCode: string; refusedOn: string; offer: string; by: number | null },
) {
  await db.execute(sql`INSERT INTO work_refusals (case_id, person_id, region_code, refused_on, offer, created_by)
    VALUES (${w.caseId}, ${w.personId}, ${w.regionCode}, ${w.refusedOn}::date, ${w.offer}, ${w.by})
    ON CONFLICT (case_id, person_id, refused_on) DO NOTHING`);
  const r = await first<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM work_refusals WHERE case_id = ${w.caseId} AND person_id = ${w.personId}`,
  );
  return Number(r!.n);
}

export async function personInHousehold(db: Db, personId: number, householdId: number) {
  return first<{ id: number; name: string }>(
    db,
    sql`SELECT id, name FROM persons WHERE id = ${personId} AND household_id = ${householdId}`,
  );
}

export async function insertReviewTask(
  db: Db,
  t: { caseId: number; householdId: number; regionCode: string; reason: string; dueOn: string; detail: unknown },
) {
  await db.execute(sql`INSERT INTO review_tasks (case_id, household_id, region_code, reason, detail, due_on)
    VALUES (${t.caseId}, ${t.householdId}, ${t.regionCode}, ${t.reason}, ${JSON.stringify(t.detail)}::jsonb, ${t.dueOn}::date)
    ON CONFLICT (household_id, reason, (coalesce(case_id, 0))) WHERE status = 'open' DO NOTHING`);
}

/** Closes the open review tasks of a case (and any of its household that names no case), once it is reviewed. */
export async function closeReviewTasks(db: Db, householdId: number, caseId: number) {
  await db.execute(
    sql`UPDATE review_tasks SET status = 'done', closed_at = now()
        WHERE household_id = ${householdId} AND status = 'open' AND (case_id = ${caseId} OR case_id IS NULL)`,
  );
}

/** A list of ids as a one-column subquery, for the set-based helpers below. */
export function idsSql(ids: number[]): SQL {
  return ids.length
    ? sql`SELECT unnest(ARRAY[${sql.join(
        ids.map((x) => sql`${x}`),
        sql`, `,
      )}]::bigint[])`
    : sql`SELECT NULL::bigint WHERE false`;
}

/**
 * Raises a 'programme_change' review task on the subsidy cases a change of 低保 or 特困 touches (POLICY.md §4 D2: the
 * living subsidy follows the household's 低保 and its class; D7: 特困 support excludes both subsidies): the living
 * subsidies of the people now in the households of `households`, and both subsidies of the people of `persons` (each a
 * one-column subquery of ids, see idsSql). Set-based; returns the cases flagged.
 */
export async function flagSubsidyReviews(
  db: Db,
  f: { households?: SQL; persons?: SQL; detail: Record<string, unknown> },
) {
  const none = sql`SELECT NULL::bigint WHERE false`;
  const out = await rows<{ case_id: number }>(
    db,
    sql`INSERT INTO review_tasks (case_id, household_id, region_code, reason, detail, due_on)
        SELECT c.id, c.household_id, c.region_code, 'programme_change', ${JSON.stringify(f.detail)}::jsonb,
               (now() AT TIME ZONE 'Asia/Shanghai')::date + 30
        FROM cases c JOIN persons p ON p.id = c.applicant_person_id
        WHERE c.status = 'approved'
          AND ((c.programme = 'disability_living' AND p.household_id IN (${f.households ?? none}))
            OR (c.programme IN ('disability_living', 'disability_nursing') AND p.id IN (${f.persons ?? none})))
        ON CONFLICT (household_id, reason, (coalesce(case_id, 0))) WHERE status = 'open' DO NOTHING
        RETURNING case_id`,
  );
  return out.map((r) => Number(r.case_id));
}

export async function listReviewTasks(
  db: Db,
  scope: Scope,
  f: { regionCode?: string; status: string; programme?: string; after?: number; limit: number },
) {
  return rows<{
    id: number;
    case_id: number | null;
    household_id: number;
    region_code: string;
    reason: string;
    due_on: string;
    status: string;
    detail: Record<string, unknown>;
    case_no: string | null;
    programme: string | null;
    case_status: string | null;
    person_name: string | null;
    region_name: string | null;
  }>(
    db,
    sql`SELECT t.id, t.case_id, t.household_id, t.region_code, t.reason, to_char(t.due_on, 'YYYY-MM-DD') AS due_on, t.status, t.detail,
               c.case_no, c.programme, c.status AS case_status, coalesce(ap.name, hp.name) AS person_name,
               (SELECT g.name FROM regions g WHERE g.code = t.region_code) AS region_name
        FROM review_tasks t
        LEFT JOIN cases c ON c.id = t.case_id
        LEFT JOIN persons ap ON ap.id = c.applicant_person_id
        LEFT JOIN households h ON h.id = t.household_id
        LEFT JOIN persons hp ON hp.id = h.head_person_id
        WHERE ${inScope(sql`t.region_code`, scope)} AND t.status = ${f.status}
          ${f.regionCode ? sql`AND t.region_code LIKE ${`${f.regionCode}%`}` : sql``}
          ${f.programme ? sql`AND c.programme = ${f.programme}` : sql``}
          ${f.after ? sql`AND t.id > ${f.after}` : sql``}
        ORDER BY t.id LIMIT ${f.limit + 1}`,
  );
}

export async function budgetPosition(db: Db, countyCode: string) {
  return first<{ committed: number; households: number; waiting: number }>(
    db,
    sql`SELECT coalesce((SELECT sum(monthly_amount_fen) FROM programme_enrollments WHERE county_code = ${countyCode} AND programme = 'dibao' AND status = 'active'), 0) * 12 AS committed,
               (SELECT count(*) FROM programme_enrollments WHERE county_code = ${countyCode} AND programme = 'dibao' AND status = 'active') AS households,
               (SELECT count(*) FROM cases WHERE county_code = ${countyCode} AND programme = 'dibao' AND status = 'open' AND assessed_eligible) AS waiting`,
  );
}
