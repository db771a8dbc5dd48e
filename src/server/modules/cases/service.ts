/**
 * Case engine use cases (programme-agnostic): open a case, complete steps of its workflow-as-data definition, 公示 and
 * objections, refusals, ending the procedure, referrals, worklists. Each use case: load → scope → rules → write in
 * one transaction → audit in the same transaction. 低保 specifics live in dibao.ts and recipients.ts.
 */
import type { z } from 'zod';
import {
  AcceptanceData,
  CountyVisitData,
  DemocraticReviewData,
  DisabilityReviewData,
  InvestigationData,
  PublicityCompleteData,
  TekunInvestigationData,
} from '../../../contracts/cases.js';
import { addDays, addWorkingDays, todayCst, type WorkCalendar } from '../../../domain/calendar.js';
import { reviewScoreOf } from '../../../domain/programs/dibao/rules.js';
import { defaultDibaoWorkflow } from '../../../domain/programs/dibao/workflow.js';
import {
  disabilityLivingWorkflow,
  disabilityNursingWorkflow,
  isSubsidyProgramme,
  SUBSIDY_NAME_ZH,
  SUBSIDY_PROGRAMMES,
} from '../../../domain/programs/disability/workflow.js';
import { tekunCaseWorkflow } from '../../../domain/programs/tekun/workflow.js';
import {
  type CaseProgress,
  checklist,
  checkStep,
  dueDate,
  missingMaterials,
  pendingStep,
  reopenFrom,
  stepApplies,
  type WorkflowDefinition,
} from '../../../domain/workflow/engine.js';
import type { Db } from '../../db/client.js';
import { sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { noticesOfCase } from '../notices/repo.js';
import { draftNotice, presentNotice } from '../notices/service.js';
import { assessCase, oneTimeNotice, refusalNotice } from './dibao.js';
import { assessSubsidy, subsidyRefusalNotice } from './disability.js';
import { assessTekun, drawRecheck, tekunRefusalNotice } from './tekun.js';
import { recheckOf } from './tekun-repo.js';
import {
  addEvent,
  addRequirements,
  type CaseRow,
  findCase,
  findHousehold,
  findOpenCase,
  findOpenPersonCase,
  activePersonEnrollment,
  insertCase,
  insertReferral,
  insertStepData,
  latestAssessment,
  latestStepData,
  listCases as listCasesRepo,
  loadCalendar,
  materialKindsOnFile,
  materialsOf,
  referralsOf,
  requirementsOf,
  resolveWorkflow,
  stepDataOf,
  timelineOf,
  updateCase,
} from './repo.js';

export const DEFAULT_WORKFLOWS: Record<string, WorkflowDefinition> = {
  dibao: defaultDibaoWorkflow,
  tekun: tekunCaseWorkflow,
  disability_living: disabilityLivingWorkflow,
  disability_nursing: disabilityNursingWorkflow,
};

const STEP_DATA: Record<string, Record<string, z.ZodType>> = {
  dibao: {
    acceptance: AcceptanceData,
    investigation: InvestigationData,
    democratic_review: DemocraticReviewData,
    publicity: PublicityCompleteData,
    county_visit: CountyVisitData,
  },
  tekun: {
    acceptance: AcceptanceData,
    investigation: TekunInvestigationData,
    democratic_review: DemocraticReviewData,
    publicity: PublicityCompleteData,
  },
  disability_living: { acceptance: AcceptanceData, township_review: DisabilityReviewData },
  disability_nursing: { acceptance: AcceptanceData, township_review: DisabilityReviewData },
};

/** Person-level programmes: the case is for one person (the applicant), not the household. */
export const PERSON_PROGRAMMES = new Set(['tekun', ...SUBSIDY_PROGRAMMES]);

/**
 * Programmes whose cases the actor may read: every programme with cases.read; only the disability subsidies for the
 * 残联 liaison (disability.cases.read). null = no restriction.
 */
export function readableProgrammes(permissions: ReadonlySet<string>): string[] | null {
  if (permissions.has('cases.read')) return null;
  return permissions.has('disability.cases.read') ? [...SUBSIDY_PROGRAMMES] : [];
}

/** Refusal notice texts per programme (S7). */
function refusalNoticeOf(programme: string) {
  if (programme === 'tekun') return tekunRefusalNotice;
  if (isSubsidyProgramme(programme)) return subsidyRefusalNotice;
  return refusalNotice;
}
export { refusalNoticeOf };

export const progressOf = (c: CaseRow): CaseProgress => ({
  completed: c.completed,
  flags: c.flags as CaseProgress['flags'],
});

function stepName(def: WorkflowDefinition, code: string | null) {
  return def.steps.find((s) => s.code === code)?.nameZh ?? null;
}

export function presentCaseSummary(c: CaseRow, today = todayCst()) {
  return {
    id: c.id,
    caseNo: c.case_no,
    programme: c.programme,
    householdId: c.household_id,
    headName: c.head_name,
    applicantName: c.applicant_name,
    regionCode: c.region_code,
    regionName: c.region_name,
    status: c.status,
    currentStep: c.status === 'open' ? c.current_step : null,
    currentStepName: c.status === 'open' ? stepName(c.workflow, c.current_step) : null,
    currentDueOn: c.status === 'open' ? c.current_due_on : null,
    overdue: c.status === 'open' && c.current_due_on !== null && c.current_due_on < today,
    separateRegistration: c.flags.separateRegistration === true,
    assessedEligible: c.assessed_eligible,
    appliedOn: c.applied_on,
    decidedOn: c.decided_on,
    dibaoKind: c.dibao_kind,
    ruralClass: c.rural_class,
    monthlyAmountFen: c.monthly_amount_fen,
    validUntil: c.valid_until,
    nextReviewOn: c.next_review_on,
    careTier: c.care_tier,
    version: c.version,
  };
}

/** Due date of the pending step: its own limit, else the whole-procedure limit from acceptance ([A art.22]). */
export function pendingDue(
  def: WorkflowDefinition,
  p: CaseProgress,
  cal: WorkCalendar,
): { step: string | null; due: string | null } {
  const next = pendingStep(def, p);
  if (!next) return { step: null, due: null };
  const own = dueDate(next, p, cal);
  if (own) return { step: next.code, due: own };
  const from = def.totalLimit ? p.completed[def.totalLimit.from] : undefined;
  return {
    step: next.code,
    due: from && def.totalLimit ? addWorkingDays(from, def.totalLimit.workingDays, cal) : null,
  };
}

export async function caseDetail(
  db: Db,
  c: CaseRow,
  extra: { budgetWarning?: string | null; existing?: boolean } = {},
) {
  const def = c.workflow;
  const p = progressOf(c);
  const cal = await loadCalendar(db, c.county_code);
  const onFile = await materialKindsOnFile(db, c.id);
  const mats = await materialsOf(db, c.id);
  const reqs = await requirementsOf(db, c.id);
  const reqKinds = new Set(reqs.map((r) => r.kind));
  const items = [...checklist(def, p), ...(def.archive ?? []).map((m) => ({ ...m, step: 'archive' }))];
  const present = reqs.filter((r) => onFile.has(r.kind)).length;
  const assessment = await latestAssessment(db, c.id);
  return {
    ...presentCaseSummary(c),
    flags: c.flags,
    workflow: {
      code: def.code,
      nameZh: def.nameZh,
      decisionBody: def.decisionBody,
      steps: def.steps as unknown as Record<string, unknown>[],
    },
    steps: def.steps.map((s) => {
      const applies = stepApplies(s, p.flags);
      const done = p.completed[s.code] ?? null;
      return {
        code: s.code,
        nameZh: s.nameZh,
        applies,
        completedOn: done,
        dueOn: applies && !done ? (c.current_step === s.code ? c.current_due_on : dueDate(s, p, cal)) : null,
        permission: s.permission,
        missingMaterials: applies && !done ? missingMaterials(s, onFile) : [],
      };
    }),
    stepData: (await stepDataOf(db, c.id)).map((s) => ({
      step: s.step,
      round: Number(s.round),
      data: s.data,
      completedOn: s.completed_on,
    })),
    timeline: (await timelineOf(db, c.id)).map((e) => ({
      at: e.at,
      action: e.action,
      step: e.step,
      actor: e.actor_name,
      detail: e.detail,
    })),
    assessment: assessment
      ? {
          ...assessment,
          id: Number(assessment.id),
          monthly_amount_fen: assessment.monthly_amount_fen === null ? null : Number(assessment.monthly_amount_fen),
        }
      : null,
    notices: (await noticesOfCase(db, c.id)).map(presentNotice) as unknown as Record<string, unknown>[],
    checklist: items.map((m) => ({
      kind: m.kind,
      nameZh: m.nameZh,
      step: m.step,
      required: reqKinds.has(m.kind),
      materials: mats
        .filter((x) => x.kind === m.kind)
        .map((x) => ({
          id: Number(x.id),
          filename: x.filename,
          mime: x.mime,
          sizeBytes: Number(x.size_bytes),
          sha256: x.sha256,
          uploadedAt: x.uploaded_at,
        })),
    })),
    completeness: {
      required: reqs.length,
      present,
      pct: reqs.length ? Math.floor((present * 100) / reqs.length) : 100,
    },
    referrals: (await referralsOf(db, c.id)) as Record<string, unknown>[],
    applicantPersonId: c.applicant_person_id,
    recheck: ((await recheckOf(db, c.id)) as Record<string, unknown> | undefined) ?? null,
    ...(extra.budgetWarning !== undefined ? { budgetWarning: extra.budgetWarning } : {}),
    ...(extra.existing ? { existing: true } : {}),
  };
}

async function mustFind(db: Db, ctx: UseCaseContext, id: number, lock = false) {
  const c = await findCase(db, id, ctx.actor.scope, lock);
  if (!c) throw new AppError('NOT_FOUND');
  return c;
}

export function assertVersion(c: CaseRow, version: number) {
  if (c.version !== version) throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: c.version } });
}

