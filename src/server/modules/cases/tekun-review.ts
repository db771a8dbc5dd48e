/**
 * 特困 yearly review (POLICY.md §3 [C arts.21–23; E item 7]): the review re-assesses the recipient on
 * current registry data with the pure tekun rules (three conditions, six activities → care tier) and proposes continue /
 * adjust (care tier or amount, from next month, 调整 notice) / terminate (tekun-termination.ts). Every change audited in
 * the same transaction.
 */
import type { z } from 'zod';
import type { TekunReviewRequest } from '../../../contracts/cases.js';
import { addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import { ageOn } from '../../../domain/identity/id-number.js';
import { formatYuan } from '../../../domain/money.js';
import { tekunParams } from '../../../domain/parameters/extract.js';
import type { Decision, HouseholdFacts, PersonFacts } from '../../../domain/programs/facts.js';
import {
  detectTerminationReasons,
  TERMINATION_REASONS,
  type TekunReviewOutcome,
  type TekunTerminationReason,
  tekunReviewOutcome,
} from '../../../domain/programs/tekun/review.js';
import { type CareTier, careTierOf, evaluateTekun, nextReviewDate } from '../../../domain/programs/tekun/rules.js';
import { type Db, first, sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice, type NoticeDraft } from '../notices/service.js';
import { registryHouseholdFacts } from '../policy/evaluate.js';
import { requireParameters, resolvedPolicyParameters } from './policy-params.js';
import { addEvent, type CaseRow, findCase, latestAssessment, updateCase } from './repo.js';
import { assertVersion, caseDetail, mustFind } from './case-view.js';
import { endPersonEnrollment, insertPersonEnrollment, insertTekunAssessment } from './tekun-repo.js';

export const C = '特困人员认定办法';
const TIER_ZH: Record<CareTier, string> = {
  self_care: '具备生活自理能力',
  partly_lost: '部分丧失生活自理能力',
  completely_lost: '完全丧失生活自理能力',
};
const OUTCOME_ZH: Record<TekunReviewOutcome, string> = {
  continue: '继续供养',
  adjust: '调整照料护理档次或供养金额',
  terminate: '终止救助供养',
  undetermined: '事实不全，暂不能得出结论',
};

export interface TekunReviewProposal {
  assessmentId: number;
  on: string;
  outcome: TekunReviewOutcome;
  reasons: TekunTerminationReason[];
  careTier: CareTier;
  monthlyAmountFen: number;
  previous: { careTier: string | null; monthlyAmountFen: number | null };
  appliedOn?: string;
}

export function assertTekunRecipient(c: CaseRow) {
  if (c.programme !== 'tekun')
    throw new AppError('INVALID_STATE', { detail: '年度复核与终止只适用于特困人员救助供养案件' });
  if (c.status !== 'approved')
    throw new AppError('INVALID_STATE', { detail: '只有在供养（已认定）的特困人员才能年度复核或终止供养' });
}

/** Where the person lives now: a household outside the case's county means the person moved out [C art.25]. */
function currentHousehold(db: Db, personId: number) {
  return first<{ household_id: number; region_code: string }>(
    db,
    sql`SELECT p.household_id, h.region_code FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id = ${personId}`,
  );
}

/**
 * Yearly review [E item 7]: re-assessment with current registry data, the supporters found and the six activities
 * [C art.23]; the proposal (continue / adjust / terminate with the reasons found) is stored with the assessment.
 */
export async function reviewTekun(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof TekunReviewRequest>,
): Promise<Awaited<ReturnType<typeof caseDetail>> & { review: TekunReviewProposal & Record<string, unknown> }> {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertTekunRecipient(c);
    assertVersion(c, input.version);
    const today = todayCst();
    if (input.visitedOn > today || input.visitedOn < (c.decided_on ?? c.applied_on))
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'visitedOn', code: 'out_of_range', message: '复核入户日期应在认定日期与今天之间' }],
      });
    const where = await currentHousehold(tx, c.applicant_person_id!);
    const movedOut = !where || where.region_code.slice(0, 6) !== c.county_code;
    const prm = requireParameters(
      tekunParams(await resolvedPolicyParameters(tx, c.county_code, today)),
      '特困',
      c.county_code,
      today,
    );
    const tier = careTierOf(input.selfCare);
    let decision: Decision;
    let person: PersonFacts | null = null;
    let household: HouseholdFacts | null = null;
    if (!movedOut) {
      const hid = Number(where.household_id);
      const facts = (await registryHouseholdFacts(tx, ctx.actor.scope, [hid], today)).get(hid);
      const p = facts?.members.find((m) => m.ref === String(c.applicant_person_id));
      if (!facts || !p) throw new AppError('NOT_FOUND', { detail: '供养人员不在您的管辖范围内' });
      person = { ...p, supporters: input.supporters, selfCare: input.selfCare };
      household = { ...facts, members: facts.members.map((m) => (m.ref === p.ref ? person! : m)) };
      decision = evaluateTekun(person, household, prm.params, today);
    } else {
      decision = {
        programme: 'tekun',
        personRef: String(c.applicant_person_id),
        eligible: false,
        monthlyAmountFen: 0,
        funding: { provinceFen: 0, cityFen: 0, countyFen: 0 },
        flags: [],
        missingFacts: [],
        clauses: [
          {
            clause: 'T8.moved_out',
            citation: TERMINATION_REASONS.moved_out.citation,
            text: `供养人员现居住户不在本县（${where ? where.region_code.slice(0, 6) : '无登记'}），不再由本地救助供养`,
            facts: { countyCode: c.county_code, currentRegion: where?.region_code ?? null },
            outcome: 'not_met',
          },
        ],
      };
    }
    const decidedAge = person ? ageOn(person.birthDate, c.decided_on ?? c.applied_on) : 99;
    const reasons =
      person && household
        ? detectTerminationReasons(person, household, prm.params, today, {
            coveredAsMinor: decidedAge < prm.params.minorCoverUntilAge,
            movedOut: false,
          })
        : (['moved_out'] as TekunTerminationReason[]);
    const outcome = tekunReviewOutcome(
      { careTier: c.care_tier as CareTier | null, monthlyAmountFen: c.monthly_amount_fen ?? 0 },
      { eligible: decision.eligible, careTier: tier, monthlyAmountFen: decision.monthlyAmountFen },
      reasons,
    );
    const lines = decision.clauses
      .filter((k) => k.outcome !== 'not_applicable')
      .map((k) => `${k.text}（依据：${k.citation}）`);
    const found = reasons.map((r) => `${TERMINATION_REASONS[r].nameZh}（依据：${TERMINATION_REASONS[r].citation}）`);
    const explanation = `年度复核（${today}）：${OUTCOME_ZH[outcome]}。${[
      ...found.map((f) => `发现终止情形：${f}`),
      ...lines,
      ...decision.missingFacts.map((m) => m.message),
    ].join('；')}。`;
    const keep = decision.eligible === true && reasons.length === 0;
    const assessmentId = await insertTekunAssessment(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      asOf: today,
      inputs: {
        review: true,
        person,
        household: household ? { ...household, members: household.members.map((m) => m.ref) } : null,
        visit: { investigators: input.investigators, visitedOn: input.visitedOn, note: input.note ?? '' },
      },
      clauses: decision.clauses.map((k) => ({
        code: k.clause,
        passed: k.outcome !== 'not_met',
        outcome: k.outcome,
        detail: k.text,
        citation: k.citation,
        facts: k.facts,
      })),
      eligible: keep,
      amount: keep ? decision.monthlyAmountFen : 0,
      breakdown: {
        careTier: tier,
        funding: decision.funding,
        flags: decision.flags,
        missingFacts: decision.missingFacts,
        eligible: decision.eligible,
        review: {
          outcome,
          reasons: reasons.map((r) => ({ code: r, ...TERMINATION_REASONS[r] })),
          previous: { careTier: c.care_tier, monthlyAmountFen: c.monthly_amount_fen },
        },
      },
      parameters: { tekun: prm.params, used: prm.used },
      explanation,
      by: ctx.actor.id,
    });
    const review: TekunReviewProposal = {
      assessmentId,
      on: today,
      outcome,
      reasons,
      careTier: tier,
      monthlyAmountFen: keep ? decision.monthlyAmountFen : 0,
      previous: { careTier: c.care_tier, monthlyAmountFen: c.monthly_amount_fen },
    };
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`flags = ${JSON.stringify({ ...c.flags, tekunReview: review })}::jsonb, assessed_eligible = ${keep}`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'tekun.review',
      detail: {
        outcome,
        reasons: reasons.map((r) => ({ code: r, nameZh: TERMINATION_REASONS[r].nameZh })),
        careTier: tier,
        amountFen: review.monthlyAmountFen,
        citation: 'POLICY.md §3 [E item 7] 每年复核',
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.tekun_review',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { outcome, reasons, careTier: tier, amountFen: review.monthlyAmountFen, assessmentId },
    });
    return {
      ...(await caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!)),
      review: review as TekunReviewProposal & Record<string, unknown>,
    };
  });
}

