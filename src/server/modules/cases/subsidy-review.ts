/**
 * Review and stopping of a paid disability subsidy (POLICY.md §4 [K; seed]; docs/dibao.md §Disability subsidies).
 * The review re-assesses the recipient on today's registry facts with the pure rules (evaluateLivingSubsidy /
 * evaluateNursingSubsidy) and proposes continue / adjust (another amount from next month, 调整 notice) / stop with the
 * §4 clauses no longer met. Stopping states a reason found by that review (a recorded death or the person's own
 * request need none), ends the enrolment — for a death at the month of death, so the next roster recovers what was
 * paid after it — and drafts the county's 停发 notice. Registry changes the rules read raise a review task on the case
 * (migration 0014; flagSubsidyReviews for 低保 and 特困 changes). Every change audited in the same transaction.
 */
import type { z } from 'zod';
import type { SubsidyReviewApplyRequest, SubsidyStopRequest } from '../../../contracts/cases.js';
import { addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import { formatYuan } from '../../../domain/money.js';
import {
  lastPaidMonth,
  SUBSIDY_STOP_REASONS,
  type SubsidyReviewOutcome,
  type SubsidyReviewProposal,
  type SubsidyStopReason,
  stopReasonsOf,
  stopsFrom,
  subsidyReviewOutcome,
} from '../../../domain/programs/disability/review.js';
import {
  isSubsidyProgramme,
  SUBSIDY_NAME_ZH,
  type SubsidyProgramme,
} from '../../../domain/programs/disability/workflow.js';
import { type Db, first, sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice, type NoticeDraft } from '../notices/service.js';
import { assessSubsidy, basisOf, K } from './disability.js';
import { addEvent, type CaseRow, findCase, latestAssessment, updateCase } from './repo.js';
import { closeReviewTasks } from './recipients-repo.js';
import { assertVersion, caseDetail, mustFind } from './case-view.js';
import { endPersonEnrollment, insertPersonEnrollment, insertTekunAssessment } from './tekun-repo.js';

const OUTCOME_ZH: Record<SubsidyReviewOutcome, string> = {
  continue: '继续发放',
  adjust: '调整补贴金额',
  stop: '停发',
  undetermined: '事实不全，暂不能得出结论',
};
/** [K]: periodic review; yearly, as for 特困 [E item 7]. */
export const SUBSIDY_REVIEW_MONTHS = 12;
/** The next periodic review: the first day of the month a year on. */
export function subsidyNextReview(today: string): string {
  return `${addMonths(today.slice(0, 7), SUBSIDY_REVIEW_MONTHS)}-01`;
}
const DYNAMIC = { document: K, article: '建立定期复核制度，实行动态管理：补贴对象条件发生变化的，及时调整或停发' };

function assertSubsidyRecipient(c: CaseRow): SubsidyProgramme {
  if (!isSubsidyProgramme(c.programme))
    throw new AppError('INVALID_STATE', { detail: '补贴复核与停发只适用于残疾人两项补贴案件' });
  if (c.status !== 'approved')
    throw new AppError('INVALID_STATE', { detail: '只有正在发放（已审定）的补贴才能复核或停发' });
  return c.programme;
}

/** Where the recipient lives now and whether the death is recorded. */
function recipientNow(db: Db, personId: number) {
  return first<{ household_id: number | null; region_code: string | null; death_date: string | null }>(
    db,
    sql`SELECT p.household_id, h.region_code, to_char(p.death_date, 'YYYY-MM-DD') AS death_date
        FROM persons p LEFT JOIN households h ON h.id = p.household_id WHERE p.id = ${personId}`,
  );
}

/** Review on today's registry facts; the proposal is stored with the assessment and on the case. */
export async function reviewSubsidy(ctx: UseCaseContext, id: number, input: { version: number; note?: string }) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    const programme = assertSubsidyRecipient(c);
    assertVersion(c, input.version);
    const today = todayCst();
    const now = await recipientNow(tx, c.applicant_person_id!);
    const movedOut = !now?.household_id || !now.region_code || now.region_code.slice(0, 6) !== c.county_code;
    let proposal: Omit<SubsidyReviewProposal, 'outcome'> & { outcome?: SubsidyReviewOutcome };
    let eligible: boolean;
    if (movedOut) {
      // Registered in no household of the county any more: the county no longer pays (§4 D1 本地户籍).
      const info = SUBSIDY_STOP_REASONS.moved_out;
      const text = `补贴对象现登记于${now?.region_code ? `区划 ${now.region_code}` : '无家庭户'}，不在本县（区）`;
      const assessmentId = await insertTekunAssessment(tx, {
        caseId: c.id,
        regionCode: c.region_code,
        asOf: today,
        inputs: { review: true, currentRegion: now?.region_code ?? null },
        clauses: [{ code: 'D1.hukou', passed: false, outcome: 'not_met', detail: text, citation: info.citation }],
        eligible: false,
        amount: 0,
        breakdown: {
          programme,
          eligible: false,
          monthlyAmountFen: 0,
          refusal: [{ code: 'D1.hukou', text, citation: info.citation }],
        },
        parameters: {},
        explanation: `复核（${today}）：${OUTCOME_ZH.stop}。${text}（依据：${info.citation}）。`,
        by: ctx.actor.id,
      });
      eligible = false;
      proposal = {
        assessmentId,
        on: today,
        outcome: 'stop',
        reasons: ['moved_out'],
        monthlyAmountFen: 0,
        funding: { provinceFen: 0, cityFen: 0, countyFen: 0 },
        previous: { monthlyAmountFen: c.monthly_amount_fen },
      };
    } else {
      const r = await assessSubsidy(tx, ctx.actor.scope, c, {
        by: ctx.actor.id,
        review: { on: today, householdId: Number(now.household_id) },
      });
      eligible = r.payable;
      const reasons = stopReasonsOf(r.decision);
      proposal = {
        assessmentId: r.id,
        on: today,
        outcome: subsidyReviewOutcome(c.monthly_amount_fen ?? 0, r.decision, reasons),
        reasons,
        monthlyAmountFen: r.payable ? r.decision.monthlyAmountFen : 0,
        funding: r.decision.funding,
        previous: { monthlyAmountFen: c.monthly_amount_fen },
      };
    }
    const review: SubsidyReviewProposal = {
      ...proposal,
      outcome: proposal.outcome!,
      ...(input.note?.trim() ? { note: input.note.trim() } : {}),
    };
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`flags = ${JSON.stringify({ ...c.flags, subsidyReview: review })}::jsonb, assessed_eligible = ${eligible}`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'subsidy.review',
      detail: {
        outcome: review.outcome,
        reasons: review.reasons.map((x) => ({ code: x, nameZh: SUBSIDY_STOP_REASONS[x].nameZh })),
        amountFen: review.monthlyAmountFen,
        citation: 'POLICY.md §4 [K] 定期复核、动态管理',
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.subsidy_review',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { outcome: review.outcome, reasons: review.reasons, amountFen: review.monthlyAmountFen },
    });
    return {
      ...(await caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!)),
      review: review as SubsidyReviewProposal & Record<string, unknown>,
    };
  });
}

