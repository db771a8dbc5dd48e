/** Helpers shared by the programme rule modules: three-valued combination of clause outcomes and money splits. */
import { formatYuan } from '../money.js';
import type { ClauseResult, FundingSplit, Tri } from './facts.js';

/** AND over clause outcomes: any not_met → false; otherwise any undetermined → null; otherwise true. */
export function allMet(clauses: readonly ClauseResult[]): Tri {
  if (clauses.some((c) => c.outcome === 'not_met')) return false;
  if (clauses.some((c) => c.outcome === 'undetermined')) return null;
  return true;
}

export function yuan(fen: number): string {
  return `${formatYuan(fen)}元`;
}

/** Splits a local share between city and county by the city's percent (floor to the fen; the county takes the rest). */
export function splitLocal(localFen: number, cityPercent: number): { cityFen: number; countyFen: number } {
  const cityFen = Math.floor((localFen * cityPercent) / 100);
  return { cityFen, countyFen: localFen - cityFen };
}

/** Splits an amount by province/city/county percentages (province and city floored, county takes the rest). */
export function splitByPercent(amountFen: number, p: { province: number; city: number; county: number }): FundingSplit {
  const provinceFen = Math.floor((amountFen * p.province) / 100);
  const cityFen = Math.floor((amountFen * p.city) / 100);
  return { provinceFen, cityFen, countyFen: amountFen - provinceFen - cityFen };
}

export function isAlive(deathDate: string | null | undefined, asOf: string): boolean {
  return !deathDate || deathDate > asOf;
}
