/**
 * Money is integer fen (分), never binary floating point (POLICY.md §7). Amounts typed in yuan ("1,234.5", "80")
 * are parsed exactly from their digits.
 */
export type Fen = number;

/** Parses a yuan amount with at most two decimals into fen; null when it is not such a number. */
export function parseYuan(input: string | number): Fen | null {
  const s = String(input)
    .trim()
    .replaceAll(',', '')
    .replaceAll('，', '')
    .replace(/^¥|元$/g, '');
  const m = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** 12345 → "123.45" */
export function formatYuan(fen: Fen): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export type Rounding = 'yuan_up' | 'yuan_half_up' | 'yuan_down' | 'jiao_up' | 'fen';

/** Rounds fen to the unit a province pays in (configurable, e.g. up to whole yuan). */
export function roundFen(fen: Fen, rule: Rounding): Fen {
  switch (rule) {
    case 'fen':
      return fen;
    case 'jiao_up':
      return Math.ceil(fen / 10) * 10;
    case 'yuan_up':
      return Math.ceil(fen / 100) * 100;
    case 'yuan_down':
      return Math.floor(fen / 100) * 100;
    case 'yuan_half_up':
      return Math.floor((fen + 50) / 100) * 100;
  }
}

/** Monthly equivalent of an annual amount, exact to the fen by rounding half up. */
export function annualToMonthly(fen: Fen): Fen {
  return Math.floor((fen + 6) / 12);
}
