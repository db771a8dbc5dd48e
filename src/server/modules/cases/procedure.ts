import { addDays, todayCst } from '../../../domain/calendar.js';
import { isSubsidyProgramme } from '../../../domain/programs/disability/workflow.js';
import { type CaseProgress, checkStep, missingMaterials, reopenFrom } from '../../../domain/workflow/engine.js';
import { sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice } from '../notices/service.js';
import { oneTimeNotice } from './dibao.js';
import { addEvent, addRequirements, findCase, latestAssessment, materialKindsOnFile, updateCase } from './repo.js';
import { insertReferral } from './recipients-repo.js';

import {
  refusalNoticeOf,
  progressOf,
  caseDetail,
  mustFind,
  assertVersion,
  assertOpen,
  saveProgress,
  stepError,
  stepName,
} from './case-view.js';
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
