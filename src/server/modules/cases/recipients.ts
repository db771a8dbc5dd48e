/**
 * 低保 decisions and dynamic management: the county decision (amount fixed at approval, payment from the next month,
 * programme_enrollments written), re-assessment, adjustment, exit (渐退期, death, non-cooperation), refusals of work,
 * budget position (S4: shown, never blocking) and review tasks.
 */
import { addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import { formatYuan } from '../../../domain/money.js';
import type { AssessmentParameters } from '../../../domain/programs/dibao/parameters.js';
import {
  firstPaymentMonth,
  type HouseholdFacts,
  reviewCadenceMonths,
  reviewOutcome,
  shareStops,
  taperEndMonth,
  validUntil,
} from '../../../domain/programs/dibao/rules.js';
import { isSubsidyProgramme, SUBSIDY_NAME_ZH } from '../../../domain/programs/disability/workflow.js';
import { checkStep, missingMaterials } from '../../../domain/workflow/engine.js';
import { type Db, sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice } from '../notices/service.js';
import { adjustmentNotice, approvalNotice, assessCase, dibaoSettings, terminationNotice } from './dibao.js';
import { enrolSubsidy, subsidyApprovalNotice } from './disability.js';
import { SUBSIDY_REVIEW_MONTHS, subsidyNextReview } from './subsidy-review.js';
import {
  addEvent,
  addRequirements,
  budgetPosition,
  type CaseRow,
  closeReviewTasks,
  endEnrollment,
  findCase,
  flagSubsidyReviews,
  idsSql,
  insertEnrollment,
  insertReviewTask,
  insertWorkRefusal,
  latestAssessment,
  listReviewTasks as listReviewTasksRepo,
  materialKindsOnFile,
  personInHousehold,
  resolveParameter,
  updateCase,
} from './repo.js';
import { assertOpen, assertVersion, caseDetail, mustFind, progressOf, refusalNoticeOf } from './service.js';
import { enrolTekun, tekunApprovalNotice } from './tekun.js';
import { activeDibaoOf, recheckOf, recordRecheckResult } from './tekun-repo.js';

function addMonthsToDate(date: string, months: number): string {
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

function assertRecipient(c: CaseRow) {
  if (c.status !== 'approved')
    throw new AppError('INVALID_STATE', { detail: '只有在保（已确认）的低保家庭才能复核、调整或退出' });
}

/** Re-assessment of a recipient household on current registry data (dynamic management, S3; [A art.31]). */
export async function reassessCase(
  ctx: UseCaseContext,
  id: number,
  input: { version: number; visitRating?: number; reviewScore?: number },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertRecipient(c);
    assertVersion(c, input.version);
    const { result } = await assessCase(tx, c, {
      asOf: todayCst(),
      visitRating: input.visitRating ?? c.last_visit_rating,
      reviewScore: input.reviewScore ?? c.last_review_score,
      by: ctx.actor.id,
    });
    const outcome = reviewOutcome({ ruralClass: c.rural_class, monthlyAmountFen: c.monthly_amount_fen ?? 0 }, result);
    const v = await updateCase(tx, c.id, c.version, sql`assessed_eligible = ${result.eligible}`);
    if (v === null) throw new AppError('VERSION_CONFLICT');
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'case.reassess',
      detail: { outcome, eligible: result.eligible, ruralClass: result.ruralClass, amountFen: result.monthlyAmountFen },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.reassess',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { outcome },
    });
    return { ...(await caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!)), proposedOutcome: outcome };
  });
}

/**
 * Applies the latest re-assessment: re-class or amount change from next month with a 调整 notice (county, S7); no
 * material change → no adjustment, next review scheduled [A art.31]; no longer eligible → use exit.
 */
