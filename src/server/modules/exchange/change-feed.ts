/**
 * The change feed of an API client: households, persons and enrollments of its areas added, changed or deleted
 * since a timestamp, in keyset pages, persons masked per its platform, every call logged.
 */
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { type ClientContext, logClientCall } from './client-auth.js';
import { maskPerson } from './masking.js';
import * as registry from './registry-repo.js';

/** The change feed since a timestamp (or a cursor from a previous page). */
export async function changeFeed(cc: ClientContext, q: { since?: string; cursor?: string; limit: number }) {
  const c = decodeCursor(q.cursor, 3) as [string, string, number] | null;
  const since = q.since ?? '1970-01-01T00:00:00Z';
  const list = await registry.changes(cc.db, cc.client.region_codes, since, c, q.limit);
  const more = list.length > q.limit;
  const slice = more ? list.slice(0, q.limit) : list;
  const items = slice.map((x) => {
    let record = x.record;
    if (record && x.entity === 'person') record = maskPerson(cc.rule, record as { id_number: string; name: string });
    return {
      changed_at: x.changed_at,
      entity: x.entity,
      op: x.op,
      id: Number(x.id),
      region_code: x.region_code,
      record,
    };
  });
  await logClientCall(cc, {
    operation: 'changes',
    transactionId: null,
    purpose: null,
    request: { since, cursor: q.cursor ?? null },
    status: 200,
    resultCount: items.length,
    personIds: items.filter((i) => i.entity === 'person').map((i) => i.id),
  });
  const last = slice[slice.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.changed_at, last.entity, Number(last.id)]) : null };
}
