/**
 * Policy fact snapshots (migration 0012): the flat, parameter-independent facts row of every person of a county as of
 * a date, written set-based from the same expressions the live bulk evaluation uses (bulk-repo.ts `snapshotInsertSql`),
 * so that a what-if simulation evaluates two scenarios over one narrow table instead of re-joining the registry.
 * Built county by county as a background job (progress = counties done), each county in its own transaction:
 * a snapshot is always complete or absent. The three most recent dates are kept per county.
 */
import { sql } from 'drizzle-orm';
import type { FactSnapshotView } from '../../../contracts/policy.js';
import { affected, type Database, type Db, first, rows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Actor, UseCaseContext } from '../../platform/context.js';
import { iso } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, inScope, type Scope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { finishJob, insertJob, jobProgress, startJob } from '../jobs/repo.js';
import { snapshotInsertSql } from './bulk-repo.js';
import { asOfOrToday } from './common.js';
import { countiesOf } from './repo.js';

export const SNAPSHOT_JOB = 'policy.facts_snapshot';
const KEEP_PER_COUNTY = 3;

interface SnapshotRow {
  county_code: string;
  county_name: string | null;
  as_of: string;
  persons: number;
  refreshed_at: string;
  refreshed_by: string | null;
  seconds: string | number | null;
}

const present = (r: SnapshotRow): FactSnapshotView => ({
  countyCode: r.county_code,
  countyName: r.county_name,
  asOf: String(r.as_of).slice(0, 10),
  persons: Number(r.persons),
  refreshedAt: iso(r.refreshed_at)!,
  refreshedBy: r.refreshed_by,
  seconds: r.seconds === null ? null : Number(r.seconds),
});

/** The snapshots of the counties of `regionCode` inside the caller's area, newest date first. */
export async function listFactSnapshots(ctx: UseCaseContext, regionCode: string) {
  assertRegionFilter(regionCode, ctx.actor.scope);
  const list = await rows<SnapshotRow>(
    ctx.db,
    sql`SELECT s.county_code, r.name AS county_name, to_char(s.as_of, 'YYYY-MM-DD') AS as_of, s.persons, s.refreshed_at,
               u.username AS refreshed_by, s.seconds
        FROM policy_fact_snapshots s
        LEFT JOIN regions r ON r.code = s.county_code
        LEFT JOIN users u ON u.id = s.refreshed_by
        WHERE s.county_code LIKE ${`${regionCode.slice(0, 6)}%`} AND ${inScope(sql`s.county_code`, ctx.actor.scope)}
        ORDER BY s.as_of DESC, s.county_code`,
  );
  return { items: list.map(present) };
}

/**
 * The snapshot state of `counties` at `asOf`: used only when every county has one (a region is evaluated from one
 * source). `refreshedAt` is the oldest of them — what the answer is as fresh as.
 */
export async function snapshotCoverage(db: Db, counties: string[], asOf: string) {
  if (!counties.length) return { complete: false, missing: [] as string[], refreshedAt: null as string | null };
  const have = await rows<{ county_code: string; refreshed_at: string }>(
    db,
    sql`SELECT county_code, refreshed_at FROM policy_fact_snapshots
        WHERE as_of = ${asOf}::date AND county_code IN (${sql.join(
          counties.map((c) => sql`${c}`),
          sql`, `,
        )})`,
  );
  const got = new Set(have.map((h) => h.county_code));
  const missing = counties.filter((c) => !got.has(c));
  const oldest = have.map((h) => iso(h.refreshed_at)!).sort()[0] ?? null;
  return { complete: missing.length === 0, missing, refreshedAt: missing.length ? null : oldest };
}

/** The counties a snapshot request covers: a county or larger region, inside the caller's area. */
async function snapshotCounties(db: Db, scope: Scope, regionCode: string) {
  assertRegionFilter(regionCode, scope);
  if (scope.regionCode.length > 6) {
    throw new AppError('REGION_OUT_OF_SCOPE', { detail: '政策事实快照按县（区）生成，需县级或以上的管辖范围' });
  }
  const counties = await countiesOf(db, scope, regionCode);
  if (!counties.length) {
    throw new AppError('REGION_NOT_FOUND', {
      fields: [{ field: 'regionCode', code: 'no_county', message: '该区划下没有县（区）' }],
    });
  }
  return counties;
}

/** Queues a snapshot job (202 + job) unless one is already queued or running for an overlapping area. */
export async function queueFactSnapshotJob(ctx: UseCaseContext, input: { regionCode: string; asOf?: string }) {
  const asOf = asOfOrToday(input.asOf);
  const counties = await snapshotCounties(ctx.db, ctx.actor.scope, input.regionCode);
  const region =
    input.regionCode.length >= ctx.actor.scope.regionCode.length ? input.regionCode : ctx.actor.scope.regionCode;
  // A job left queued or running by a process that died (a county takes seconds, a city minutes) would block its area
  // for ever: after an hour it is marked failed.
  await ctx.db.execute(sql`UPDATE jobs SET status = 'failed', finished_at = now(),
      error = ${JSON.stringify({ code: 'INTERNAL', message: '任务中断（服务进程退出），已作废，可重新生成' })}::jsonb
    WHERE kind = ${SNAPSHOT_JOB} AND status IN ('queued', 'running') AND created_at < now() - interval '1 hour'`);
  const running = await first<{ id: number }>(
    ctx.db,
    sql`SELECT id FROM jobs WHERE kind = ${SNAPSHOT_JOB} AND status IN ('queued', 'running')
          AND (region_code LIKE ${`${region}%`} OR ${region} LIKE region_code || '%') LIMIT 1`,
  );
  if (running)
    throw new AppError('FACT_SNAPSHOT_RUNNING', { detail: `该地区正在生成政策事实快照（任务 ${running.id}）` });
  const jobId = await insertJob(ctx.db, {
    kind: SNAPSHOT_JOB,
    regionCode: region,
    createdBy: ctx.actor.id,
    params: { regionCode: region, asOf, counties: counties.map((c) => c.code) },
    total: counties.length,
  });
  return { jobId, asOf, counties };
}

