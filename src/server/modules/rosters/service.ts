import { addMonths } from '../../../domain/calendar.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import * as repo from './repo.js';
import type { RosterLineRecord, RosterRecord } from './repo.js';

export function presentRoster(r: RosterRecord) {
  return {
    id: Number(r.id),
    kind: r.kind,
    parentRosterId: r.parent_roster_id === null ? null : Number(r.parent_roster_id),
    month: r.month,
    countyCode: r.county_code,
    countyName: r.county_name,
    programme: r.programme,
    status: r.status,
    lineCount: Number(r.line_count),
    payableCount: Number(r.payable_count),
    totalFen: Number(r.total_fen),
    provinceFen: Number(r.province_fen),
    cityFen: Number(r.city_fen),
    countyFen: Number(r.county_fen),
    errorCount: Number(r.error_count),
    adjustmentCount: Number(r.adjustment_count),
    version: Number(r.version),
    generatedAt: iso(r.generated_at)!,
    checkedAt: iso(r.checked_at),
    approvedAt: iso(r.approved_at),
    sentAt: iso(r.sent_at),
    reconciledAt: iso(r.reconciled_at),
  };
}

/** Bank accounts are shown by their last four digits only; the full number appears only in the bank file. */
export function maskAccount(a: string | null): string | null {
  if (!a) return a;
  const t = a.trim();
  return t.length <= 4 ? '****' : `${'*'.repeat(Math.min(t.length - 4, 12))}${t.slice(-4)}`;
}

export function presentLine(l: RosterLineRecord) {
  return {
    lineNo: Number(l.line_no),
    kind: l.kind,
    forMonth: l.for_month,
    enrollmentId: l.enrollment_id === null ? null : Number(l.enrollment_id),
    householdId: Number(l.household_id),
    personId: l.person_id === null ? null : Number(l.person_id),
    payeeName: l.payee_name,
    payeeIdNumber: l.payee_id_number ? maskIdNumber(l.payee_id_number) : null,
    regionCode: l.region_code,
    townshipCode: l.township_code,
    coveredPersons: l.covered_persons === null ? null : Number(l.covered_persons),
    dibaoKind: l.dibao_kind,
    ruralClass: l.rural_class === null ? null : Number(l.rural_class),
    bankName: l.bank_name,
    bankAccount: maskAccount(l.bank_account),
    amountFen: Number(l.amount_fen),
    provinceFen: Number(l.province_fen),
    cityFen: Number(l.city_fen),
    countyFen: Number(l.county_fen),
    legalBasis: l.legal_basis,
    reason: l.reason,
    errorCode: l.error_code,
    errorMessage: l.error_message,
    held: l.held,
    holdReason: l.hold_reason,
    payStatus: l.pay_status,
    failReason: l.fail_reason,
    reissuedIn: l.reissued_in === null ? null : Number(l.reissued_in),
  };
}

async function loadRoster(db: Db, ctx: UseCaseContext, id: number, lock = false): Promise<RosterRecord> {
  const r = await repo.findRoster(db, id, ctx.actor.scope, lock);
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

function assertVersion(r: RosterRecord, version: number) {
  if (Number(r.version) !== version)
    throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: Number(r.version) } });
}

/** Fills draft rosters' lines (one set-based statement for all of them) and flags unrecoverable 扣减. */
async function fillRosters(tx: Db, rosterIds: number[], month: string) {
  await repo.insertGeneratedLines(tx, {
    rosterIds,
    month,
    prevMonth: addMonths(month, -1),
    lookbackMonth: addMonths(month, -12),
  });
  await repo.flagUnrecoverable(tx, rosterIds);
}

async function assertCounty(db: Db, ctx: UseCaseContext, county: string) {
  if (!codeInScope(county, ctx.actor.scope)) throw new AppError('NOT_FOUND', { detail: '该区县不在您的管辖范围内' });
  if (!(await repo.regionExists(db, county))) {
    throw new AppError('REGION_NOT_FOUND', {
      fields: [{ field: 'countyCode', code: 'not_found', message: `区县代码 ${county} 不存在` }],
    });
  }
}