function adjustmentNotice(c: CaseRow, before: number, r: SubsidyReviewProposal, fromMonth: string, why: string) {
  const name = SUBSIDY_NAME_ZH[c.programme as SubsidyProgramme];
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'adjustment',
    issuerLevel: 'county',
    addressee: c.applicant_name ?? c.head_name ?? '补贴对象',
    title: `${name}调整告知书`,
    decision: `经复核，你的${name}由每月 ${formatYuan(before)} 元调整为每月 ${formatYuan(r.monthlyAmountFen)} 元（省级 ${formatYuan(r.funding.provinceFen)} 元、市级 ${formatYuan(r.funding.cityFen)} 元、县级 ${formatYuan(r.funding.countyFen)} 元），自 ${fromMonth} 起执行。`,
    facts: `你经 ${c.case_no} 审定享受${name}（${c.decided_on} 审定）。${r.on} 按当日登记信息复核。`,
    reasons: why,
    basis: [DYNAMIC, ...basisOf(['D2'])],
    withRemedies: true,
  } satisfies NoticeDraft;
}

/** Applies the latest review: continue (next review in a year) or the new amount from next month with a 调整 notice. */
export async function applySubsidyReview(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof SubsidyReviewApplyRequest>,
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertSubsidyRecipient(c);
    assertVersion(c, input.version);
    const r = c.flags.subsidyReview as SubsidyReviewProposal | undefined;
    if (!r || r.appliedOn) throw new AppError('INVALID_STATE', { detail: '须先复核（按当前登记信息重新评估）' });
    if (r.outcome === 'stop')
      throw new AppError('INVALID_STATE', {
        detail: `复核发现停发情形（${r.reasons.map((x) => SUBSIDY_STOP_REASONS[x].nameZh).join('、') || '不再符合条件'}），请办理停发`,
        extra: { reasons: r.reasons },
      });
    if (r.outcome !== input.outcome)
      throw new AppError('INVALID_STATE', {
        detail: `复核结果为“${OUTCOME_ZH[r.outcome]}”，不能按“${OUTCOME_ZH[input.outcome]}”执行`,
      });
    const today = todayCst();
    const next = subsidyNextReview(today);
    const flags = JSON.stringify({ ...c.flags, subsidyReview: { ...r, appliedOn: today }, lastReviewOn: today });
    let noticeId: number | null = null;
    let fromMonth: string | null = null;
    if (r.outcome === 'continue') {
      const v = await updateCase(tx, c.id, c.version, sql`next_review_on = ${next}::date, flags = ${flags}::jsonb`);
      if (v === null) throw new AppError('VERSION_CONFLICT');
    } else {
      fromMonth = addMonths(monthCst(), 1);
      await endPersonEnrollment(tx, {
        personId: c.applicant_person_id!,
        programme: c.programme,
        endMonth: monthCst(),
        by: ctx.actor.id,
        reason: `补贴复核调整 ${c.case_no}`,
      });
      const now = await recipientNow(tx, c.applicant_person_id!);
      const enrollmentId = await insertPersonEnrollment(tx, {
        householdId: Number(now?.household_id ?? c.household_id),
        personId: c.applicant_person_id!,
        regionCode: now?.region_code ?? c.region_code,
        programme: c.programme,
        startMonth: fromMonth,
        amount: r.monthlyAmountFen,
        caseRef: c.case_no,
        by: ctx.actor.id,
        reason: `补贴复核调整 ${c.case_no}`,
      });
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`monthly_amount_fen = ${r.monthlyAmountFen}, enrollment_id = ${enrollmentId}, next_review_on = ${next}::date,
            flags = ${flags}::jsonb`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      const a = await latestAssessment(tx, c.id);
      noticeId = await draftNotice(
        tx,
        ctx.actor.id,
        adjustmentNotice(c, c.monthly_amount_fen ?? 0, r, fromMonth, a?.explanation ?? ''),
      );
    }
    await closeReviewTasks(tx, c.household_id, c.id);
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: `subsidy.review.${r.outcome}`,
      detail: { amountFen: r.monthlyAmountFen, before: r.previous, fromMonth, nextReviewOn: next, noticeId },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.subsidy_review.apply',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { outcome: r.outcome, before: r.previous, after: { amountFen: r.monthlyAmountFen }, fromMonth },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

function stopNotice(
  c: CaseRow,
  reason: SubsidyStopReason,
  facts: string,
  lastMonth: string,
  currentMonth: string,
  review: string | null,
): NoticeDraft {
  const name = SUBSIDY_NAME_ZH[c.programme as SubsidyProgramme];
  const info = SUBSIDY_STOP_REASONS[reason];
  const recovery =
    lastMonth < currentMonth
      ? `${addMonths(lastMonth, 1)} 至 ${currentMonth} 已发放的补贴，在下月发放名册中扣减（追回）。`
      : '';
  const clause = /D(\d)/.exec(info.citation)?.[0];
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'termination',
    issuerLevel: 'county',
    addressee: c.applicant_name ?? c.head_name ?? '补贴对象',
    title: `${name}停发告知书`,
    decision: `决定停发你的${name}，补贴发放至 ${lastMonth}，自 ${stopsFrom(lastMonth)} 起停发。${recovery}`,
    facts,
    reasons: [`${info.nameZh}（依据：${info.citation}）`, ...(review ? [`复核说明：${review}`] : [])].join('\n'),
    basis: [...(clause ? basisOf([clause]) : []), DYNAMIC],
    withRemedies: true,
  };
}