export async function applyReview(ctx: UseCaseContext, id: number, input: { version: number }) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertRecipient(c);
    assertVersion(c, input.version);
    const a = await latestAssessment(tx, c.id);
    if (!a || String(a.as_of) < (c.decided_on ?? ''))
      throw new AppError('INVALID_STATE', { detail: '须先复核（重新评估）' });
    const outcome = reviewOutcome(
      { ruralClass: c.rural_class, monthlyAmountFen: c.monthly_amount_fen ?? 0 },
      {
        eligible: a.eligible,
        ruralClass: a.rural_class === null ? null : Number(a.rural_class),
        monthlyAmountFen: Number(a.monthly_amount_fen ?? 0),
      },
    );
    if (outcome === 'exit')
      throw new AppError('INVALID_STATE', { detail: '复核结果为不再符合条件，请办理停发/退出（须书面告知理由）' });
    const today = todayCst();
    const settings = await dibaoSettings(tx, c.region_code, today);
    const cadence = c.review_cadence_months ?? settings.params.stableReviewMonths;
    let noticeId: number | null = null;
    if (outcome === 'continue') {
      const v = await updateCase(tx, c.id, c.version, sql`next_review_on = ${addMonthsToDate(today, cadence)}::date`);
      if (v === null) throw new AppError('VERSION_CONFLICT');
    } else {
      const effective = addMonths(monthCst(), 1);
      const amount = Number(a.monthly_amount_fen ?? 0);
      await endEnrollment(tx, c.household_id, monthCst(), `调整 ${c.case_no}`, ctx.actor.id);
      const enrollmentId = await insertEnrollment(tx, {
        householdId: c.household_id,
        regionCode: c.region_code,
        kind: String(a.dibao_kind),
        ruralClass: a.rural_class === null ? null : Number(a.rural_class),
        startMonth: effective,
        endMonth: null,
        amount,
        caseRef: c.case_no,
        by: ctx.actor.id,
        reason: `低保调整 ${c.case_no}`,
      });
      // A re-class reaches a member's living subsidy (rural class 3–4: the county's own standard, POLICY.md §4 D2).
      if ((a.rural_class === null ? null : Number(a.rural_class)) !== c.rural_class || a.dibao_kind !== c.dibao_kind)
        await flagSubsidyReviews(tx, {
          households: idsSql([c.household_id]),
          detail: {
            source: 'dibao',
            event: 'reclass',
            caseNo: c.case_no,
            from: c.rural_class,
            to: a.rural_class,
            fromMonth: effective,
          },
        });
      const v = await updateCase(
        tx,
        c.id,
        c.version,
        sql`rural_class = ${a.rural_class}, monthly_amount_fen = ${amount}, enrollment_id = ${enrollmentId}, next_review_on = ${addMonthsToDate(today, cadence)}::date`,
      );
      if (v === null) throw new AppError('VERSION_CONFLICT');
      noticeId = await draftNotice(
        tx,
        ctx.actor.id,
        adjustmentNotice(c, { cls: c.rural_class, amount: c.monthly_amount_fen }, a, effective),
      );
    }
    await closeReviewTasks(tx, c.household_id, c.id);
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: `review.${outcome}`,
      detail: { noticeId },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.review.apply',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: {
        outcome,
        before: { ruralClass: c.rural_class, amountFen: c.monthly_amount_fen },
        after: { ruralClass: a.rural_class, amountFen: a.monthly_amount_fen },
      },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** Exit with a 停发/退出 notice (county, S7; [A arts.29, 32, 33]). 渐退期 only when work lifted income above the line. */
