import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationResult {
  applied: string[];
  skipped: number;
}

/**
 * Applies the checked-in SQL migrations (src/server/db/migrations/NNNN_name.sql) in order, each in its own
 * transaction. The same files run on PGlite and PostgreSQL. An applied file that changed since is an error:
 * migrations are append-only.
 */
export async function migrate(database: Database): Promise<MigrationResult> {
  const { db } = database;
  await db.execute(sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  // Serialise concurrent migrators (several servers starting at once on PostgreSQL).
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  let skipped = 0;
  for (const file of files) {
    const text = readFileSync(join(migrationsDir, file), 'utf8');
    const checksum = createHash('sha256').update(text).digest('hex');
    const done = await inRawTransaction(database, async (q, exec) => {
      await q('SELECT pg_advisory_xact_lock(4242001)');
      const existing = await q('SELECT checksum FROM schema_migrations WHERE name = $1', [file]);
      if (existing[0]) {
        if (existing[0].checksum !== checksum) {
          throw new Error(`迁移文件 ${file} 在应用后被修改 (migration ${file} changed after it was applied)`);
        }
        return false;
      }
      await exec(text);
      await q('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file, checksum]);
      return true;
    });
    if (done) applied.push(file);
    else skipped++;
  }
  return { applied, skipped };
}

type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** A transaction on the raw driver: multi-statement scripts need the simple query protocol (PGlite `exec`). */
async function inRawTransaction<T>(
  database: Database,
  fn: (q: Query, exec: (script: string) => Promise<void>) => Promise<T>,
): Promise<T> {
  if (database.pglite) {
    return database.pglite.transaction(async (tx) =>
      fn(
        async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows,
        async (script) => {
          await tx.exec(script);
        },
      ),
    );
  }
  const client = await database.pool!.connect();
  try {
    await client.query('BEGIN');
    const r = await fn(
      async (text, params) => (await client.query(text, params)).rows,
      async (script) => {
        await client.query(script);
      },
    );
    await client.query('COMMIT');
    return r;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
