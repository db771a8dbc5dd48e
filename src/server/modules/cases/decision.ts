/**
 * The county's decision on a case of any programme (S7): approve — 低保 amount fixed at approval and paid from the
 * next month with its validity and review cadence, 特困 enrolment (and the 低保 exclusion of the person), a disability
 * subsidy's enrolment — or refuse with the refusal notice; the ≥30% random re-check of 特困 recorded first; the budget
 * position shown, never blocking (S4). programme_enrollments written in the same transaction, audited.
 */
import { addMonths, todayCst } from '../../../domain/calendar.js';
import { formatYuan } from '../../../domain/money.js';
import {
  firstPaymentMonth,
  type HouseholdFacts,
  reviewCadenceMonths,
  validUntil,
} from '../../../domain/programs/dibao/rules.js';
import { isSubsidyProgramme, SUBSIDY_NAME_ZH } from '../../../domain/programs/disability/workflow.js';
import { checkStep, missingMaterials } from '../../../domain/workflow/engine.js';
import { type Db, sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice } from '../notices/service.js';
import { approvalNotice, dibaoSettings } from './dibao.js';
import { enrolSubsidy, subsidyApprovalNotice } from './disability.js';
import { SUBSIDY_REVIEW_MONTHS, subsidyNextReview } from './subsidy-review.js';
import { addEvent, addRequirements, findCase, latestAssessment, materialKindsOnFile, updateCase } from './repo.js';
import {
  budgetPosition,
  endEnrollment,
  flagSubsidyReviews,
  idsSql,
  insertEnrollment,
  insertReviewTask,
} from './recipients-repo.js';
import { resolveParameter } from './config-repo.js';
import { assertOpen, assertVersion, caseDetail, mustFind, progressOf, refusalNoticeOf } from './case-view.js';
import { enrolTekun, tekunApprovalNotice } from './tekun.js';
import { activeDibaoOf, recheckOf, recordRecheckResult } from './tekun-repo.js';