export async function exitCase(
  ctx: UseCaseContext,
  id: number,
  input: {
    version: number;
    reason: 'ineligible' | 'income_above_line' | 'death' | 'non_cooperation' | 'voluntary';
    taperMonths: number;
    facts: string;
  },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertRecipient(c);
    assertVersion(c, input.version);
    if (input.taperMonths > 0 && input.reason !== 'income_above_line') {
      throw new AppError('VALIDATION_FAILED', {
        fields: [
          {
            field: 'taperMonths',
            code: 'not_allowed',
            message: '渐退期仅适用于就业后收入超过低保标准的家庭（最低生活保障审核确认办法 第三十三条）',
          },
        ],
      });
    }
    const settings = await dibaoSettings(tx, c.region_code, todayCst());
    const lastMonth =
      input.reason === 'income_above_line'
        ? taperEndMonth(monthCst(), input.taperMonths, settings.params as AssessmentParameters)
        : monthCst();
    await tx.execute(sql`UPDATE programme_enrollments SET end_month = ${lastMonth}, status = ${lastMonth > monthCst() ? 'active' : 'ended'},
      changed_by = ${ctx.actor.id}, change_reason = ${`退出 ${c.case_no}：${input.reason}`}, version = version + 1
      WHERE household_id = ${c.household_id} AND programme = 'dibao' AND status = 'active'`);
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`status = 'exited', decision_reason = ${input.reason}, taper_until_month = ${input.taperMonths > 0 ? lastMonth : null}`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    // Without 低保 a member's living subsidy has no basis from the month after the last paid (POLICY.md §4 D2).
    await flagSubsidyReviews(tx, {
      households: idsSql([c.household_id]),
      detail: { source: 'dibao', event: 'exit', caseNo: c.case_no, lastMonth },
    });
    const a = await latestAssessment(tx, c.id);
    const noticeId = await draftNotice(
      tx,
      ctx.actor.id,
      terminationNotice(c, input.reason, input.facts, lastMonth, a && !a.eligible ? a.explanation : null),
    );
    await closeReviewTasks(tx, c.household_id, c.id);
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'case.exit',
      detail: { reason: input.reason, lastMonth, taperMonths: input.taperMonths, noticeId },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.exit',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { reason: input.reason, lastMonth },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}

/** A refusal of suitable work; at the configured count (3) that member's share stops [A art.34; D art.45]. */
export async function recordWorkRefusal(
  ctx: UseCaseContext,
  id: number,
  input: { personId: number; refusedOn: string; offer: string },
) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertRecipient(c);
    const person = await personInHousehold(tx, input.personId, c.household_id);
    if (!person)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'personId', code: 'not_member', message: '该人员不是本户成员' }],
      });
    if (input.refusedOn > todayCst())
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'refusedOn', code: 'future', message: '日期不能晚于今天' }],
      });
    const n = await insertWorkRefusal(tx, {
      caseId: c.id,
      personId: input.personId,
      regionCode: c.region_code,
      refusedOn: input.refusedOn,
      offer: input.offer,
      by: ctx.actor.id,
    });
    const settings = await dibaoSettings(tx, c.region_code, todayCst());
    const stops = shareStops(n, settings.params);
    if (stops) {
      const stopped = Array.from(new Set([...((c.flags.shareStopped as number[]) ?? []).map(Number), input.personId]));
      await updateCase(
        tx,
        c.id,
        c.version,
        sql`flags = ${JSON.stringify({ ...c.flags, shareStopped: stopped })}::jsonb`,
      );
      await insertReviewTask(tx, {
        caseId: c.id,
        householdId: c.household_id,
        regionCode: c.region_code,
        reason: 'work_refusal',
        dueOn: todayCst(),
        detail: { personId: input.personId, name: person.name, refusals: n },
      });
    }
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'work_refusal',
      detail: {
        personId: input.personId,
        refusals: n,
        shareStops: stops,
        citation: '最低生活保障审核确认办法 第三十四条',
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.work_refusal',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { personId: input.personId, refusals: n, shareStops: stops },
    });
    return { ...(await caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!)), refusals: n, shareStops: stops };
  });
}

export async function getBudget(ctx: UseCaseContext, q: { countyCode: string; year: number }) {
  assertRegionFilter(q.countyCode, ctx.actor.scope);
  const b = await resolveParameter<{ annualFen: number }>(
    ctx.db,
    'dibao',
    'budget',
    q.countyCode,
    `${q.year}-12-31`,
    true,
  );
  const pos = await budgetPosition(ctx.db, q.countyCode);
  const committed = Number(pos?.committed ?? 0);
  const overrun = b ? committed > b.value.annualFen : false;
  return {
    countyCode: q.countyCode,
    year: q.year,
    budgetFen: b ? b.value.annualFen : null,
    committedAnnualFen: committed,
    activeHouseholds: Number(pos?.households ?? 0),
    overrun,
    warning: overrun ? await budgetWarningFor(ctx.db, q.countyCode, q.year, 0) : null,
    eligibleWaiting: Number(pos?.waiting ?? 0),
    note: '预算仅作展示与预警：符合条件的家庭必须及时纳入，不得以指标或资金不足为由拒绝或拖延（S4）。',
  };
}

export async function listReviewTasks(
  ctx: UseCaseContext,
  q: { regionCode?: string; status: string; programme?: string; cursor?: string; limit: number },
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const c = decodeCursor(q.cursor, 1);
  const list = await listReviewTasksRepo(ctx.db, ctx.actor.scope, { ...q, after: c ? Number(c[0]) : undefined });
  const today = todayCst();
  return pageOf(
    list,
    q.limit,
    (t) => [Number(t.id)],
    (t) => ({
      id: Number(t.id),
      caseId: t.case_id === null ? null : Number(t.case_id),
      householdId: Number(t.household_id),
      regionCode: t.region_code,
      reason: t.reason,
      dueOn: t.due_on,
      overdue: t.status === 'open' && t.due_on < today,
      status: t.status,
      detail: t.detail,
      caseNo: t.case_no,
      programme: t.programme,
      caseStatus: t.case_status,
      personName: t.person_name,
      regionName: t.region_name,
    }),
  );
}

export { assertOpen };
