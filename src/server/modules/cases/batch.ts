/** Q4 validity-expiry batch review use cases (S3): run for a county (set-based), read the summary, apply. */
import { addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { issuerOf } from '../notices/repo.js';
import { remediesText } from '../notices/service.js';
import {
  applyBatch,
  batchItems,
  batchOutcomeQuery,
  fillBatchItems,
  findBatch,
  insertBatch,
  saveSummary,
  townshipSummary,
} from './batch-repo.js';
import { dibaoSettings } from './dibao.js';

export interface BatchSummary {
  total: number;
  byOutcome: Record<string, number>;
  byTownship: Array<{
    townshipCode: string;
    townshipName: string | null;
    total: number;
    continue: number;
    reclass: number;
    amount_change: number;
    exit: number;
  }>;
  elapsedMs?: number;
}

function presentBatch(b: NonNullable<Awaited<ReturnType<typeof findBatch>>>) {
  return {
    id: Number(b.id),
    regionCode: b.region_code,
    year: Number(b.year),
    asOf: b.as_of,
    status: b.status,
    summary: b.summary as unknown as BatchSummary,
    parameters: b.parameters,
  };
}

/**
 * Runs the review for every recipient household of the county whose validity ends by 31 December of `year`, on
 * current registry data, in one set-based statement; each household gets continue / re-class / amount change / exit.
 */
export async function runBatchReview(ctx: UseCaseContext, input: { countyCode: string; year: number; asOf?: string }) {
  if (!codeInScope(input.countyCode, ctx.actor.scope)) {
    assertRegionFilter(input.countyCode, ctx.actor.scope);
    throw new AppError('FORBIDDEN', { detail: 'Q4 复核须由县级用户对本县执行' });
  }
  const asOf = input.asOf ?? todayCst();
  return inTransaction(ctx.db, async (tx) => {
    const started = performance.now();
    const settings = await dibaoSettings(tx, input.countyCode, asOf);
    const batchId = await insertBatch(tx, {
      regionCode: input.countyCode,
      year: input.year,
      asOf,
      parameters: { assessment: settings.params, standard: settings.standard, sources: settings.sources },
      by: ctx.actor.id,
    });
    await fillBatchItems(
      tx,
      batchId,
      batchOutcomeQuery(input.countyCode, `${input.year}-12-31`, asOf, settings.params, settings.standard),
    );
    const byTownship = (await townshipSummary(tx, batchId)).map((t) => ({
      townshipCode: t.township_code,
      townshipName: t.township_name,
      total: Number(t.total),
      continue: Number(t.continue),
      reclass: Number(t.reclass),
      amount_change: Number(t.amount_change),
      exit: Number(t.exit),
    }));
    const byOutcome = { continue: 0, reclass: 0, amount_change: 0, exit: 0 };
    for (const t of byTownship)
      for (const k of Object.keys(byOutcome) as Array<keyof typeof byOutcome>) byOutcome[k] += t[k];
    const summary = {
      total: byTownship.reduce((a, t) => a + t.total, 0),
      byOutcome,
      byTownship,
      elapsedMs: Math.round(performance.now() - started),
    };
    await saveSummary(tx, batchId, summary);
    await writeAudit(tx, ctx.actor, {
      action: 'batch_review.run',
      entityType: 'batch_review',
      entityId: batchId,
      regionCode: input.countyCode,
      diff: { year: input.year, asOf, byOutcome },
    });
    return presentBatch((await findBatch(tx, batchId, ctx.actor.scope))!);
  });
}

export async function getBatchReview(ctx: UseCaseContext, id: number) {
  const b = await findBatch(ctx.db, id, ctx.actor.scope);
  if (!b) throw new AppError('NOT_FOUND');
  return presentBatch(b);
}

export async function listBatchItems(
  ctx: UseCaseContext,
  id: number,
  q: { outcome?: string; cursor?: string; limit: number },
) {
  const b = await findBatch(ctx.db, id, ctx.actor.scope);
  if (!b) throw new AppError('NOT_FOUND');
  const c = decodeCursor(q.cursor, 1);
  const list = await batchItems(ctx.db, id, ctx.actor.scope, {
    outcome: q.outcome,
    after: c ? Number(c[0]) : undefined,
    limit: q.limit,
  });
  return pageOf(
    list,
    q.limit,
    (r) => [Number(r.case_id)],
    (r) => ({
      caseId: Number(r.case_id),
      householdId: Number(r.household_id),
      regionCode: String(r.region_code),
      membersCount: Number(r.members_count),
      perCapitaFen: Number(r.per_capita_fen),
      surveyScore: Number(r.survey_score),
      combinedScore: Number(r.combined_score),
      gates: { hukou: r.gate_hukou === true, income: r.gate_income === true, property: r.gate_property === true },
      oldClass: r.old_class === null ? null : Number(r.old_class),
      newClass: r.new_class === null ? null : Number(r.new_class),
      oldAmountFen: r.old_amount_fen === null ? null : Number(r.old_amount_fen),
      newAmountFen: Number(r.new_amount_fen),
      outcome: String(r.outcome),
    }),
  );
}

/** Applies a proposed batch (county approver): set-based updates of cases and enrollments, notice drafts per change. */
export async function applyBatchReview(ctx: UseCaseContext, id: number) {
  return inTransaction(ctx.db, async (tx) => {
    const b = await findBatch(tx, id, ctx.actor.scope, true);
    if (!b) throw new AppError('NOT_FOUND');
    if (b.status === 'applied') return presentBatch(b); // double submission
    const settings = await dibaoSettings(tx, b.region_code, todayCst());
    const issuer = await issuerOf(tx, b.region_code, 'county');
    const thisMonth = monthCst();
    await applyBatch(tx, {
      id,
      thisMonth,
      nextMonth: addMonths(thisMonth, 1),
      validityMonths: settings.params.validityMonths,
      by: ctx.actor.id,
      issuerName: issuer.name,
      issuerCode: issuer.code,
      prefix: issuer.prefix,
      remedies: remediesText('county'),
    });
    await writeAudit(tx, ctx.actor, {
      action: 'batch_review.apply',
      entityType: 'batch_review',
      entityId: id,
      regionCode: b.region_code,
      diff: { summary: (b.summary as { byOutcome?: unknown }).byOutcome },
    });
    return presentBatch((await findBatch(tx, id, ctx.actor.scope))!);
  });
}
