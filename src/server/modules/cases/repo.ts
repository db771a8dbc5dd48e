import { type SQL, sql } from 'drizzle-orm';
import type { HouseholdFacts } from '../../../domain/programs/dibao/rules.js';
import type { WorkflowDefinition } from '../../../domain/workflow/engine.js';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface CaseRow {
  id: number;
  case_no: string;
  programme: string;
  kind: string;
  household_id: number;
  applicant_person_id: number | null;
  region_code: string;
  county_code: string;
  township_code: string;
  workflow: WorkflowDefinition;
  status: string;
  current_step: string | null;
  current_due_on: string | null;
  assessed_eligible: boolean | null;
  flags: Record<string, unknown>;
  completed: Record<string, string>;
  applied_on: string;
  accepted_on: string | null;
  decided_on: string | null;
  decision: string | null;
  decision_reason: string | null;
  dibao_kind: 'urban' | 'rural' | null;
  rural_class: number | null;
  monthly_amount_fen: number | null;
  members_count: number | null;
  start_month: string | null;
  valid_until: string | null;
  review_cadence_months: number | null;
  next_review_on: string | null;
  last_review_score: number | null;
  last_visit_rating: number | null;
  taper_until_month: string | null;
  enrollment_id: number | null;
  version: number;
  head_name: string | null;
  region_name: string | null;
  care_tier: string | null;
  applicant_name: string | null;
}

const caseSelect = sql`
  SELECT c.id, c.case_no, c.programme, c.kind, c.household_id, c.applicant_person_id, c.region_code, c.county_code,
         c.township_code, c.workflow, c.status, c.current_step, to_char(c.current_due_on, 'YYYY-MM-DD') AS current_due_on,
         c.assessed_eligible, c.flags, c.completed, to_char(c.applied_on, 'YYYY-MM-DD') AS applied_on,
         to_char(c.accepted_on, 'YYYY-MM-DD') AS accepted_on, to_char(c.decided_on, 'YYYY-MM-DD') AS decided_on,
         c.decision, c.decision_reason, c.dibao_kind, c.rural_class, c.monthly_amount_fen, c.members_count, c.start_month,
         to_char(c.valid_until, 'YYYY-MM-DD') AS valid_until, c.review_cadence_months,
         to_char(c.next_review_on, 'YYYY-MM-DD') AS next_review_on, c.last_review_score, c.last_visit_rating,
         c.taper_until_month, c.enrollment_id, c.version, c.care_tier,
         (SELECT p.name FROM persons p WHERE p.id = h.head_person_id) AS head_name,
         (SELECT p.name FROM persons p WHERE p.id = c.applicant_person_id) AS applicant_name,
         (SELECT r.name FROM regions r WHERE r.code = c.region_code) AS region_name
  FROM cases c JOIN households h ON h.id = c.household_id`;

export async function findCase(db: Db, id: number, scope: Scope, lock = false): Promise<CaseRow | undefined> {
  const r = await first<CaseRow>(
    db,
    sql`${caseSelect} WHERE c.id = ${id} AND ${inScope(sql`c.region_code`, scope)}${lock ? sql` FOR UPDATE OF c` : sql``}`,
  );
  return r ? normalise(r) : undefined;
}

function normalise(r: CaseRow): CaseRow {
  return {
    ...r,
    id: Number(r.id),
    household_id: Number(r.household_id),
    applicant_person_id: r.applicant_person_id === null ? null : Number(r.applicant_person_id),
    monthly_amount_fen: r.monthly_amount_fen === null ? null : Number(r.monthly_amount_fen),
    enrollment_id: r.enrollment_id === null ? null : Number(r.enrollment_id),
    version: Number(r.version),
  };
}

export async function findOpenCase(db: Db, householdId: number, programme: string): Promise<number | undefined> {
  const r = await first<{ id: number }>(
    db,
    sql`SELECT id FROM cases WHERE household_id = ${householdId} AND programme = ${programme} AND status = 'open'`,
  );
  return r ? Number(r.id) : undefined;
}

export async function findOpenPersonCase(db: Db, personId: number, programme: string): Promise<number | undefined> {
  const r = await first<{ id: number }>(
    db,
    sql`SELECT id FROM cases WHERE applicant_person_id = ${personId} AND programme = ${programme} AND status = 'open'`,
  );
  return r ? Number(r.id) : undefined;
}

/** The person's active enrollment in a person-level programme (特困, the subsidies), if any. */
export async function activePersonEnrollment(db: Db, personId: number, programme: string) {
  const r = await first<{ id: number }>(
    db,
    sql`SELECT id FROM programme_enrollments WHERE person_id = ${personId} AND programme = ${programme} AND status = 'active' LIMIT 1`,
  );
  return r ? Number(r.id) : undefined;
}

