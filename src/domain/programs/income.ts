/**
 * Which income counts (POLICY.md §2 [A art.13], §3 [C art.6]). Pure; shared by the 低保 and 特困 rules and
 * mirrored by the bulk SQL (src/server/modules/policy/bulk-sql.ts).
 */
import { annualToMonthly } from '../money.js';
import type { IncomeItemFacts, IncomeKind } from './facts.js';

/**
 * Counted kinds: wages, net business, net property and net transfer income. Everything else is excluded —
 * 优待抚恤金, 计划生育奖励与扶助金, scholarships, 见义勇为 awards, all government social-assistance cash
 * (which includes the disability two subsidies, POLICY.md §4 "Neither subsidy counts as dibao household income"),
 * the basic pension, other locally excluded items. POLICY.md §2 [A art.13]; §3 [C art.6] (basic pension,
 * 抚恤, 高龄津贴 excluded for 特困).
 */
export const COUNTED_INCOME: ReadonlySet<IncomeKind> = new Set([
  'wages',
  'business_net',
  'property_net',
  'transfer_net',
]);

export function monthlyFen(item: Pick<IncomeItemFacts, 'period' | 'amountFen'>): number {
  return item.period === 'monthly' ? item.amountFen : annualToMonthly(item.amountFen);
}

/**
 * A person's countable monthly income: their own counted items plus an equal share of the household's
 * items not attributed to anyone (floor to the fen). POLICY.md §3 [C art.6], §2 [A art.13].
 */
export function personCountableMonthlyIncome(
  items: readonly IncomeItemFacts[],
  ref: string,
  householdSize: number,
): number {
  let own = 0;
  let shared = 0;
  for (const it of items) {
    if (!COUNTED_INCOME.has(it.kind)) continue;
    if (it.personRef === ref) own += monthlyFen(it);
    else if (it.personRef == null) shared += monthlyFen(it);
  }
  return own + Math.floor(shared / Math.max(1, householdSize));
}