/**
 * Stops the subsidy: the reason must be one the latest review found (a death recorded in the registry, or the
 * recipient's own request, need no review); the enrolment ends at the last month paid, the case is closed as exited and
 * the county's 停发 notice drafted.
 */
export async function stopSubsidy(ctx: UseCaseContext, id: number, input: z.infer<typeof SubsidyStopRequest>) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertSubsidyRecipient(c);
    assertVersion(c, input.version);
    const info = SUBSIDY_STOP_REASONS[input.reason];
    const now = await recipientNow(tx, c.applicant_person_id!);
    const r = c.flags.subsidyReview as SubsidyReviewProposal | undefined;
    const found = r && !r.appliedOn && r.reasons.includes(input.reason);
    if (input.reason === 'death' && !now?.death_date)
      throw new AppError('VALIDATION_FAILED', {
        fields: [
          {
            field: 'reason',
            code: 'death_not_recorded',
            message: '登记信息中没有该补贴对象的死亡日期，请先在“家庭与人员”中登记死亡，再办理停发',
          },
        ],
      });
    if (input.reason !== 'death' && input.reason !== 'voluntary' && !found)
      throw new AppError('VALIDATION_FAILED', {
        fields: [
          {
            field: 'reason',
            code: 'not_found_by_review',
            message: `停发理由“${info.nameZh}”须由复核（按当前登记信息重新评估）认定，请先复核`,
          },
        ],
      });
    const current = monthCst();
    const lastMonth = lastPaidMonth(input.reason, current, now?.death_date ?? null);
    await endPersonEnrollment(tx, {
      personId: c.applicant_person_id!,
      programme: c.programme,
      endMonth: lastMonth,
      by: ctx.actor.id,
      reason: `停发 ${c.case_no}：${info.nameZh}`,
    });
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`status = 'exited', decision_reason = ${input.reason}, next_review_on = NULL`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    const a = found ? await latestAssessment(tx, c.id) : undefined;
    const noticeId = await draftNotice(
      tx,
      ctx.actor.id,
      stopNotice(c, input.reason, input.facts, lastMonth, current, a?.explanation ?? null),
    );
    await closeReviewTasks(tx, c.household_id, c.id);
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'subsidy.stop',
      detail: {
        reason: input.reason,
        nameZh: info.nameZh,
        citation: info.citation,
        lastMonth,
        stopsFrom: stopsFrom(lastMonth),
        noticeId,
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.subsidy_stop',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { reason: input.reason, lastMonth, noticeId },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}
