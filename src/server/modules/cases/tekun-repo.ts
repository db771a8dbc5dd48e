/** SQL of the 特困 cases: assessments, the county's random re-checks, enrollments and the 低保 exclusion (POLICY.md §3). */
import { type Db, first, rows, sql } from '../../db/client.js';

export async function insertTekunAssessment(
  db: Db,
  a: {
    caseId: number;
    regionCode: string;
    asOf: string;
    inputs: unknown;
    clauses: unknown;
    eligible: boolean;
    amount: number;
    breakdown: unknown;
    parameters: unknown;
    explanation: string;
    by: number | null;
  },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO assessments (case_id, region_code, as_of, inputs, gates, eligible, monthly_amount_fen, breakdown, parameters, explanation, created_by)
        VALUES (${a.caseId}, ${a.regionCode}, ${a.asOf}::date, ${JSON.stringify(a.inputs)}::jsonb, ${JSON.stringify(a.clauses)}::jsonb,
                ${a.eligible}, ${a.amount}, ${JSON.stringify(a.breakdown)}::jsonb, ${JSON.stringify(a.parameters)}::jsonb, ${a.explanation}, ${a.by})
        RETURNING id`,
  );
  return Number(r!.id);
}

export interface RecheckRow {
  case_id: number;
  seed: number;
  drawn: boolean;
  quota_top_up: boolean;
  sampled: boolean;
  percent: number;
  county_cases: number;
  county_sampled: number;
  sampled_on: string;
  checked_on: string | null;
  findings: string | null;
  confirmed: boolean | null;
}

export async function recheckOf(db: Db, caseId: number) {
  const r = await first<RecheckRow>(
    db,
    sql`SELECT case_id, seed, drawn, quota_top_up, sampled, percent, county_cases, county_sampled,
               to_char(sampled_on, 'YYYY-MM-DD') AS sampled_on, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, findings, confirmed
        FROM case_rechecks WHERE case_id = ${caseId}`,
  );
  return r
    ? {
        ...r,
        case_id: Number(r.case_id),
        seed: Number(r.seed),
        county_cases: Number(r.county_cases),
        county_sampled: Number(r.county_sampled),
      }
    : undefined;
}

/** Serialises the county's draws (the quota reads the county's counts) and returns them. */
export async function countyRecheckCounts(db: Db, countyCode: string, programme: string) {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`recheck:${programme}:${countyCode}`}))`);
  const r = await first<{ n: number; s: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE sampled)::int AS s
        FROM case_rechecks WHERE county_code = ${countyCode} AND programme = ${programme}`,
  );
  return { cases: Number(r?.n ?? 0), sampled: Number(r?.s ?? 0) };
}

export async function insertRecheck(
  db: Db,
  r: {
    caseId: number;
    regionCode: string;
    programme: string;
    seed: number;
    drawn: boolean;
    quotaTopUp: boolean;
    percent: number;
    countyCases: number;
    countySampled: number;
    on: string;
  },
) {
  await db.execute(sql`INSERT INTO case_rechecks (case_id, region_code, programme, seed, drawn, quota_top_up, sampled, percent, county_cases, county_sampled, sampled_on)
    VALUES (${r.caseId}, ${r.regionCode}, ${r.programme}, ${r.seed}, ${r.drawn}, ${r.quotaTopUp}, ${r.drawn || r.quotaTopUp}, ${r.percent},
            ${r.countyCases}, ${r.countySampled}, ${r.on}::date)
    ON CONFLICT (case_id) DO NOTHING`);
}

export async function recordRecheckResult(
  db: Db,
  caseId: number,
  r: { checkedOn: string; findings: string; confirmed: boolean; by: number | null },
) {
  await db.execute(sql`UPDATE case_rechecks SET checked_on = ${r.checkedOn}::date, findings = ${r.findings}, confirmed = ${r.confirmed},
    checked_by = ${r.by} WHERE case_id = ${caseId}`);
}

export async function insertPersonEnrollment(
  db: Db,
  e: {
    householdId: number;
    personId: number;
    regionCode: string;
    programme: string;
    startMonth: string;
    amount: number;
    caseRef: string;
    by: number | null;
    reason: string;
  },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen, case_ref, changed_by, change_reason)
        VALUES (${e.householdId}, ${e.personId}, ${e.regionCode}, ${e.programme}, 'active', ${e.startMonth}, ${e.amount}, ${e.caseRef}, ${e.by}, ${e.reason})
        RETURNING id`,
  );
  return Number(r!.id);
}

/** Ends a person's active enrolment in a programme at `endMonth` (the last month paid), with who and why. */
export async function endPersonEnrollment(
  db: Db,
  e: { personId: number; programme: string; endMonth: string; by: number | null; reason: string },
) {
  await db.execute(sql`UPDATE programme_enrollments SET status = 'ended', end_month = ${e.endMonth}, changed_by = ${e.by},
      change_reason = ${e.reason}, version = version + 1
    WHERE person_id = ${e.personId} AND programme = ${e.programme} AND status = 'active'`);
}

/** The person's household 低保 (active enrollment and its approved case), if any. */
export async function activeDibaoOf(db: Db, householdId: number) {
  return first<{ enrollment_id: number; case_id: number | null }>(
    db,
    sql`SELECT e.id AS enrollment_id,
               (SELECT c.id FROM cases c WHERE c.household_id = e.household_id AND c.programme = 'dibao' AND c.status = 'approved'
                ORDER BY c.id DESC LIMIT 1) AS case_id
        FROM programme_enrollments e
        WHERE e.household_id = ${householdId} AND e.programme = 'dibao' AND e.status = 'active'
        ORDER BY e.id DESC LIMIT 1`,
  );
}

export async function insertDibaoExclusion(
  db: Db,
  x: {
    householdId: number;
    personId: number;
    regionCode: string;
    dibaoCaseId: number | null;
    tekunCaseId: number;
    fromMonth: string;
    reason: string;
  },
) {
  await db.execute(sql`INSERT INTO dibao_member_exclusions (household_id, person_id, region_code, dibao_case_id, tekun_case_id, from_month, reason)
    VALUES (${x.householdId}, ${x.personId}, ${x.regionCode}, ${x.dibaoCaseId}, ${x.tekunCaseId}, ${x.fromMonth}, ${x.reason})
    ON CONFLICT DO NOTHING`);
}

/**
 * Ends the open 低保 exclusions of a person whose 特困 support ends (last month paid = `untilMonth`); returns the
 * households concerned.
 */
export function endDibaoExclusions(db: Db, x: { personId: number; untilMonth: string; reason: string }) {
  return rows<{ household_id: number; region_code: string }>(
    db,
    sql`UPDATE dibao_member_exclusions SET until_month = ${x.untilMonth}, end_reason = ${x.reason}
        WHERE person_id = ${x.personId} AND until_month IS NULL
        RETURNING household_id, region_code`,
  );
}

export function dibaoExclusionsOf(db: Db, householdId: number) {
  return rows<{
    person_id: number;
    tekun_case_id: number;
    from_month: string;
    reason: string;
    until_month: string | null;
    end_reason: string | null;
  }>(
    db,
    sql`SELECT person_id, tekun_case_id, from_month, reason, until_month, end_reason
        FROM dibao_member_exclusions WHERE household_id = ${householdId} ORDER BY id`,
  );
}