export function assertOpen(c: CaseRow) {
  if (c.status !== 'open')
    throw new AppError('INVALID_STATE', {
      detail: `案件已办结（${STATUS_ZH[c.status] ?? c.status}），不能再办理审核步骤`,
    });
}

export const STATUS_ZH: Record<string, string> = {
  open: '办理中',
  approved: '已确认',
  rejected: '不予确认',
  ended: '已终止',
  withdrawn: '已撤回',
  exited: '已退出',
};

/** Stores the new progress and the pending step's due date; null version → VERSION_CONFLICT. */
export async function saveProgress(tx: Db, c: CaseRow, p: CaseProgress, extraSet = sql``) {
  const cal = await loadCalendar(tx, c.county_code);
  const next = pendingDue(c.workflow, p, cal);
  const v = await updateCase(
    tx,
    c.id,
    c.version,
    sql`completed = ${JSON.stringify(p.completed)}::jsonb, flags = ${JSON.stringify(p.flags)}::jsonb, current_step = ${next.step}, current_due_on = ${next.due}::date ${extraSet}`,
  );
  if (v === null) throw new AppError('VERSION_CONFLICT');
}

// ---- open ---------------------------------------------------------------------------------------------------------

export async function openCase(
  ctx: UseCaseContext,
  input: {
    programme: 'dibao' | 'tekun' | 'disability_living' | 'disability_nursing';
    householdId: number;
    applicantPersonId?: number;
    appliedOn?: string;
    relatedToStaff: boolean;
    relationNote?: string;
  },
) {
  return inTransaction(ctx.db, async (tx) => {
    const h = await findHousehold(tx, input.householdId, ctx.actor.scope);
    if (!h) throw new AppError('NOT_FOUND', { detail: '未找到该家庭，或不在您的管辖范围内' });
    const applyPermission = isSubsidyProgramme(input.programme) ? 'disability.apply' : `${input.programme}.apply`;
    if (!ctx.actor.permissions.has(applyPermission))
      throw new AppError('FORBIDDEN', { detail: `受理该项目的申请须具有 ${applyPermission} 权限` });
    const perPerson = PERSON_PROGRAMMES.has(input.programme);
    if (perPerson && !input.applicantPersonId)
      throw new AppError('VALIDATION_FAILED', {
        fields: [
          {
            field: 'applicantPersonId',
            code: 'required',
            message:
              input.programme === 'tekun'
                ? '特困人员认定按个人申请，须指明申请人（特困人员认定办法 第十三条）'
                : `${SUBSIDY_NAME_ZH[input.programme as 'disability_living']}由残疾人本人申请，须指明申请人（POLICY.md §4）`,
          },
        ],
      });
    // Double submission: one open case per household (低保) or per person (特困) and programme — answer the existing one.
    const existing = perPerson
      ? await findOpenPersonCase(tx, input.applicantPersonId!, input.programme)
      : await findOpenCase(tx, input.householdId, input.programme);
    if (existing)
      return {
        created: false,
        view: await caseDetail(tx, (await findCase(tx, existing, ctx.actor.scope))!, { existing: true }),
      };
    if (h.status !== 'active') throw new AppError('INVALID_STATE', { detail: '该家庭户已注销，不能申请' });
    if (perPerson && (await activePersonEnrollment(tx, input.applicantPersonId!, input.programme)))
      throw new AppError('INVALID_STATE', {
        detail: `申请人已在享受该项目（${input.programme === 'tekun' ? '特困人员救助供养' : SUBSIDY_NAME_ZH[input.programme as 'disability_living']}），不能重复申请`,
      });
    const today = todayCst();
    const appliedOn = input.appliedOn ?? today;
    if (appliedOn > today)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'appliedOn', code: 'future', message: '申请日期不能晚于今天' }],
      });
    if (input.applicantPersonId) {
      const m = await tx.execute(
        sql`SELECT 1 FROM persons WHERE id = ${input.applicantPersonId} AND household_id = ${input.householdId}`,
      );
      if (!(m as unknown as { rows: unknown[] }).rows.length) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [
            {
              field: 'applicantPersonId',
              code: 'not_member',
              message: perPerson
                ? '申请人须为该户登记的家庭成员'
                : '申请人须为该户共同生活的家庭成员（最低生活保障审核确认办法 第八条）',
            },
          ],
        });
      }
    }
    const wf = await resolveWorkflow(tx, input.programme, h.region_code, appliedOn);
    const def = wf?.definition ?? DEFAULT_WORKFLOWS[input.programme]!;
    const flags = {
      separateRegistration: input.relatedToStaff,
      ...(input.relationNote ? { relationNote: input.relationNote } : {}),
    };
    const first = pendingStep(def, { completed: {}, flags })!;
    const id = await insertCase(tx, {
      programme: input.programme,
      householdId: input.householdId,
      applicantPersonId: input.applicantPersonId ?? h.head_person_id ?? null,
      regionCode: h.region_code,
      workflow: def,
      workflowId: wf ? Number(wf.id) : null,
      flags,
      appliedOn,
      currentStep: first.code,
      createdBy: ctx.actor.id,
    });
    await addEvent(tx, {
      caseId: id,
      regionCode: h.region_code,
      action: 'case.open',
      detail: { workflow: def.code, separateRegistration: input.relatedToStaff },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    if (input.relatedToStaff) {
      await addEvent(tx, {
        caseId: id,
        regionCode: h.region_code,
        action: 'case.separate_registration',
        detail: { note: input.relationNote ?? '', citation: '最低生活保障审核确认办法 第十一条' },
        actorId: ctx.actor.id,
        actorName: ctx.actor.username,
      });
    }
    await writeAudit(tx, ctx.actor, {
      action: 'case.open',
      entityType: 'case',
      entityId: id,
      regionCode: h.region_code,
      diff: {
        householdId: input.householdId,
        programme: input.programme,
        workflow: def.code,
        separateRegistration: input.relatedToStaff,
      },
    });
    return { created: true, view: await caseDetail(tx, (await findCase(tx, id, ctx.actor.scope))!) };
  });
}

