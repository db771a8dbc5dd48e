import { type SQL, sql } from 'drizzle-orm';

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
