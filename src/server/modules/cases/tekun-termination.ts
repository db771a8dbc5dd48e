/**
 * Termination of 特困 support [C arts.24–26]: a reason with its citation, the 7-day 公示 (not for a death), support
 * stopped from the month after the decision, the county's 终止 notice, the person's 低保 exclusion ended with the
 * household's 低保 flagged for review. The yearly review that may find the reason: tekun-review.ts.
 */
import type { z } from 'zod';
import type { TerminateRequest } from '../../../contracts/cases.js';
import { addDays, addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import {
  TERMINATION_PUBLICITY_DAYS,
  TERMINATION_REASONS,
  type TekunTerminationReason,
} from '../../../domain/programs/tekun/review.js';
import { sql } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { draftNotice, type NoticeDraft } from '../notices/service.js';
import { addEvent, type CaseRow, findCase, latestAssessment, updateCase } from './repo.js';
import { insertReviewTask } from './recipients-repo.js';
import { assertVersion, caseDetail, mustFind } from './case-view.js';
import { activeDibaoOf, endDibaoExclusions, endPersonEnrollment } from './tekun-repo.js';

import { assertTekunRecipient, C, type TekunReviewProposal } from './tekun-review.js';

function tekunTerminationNotice(
  c: CaseRow,
  reason: TekunTerminationReason,
  facts: string,
  lastMonth: string,
  review: string | null,
): NoticeDraft {
  const r = TERMINATION_REASONS[reason];
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'termination',
    issuerLevel: 'county',
    addressee: c.applicant_name ?? c.head_name ?? '特困人员',
    title: '终止特困人员救助供养告知书',
    decision: `决定终止你的特困人员救助供养，救助供养金发放至 ${lastMonth}，自 ${addMonths(lastMonth, 1)} 起停止。`,
    facts,
    reasons: [`${r.nameZh}（依据：${r.citation}）`, ...(review ? [`复核说明：${review}`] : [])].join('\n'),
    basis: [
      { document: C, article: r.article },
      { document: C, article: '第二十六条（公示7天，无异议的作出终止决定并从下月起终止，书面告知理由）' },
    ],
    withRemedies: true,
  };
}

/**
 * Termination [C arts.24–26]: a reason with its citation; the 7-day 公示 must be over (a death needs none); support
 * stops from the month after the decision, the enrollment ends at this month and a county 终止 notice is drafted.
 */
export async function terminateTekun(ctx: UseCaseContext, id: number, input: z.infer<typeof TerminateRequest>) {
  return inTransaction(ctx.db, async (tx) => {
    const c = await mustFind(tx, ctx, id, true);
    assertTekunRecipient(c);
    assertVersion(c, input.version);
    const info = TERMINATION_REASONS[input.reason];
    const today = todayCst();
    if (info.publicity && !input.publicity)
      throw new AppError('VALIDATION_FAILED', {
        fields: [
          {
            field: 'publicity',
            code: 'required',
            message: '终止救助供养前须在村（居）公示 7 天（特困人员认定办法 第二十六条），请填写公示开始日期和地点',
          },
        ],
      });
    if (input.publicity) {
      const start = input.publicity.startOn;
      if (start > today || start < (c.decided_on ?? c.applied_on))
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'publicity.startOn', code: 'out_of_range', message: '公示开始日期应在认定日期与今天之间' }],
        });
      if (addDays(start, TERMINATION_PUBLICITY_DAYS) > today)
        throw new AppError('INVALID_STATE', {
          detail: `终止公示期 ${TERMINATION_PUBLICITY_DAYS} 天未满（${start} 开始，${addDays(start, TERMINATION_PUBLICITY_DAYS)} 起方可作出终止决定）`,
        });
      if (input.publicity.objections.trim())
        throw new AppError('INVALID_STATE', {
          detail: '公示期间有异议的，须组织调查核实并重新公示后再作终止决定（特困人员认定办法 第二十六条）',
        });
    }
    const lastMonth = monthCst();
    await endPersonEnrollment(tx, {
      personId: c.applicant_person_id!,
      programme: 'tekun',
      endMonth: lastMonth,
      by: ctx.actor.id,
      reason: `终止特困供养 ${c.case_no}：${info.nameZh}`,
    });
    const v = await updateCase(
      tx,
      c.id,
      c.version,
      sql`status = 'exited', decision_reason = ${input.reason}, next_review_on = NULL`,
    );
    if (v === null) throw new AppError('VERSION_CONFLICT');
    const r = c.flags.tekunReview as TekunReviewProposal | undefined;
    const a = r && !r.appliedOn && r.reasons.includes(input.reason) ? await latestAssessment(tx, c.id) : undefined;
    const noticeId = await draftNotice(
      tx,
      ctx.actor.id,
      tekunTerminationNotice(c, input.reason, input.facts, lastMonth, a?.explanation ?? null),
    );
    await tx.execute(
      sql`UPDATE review_tasks SET status = 'done', closed_at = now() WHERE case_id = ${c.id} AND status = 'open'`,
    );
    // Taken out of a 低保 household when 特困 began: from next month the person counts in that household again, so
    // its 低保 is flagged for review (a death ends the exclusion without one: the death itself is reviewed).
    const rejoined = await endDibaoExclusions(tx, {
      personId: c.applicant_person_id!,
      untilMonth: lastMonth,
      reason: `${c.case_no} 终止特困供养（${info.nameZh}）`,
    });
    const dibaoReviews: number[] = [];
    if (input.reason !== 'death') {
      for (const x of rejoined) {
        const dibao = await activeDibaoOf(tx, Number(x.household_id));
        if (!dibao) continue;
        await insertReviewTask(tx, {
          caseId: dibao.case_id === null ? c.id : Number(dibao.case_id),
          householdId: Number(x.household_id),
          regionCode: x.region_code,
          reason: 'tekun_member_ended',
          dueOn: today,
          detail: { personId: c.applicant_person_id, tekunCase: c.case_no, fromMonth: addMonths(lastMonth, 1) },
        });
        dibaoReviews.push(Number(x.household_id));
      }
    }
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'case.terminate',
      detail: {
        reason: input.reason,
        nameZh: info.nameZh,
        citation: info.citation,
        lastMonth,
        stopsFrom: addMonths(lastMonth, 1),
        publicity: input.publicity ?? null,
        noticeId,
        dibaoReviewHouseholds: dibaoReviews,
      },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'case.terminate',
      entityType: 'case',
      entityId: c.id,
      regionCode: c.region_code,
      diff: { reason: input.reason, lastMonth, publicity: input.publicity ?? null, noticeId },
    });
    return caseDetail(tx, (await findCase(tx, c.id, ctx.actor.scope))!);
  });
}
