import { sql } from 'drizzle-orm';
import { type Db, first } from '../../db/client.js';
import type { Scope } from '../../platform/scope.js';

// Jobs (the generic 0002 table): progress and outcome of a long-running import.
export async function insertJob(
  db: Db,
  j: { kind: string; regionCode: string; createdBy: number | null; params: unknown; total: number | null },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO jobs (kind, status, region_code, created_by, params, progress_total)
        VALUES (${j.kind}, 'queued', ${j.regionCode}, ${j.createdBy}::bigint, ${JSON.stringify(j.params)}::jsonb, ${j.total}::bigint)
        RETURNING id`,
  );
  return Number(r!.id);
}

export async function startJob(db: Db, id: number) {
  await db.execute(sql`UPDATE jobs SET status = 'running', started_at = now() WHERE id = ${id}`);
}

export async function jobProgress(db: Db, id: number, done: number, total?: number | null) {
  await db.execute(
    total === undefined
      ? sql`UPDATE jobs SET progress_done = ${done} WHERE id = ${id}`
      : sql`UPDATE jobs SET progress_done = ${done}, progress_total = ${total}::bigint WHERE id = ${id}`,
  );
}

export async function finishJob(db: Db, id: number, status: 'succeeded' | 'failed', result: unknown, error: unknown) {
  await db.execute(
    sql`UPDATE jobs SET status = ${status}, finished_at = now(), result = ${result === null ? null : JSON.stringify(result)}::jsonb,
               error = ${error === null ? null : JSON.stringify(error)}::jsonb
        WHERE id = ${id}`,
  );
}

export interface JobRecord {
  id: number;
  kind: string;
  status: string;
  region_code: string;
  created_by: number | null;
  params: Record<string, unknown>;
  progress_done: number;
  progress_total: number | null;
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export async function findJobInScope(db: Db, id: number, scope: Scope): Promise<JobRecord | undefined> {
  return first<JobRecord>(db, sql`SELECT * FROM jobs WHERE id = ${id} AND region_code LIKE ${`${scope.regionCode}%`}`);
}