function tekunAdjustmentNotice(
  c: CaseRow,
  before: { careTier: string | null; amount: number | null },
  after: { careTier: CareTier; amount: number },
  fromMonth: string,
  explanation: string,
): NoticeDraft {
  const tierText = (t: string | null) => (t ? (TIER_ZH[t as CareTier] ?? t) : '未评估');
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'adjustment',
    issuerLevel: 'county',
    addressee: c.applicant_name ?? c.head_name ?? '特困人员',
    title: '特困人员救助供养调整告知书',
    decision: `经年度复核，你的生活自理能力评估为“${tierText(after.careTier)}”，月救助供养金由 ${formatYuan(before.amount ?? 0)} 元调整为 ${formatYuan(after.amount)} 元，自 ${fromMonth} 起执行。`,
    facts: `你经 ${c.case_no} 认定为特困人员（${c.decided_on} 认定，原评估“${tierText(before.careTier)}”）。`,
    reasons: explanation,
    basis: [
      { document: C, article: '第二十一至二十三条（生活自理能力评估，情况变化的及时调整）' },
      { document: '关于改革完善社会救助制度的意见', article: '七（定期复核）' },
    ],
    withRemedies: true,
  };
}

/** Applies the latest yearly review: continue (next review in a year) or adjust from next month with a 调整 notice. */
export async function applyTekunReview(ctx: UseCaseContext, id: number, input: { version: number; outcome: string }) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertTekunRecipient(c);
    assertVersion(c, input.version);
    const r = c.flags.tekunReview as TekunReviewProposal | undefined;
    if (!r || r.appliedOn)
      throw new AppError('INVALID_STATE', { detail: '须先进行年度复核（按当前登记数据重新评估）' });
    if (r.outcome === 'terminate')
      throw new AppError('INVALID_STATE', {
        detail: `复核发现终止情形（${r.reasons.map((x) => TERMINATION_REASONS[x].nameZh).join('、') || '不再符合特困人员条件'}），请办理终止救助供养`,
        extra: { reasons: r.reasons },
      });
    if (r.outcome === 'undetermined')
      throw new AppError('INVALID_STATE', { detail: '复核所需事实不全，请补充登记信息后重新复核' });
    if (r.outcome !== input.outcome)
      throw new AppError('INVALID_STATE', {
        detail: `复核结果为“${OUTCOME_ZH[r.outcome]}”，不能按“${OUTCOME_ZH[input.outcome as TekunReviewOutcome] ?? input.outcome}”执行`,
      });
    const today = todayCst();
    const next = nextReviewDate(today);
    const applied = { ...r, appliedOn: today };
    let noticeId: number | null = null;
    let fromMonth: string | null = null;
    if (r.outcome === 'continue') {
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`next_review_on = ${next}::date, flags = ${JSON.stringify({ ...c.flags, tekunReview: applied, lastReviewOn: today })}::jsonb`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
    } else {
      fromMonth = addMonths(monthCst(), 1);
      await endPersonEnrollment(tx, {
        personId: c.applicant_person_id!,
        programme: 'tekun',
        endMonth: monthCst(),
        by: ctx.actor.id,
        reason: `特困年度复核调整 ${c.case_no}`,
      });
      const enrollmentId = await insertPersonEnrollment(tx, {
        householdId: c.household_id,
        personId: c.applicant_person_id!,
        regionCode: c.region_code,
        programme: 'tekun',
        startMonth: fromMonth,
        amount: r.monthlyAmountFen,
        caseRef: c.case_no,
        by: ctx.actor.id,
        reason: `特困年度复核调整 ${c.case_no}`,
      });
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`care_tier = ${r.careTier}, monthly_amount_fen = ${r.monthlyAmountFen}, enrollment_id = ${enrollmentId},
            next_review_on = ${next}::date, flags = ${JSON.stringify({ ...c.flags, tekunReview: applied, lastReviewOn: today })}::jsonb`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      const a = await latestAssessment(tx, c.id);
      noticeId = await draftNotice(
        tx,
        ctx.actor.id,
        tekunAdjustmentNotice(
          c,
          { careTier: c.care_tier, amount: c.monthly_amount_fen },
          { careTier: r.careTier, amount: r.monthlyAmountFen },
          fromMonth,
          a?.explanation ?? '',
        ),
      );
    }
    await tx.execute(
      sql`UPDATE review_tasks SET status = 'done', closed_at = now() WHERE case_id = ${c.id} AND status = 'open'`,
    );
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: `tekun.review.${r.outcome}`,
      detail: {
        careTier: r.careTier,
        amountFen: r.monthlyAmountFen,
        before: r.previous,
        fromMonth,
        nextReviewOn: next,
        noticeId,
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.tekun_review.apply',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { outcome: r.outcome, before: r.previous, after: { careTier: r.careTier, amountFen: r.monthlyAmountFen } },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}
