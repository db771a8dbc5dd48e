/**
 * Case engine use cases (programme-agnostic): open a case, complete steps of its workflow-as-data definition, 公示 and
 * worklists (公示, refusals and the rest of the procedure: procedure.ts; the case view and guards: case-view.ts). Each use case: load → scope → rules → write in
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
import { addDays, todayCst } from '../../../domain/calendar.js';
import { reviewScoreOf } from '../../../domain/programs/dibao/rules.js';
import {
  isSubsidyProgramme,
  SUBSIDY_NAME_ZH,
  SUBSIDY_PROGRAMMES,
} from '../../../domain/programs/disability/workflow.js';
import {
  type CaseProgress,
  checkStep,
  dueDate,
  missingMaterials,
  pendingStep,
} from '../../../domain/workflow/engine.js';
import { sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { assessCase } from './dibao.js';
import { assessSubsidy } from './disability.js';
import { assessTekun, drawRecheck } from './tekun.js';
import {
  addEvent,
  addRequirements,
  findCase,
  findHousehold,
  findOpenCase,
  findOpenPersonCase,
  activePersonEnrollment,
  insertCase,
  insertStepData,
  latestStepData,
  listCases as listCasesRepo,
  materialKindsOnFile,
} from './repo.js';
import { loadCalendar, resolveWorkflow } from './config-repo.js';

import {
  DEFAULT_WORKFLOWS,
  stepError,
  readableProgrammes,
  progressOf,
  presentCaseSummary,
  caseDetail,
  mustFind,
  assertVersion,
  assertOpen,
  saveProgress,
} from './case-view.js';
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
