import { createHash } from 'node:crypto';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

/** A drizzle database or transaction handle; the same type on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Db;
  /** The underlying driver, for the few things drizzle cannot do (COPY streams). */
  pglite?: PGlite;
  pool?: pg.Pool;
  close(): Promise<void>;
}

// int8 (counts, sums of fen) as JS numbers on both drivers: every figure we keep is far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface OpenDatabaseOptions {
  /** postgres://… — a real PostgreSQL server. Without it: embedded PGlite. */
  url?: string;
  /** PGlite data directory; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      options: '-c TimeZone=UTC',
    });
    // A connection the server drops (restart, pg_terminate_backend, DROP DATABASE … FORCE) must not crash the
    // process: the query running on it fails and its use case reports the error; idle ones are replaced.
    const onConnectionError = (err: Error) =>
      process.stderr.write(`数据库连接中断 (database connection lost): ${err.message}\n`);
    pool.on('error', onConnectionError);
    pool.on('connect', (client) => client.on('error', onConnectionError));
    // Fail fast with a clear message when the server is unreachable.
    const c = await pool.connect();
    c.release();
    const db = drizzleNodePg(pool) as unknown as Db;
    return { kind: 'postgres', db, pool, close: () => pool.end() };
  }
  const client = await PGlite.create(opts.dataDir ?? 'memory://', {
    parsers: { [pgliteTypes.INT8]: (v: string) => Number(v) },
  });
  await client.exec(`SET TimeZone = 'UTC'`);
  const db = drizzlePglite(client) as unknown as Db;
  return { kind: 'pglite', db, pglite: client, close: () => client.close() };
}

/** Rows of a query, typed by the caller (the SQL decides the shape). */
export async function rows<T = Record<string, unknown>>(db: Db, q: SQL): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

interface DrizzleInternals {
  dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      q: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      arrayMode: false,
    ): {
      execute(): Promise<unknown>;
    };
  };
}

/**
 * rows() as a named prepared statement: on PostgreSQL the server plans it once per connection instead of on every
 * call. For the hot, small lookups (the exchange API's token and ID-number search), where planning costs several
 * times the execution. The name is derived from the SQL text, so the same text is the same statement on a
 * connection; keep the text's variety small (values go in parameters). On PGlite it is the same as rows().
 */
export async function preparedRows<T = Record<string, unknown>>(db: Db, q: SQL): Promise<T[]> {
  const d = db as unknown as DrizzleInternals;
  const query = d.dialect.sqlToQuery(q);
  const name = `jz_${createHash('sha1').update(query.sql).digest('hex').slice(0, 24)}`;
  const r = (await d.session.prepareQuery(query, undefined, name, false).execute()) as { rows: T[] };
  return r.rows;
}

/** The first row or undefined. */
export async function first<T = Record<string, unknown>>(db: Db, q: SQL): Promise<T | undefined> {
  const r = await rows<T>(db, q);
  return r[0];
}

/** Number of rows a statement changed. */
export async function affected(db: Db, q: SQL): Promise<number> {
  const r = (await db.execute(q)) as unknown as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
}

export { sql };
