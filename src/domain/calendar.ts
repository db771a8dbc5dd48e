/**
 * Business dates and months in China Standard Time (UTC+8, no daylight saving) — POLICY.md §7.
 * Dates are 'YYYY-MM-DD' strings, months 'YYYY-MM'. Pure; shared with the browser.
 */
const CST_OFFSET_MS = 8 * 3600 * 1000;

/** Today's date in China Standard Time. */
export function todayCst(now: Date = new Date()): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** This month in China Standard Time. */
export function monthCst(now: Date = new Date()): string {
  return todayCst(now).slice(0, 7);
}

/** The instant a CST date ends (exclusive upper bound), as an ISO timestamp: 'as of date D' means before this. */
export function endOfDayCst(date: string): string {
  const start = Date.parse(`${date}T00:00:00+08:00`);
  return new Date(start + 24 * 3600 * 1000).toISOString();
}

export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** 1 = Monday … 7 = Sunday */
export function isoWeekday(date: string): number {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 ? 7 : wd;
}

export interface WorkCalendar {
  /** Dates that are holidays although weekdays (法定节假日). */
  holidays: ReadonlySet<string>;
  /** Weekend dates that are working days (调休). */
  workdays: ReadonlySet<string>;
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  return isoWeekday(date) <= 5;
}

/**
 * The date `n` working days after `date` (time limits in POLICY.md §2 [A arts.15–22] and §3 are in working days).
 * Day 0 is `date` itself; counting starts the next day.
 */
export function addWorkingDays(date: string, n: number, cal: WorkCalendar): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** Working days strictly after `from` up to and including `to` (0 when to <= from). */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}
