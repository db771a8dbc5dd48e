import { addWorkingDays, todayCst, type WorkCalendar } from '../../../domain/calendar.js';
import { defaultDibaoWorkflow } from '../../../domain/programs/dibao/workflow.js';
import {
  disabilityLivingWorkflow,
  disabilityNursingWorkflow,
  isSubsidyProgramme,
  SUBSIDY_PROGRAMMES,
} from '../../../domain/programs/disability/workflow.js';
import { tekunCaseWorkflow } from '../../../domain/programs/tekun/workflow.js';
import {
  type CaseProgress,
  checklist,
  type checkStep,
  dueDate,
  missingMaterials,
  pendingStep,
  stepApplies,
  type WorkflowDefinition,
} from '../../../domain/workflow/engine.js';
import type { Db } from '../../db/client.js';
import { sql } from '../../db/client.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { noticesOfCase } from '../notices/repo.js';
import { presentNotice } from '../notices/service.js';
import { refusalNotice } from './dibao.js';
import { subsidyRefusalNotice } from './disability.js';
import { tekunRefusalNotice } from './tekun.js';
import { recheckOf } from './tekun-repo.js';
import {
  type CaseRow,
  findCase,
  latestAssessment,
  materialKindsOnFile,
  materialsOf,
  referralsOf,
  requirementsOf,
  stepDataOf,
  timelineOf,
  updateCase,
} from './repo.js';
import { loadCalendar } from './config-repo.js';

export const DEFAULT_WORKFLOWS: Record<string, WorkflowDefinition> = {
  dibao: defaultDibaoWorkflow,
  tekun: tekunCaseWorkflow,
  disability_living: disabilityLivingWorkflow,
  disability_nursing: disabilityNursingWorkflow,
};

/**
 * Programmes whose cases the actor may read: every programme with cases.read; only the disability subsidies for the
 * 残联 liaison (disability.cases.read). null = no restriction.
 */
export function readableProgrammes(permissions: ReadonlySet<string>): string[] | null {
  if (permissions.has('cases.read')) return null;
  return permissions.has('disability.cases.read') ? [...SUBSIDY_PROGRAMMES] : [];
}

/** Refusal notice texts per programme (S7). */
export function refusalNoticeOf(programme: string) {
  if (programme === 'tekun') return tekunRefusalNotice;
  if (isSubsidyProgramme(programme)) return subsidyRefusalNotice;
  return refusalNotice;
}

export const progressOf = (c: CaseRow): CaseProgress => ({
  completed: c.completed,
  flags: c.flags as CaseProgress['flags'],
});

export function stepName(def: WorkflowDefinition, code: string | null) {
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

export async function mustFind(db: Db, ctx: UseCaseContext, id: number, lock = false) {
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

export function stepError(check: Exclude<ReturnType<typeof checkStep>, { ok: true }>, stepCode: string): AppError {
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