/**
 * Builds the snapshots of a queued job: per county, in one transaction, the old rows of (county, asOf) are replaced
 * by an INSERT … SELECT of the live facts, the metadata row records persons, who and how long, and older dates beyond
 * the three most recent are dropped. One audit row per county.
 */
export async function runFactSnapshotJob(
  database: Database,
  actor: Actor,
  jobId: number,
  input: { asOf: string; counties: Array<{ code: string; name: string }> },
  onProgress?: (done: number, total: number) => void,
) {
  const db = database.db;
  await startJob(db, jobId);
  const built: Array<{ countyCode: string; persons: number; seconds: number }> = [];
  try {
    for (const [i, c] of input.counties.entries()) {
      const t = Date.now();
      const { persons, seconds } = await inTransaction(db, async (tx) => {
        await tx.execute(
          sql`DELETE FROM policy_person_facts WHERE as_of = ${input.asOf}::date AND county_code = ${c.code}`,
        );
        await tx.execute(sql`INSERT INTO policy_fact_snapshots (county_code, as_of, persons, refreshed_by, job_id)
          VALUES (${c.code}, ${input.asOf}::date, 0, ${actor.id}::bigint, ${jobId})
          ON CONFLICT (county_code, as_of) DO UPDATE SET persons = 0, refreshed_at = now(),
            refreshed_by = excluded.refreshed_by, job_id = excluded.job_id`);
        const n = await affected(tx, snapshotInsertSql(c.code, input.asOf));
        const seconds = Math.round((Date.now() - t) / 10) / 100;
        await tx.execute(sql`UPDATE policy_fact_snapshots SET persons = ${n}, seconds = ${seconds}, refreshed_at = now()
          WHERE county_code = ${c.code} AND as_of = ${input.asOf}::date`);
        // Older dates beyond the most recent KEEP_PER_COUNTY (their fact rows go with them: ON DELETE CASCADE).
        await tx.execute(sql`DELETE FROM policy_person_facts f USING (
            SELECT as_of FROM policy_fact_snapshots WHERE county_code = ${c.code} ORDER BY as_of DESC OFFSET ${KEEP_PER_COUNTY}) old
          WHERE f.county_code = ${c.code} AND f.as_of = old.as_of`);
        await tx.execute(sql`DELETE FROM policy_fact_snapshots WHERE county_code = ${c.code} AND as_of IN (
            SELECT as_of FROM policy_fact_snapshots WHERE county_code = ${c.code} ORDER BY as_of DESC OFFSET ${KEEP_PER_COUNTY})`);
        await writeAudit(tx, actor, {
          action: 'policy.facts_snapshot',
          entityType: 'region',
          entityId: c.code,
          regionCode: c.code,
          diff: { asOf: input.asOf, persons: n, seconds, jobId },
        });
        return { persons: n, seconds };
      });
      built.push({ countyCode: c.code, persons, seconds });
      await jobProgress(db, jobId, i + 1);
      onProgress?.(i + 1, input.counties.length);
    }
    // Fresh statistics for the planner (a what-if over the new rows is planned right after).
    if (database.kind === 'postgres') await db.execute(sql`ANALYZE policy_person_facts`);
    const result = { asOf: input.asOf, counties: built, persons: built.reduce((a, b) => a + b.persons, 0) };
    await finishJob(db, jobId, 'succeeded', result, null);
    return result;
  } catch (e) {
    const err =
      e instanceof AppError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: '生成快照失败' };
    await finishJob(db, jobId, 'failed', { asOf: input.asOf, counties: built }, err).catch(() => undefined);
    throw e;
  }
}

/** Queue and run to the end in this process (CLI, tests, the bench). */
export async function buildFactSnapshots(
  database: Database,
  ctx: UseCaseContext,
  input: { regionCode: string; asOf?: string },
  onProgress?: (done: number, total: number) => void,
) {
  const q = await queueFactSnapshotJob(ctx, input);
  const r = await runFactSnapshotJob(database, ctx.actor, q.jobId, { asOf: q.asOf, counties: q.counties }, onProgress);
  return { jobId: q.jobId, ...r };
}

/**
 * "Refreshed with the monthly update": when a county that uses fact snapshots (it has one) confirms its monthly
 * update, a snapshot as of today is queued and built in the background, so the what-if reads the updated facts.
 * Never fails the confirmation: a refresh already running, or a caller whose area is wider than counties, is skipped.
 */
export async function refreshAfterMonthlyUpdate(
  database: Database,
  ctx: UseCaseContext,
  countyCode: string,
  onError: (e: unknown) => void,
): Promise<number | null> {
  const has = await first<{ n: number }>(
    ctx.db,
    sql`SELECT 1 AS n FROM policy_fact_snapshots WHERE county_code = ${countyCode} LIMIT 1`,
  );
  if (!has) return null;
  let q: Awaited<ReturnType<typeof queueFactSnapshotJob>>;
  try {
    q = await queueFactSnapshotJob(ctx, { regionCode: countyCode });
  } catch (e) {
    if (e instanceof AppError) return null;
    throw e;
  }
  void runFactSnapshotJob(database, ctx.actor, q.jobId, { asOf: q.asOf, counties: q.counties }).catch(onError);
  return q.jobId;
}