/**
 * Generates the roster of a county, month and programme (draft). One generation per county-month-programme:
 * a concurrent call loses the advisory lock (409 ROSTER_GENERATION_RUNNING) or meets the unique index
 * (409 ROSTER_EXISTS). POLICY §2 [A arts.21,25] monthly payment to a bank account.
 */
export async function generateRoster(
  ctx: UseCaseContext,
  input: { countyCode: string; month: string; programme: string },
) {
  await assertCounty(ctx.db, ctx, input.countyCode);
  const setting = await repo.programmeSetting(ctx.db, input.programme, input.countyCode);
  if (!setting?.pays_monthly)
    throw new AppError('PROGRAMME_NOT_PAID', {
      fields: [{ field: 'programme', code: 'not_paid', message: '该项目不按月发放' }],
    });
  try {
    return await inTransaction(ctx.db, async (tx) => {
      if (!(await repo.tryGenerationLock(tx, input.countyCode, input.month, input.programme))) {
        throw new AppError('ROSTER_GENERATION_RUNNING');
      }
      const existing = await repo.findRegularRoster(tx, input.countyCode, input.month, input.programme);
      if (existing)
        throw new AppError('ROSTER_EXISTS', { extra: { rosterId: Number(existing.id), status: existing.status } });
      const id = await repo.insertRoster(tx, {
        county: input.countyCode,
        month: input.month,
        programme: input.programme,
        kind: 'regular',
        parentId: null,
        by: ctx.actor.id,
      });
      await fillRosters(tx, [id], input.month);
      await repo.refreshTotals(tx, [id], false);
      const r = (await repo.findRoster(tx, id, ctx.actor.scope))!;
      await writeAudit(tx, ctx.actor, {
        action: 'roster.generate',
        entityType: 'roster',
        entityId: id,
        regionCode: input.countyCode,
        diff: {
          month: input.month,
          programme: input.programme,
          lines: Number(r.line_count),
          totalFen: Number(r.total_fen),
          errors: Number(r.error_count),
        },
      });
      return presentRoster(r);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new AppError('ROSTER_EXISTS');
    throw e;
  }
}

/**
 * Generates the month's rosters of many counties and programmes at once (a city's month): every missing
 * county × programme roster is created and filled by ONE set-based statement; existing ones are skipped and listed.
 * The per-roster generation locks are taken for all of them first (any held → 409, nothing generated).
 */
export async function generateRosters(
  ctx: UseCaseContext,
  input: { month: string; countyCodes: string[]; programmes: string[] },
) {
  for (const c of input.countyCodes) await assertCounty(ctx.db, ctx, c);
  for (const p of input.programmes) {
    const setting = await repo.programmeSetting(ctx.db, p, input.countyCodes[0] ?? '');
    if (!setting?.pays_monthly)
      throw new AppError('PROGRAMME_NOT_PAID', {
        fields: [{ field: 'programmes', code: 'not_paid', message: `${p} 不按月发放` }],
      });
  }
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const pairs: { county: string; programme: string }[] = [];
      const skipped: { countyCode: string; programme: string; rosterId: number }[] = [];
      for (const county of input.countyCodes) {
        for (const programme of input.programmes) {
          if (!(await repo.tryGenerationLock(tx, county, input.month, programme)))
            throw new AppError('ROSTER_GENERATION_RUNNING');
          const existing = await repo.findRegularRoster(tx, county, input.month, programme);
          if (existing) skipped.push({ countyCode: county, programme, rosterId: Number(existing.id) });
          else pairs.push({ county, programme });
        }
      }
      if (pairs.length === 0) return { created: [], skipped };
      const created = await repo.insertRosters(tx, { month: input.month, pairs, by: ctx.actor.id });
      const ids = created.map((c) => Number(c.id));
      await fillRosters(tx, ids, input.month);
      await repo.refreshTotals(tx, ids, false);
      const list = await repo.listRosters(tx, ctx.actor.scope, { month: input.month, limit: 100_000 });
      const made = list.filter((r) => ids.includes(Number(r.id)));
      await writeAudit(
        tx,
        ctx.actor,
        made.map((r) => ({
          action: 'roster.generate',
          entityType: 'roster',
          entityId: Number(r.id),
          regionCode: r.county_code,
          diff: {
            month: r.month,
            programme: r.programme,
            lines: Number(r.line_count),
            totalFen: Number(r.total_fen),
            errors: Number(r.error_count),
            bulk: true,
          },
        })),
      );
      return { created: made.map(presentRoster), skipped };
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new AppError('ROSTER_EXISTS');
    throw e;
  }
}

/** Re-generates a draft or checked roster from the current entitlements: the same data gives the same lines. */
export async function regenerateRoster(ctx: UseCaseContext, id: number, version: number) {
  return inTransaction(ctx.db, async (tx) => {
    const r = await loadRoster(tx, ctx, id, true);
    assertVersion(r, version);
    if (r.kind !== 'regular') throw new AppError('INVALID_STATE', { detail: '补发名册不能重新生成' });
    if (r.status !== 'draft' && r.status !== 'checked') throw new AppError('ROSTER_FROZEN');
    if (!(await repo.tryGenerationLock(tx, r.county_code, r.month, r.programme)))
      throw new AppError('ROSTER_GENERATION_RUNNING');
    await repo.deleteLines(tx, id);
    await fillRosters(tx, [id], r.month);
    await repo.markRegenerated(tx, id, ctx.actor.id);
    await repo.refreshTotals(tx, [id], true);
    const after = (await repo.findRoster(tx, id, ctx.actor.scope))!;
    await writeAudit(tx, ctx.actor, {
      action: 'roster.regenerate',
      entityType: 'roster',
      entityId: id,
      regionCode: r.county_code,
      diff: {
        lines: [Number(r.line_count), Number(after.line_count)],
        totalFen: [Number(r.total_fen), Number(after.total_fen)],
      },
    });
    return presentRoster(after);
  });
}

export async function getRoster(ctx: UseCaseContext, id: number) {
  return presentRoster(await loadRoster(ctx.db, ctx, id));
}

export async function listRosters(
  ctx: UseCaseContext,
  q: { regionCode?: string; month?: string; programme?: string; status?: string; cursor?: string; limit: number },
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const c = decodeCursor(q.cursor, 1);
  const fetched = await repo.listRosters(ctx.db, ctx.actor.scope, { ...q, after: c ? Number(c[0]) : undefined });
  return pageOf(fetched, q.limit, (r) => [Number(r.id)], presentRoster);
}

export async function rosterLines(
  ctx: UseCaseContext,
  id: number,
  q: {
    kind?: string;
    townshipCode?: string;
    errorsOnly?: 'true' | 'false';
    payStatus?: string;
    cursor?: string;
    limit: number;
  },
) {
  await loadRoster(ctx.db, ctx, id);
  const c = decodeCursor(q.cursor, 1);
  const fetched = await repo.listLines(ctx.db, id, {
    kind: q.kind,
    townshipCode: q.townshipCode,
    errorsOnly: q.errorsOnly === 'true',
    payStatus: q.payStatus,
    limit: q.limit,
    after: c ? Number(c[0]) : undefined,
  });
  return pageOf(fetched, q.limit, (l) => [Number(l.line_no)], presentLine);
}

export async function rosterTotals(ctx: UseCaseContext, id: number) {
  await loadRoster(ctx.db, ctx, id);
  const [towns, kinds] = await Promise.all([repo.totalsByTownship(ctx.db, id), repo.totalsByKind(ctx.db, id)]);
  return {
    byTownship: towns.map((t) => ({
      townshipCode: t.township_code,
      townshipName: t.township_name,
      lines: Number(t.lines),
      households: Number(t.households),
      persons: Number(t.persons),
      totalFen: Number(t.total_fen),
      provinceFen: Number(t.province_fen),
      cityFen: Number(t.city_fen),
      countyFen: Number(t.county_fen),
    })),
    byKind: kinds.map((k) => ({ kind: k.kind, lines: Number(k.lines), totalFen: Number(k.total_fen) })),
  };
}

export async function rosterSummary(ctx: UseCaseContext, q: { regionCode?: string; month: string }) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const items = await repo.summaryByCounty(ctx.db, ctx.actor.scope, q.month, q.regionCode);
  return {
    month: q.month,
    items: items.map((i) => ({
      countyCode: i.county_code,
      countyName: i.county_name,
      programme: i.programme,
      rosters: Number(i.rosters),
      status: i.status,
      lines: Number(i.lines),
      totalFen: Number(i.total_fen),
    })),
  };
}