export async function getCase(ctx: UseCaseContext, id: number) {
  const c = await mustFind(ctx.db, ctx, id);
  const readable = readableProgrammes(ctx.actor.permissions);
  if (readable && !readable.includes(c.programme)) throw new AppError('NOT_FOUND');
  return caseDetail(ctx.db, c);
}

export async function listCases(
  ctx: UseCaseContext,
  q: {
    worklist: string;
    programme?: string;
    status?: string;
    regionCode?: string;
    householdId?: number;
    cursor?: string;
    limit: number;
  },
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const c = decodeCursor(q.cursor, 1);
  const today = todayCst();
  const fetched = await listCasesRepo(ctx.db, ctx.actor.scope, {
    ...q,
    programmes: readableProgrammes(ctx.actor.permissions),
    after: c ? Number(c[0]) : undefined,
    today,
  });
  return pageOf(
    fetched,
    q.limit,
    (r) => [r.id],
    (r) => presentCaseSummary(r, today),
  );
}

// ---- steps --------------------------------------------------------------------------------------------------------

function stepError(check: Exclude<ReturnType<typeof checkStep>, { ok: true }>, stepCode: string): AppError {
  switch (check.reason) {
    case 'unknown_step':
      return new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'step', code: 'unknown_step', message: `本流程没有步骤 ${stepCode}` }],
      });
    case 'not_applicable':
      return new AppError('INVALID_STATE', { detail: `本案不适用“${check.step.nameZh}”步骤` });
    case 'already_done':
      return new AppError('INVALID_STATE', { detail: `“${check.step.nameZh}”已完成` });
    case 'out_of_order':
      return new AppError('INVALID_STATE', {
        detail: `须先完成：${check.mustFirst.map((s) => s.nameZh).join('、')}，才能办理“${check.step.nameZh}”`,
        extra: { mustFirst: check.mustFirst.map((s) => ({ code: s.code, nameZh: s.nameZh })) },
      });
    case 'forbidden':
      return new AppError('FORBIDDEN', {
        detail: `“${check.step.nameZh}”须由具有 ${check.step.permission} 权限的角色办理`,
      });
  }
}

