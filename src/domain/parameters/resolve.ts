/**
 * Effective-dated, region-overridden parameter resolution (issue 6 item 1). Pure: the caller supplies the rows.
 * A row applies to a county when its region code is a prefix of the county code (province 2, city 4, county 6
 * digits) and the as-of date lies in [effectiveFrom, effectiveTo). The most specific region wins: county over
 * city over province.
 */
import type { ParamValue, Programme } from './catalogue.js';

export interface ParameterRow {
  id: number;
  programme: Programme;
  regionCode: string;
  key: string;
  value: ParamValue;
  effectiveFrom: string;
  effectiveTo: string | null;
  sourceDocument: string;
  sourceArticle: string;
}

export interface ResolvedParameter {
  value: ParamValue;
  id: number;
  regionCode: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  source: string;
}

/** programme.key → the row in force. */
export type ResolvedParameters = Record<string, ResolvedParameter>;

export function inForce(row: Pick<ParameterRow, 'effectiveFrom' | 'effectiveTo'>, asOf: string): boolean {
  return row.effectiveFrom <= asOf && (row.effectiveTo === null || asOf < row.effectiveTo);
}

/** True when the two half-open periods [from, to) share a day (NULL `to` = open-ended). */
export function periodsOverlap(
  a: { from: string; to: string | null },
  b: { from: string; to: string | null },
): boolean {
  return (a.to === null || b.from < a.to) && (b.to === null || a.from < b.to);
}

export function resolveParameters(rows: readonly ParameterRow[], countyCode: string, asOf: string): ResolvedParameters {
  const out: ResolvedParameters = {};
  for (const r of rows) {
    if (!countyCode.startsWith(r.regionCode) || !inForce(r, asOf)) continue;
    const k = `${r.programme}.${r.key}`;
    const cur = out[k];
    if (cur && cur.regionCode.length >= r.regionCode.length) continue;
    out[k] = {
      value: r.value,
      id: r.id,
      regionCode: r.regionCode,
      effectiveFrom: r.effectiveFrom,
      effectiveTo: r.effectiveTo,
      source: `${r.sourceDocument} ${r.sourceArticle}`,
    };
  }
  return out;
}
