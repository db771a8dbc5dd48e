/**
 * Resident identity numbers per GB 11643-1999 (POLICY.md §7): 6-digit address code + birth date YYYYMMDD +
 * 3-digit sequence (odd = male, even = female) + check character (ISO 7064 MOD 11-2). The address code is where the
 * number was issued and may be an abolished code, so it is not required to exist today. Pure; shared with the browser.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdNumberProblem = 'format' | 'birth_date' | 'future_birth' | 'check_char';

export interface IdNumberInfo {
  idNumber: string;
  sex: 'M' | 'F';
  /** YYYY-MM-DD */
  birthDate: string;
  addressCode: string;
}

/** The check character for the first 17 digits. */
export function checkCharOf(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** Upper-cases a trailing x and strips surrounding spaces. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

/**
 * Validates an 18-digit ID number. `today` (YYYY-MM-DD, China Standard Time) bounds the birth date.
 * Returns the derived facts or the first problem found.
 */
export function parseIdNumber(
  raw: string,
  today: string,
): { ok: true; info: IdNumberInfo } | { ok: false; problem: IdNumberProblem } {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1880 || !isRealDate(y, m, d)) return { ok: false, problem: 'birth_date' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDate > today) return { ok: false, problem: 'future_birth' };
  if (checkCharOf(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'check_char' };
  return {
    ok: true,
    info: { idNumber: id, sex: Number(id[16]) % 2 === 1 ? 'M' : 'F', birthDate, addressCode: id.slice(0, 6) },
  };
}

export const ID_PROBLEM_MESSAGES: Record<IdNumberProblem, { zh: string; en: string }> = {
  format: {
    zh: '身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X',
    en: 'An ID number has 17 digits and a digit or X',
  },
  birth_date: { zh: '身份证号码中的出生日期不存在', en: 'The birth date in the ID number does not exist' },
  future_birth: { zh: '身份证号码中的出生日期晚于今天', en: 'The birth date in the ID number is in the future' },
  check_char: { zh: '身份证号码校验位不正确，请核对是否录入有误', en: 'The check character of the ID number is wrong' },
};

/** Masked form shown to everyone by default: 620802********1234 (first 6, last 4). */
export function maskIdNumber(id: string): string {
  if (id.length !== 18) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/** Builds a valid ID number from its parts (synthetic data, tests). `seq` is 0–999; its parity sets the sex. */
export function makeIdNumber(addressCode: string, birthDate: string, seq: number): string {
  const first17 = `${addressCode}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharOf(first17);
}

/** Age in whole years on `onDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