function parseStepData(programme: string, step: string, data: unknown) {
  const schema = STEP_DATA[programme]?.[step];
  if (!schema) {
    if (data && typeof data === 'object' && Object.keys(data).length) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'data', code: 'unexpected', message: `步骤 ${step} 不接受附加数据` }],
      });
    }
    return {};
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    throw new AppError('VALIDATION_FAILED', {
      fields: r.error.issues.map((i) => ({
        field: ['data', ...i.path]
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replaceAll('.[', '['),
        code: i.code,
        message: i.message,
      })),
    });
  }
  return r.data as Record<string, unknown>;
}

/**
 * Completes a step of the case's workflow. Out of order → 409 naming what must happen first; wrong role → 403;
 * materials missing → 409 listing all of them; the same step submitted twice → the case unchanged (idempotent).
 */
export async function completeStep(
  ctx: UseCaseContext,
  id: number,
  stepCode: string,
  input: { version: number; data: Record<string, unknown> },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertOpen(c);
    const def = c.workflow;
    if (stepCode === def.decisionStep) {
      throw new AppError('INVALID_STATE', { detail: '审核确认请使用“确认/不予确认”操作（POST /cases/{id}/decision）' });
    }
    const p = progressOf(c);
    const check = checkStep(def, p, stepCode, ctx.actor.permissions);
    if (!check.ok) {
      if (check.reason === 'already_done') return caseDetail(tx, c); // double submission
      throw stepError(check, stepCode);
    }
    assertVersion(c, input.version);
    const data = parseStepData(c.programme, stepCode, input.data);
    const step = check.step;
    const onFile = await materialKindsOnFile(tx, c.id);
    const missing = missingMaterials(step, onFile);
    if (missing.length) {
      throw new AppError('MATERIALS_MISSING', {
        detail: `“${step.nameZh}”缺少以下材料：${missing.map((m) => m.nameZh).join('、')}`,
        extra: { missing },
      });
    }
    const today = todayCst();
    let on = today;
    let extraSet = sql``;
    if (stepCode === 'acceptance') {
      on = (data.acceptedOn as string | undefined) ?? today;
      if (on > today || on < c.applied_on)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'data.acceptedOn', code: 'out_of_range', message: '受理日期应在申请日期与今天之间' }],
        });
      extraSet = sql`, accepted_on = ${on}::date`;
    }
    if (stepCode === 'investigation' && c.programme === 'dibao') {
      const inv = data as z.infer<typeof InvestigationData>;
      if (inv.verification.resultOn < inv.verification.requestedOn) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [
            {
              field: 'data.verification.resultOn',
              code: 'before_request',
              message: '核对结果日期不能早于核对申请日期',
            },
          ],
        });
      }
      extraSet = sql`, last_visit_rating = ${inv.visitForm.hardshipRating}`;
    }
    if (stepCode === 'democratic_review') {
      const r = data as z.infer<typeof DemocraticReviewData>;
      const votes = r.votesFor + r.votesAgainst + r.abstentions;
      if (votes > r.participants.length) {
        throw new AppError('VALIDATION_FAILED', {
          fields: [
            {
              field: 'data.votesFor',
              code: 'too_many_votes',
              message: `票数合计 ${votes} 超过参加人数 ${r.participants.length}`,
            },
          ],
        });
      }
      extraSet = sql`, last_review_score = ${reviewScoreOf(r.votesFor, r.votesAgainst, r.abstentions)}`;
    }
    if (stepCode === 'publicity') {
      const start = c.flags.publicityStartOn as string | undefined;
      const min = step.minCalendarDays ?? 0;
      if (!start) throw new AppError('INVALID_STATE', { detail: '须先开始公示（登记公示开始日期和地点）' });
      if (addDays(start, min) > today) {
        throw new AppError('INVALID_STATE', {
          detail: `公示期 ${min} 天未满（${start} 开始，${addDays(start, min)} 起方可结束公示）`,
        });
      }
      const open = ((c.flags.objections as Array<{ handled?: boolean }> | undefined) ?? []).filter((o) => !o.handled);
      if (open.length) throw new AppError('INVALID_STATE', { detail: '公示期间的异议尚未处理' });
    }
    let assessmentResult: { eligible: boolean } | null = null;
    if (stepCode === 'assessment' && c.programme === 'dibao') {
      const review = await latestStepData<{ votesFor: number; votesAgainst: number; abstentions: number }>(
        tx,
        c.id,
        'democratic_review',
      );
      const reviewHeld = review !== undefined && p.completed.democratic_review !== undefined;
      const { result } = await assessCase(tx, c, {
        asOf: today,
        visitRating: c.last_visit_rating,
        reviewScore: reviewHeld ? reviewScoreOf(review.votesFor, review.votesAgainst, review.abstentions ?? 0) : null,
        by: ctx.actor.id,
      });
      assessmentResult = result;
      data.assessment = {
        eligible: result.eligible,
        combinedScore: result.combinedScore,
        ruralClass: result.ruralClass,
        monthlyAmountFen: result.monthlyAmountFen,
      };
      extraSet = sql`, assessed_eligible = ${result.eligible}, dibao_kind = ${result.dibaoKind}, rural_class = ${result.ruralClass}, monthly_amount_fen = ${result.monthlyAmountFen}, members_count = ${result.membersCount}`;
    }
    if (stepCode === 'investigation' && c.programme === 'tekun') {
      // 特困 conditions and the care tier from the six activities, through the pure rules [C arts.5–9, 21–23].
      const inv = data as z.infer<typeof TekunInvestigationData>;
      if (inv.visitedOn > today || inv.visitedOn < (c.accepted_on ?? c.applied_on))
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'data.visitedOn', code: 'out_of_range', message: '入户调查日期应在受理日期与今天之间' }],
        });
      const r = await assessTekun(tx, ctx.actor.scope, c, inv, { asOf: today, by: ctx.actor.id });
      assessmentResult = { eligible: r.eligible };
      data.assessment = {
        eligible: r.decision.eligible,
        careTier: r.tier,
        monthlyAmountFen: r.decision.monthlyAmountFen,
      };
      extraSet = sql`, assessed_eligible = ${r.eligible}, care_tier = ${r.tier}, monthly_amount_fen = ${r.eligible ? r.decision.monthlyAmountFen : null}, members_count = 1`;
    }
    if (stepCode === 'township_review' && isSubsidyProgramme(c.programme)) {
      // The subsidy's pure rule as of the application date with the registry facts [POLICY.md §4].
      const r = await assessSubsidy(tx, ctx.actor.scope, c, { by: ctx.actor.id });
      assessmentResult = { eligible: r.payable };
      data.assessment = {
        eligible: r.decision.eligible,
        payable: r.payable,
        monthlyAmountFen: r.decision.monthlyAmountFen,
        funding: r.decision.funding,
      };
      extraSet = sql`, assessed_eligible = ${r.payable}, monthly_amount_fen = ${r.payable ? r.decision.monthlyAmountFen : null}, members_count = 1`;
    }
    if (stepCode === 'publicity' && c.programme === 'tekun') {
      // The county's ≥ 30% random re-check is drawn as the case reaches the county [C art.16].
      const draw = await drawRecheck(tx, c, today);
      data.recheck = draw;
    }
    const cal = await loadCalendar(tx, c.county_code);
    await insertStepData(tx, {
      caseId: c.id,
      step: stepCode,
      regionCode: c.region_code,
      data,
      dueOn: dueDate(step, p, cal),
      completedOn: on,
      by: ctx.actor.id,
    });
    await addRequirements(
      tx,
      c.id,
      c.region_code,
      step.materials.map((m) => ({ ...m, step: step.code })),
    );
    const next: CaseProgress = { completed: { ...p.completed, [stepCode]: on }, flags: p.flags };
    await saveProgress(tx, c, next, extraSet);
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'step.complete',
      step: stepCode,
      detail: assessmentResult ? { eligible: assessmentResult.eligible } : {},
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: `case.step.${stepCode}`,
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { step: stepCode, completedOn: on, data },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** 公示 starts (7 days in the village, [A art.19]) — after the first review. */
export async function startPublicity(
  ctx: UseCaseContext,
  id: number,
  input: { version: number; startOn: string; place: string },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertOpen(c);
    const p = progressOf(c);
    const check = checkStep(c.workflow, p, 'publicity', ctx.actor.permissions);
    if (!check.ok) throw stepError(check, 'publicity');
    assertVersion(c, input.version);
    if (c.flags.publicityStartOn) return caseDetail(tx, c);
    const lastDone = Object.values(p.completed).sort().at(-1) ?? c.applied_on;
    if (input.startOn > todayCst() || input.startOn < lastDone) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'startOn', code: 'out_of_range', message: `公示开始日期应在 ${lastDone} 与今天之间` }],
      });
    }
    const flags = { ...c.flags, publicityStartOn: input.startOn, publicityPlace: input.place };
    await saveProgress(tx, c, { completed: p.completed, flags: flags as CaseProgress['flags'] });
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'publicity.start',
      step: 'publicity',
      detail: {
        startOn: input.startOn,
        endOn: addDays(input.startOn, (check.step.minCalendarDays ?? 7) - 1),
        place: input.place,
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.publicity.start',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { startOn: input.startOn, place: input.place },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/**
 * An objection during 公示 [A art.19]: the case goes back to re-investigation or 民主评议, the first review is
 * re-issued and 公示 runs again. The objection and its handling are recorded on the timeline.
 */
export async function raiseObjection(
  ctx: UseCaseContext,
  id: number,
  input: { version: number; raisedBy: string; content: string; handling: 're_investigate' | 'democratic_review' },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertOpen(c);
    if (c.current_step !== 'publicity' || !c.flags.publicityStartOn)
      throw new AppError('INVALID_STATE', { detail: '只有公示期间才能登记异议（须先开始公示）' });
    if (!ctx.actor.permissions.has(c.workflow.steps.find((s) => s.code === 'publicity')!.permission))
      throw new AppError('FORBIDDEN');
    assertVersion(c, input.version);
    const from = input.handling === 're_investigate' ? 'investigation' : 'democratic_review';
    const p = reopenFrom(c.workflow, progressOf(c), from);
    const objections = [
      ...((c.flags.objections as unknown[]) ?? []),
      { raisedBy: input.raisedBy, content: input.content, handling: input.handling, on: todayCst(), handled: true },
    ];
    const { publicityStartOn: _s, publicityPlace: _p, ...rest } = p.flags as Record<string, unknown>;
    await saveProgress(
      tx,
      c,
      {
        completed: p.completed,
        flags: { ...(rest as CaseProgress['flags']), objection: true, objections } as CaseProgress['flags'],
      },
      sql`, assessed_eligible = NULL`,
    );
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'publicity.objection',
      step: 'publicity',
      detail: { raisedBy: input.raisedBy, content: input.content, handling: input.handling, reopenedFrom: from },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.objection',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { handling: input.handling },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** Refusal before the decision (不予受理 at acceptance, 初审不通过 by the township), with a draft notice (S7). */
export async function rejectCase(ctx: UseCaseContext, id: number, input: { version: number; reason: string }) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertOpen(c);
    const def = c.workflow;
    const rule = def.rejections.find((r) => r.atStep === c.current_step && r.atStep !== def.decisionStep);
    if (!rule) {
      throw new AppError('INVALID_STATE', {
        detail:
          c.current_step === def.decisionStep
            ? '审核确认阶段请使用“不予确认”决定'
            : `当前步骤（${stepName(def, c.current_step)}）不能作出不予受理或初审不通过`,
      });
    }
    if (!ctx.actor.permissions.has(rule.permission)) throw new AppError('FORBIDDEN');
    assertVersion(c, input.version);
    const a = await latestAssessment(tx, c.id);
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`status = 'rejected', decision = 'rejected', decision_reason = ${input.reason}, decided_on = ${todayCst()}::date, current_step = NULL, current_due_on = NULL`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    const notice = refusalNoticeOf(c.programme);
    const noticeId = await draftNotice(
      tx,
      ctx.actor.id,
      notice(c, rule.notice as 'not_accepted' | 'not_confirmed', rule.issuer, input.reason, a as never),
    );
    await addRequirements(
      tx,
      c.id,
      c.region_code,
      (def.archive ?? []).map((m) => ({ ...m, step: 'archive' })),
    );
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'case.reject',
      step: c.current_step,
      detail: { reason: input.reason, noticeId },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.reject',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { atStep: c.current_step, reason: input.reason, noticeId },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** Non-cooperation: the procedure is ended [A art.29]. */
export async function endProcedure(ctx: UseCaseContext, id: number, input: { version: number; reason: string }) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertOpen(c);
    const step = c.workflow.steps.find((s) => s.code === c.current_step);
    if (!step || !ctx.actor.permissions.has(step.permission))
      throw new AppError('FORBIDDEN', { detail: '终止程序须由当前步骤的办理角色操作' });
    assertVersion(c, input.version);
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`status = 'ended', decision_reason = ${input.reason}, current_step = NULL, current_due_on = NULL`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'case.end',
      detail: {
        reason: input.reason,
        citation:
          c.programme === 'tekun'
            ? '特困人员认定办法 第十三至十八条'
            : isSubsidyProgramme(c.programme)
              ? 'POLICY.md §4 [K] 申请审核程序'
              : '最低生活保障审核确认办法 第二十九条',
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.end',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { reason: input.reason },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** Referral to temporary or medical assistance (S4: whoever cannot be included at once is helped first). */
export async function addReferral(
  ctx: UseCaseContext,
  id: number,
  input: { kind: 'temporary' | 'medical'; reason: string },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id);
    const refId = await insertReferral(tx, {
      caseId: c.id,
      householdId: c.household_id,
      regionCode: c.region_code,
      kind: input.kind,
      reason: input.reason,
      by: ctx.actor.id,
    });
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'referral',
      detail: { referralId: refId, kind: input.kind, reason: input.reason },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.referral',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { kind: input.kind, reason: input.reason },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** 一次性告知书 listing every material still missing for a step ([A art.10]). */
export async function draftOneTimeNotice(ctx: UseCaseContext, id: number, input: { step: string }) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id);
    assertOpen(c);
    const step = c.workflow.steps.find((s) => s.code === input.step);
    if (!step)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'step', code: 'unknown_step', message: `本流程没有步骤 ${input.step}` }],
      });
    const missing = missingMaterials(step, await materialKindsOnFile(tx, c.id));
    if (!missing.length)
      throw new AppError('INVALID_STATE', { detail: `“${step.nameZh}”所需材料已齐全，无需一次性告知` });
    const noticeId = await draftNotice(tx, ctx.actor.id, oneTimeNotice(c, missing));
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'notice.one_time',
      step: step.code,
      detail: { noticeId, missing },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'notice.draft',
      entityType: 'notice',
      entityId: noticeId,
      regionCode: c.region_code,
      diff: { kind: 'one_time', missing: missing.map((m) => m.kind) },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

export { mustFind };
