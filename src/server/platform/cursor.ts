import { AppError } from './errors.js';

/** Keyset pagination cursors: opaque base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity) return v;
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', {
    fields: [{ field: 'cursor', code: 'invalid_cursor', message: '分页游标无效，请从第一页重新开始' }],
  });
}

/** Splits `limit + 1` fetched rows into a page and the next cursor. */
export function pageOf<R, T>(fetched: R[], limit: number, key: (r: R) => unknown[], map: (r: R) => T) {
  const more = fetched.length > limit;
  const slice = more ? fetched.slice(0, limit) : fetched;
  const last = slice[slice.length - 1];
  return { items: slice.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}

/** Timestamps from the database (`2026-11-29 03:55:26.18+00`) as ISO 8601. */
export function iso(ts: string | null | undefined): string | null {
  if (!ts) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(ts);
  if (!m) return ts;
  return new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`).toISOString();
}
