import type { Db } from '../db/client.js';

/** Runs a use case in one transaction: everything it writes, including its audit rows, commits or rolls back together. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => fn(tx as unknown as Db));
}
