/**
 * 低保 dynamic management: re-assessment, adjustment, exit (渐退期, death, non-cooperation), refusals of work, budget
 * position (S4: shown, never blocking) and review tasks. The decision itself: decision.ts.
 */
import { addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import type { AssessmentParameters } from '../../../domain/programs/dibao/parameters.js';
import { reviewOutcome, shareStops, taperEndMonth } from '../../../domain/programs/dibao/rules.js';
import { sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice } from '../notices/service.js';
import { adjustmentNotice, assessCase, dibaoSettings, terminationNotice } from './dibao.js';
import { addEvent, type CaseRow, findCase, latestAssessment, updateCase } from './repo.js';
import {
  budgetPosition,
  closeReviewTasks,
  endEnrollment,
  flagSubsidyReviews,
  idsSql,
  insertEnrollment,
  insertReviewTask,
  insertWorkRefusal,
  listReviewTasks as listReviewTasksRepo,
  personInHousehold,
} from './recipients-repo.js';
import { resolveParameter } from './config-repo.js';
import { assertVersion, caseDetail, mustFind } from './case-view.js';

import { addMonthsToDate, budgetWarningFor } from './decision.js';
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
