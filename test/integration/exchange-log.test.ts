import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/server/db/client.js';
import { type CallLogEntry, logCall } from '../../src/server/modules/exchange/repo.js';
import { freshDatabase } from '../support/db.js';

/**
 * The exchange call log is written in groups: calls that arrive while a write is in flight go into the next
 * statement together. Each caller's promise resolves only when its own row is committed, and a failed group fails
 * its own callers only.
 */
let db: Database;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.close();
});

const entry = (i: number, over: Partial<CallLogEntry> = {}): CallLogEntry => ({
  clientPk: null,
  clientId: `c${i % 3}`,
  operation: 'search',
  transactionId: `t-${i}`,
  purpose: 'verification',
  request: { i },
  status: 200,
  resultCount: i % 4,
  personIds: Array.from({ length: i % 4 }, (_, k) => i * 10 + k),
  ip: '127.0.0.1',
  ...over,
});

describe('exchange call log', () => {
  it('writes every concurrent call once, in arrival order, with its person ids', async () => {
    await Promise.all(Array.from({ length: 150 }, (_, i) => logCall(db.db, entry(i))));
    const got = await rows<{ transaction_id: string; person_ids: number[]; request: { i: number } }>(
      db.db,
      sql`SELECT transaction_id, person_ids, request FROM exchange_call_log ORDER BY id`,
    );
    expect(got.map((r) => r.transaction_id)).toEqual(Array.from({ length: 150 }, (_, i) => `t-${i}`));
    for (const [i, r] of got.entries()) {
      expect(r.person_ids.map(Number)).toEqual(entry(i).personIds);
      expect(r.request).toEqual({ i });
    }
  });

  it('fails only the callers whose rows could not be written', async () => {
    const before = (await rows<{ n: number }>(db.db, sql`SELECT count(*)::int AS n FROM exchange_call_log`))[0]!.n;
    // operation is NOT NULL: the first call is written alone (nothing in flight), so its failure is its own.
    const bad = logCall(db.db, entry(1000, { operation: null as unknown as string }));
    await expect(bad).rejects.toThrow();
    await Promise.all(Array.from({ length: 5 }, (_, i) => logCall(db.db, entry(2000 + i))));
    const after = (await rows<{ n: number }>(db.db, sql`SELECT count(*)::int AS n FROM exchange_call_log`))[0]!.n;
    expect(after - before).toBe(5);
  });
});