async function errorList(db: Db, rosterId: number) {
  return (await repo.errorLines(db, rosterId)).map((e) => ({
    lineNo: Number(e.line_no),
    payeeName: e.payee_name,
    code: e.error_code,
    message: e.error_message,
  }));
}

const NEXT: Record<string, { from: RosterRecord['status'][]; action: string }> = {
  checked: { from: ['draft'], action: 'roster.check' },
  approved: { from: ['checked'], action: 'roster.approve' },
  sent: { from: ['approved'], action: 'roster.send' },
  reconciled: { from: ['sent'], action: 'roster.reconcile' },
};

/**
 * Moves a roster along draft → checked → approved → sent → reconciled. Checking and approving are refused while
 * lines have unresolved errors (listed in `errors`); approval freezes the lines (trigger in 0007_rosters.sql).
 * Reconciling needs a bank result for every payable line.
 */
export async function transitionRoster(
  ctx: UseCaseContext,
  id: number,
  version: number,
  to: 'checked' | 'approved' | 'sent' | 'reconciled',
) {
  return inTransaction(ctx.db, async (tx) => {
    const r = await loadRoster(tx, ctx, id, true);
    assertVersion(r, version);
    const rule = NEXT[to]!;
    if (!rule.from.includes(r.status)) {
      throw new AppError('INVALID_STATE', {
        detail: `名册当前状态为「${r.status}」，不能执行此操作`,
        extra: { status: r.status },
      });
    }
    if (to === 'checked' || to === 'approved') {
      const errors = await errorList(tx, id);
      if (errors.length)
        throw new AppError('ROSTER_HAS_ERRORS', { extra: { errors, errorCount: Number(r.error_count) } });
    }
    if (to === 'sent') await repo.markNotPaid(tx, id);
    if (to === 'reconciled') {
      const pending = await repo.pendingPayableCount(tx, id);
      if (pending > 0) {
        throw new AppError('INVALID_STATE', {
          detail: `仍有 ${pending} 行未收到银行回盘结果，不能对账完成`,
          extra: { pending },
        });
      }
    }
    const v = await repo.setStatus(tx, id, version, to, ctx.actor.id);
    if (v === null) throw new AppError('VERSION_CONFLICT');
    await writeAudit(tx, ctx.actor, {
      action: rule.action,
      entityType: 'roster',
      entityId: id,
      regionCode: r.county_code,
      diff: { status: [r.status, to], totalFen: Number(r.total_fen), lines: Number(r.line_count) },
    });
    return presentRoster((await repo.findRoster(tx, id, ctx.actor.scope))!);
  });
}