export function addMonthsToDate(date: string, months: number): string {
  const m = addMonths(date.slice(0, 7), months);
  const day = Number(date.slice(8, 10));
  const last = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate();
  return `${m}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Budget position of a county (S4): the figures and a warning on overrun — never a reason to refuse or delay. */
export async function budgetWarningFor(
  db: Db,
  countyCode: string,
  year: number,
  extraMonthlyFen: number,
): Promise<string | null> {
  const b = await resolveParameter<{ annualFen: number }>(db, 'dibao', 'budget', countyCode, `${year}-12-31`, true);
  if (!b) return null;
  const pos = await budgetPosition(db, countyCode);
  const committed = Number(pos?.committed ?? 0) + extraMonthlyFen * 12;
  if (committed <= b.value.annualFen) return null;
  return `预警：按年测算低保资金需求 ${formatYuan(committed)} 元，超过年度预算 ${formatYuan(b.value.annualFen)} 元。依照“不能出现指标不够”的要求（S4），符合条件的必须及时纳入，请及时申请追加资金。`;
}

/**
 * County decision ([A art.20]): approve (amount fixed at approval [A art.23]; paid from the month after [A arts.21, 25];
 * validity and review cadence set [A art.31]) or refuse with a drafted notice (S7). Two approvers at once: the second
 * gets 409 (the row lock serialises them and the version has moved on).
 */
export async function decideCase(
  ctx: UseCaseContext,
  id: number,
  input: {
    version: number;
    decision: 'approve' | 'reject';
    reason?: string;
    recheck?: { checkedOn: string; findings: string; confirmed: boolean };
  },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertOpen(c);
    const def = c.workflow;
    const p = progressOf(c);
    const check = checkStep(def, p, def.decisionStep, ctx.actor.permissions);
    if (!check.ok) {
      if (check.reason === 'out_of_order') {
        throw new AppError('INVALID_STATE', {
          detail: `须先完成：${check.mustFirst.map((s) => s.nameZh).join('、')}，才能作出审核确认决定`,
          extra: { mustFirst: check.mustFirst.map((s) => ({ code: s.code, nameZh: s.nameZh })) },
        });
      }
      if (check.reason === 'forbidden')
        throw new AppError('FORBIDDEN', { detail: `审核确认须由具有 ${check.step.permission} 权限的角色办理` });
      throw new AppError('INVALID_STATE');
    }
    assertVersion(c, input.version);
    const missing = missingMaterials(check.step, await materialKindsOnFile(tx, c.id));
    if (missing.length)
      throw new AppError('MATERIALS_MISSING', {
        detail: `审核确认缺少以下材料：${missing.map((m) => m.nameZh).join('、')}`,
        extra: { missing },
      });
    const a = await latestAssessment(tx, c.id);
    if (!a)
      throw new AppError('INVALID_STATE', {
        detail:
          c.programme === 'tekun'
            ? '须先完成调查核实与认定评估'
            : isSubsidyProgramme(c.programme)
              ? '须先完成乡镇（街道）初审评估'
              : '须先完成“3+1”综合评估',
      });
    const today = todayCst();
    const issuer = def.decisionBody;
    let budgetWarning: string | null = null;
    let tekun: Awaited<ReturnType<typeof enrolTekun>> | null = null;
    if (c.programme === 'tekun') {
      // The county's random re-check of a sampled case must be on record before the decision [C art.16].
      const rc = await recheckOf(tx, c.id);
      if (!rc) throw new AppError('INVALID_STATE', { detail: '县级抽查尚未抽取（须先完成公示）' });
      if (rc.sampled && rc.checked_on === null && !input.recheck)
        throw new AppError('INVALID_STATE', {
          detail: '本案被随机抽中县级抽查（不低于30%），须先录入抽查核实情况（recheck）后再作决定',
          extra: { recheckRequired: true },
        });
      if (input.recheck) {
        if (!rc.sampled)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ field: 'recheck', code: 'not_sampled', message: '本案未被抽中县级抽查' }],
          });
        if (input.recheck.checkedOn > today)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ field: 'recheck.checkedOn', code: 'future', message: '抽查日期不能晚于今天' }],
          });
        await recordRecheckResult(tx, c.id, { ...input.recheck, by: ctx.actor.id });
      }
      const confirmed = input.recheck?.confirmed ?? rc.confirmed;
      if (input.decision === 'approve' && rc.sampled && confirmed === false)
        throw new AppError('INVALID_STATE', { detail: '县级抽查未能核实申请情况，只能作出不予认定决定' });
    }
    if (input.decision === 'approve' && c.programme === 'tekun') {
      if (!a.eligible)
        throw new AppError('INVALID_STATE', { detail: '认定评估结果为不符合特困人员条件，只能作出不予认定决定' });
      const amount = Number(a.monthly_amount_fen ?? 0);
      tekun = await enrolTekun(tx, c, amount, today, ctx.actor.id);
      // 特困 support excludes both disability subsidies for the same person (POLICY.md §4 D7).
      await flagSubsidyReviews(tx, {
        persons: idsSql([c.applicant_person_id!]),
        detail: { source: 'tekun', event: 'approve', caseNo: c.case_no, fromMonth: tekun.startMonth },
      });
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`status = 'approved', decision = 'approved', decided_on = ${today}::date, current_step = NULL, current_due_on = NULL,
            completed = ${JSON.stringify({ ...p.completed, [def.decisionStep]: today })}::jsonb,
            monthly_amount_fen = ${amount}, start_month = ${tekun.startMonth}, review_cadence_months = 12,
            next_review_on = ${tekun.nextReviewOn}::date, enrollment_id = ${tekun.enrollmentId}`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      const noticeId = await draftNotice(tx, ctx.actor.id, tekunApprovalNotice(c, a, tekun.startMonth, issuer));
      if (tekun.dibaoExclusion) {
        const dibao = await activeDibaoOf(tx, c.household_id);
        await insertReviewTask(tx, {
          caseId: dibao?.case_id === null || dibao?.case_id === undefined ? c.id : Number(dibao.case_id),
          householdId: c.household_id,
          regionCode: c.region_code,
          reason: 'tekun_member',
          dueOn: today,
          detail: { personId: c.applicant_person_id, tekunCase: c.case_no, fromMonth: tekun.startMonth },
        });
      }
      await addEvent(tx, {
        caseId: c.id,
        regionCode: c.region_code,
        action: 'case.approve',
        step: def.decisionStep,
        detail: {
          amountFen: amount,
          careTier: c.care_tier,
          startMonth: tekun.startMonth,
          noticeId,
          dibaoExclusion: tekun.dibaoExclusion,
        },
        actorId: ctx.actor.id,
        actorName: ctx.actor.username,
      });
    } else if (input.decision === 'approve' && isSubsidyProgramme(c.programme)) {
      // 择高 or an exclusion (特困, work-injury nursing fee, orphans: nursing only) leaves only a refusal (POLICY.md §4).
      if (!a.eligible) {
        const refusal = (a.breakdown as { refusal?: Array<{ text: string; citation: string }> } | null)?.refusal ?? [];
        throw new AppError('INVALID_STATE', {
          detail: `初审评估结果为不予发放${SUBSIDY_NAME_ZH[c.programme]}${
            refusal.length ? `（${refusal.map((r) => `${r.text}，依据：${r.citation}`).join('；')}）` : ''
          }，只能作出不予审定决定`,
          extra: { refusal },
        });
      }
      const amount = Number(a.monthly_amount_fen ?? 0);
      const sub = await enrolSubsidy(tx, c, amount, today, ctx.actor.id);
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`status = 'approved', decision = 'approved', decided_on = ${today}::date, current_step = NULL, current_due_on = NULL,
            completed = ${JSON.stringify({ ...p.completed, [def.decisionStep]: today })}::jsonb,
            monthly_amount_fen = ${amount}, start_month = ${sub.startMonth}, enrollment_id = ${sub.enrollmentId},
            review_cadence_months = ${SUBSIDY_REVIEW_MONTHS}, next_review_on = ${subsidyNextReview(today)}::date`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      const noticeId = await draftNotice(tx, ctx.actor.id, subsidyApprovalNotice(c, a, sub.startMonth));
      await addEvent(tx, {
        caseId: c.id,
        regionCode: c.region_code,
        action: 'case.approve',
        step: def.decisionStep,
        detail: {
          amountFen: amount,
          funding: (a.breakdown as { funding?: unknown } | null)?.funding ?? null,
          startMonth: sub.startMonth,
          noticeId,
        },
        actorId: ctx.actor.id,
        actorName: ctx.actor.username,
      });
    } else if (input.decision === 'approve') {
      if (!a.eligible)
        throw new AppError('INVALID_STATE', { detail: '综合评估结果为不符合低保条件，只能作出不予确认决定' });
      const settings = await dibaoSettings(tx, c.region_code, today);
      const facts = (a.inputs as { facts: HouseholdFacts }).facts;
      const cadence = reviewCadenceMonths(facts, today, settings.params);
      const startMonth = firstPaymentMonth(today);
      const amount = Number(a.monthly_amount_fen ?? 0);
      budgetWarning = await budgetWarningFor(tx, c.county_code, Number(today.slice(0, 4)), amount);
      await endEnrollment(tx, c.household_id, addMonths(startMonth, -1), `案件 ${c.case_no} 重新确认`, ctx.actor.id);
      const enrollmentId = await insertEnrollment(tx, {
        householdId: c.household_id,
        regionCode: c.region_code,
        kind: String(a.dibao_kind),
        ruralClass: a.rural_class === null ? null : Number(a.rural_class),
        startMonth,
        endMonth: null,
        amount,
        caseRef: c.case_no,
        by: ctx.actor.id,
        reason: `低保审核确认 ${c.case_no}`,
      });
      // A member's living subsidy follows the household's 低保 and its class (POLICY.md §4 D2).
      await flagSubsidyReviews(tx, {
        households: idsSql([c.household_id]),
        detail: { source: 'dibao', event: 'approve', caseNo: c.case_no, ruralClass: a.rural_class },
      });
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`status = 'approved', decision = 'approved', decided_on = ${today}::date, current_step = NULL, current_due_on = NULL,
            completed = ${JSON.stringify({ ...p.completed, [def.decisionStep]: today })}::jsonb,
            dibao_kind = ${a.dibao_kind}, rural_class = ${a.rural_class}, monthly_amount_fen = ${amount}, start_month = ${startMonth},
            valid_until = ${validUntil(today, settings.params)}::date, review_cadence_months = ${cadence},
            next_review_on = ${addMonthsToDate(today, cadence)}::date, enrollment_id = ${enrollmentId}`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      const noticeId = await draftNotice(tx, ctx.actor.id, approvalNotice(c, a, startMonth, issuer));
      await addEvent(tx, {
        caseId: c.id,
        regionCode: c.region_code,
        action: 'case.approve',
        step: def.decisionStep,
        detail: { amountFen: amount, ruralClass: a.rural_class, startMonth, noticeId, budgetWarning },
        actorId: ctx.actor.id,
        actorName: ctx.actor.username,
      });
    } else {
      if (!input.reason?.trim())
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'reason', code: 'required', message: '不予确认须写明理由（S7）' }],
        });
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`status = 'rejected', decision = 'rejected', decision_reason = ${input.reason}, decided_on = ${today}::date, current_step = NULL, current_due_on = NULL,
            completed = ${JSON.stringify({ ...p.completed, [def.decisionStep]: today })}::jsonb`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      const noticeId = await draftNotice(
        tx,
        ctx.actor.id,
        refusalNoticeOf(c.programme)(c, 'not_confirmed', issuer, input.reason, a as never),
      );
      await addEvent(tx, {
        caseId: c.id,
        regionCode: c.region_code,
        action: 'case.reject',
        step: def.decisionStep,
        detail: { reason: input.reason, noticeId },
        actorId: ctx.actor.id,
        actorName: ctx.actor.username,
      });
    }
    await addRequirements(tx, c.id, c.region_code, [
      ...check.step.materials.map((m) => ({ ...m, step: def.decisionStep })),
      ...(def.archive ?? []).map((m) => ({ ...m, step: 'archive' })),
    ]);
    await writeAudit(tx, ctx.actor, {
      action: `case.decision.${input.decision}`,
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: {
        decision: input.decision,
        reason: input.reason ?? null,
        amountFen: a.monthly_amount_fen,
        ruralClass: a.rural_class,
        ...(c.programme === 'tekun'
          ? { careTier: c.care_tier, recheck: input.recheck ?? null, dibaoExclusion: tekun?.dibaoExclusion ?? false }
          : {}),
      },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!, { budgetWarning });
  });
}
