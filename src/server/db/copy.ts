import { createReadStream, openAsBlob } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, Db } from './client.js';

/**
 * Bulk loading with COPY on both drivers: PostgreSQL through pg-copy-streams on one pooled connection, PGlite
 * through `COPY … FROM '/dev/blob'`. Callers hand over chunks of COPY text format, so memory stays bounded by the
 * chunk size however many rows are loaded.
 */
export interface CopySession {
  /** A drizzle handle on the same connection (and transaction), for repositories and writeAudit. */
  db: Db;
  /** Plain SQL on the same connection (and transaction, when there is one). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Loads one chunk of COPY text-format lines into `table (columns)`. */
  copy(table: string, columns: readonly string[], text: string): Promise<void>;
  /** Loads a whole file of COPY text-format lines (streamed on PostgreSQL). */
  copyFile(table: string, columns: readonly string[], path: string): Promise<void>;
}

/** COPY text-format field: \N for null, backslash escapes for the few characters that need them. */
export function copyField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : v;
}

export function copyLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i ? '\t' : '') + copyField(values[i]);
  return `${s}\n`;
}

function pgSession(client: PoolClient): CopySession {
  return {
    db: drizzleNodePg(client) as unknown as Db,
    async query(text, params) {
      return (await client.query(text, params as unknown[])).rows;
    },
    async copy(table, columns, text) {
      if (!text) return;
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      await pipeline(Readable.from([text]), stream);
    },
    async copyFile(table, columns, path) {
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), stream);
    },
  };
}

type PgliteLike = {
  query<T>(q: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
};

function pgliteSession(q: PgliteLike): CopySession {
  return {
    db: drizzlePglite(q as unknown as PGlite) as unknown as Db,
    async query<T>(text: string, params?: unknown[]) {
      return (await q.query<T>(text, params)).rows;
    },
    async copy(table, columns, text) {
      if (!text) return;
      await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
    },
    async copyFile(table, columns, path) {
      await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: await openAsBlob(path) });
    },
  };
}

/** Runs `fn` in one transaction on one connection: everything it copies commits or rolls back together. */
export async function inCopyTransaction<T>(database: Database, fn: (s: CopySession) => Promise<T>): Promise<T> {
  if (database.pglite) return database.pglite.transaction(async (tx) => fn(pgliteSession(tx as unknown as PgliteLike)));
  const client = await database.pool!.connect();
  try {
    await client.query('BEGIN');
    const r = await fn(pgSession(client));
    await client.query('COMMIT');
    return r;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Runs `fn` on one connection without a surrounding transaction (each COPY commits on its own). */
export async function withCopySession<T>(database: Database, fn: (s: CopySession) => Promise<T>): Promise<T> {
  if (database.pglite) return fn(pgliteSession(database.pglite as unknown as PgliteLike));
  const client = await database.pool!.connect();
  try {
    return await fn(pgSession(client));
  } finally {
    client.release();
  }
}