/** Holds (暂缓发放) or releases a line of a draft/checked roster; a held line is not paid and is owed later as 补发. */
export async function holdLine(
  ctx: UseCaseContext,
  id: number,
  lineNo: number,
  input: { version: number; held: boolean; reason?: string },
) {
  return inTransaction(ctx.db, async (tx) => {
    const r = await loadRoster(tx, ctx, id, true);
    assertVersion(r, input.version);
    if (r.status !== 'draft' && r.status !== 'checked') throw new AppError('ROSTER_FROZEN');
    const line = await repo.findLine(tx, id, lineNo);
    if (!line) throw new AppError('NOT_FOUND');
    if (input.held && !input.reason) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'reason', code: 'required', message: '暂缓发放须说明原因' }],
      });
    }
    await repo.setLineHold(tx, id, lineNo, input.held, input.reason ?? null);
    await repo.refreshTotals(tx, [id], true);
    await writeAudit(tx, ctx.actor, {
      action: input.held ? 'roster.line.hold' : 'roster.line.release',
      entityType: 'roster',
      entityId: id,
      regionCode: r.county_code,
      diff: { lineNo, householdId: Number(line.household_id), reason: input.reason ?? null },
    });
    return presentRoster((await repo.findRoster(tx, id, ctx.actor.scope))!);
  });
}

export { loadRoster };