export interface CaseFilter {
  worklist: string;
  programme?: string;
  /** Programmes the actor may read (null = all). */
  programmes?: string[] | null;
  status?: string;
  regionCode?: string;
  householdId?: number;
  after?: number;
  limit: number;
  today: string;
}

const WORKLIST_STEPS: Record<string, string[]> = {
  to_accept: ['acceptance'],
  to_investigate: ['investigation'],
  to_review: ['democratic_review', 'assessment'],
  in_publicity: ['publicity'],
  to_approve: ['county_visit', 'decision'],
};

export async function listCases(db: Db, scope: Scope, f: CaseFilter): Promise<CaseRow[]> {
  const conds: SQL[] = [inScope(sql`c.region_code`, scope)];
  if (f.regionCode) conds.push(sql`c.region_code LIKE ${`${f.regionCode}%`}`);
  if (f.status) conds.push(sql`c.status = ${f.status}`);
  if (f.programme) conds.push(sql`c.programme = ${f.programme}`);
  if (f.programmes)
    conds.push(
      f.programmes.length
        ? sql`c.programme IN (${sql.join(
            f.programmes.map((x) => sql`${x}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  // 特困 yearly review [E item 7]: a year has passed since the approval or the last review.
  if (f.worklist === 'tekun_review')
    conds.push(sql`c.programme = 'tekun' AND c.status = 'approved' AND c.next_review_on <= ${f.today}::date`);
  if (f.householdId) conds.push(sql`c.household_id = ${f.householdId}`);
  if (f.after) conds.push(sql`c.id < ${f.after}`);
  const steps = WORKLIST_STEPS[f.worklist];
  if (steps)
    conds.push(
      sql`c.status = 'open' AND c.current_step IN (${sql.join(
        steps.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.worklist === 'overdue') conds.push(sql`c.status = 'open' AND c.current_due_on < ${f.today}::date`);
  if (f.worklist === 'eligible_waiting') {
    conds.push(sql`c.status = 'open' AND c.assessed_eligible AND c.current_due_on < ${f.today}::date`);
  }
  if (f.worklist === 'due_review') {
    conds.push(
      sql`c.status = 'approved' AND (c.next_review_on <= ${f.today}::date + 30 OR c.valid_until <= ${f.today}::date + 60)`,
    );
  }
  const list = await rows<CaseRow>(
    db,
    sql`${caseSelect} WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.id DESC LIMIT ${f.limit + 1}`,
  );
  return list.map(normalise);
}

export async function insertCase(
  db: Db,
  c: {
    programme: string;
    householdId: number;
    applicantPersonId: number | null;
    regionCode: string;
    workflow: WorkflowDefinition;
    workflowId: number | null;
    flags: Record<string, unknown>;
    appliedOn: string;
    currentStep: string;
    createdBy: number | null;
  },
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`WITH n AS (SELECT nextval(pg_get_serial_sequence('cases', 'id')) AS id)
        INSERT INTO cases (id, case_no, programme, household_id, applicant_person_id, region_code, workflow, workflow_id, flags,
                           applied_on, current_step, created_by)
        SELECT n.id, upper(${c.programme}) || '-' || left(${c.regionCode}, 6) || '-' || ${c.appliedOn.slice(0, 4)} || '-' || lpad(n.id::text, 6, '0'),
               ${c.programme}, ${c.householdId}, ${c.applicantPersonId}, ${c.regionCode}, ${JSON.stringify(c.workflow)}::jsonb,
               ${c.workflowId}, ${JSON.stringify(c.flags)}::jsonb, ${c.appliedOn}::date, ${c.currentStep}, ${c.createdBy}
        FROM n RETURNING id`,
  );
  return Number(r!.id);
}

/** Versioned update: null when the version is stale (someone else changed the case). */
export async function updateCase(db: Db, id: number, version: number, set: SQL): Promise<number | null> {
  const r = await first<{ version: number }>(
    db,
    sql`UPDATE cases SET ${set}, version = version + 1, updated_at = now() WHERE id = ${id} AND version = ${version} RETURNING version`,
  );
  return r ? Number(r.version) : null;
}

export async function addEvent(
  db: Db,
  e: {
    caseId: number;
    regionCode: string;
    action: string;
    step?: string | null;
    detail?: unknown;
    actorId: number | null;
    actorName: string;
  },
) {
  await db.execute(sql`INSERT INTO case_events (case_id, region_code, action, step, detail, actor_id, actor_name)
    VALUES (${e.caseId}, ${e.regionCode}, ${e.action}, ${e.step ?? null}, ${JSON.stringify(e.detail ?? {})}::jsonb, ${e.actorId}, ${e.actorName})`);
}

export async function insertStepData(
  db: Db,
  s: {
    caseId: number;
    step: string;
    regionCode: string;
    data: unknown;
    dueOn: string | null;
    completedOn: string;
    by: number | null;
  },
) {
  await db.execute(sql`INSERT INTO case_steps (case_id, step, round, region_code, data, due_on, completed_on, completed_by)
    SELECT ${s.caseId}, ${s.step}, coalesce(max(round), 0) + 1, ${s.regionCode}, ${JSON.stringify(s.data)}::jsonb, ${s.dueOn}::date, ${s.completedOn}::date, ${s.by}
    FROM case_steps WHERE case_id = ${s.caseId} AND step = ${s.step}`);
}

export async function latestStepData<T>(db: Db, caseId: number, step: string): Promise<T | undefined> {
  const r = await first<{ data: T }>(
    db,
    sql`SELECT data FROM case_steps WHERE case_id = ${caseId} AND step = ${step} ORDER BY round DESC LIMIT 1`,
  );
  return r?.data;
}

export async function stepDataOf(db: Db, caseId: number) {
  return rows<{ step: string; round: number; data: Record<string, unknown>; completed_on: string }>(
    db,
    sql`SELECT step, round, data, to_char(completed_on, 'YYYY-MM-DD') AS completed_on FROM case_steps WHERE case_id = ${caseId} ORDER BY created_at, step`,
  );
}

export async function timelineOf(db: Db, caseId: number) {
  return rows<{
    at: string;
    action: string;
    step: string | null;
    actor_name: string | null;
    detail: Record<string, unknown>;
  }>(
    db,
    sql`SELECT at::text AS at, action, step, actor_name, detail FROM case_events WHERE case_id = ${caseId} ORDER BY id`,
  );
}

export async function materialKindsOnFile(db: Db, caseId: number): Promise<Set<string>> {
  const r = await rows<{ kind: string }>(db, sql`SELECT DISTINCT kind FROM case_materials WHERE case_id = ${caseId}`);
  return new Set(r.map((x) => x.kind));
}

export async function addRequirements(
  db: Db,
  caseId: number,
  regionCode: string,
  reqs: Array<{ kind: string; nameZh: string; step: string }>,
) {
  if (!reqs.length) return;
  await db.execute(sql`INSERT INTO case_material_requirements (case_id, kind, step, name_zh, region_code)
    VALUES ${sql.join(
      reqs.map((r) => sql`(${caseId}, ${r.kind}, ${r.step}, ${r.nameZh}, ${regionCode})`),
      sql`, `,
    )}
    ON CONFLICT (case_id, kind) DO NOTHING`);
}

export async function requirementsOf(db: Db, caseId: number) {
  return rows<{ kind: string; step: string; name_zh: string }>(
    db,
    sql`SELECT kind, step, name_zh FROM case_material_requirements WHERE case_id = ${caseId}`,
  );
}

export async function materialsOf(db: Db, caseId: number) {
  return rows<{
    id: number;
    kind: string;
    filename: string;
    mime: string;
    size_bytes: number;
    sha256: string;
    uploaded_at: string;
  }>(
    db,
    sql`SELECT id, kind, filename, mime, size_bytes, sha256, uploaded_at::text AS uploaded_at FROM case_materials WHERE case_id = ${caseId} ORDER BY id`,
  );
}

export async function latestAssessment(db: Db, caseId: number) {
  return first<
    Record<string, unknown> & {
      id: number;
      eligible: boolean;
      monthly_amount_fen: number | null;
      rural_class: number | null;
      dibao_kind: string | null;
      explanation: string;
      gates: Array<{ code: string; passed: boolean; detail: string }>;
      review_score: number | null;
      inputs: Record<string, unknown>;
      breakdown: unknown;
    }
  >(
    db,
    sql`SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, inputs, gates, survey_score, review_score, combined_score, eligible, dibao_kind,
               rural_class, monthly_amount_fen, breakdown, parameters, explanation, created_at::text AS created_at
        FROM assessments WHERE case_id = ${caseId} ORDER BY id DESC LIMIT 1`,
  );
}

export async function insertAssessment(
  db: Db,
  a: {
    caseId: number;
    regionCode: string;
    asOf: string;
    inputs: unknown;
    gates: unknown;
    surveyScore: number;
    reviewScore: number | null;
    combinedScore: number;
    eligible: boolean;
    dibaoKind: string;
    ruralClass: number | null;
    amount: number;
    breakdown: unknown;
    parameters: unknown;
    explanation: string;
    by: number | null;
  },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO assessments (case_id, region_code, as_of, inputs, gates, survey_score, review_score, combined_score, eligible, dibao_kind,
                                 rural_class, monthly_amount_fen, breakdown, parameters, explanation, created_by)
        VALUES (${a.caseId}, ${a.regionCode}, ${a.asOf}::date, ${JSON.stringify(a.inputs)}::jsonb, ${JSON.stringify(a.gates)}::jsonb, ${a.surveyScore},
                ${a.reviewScore}, ${a.combinedScore}, ${a.eligible}, ${a.dibaoKind}, ${a.ruralClass}, ${a.amount},
                ${JSON.stringify(a.breakdown)}::jsonb, ${JSON.stringify(a.parameters)}::jsonb, ${a.explanation}, ${a.by})
        RETURNING id`,
  );
  return Number(r!.id);
}

export async function referralsOf(db: Db, caseId: number) {
  return rows(
    db,
    sql`SELECT id, kind, reason, created_at::text AS created_at FROM referrals WHERE case_id = ${caseId} ORDER BY id`,
  );
}

/** The household in scope with what the household-level rules read. */
export async function findHousehold(db: Db, id: number, scope: Scope) {
  return first<{
    id: number;
    region_code: string;
    hukou_type: 'urban' | 'rural';
    housing_rating: 'A' | 'B' | 'C' | 'D' | null;
    head_person_id: number | null;
    head_name: string | null;
    address: string;
    status: string;
  }>(
    db,
    sql`SELECT h.id, h.region_code, h.hukou_type, h.housing_rating, h.head_person_id, h.address, h.status,
               (SELECT p.name FROM persons p WHERE p.id = h.head_person_id) AS head_name
        FROM households h WHERE h.id = ${id} AND ${inScope(sql`h.region_code`, scope)}`,
  );
}

/** Registry facts of a household for the "3+1" assessment (current rows). */
export async function householdFacts(
  db: Db,
  householdId: number,
  stopped: ReadonlySet<number>,
): Promise<HouseholdFacts & { headName: string | null }> {
  const h = await first<{
    hukou_type: 'urban' | 'rural';
    housing_rating: 'A' | 'B' | 'C' | 'D' | null;
    head_person_id: number | null;
  }>(db, sql`SELECT hukou_type, housing_rating, head_person_id FROM households WHERE id = ${householdId}`);
  const members = await rows<{
    id: number;
    name: string;
    birth_date: string;
    hukou_local: boolean;
    labour_capacity: 'full' | 'partial' | 'none' | null;
    health: string | null;
    grave_illness: boolean;
    death_date: string | null;
    disability_level: number | null;
  }>(
    db,
    sql`SELECT p.id, p.name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.hukou_local, p.labour_capacity, p.health, p.grave_illness,
               to_char(p.death_date, 'YYYY-MM-DD') AS death_date, d.disability_level
        FROM persons p LEFT JOIN disability_certs d ON d.person_id = p.id
        WHERE p.household_id = ${householdId} ORDER BY p.id`,
  );
  const income = await rows<{ kind: string; period: 'monthly' | 'annual'; amount_fen: number }>(
    db,
    sql`SELECT kind, period, amount_fen FROM income_items WHERE household_id = ${householdId} ORDER BY id`,
  );
  const property = await rows<{ kind: string; value_fen: number }>(
    db,
    sql`SELECT kind, value_fen FROM property_items WHERE household_id = ${householdId} ORDER BY id`,
  );
  const headId = h?.head_person_id === null || h?.head_person_id === undefined ? null : Number(h.head_person_id);
  return {
    hukouType: h?.hukou_type ?? 'rural',
    housingRating: h?.housing_rating ?? null,
    headName: members.find((m) => Number(m.id) === headId)?.name ?? null,
    members: members.map((m) => ({
      personId: Number(m.id),
      name: m.name,
      birthDate: m.birth_date,
      hukouLocal: m.hukou_local,
      isHead: Number(m.id) === headId,
      labourCapacity: m.labour_capacity,
      health: m.health,
      graveIllness: m.grave_illness,
      disabilityLevel: m.disability_level === null ? null : Number(m.disability_level),
      deathDate: m.death_date,
      shareStopped: stopped.has(Number(m.id)),
    })),
    income: income.map((i) => ({ kind: i.kind, period: i.period, amountFen: Number(i.amount_fen) })),
    property: property.map((p) => ({ kind: p.kind, valueFen: Number(p.value_fen) })),
  };
}

// ---- configuration: parameters, workflow definitions, calendar -------------------------------------------------
