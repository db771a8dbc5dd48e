import { type SQL, sql } from 'drizzle-orm';
import { AppError } from './errors.js';

/**
 * The caller's area of access: a region code prefix (2 = province … 12 = village). Every repository query that
 * reads or writes people's data takes a Scope and filters in SQL with `inScope` — never afterwards in JS.
 */
export interface Scope {
  readonly regionCode: string;
}

export function scopeOf(regionCode: string): Scope {
  if (!/^\d{2}(\d{2}(\d{2}(\d{3}(\d{3})?)?)?)?$/.test(regionCode)) {
    throw new Error(`invalid scope region code ${regionCode}`);
  }
  return { regionCode };
}

/** SQL predicate: `column` (a region code) lies inside the scope. Uses the btree index on a COLLATE "C" column. */
export function inScope(column: SQL, scope: Scope): SQL {
  return sql`${column} LIKE ${`${scope.regionCode}%`}`;
}

/** Pure check for values already in hand (e.g. a region code in a request body before it is written). */
export function codeInScope(regionCode: string, scope: Scope): boolean {
  return regionCode.startsWith(scope.regionCode);
}

/**
 * A region filter given by the caller (list and report queries): inside the scope, or an ancestor of it (the result
 * is then still limited to the scope in SQL). Anything else answers 404, like an out-of-scope id.
 */
export function assertRegionFilter(regionCode: string | undefined, scope: Scope): void {
  if (!regionCode) return;
  if (regionCode.startsWith(scope.regionCode) || scope.regionCode.startsWith(regionCode)) return;
  throw new AppError('NOT_FOUND', { detail: '该行政区划不在您的管辖范围内' });
}
