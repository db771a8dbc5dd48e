/**
 * 特困 procedure time limits and the county's random re-check sample. POLICY.md §3 [C arts.13–18]:
 * township investigation and first review ≤ 15 working days; 公示 7 days; county decision ≤ 15 working days with
 * ≥ 30% random re-checks; refusal in writing within 3 days; support from the month after confirmation.
 */
import { addDays, addMonths, addWorkingDays, type WorkCalendar } from '../../calendar.js';

export const TEKUN_LIMITS = {
  townshipWorkingDays: 15,
  publicityDays: 7,
  countyWorkingDays: 15,
  recheckPercent: 30,
  refusalNoticeDays: 3,
} as const;

/** Due dates of each step from the acceptance date (受理) and, once known, the publicity end. POLICY.md §3 [C arts.13–18]. */
export function tekunDeadlines(acceptedOn: string, cal: WorkCalendar, publicityStartedOn?: string) {
  const townshipDue = addWorkingDays(acceptedOn, TEKUN_LIMITS.townshipWorkingDays, cal);
  const publicityStart = publicityStartedOn ?? townshipDue;
  const publicityEnds = addDays(publicityStart, TEKUN_LIMITS.publicityDays);
  const countyDue = addWorkingDays(publicityEnds, TEKUN_LIMITS.countyWorkingDays, cal);
  return { townshipDue, publicityEnds, countyDue };
}

/** Minimum number of cases the county re-checks at random out of `n` (≥ 30%, rounded up). POLICY.md §3 [C art.16]. */
export function recheckSampleSize(n: number, percent: number = TEKUN_LIMITS.recheckPercent): number {
  return Math.ceil((n * percent) / 100);
}

/**
 * Deterministic random selection of the re-check sample: a seeded shuffle (mulberry32) of the case ids, so the
 * recorded sample can be reproduced from the seed kept with it.
 */
export function pickRecheckSample<T>(
  ids: readonly T[],
  seed: number,
  percent: number = TEKUN_LIMITS.recheckPercent,
): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const arr = [...ids];
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [arr[i], arr[j]] = [arr[j]!, arr[i]!];
  }
  return arr.slice(0, recheckSampleSize(ids.length, percent));
}

/** Support is paid from the month after confirmation. POLICY.md §3 [C art.18]. */
export function supportStartMonth(confirmedOn: string): string {
  return addMonths(confirmedOn.slice(0, 7), 1);
}
