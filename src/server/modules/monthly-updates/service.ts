import { monthCst, todayCst } from '../../../domain/calendar.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { iso } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { countyExists, countyStatuses, deadlineDay, upsertConfirmation } from './repo.js';

const REASONS = {
  not_confirmed: '本月低保、特困信息未确认更新',
  confirmed_late: '本月信息在截止日之后才确认更新',
  no_roster: '本月发放名册未生成',
} as const;

/**
 * Monthly update status per county (POLICY S11: the data is updated monthly; a county that updates late bears the
 * consequences). A county is late for month M once the deadline (day N of M, a local setting) has passed and it
 * has not confirmed its update for M, confirmed after the deadline, or has no roster for M.
 */
export async function monthlyUpdateStatus(
  ctx: UseCaseContext,
  q: { regionCode?: string; month?: string },
  onlyLate = false,
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const month = q.month ?? monthCst();
  // A township user sees the status of the county it belongs to; the filter never widens the scope beyond its county.
  const area = q.regionCode && codeInScope(q.regionCode, ctx.actor.scope) ? q.regionCode : ctx.actor.scope.regionCode;
  const list = await countyStatuses(ctx.db, area.length > 6 ? area.slice(0, 6) : area, month);
  const today = todayCst();
  const items = [];
  let deadline = '';
  for (const c of list) {
    const day = await deadlineDay(ctx.db, c.county_code);
    const dl = `${month}-${String(day).padStart(2, '0')}`;
    deadline ||= dl;
    const reasons: string[] = [];
    const confirmedDate = c.confirmed_at ? todayCst(new Date(iso(c.confirmed_at)!)) : null;
    if (today > dl) {
      if (!confirmedDate) reasons.push(REASONS.not_confirmed);
      else if (confirmedDate > dl) reasons.push(REASONS.confirmed_late);
      if (!c.rosters?.length) reasons.push(REASONS.no_roster);
    }
    const lastRegistry =
      [c.last_registry, c.last_case]
        .filter((x): x is string => !!x)
        .map((x) => iso(x)!)
        .sort()
        .at(-1) ?? null;
    const item = {
      countyCode: c.county_code,
      countyName: c.county_name,
      month,
      lastRegistryChangeAt: lastRegistry,
      lastEntitlementChangeAt: iso(c.last_entitlement),
      confirmedAt: iso(c.confirmed_at),
      rosters: c.rosters ?? [],
      deadline: dl,
      late: reasons.length > 0,
      reasons,
    };
    if (!onlyLate || item.late) items.push(item);
  }
  return { month, deadline, items };
}

/** A county confirms that its registry and cases are brought up to date for the month (audited). */
export async function confirmMonthlyUpdate(
  ctx: UseCaseContext,
  input: { countyCode: string; month: string; note?: string },
) {
  if (!codeInScope(input.countyCode, ctx.actor.scope)) throw new AppError('NOT_FOUND');
  if (!(await countyExists(ctx.db, input.countyCode))) {
    throw new AppError('REGION_NOT_FOUND', {
      fields: [{ field: 'countyCode', code: 'not_found', message: `区县代码 ${input.countyCode} 不存在` }],
    });
  }
  await inTransaction(ctx.db, async (tx) => {
    await upsertConfirmation(tx, input.countyCode, input.month, ctx.actor.id, input.note ?? null);
    await writeAudit(tx, ctx.actor, {
      action: 'monthly_update.confirm',
      entityType: 'county_month',
      entityId: `${input.countyCode}:${input.month}`,
      regionCode: input.countyCode,
      diff: { note: input.note ?? null },
    });
  });
  const res = await monthlyUpdateStatus(ctx, { regionCode: input.countyCode, month: input.month });
  return res.items[0]!;
}
