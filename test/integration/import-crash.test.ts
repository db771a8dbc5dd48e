import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/cli/util.js';
import { type Database, rows } from '../../src/server/db/client.js';
import { insertJob } from '../../src/server/modules/jobs/repo.js';
import { runImportJob } from '../../src/server/modules/registry-import/service.js';
import { writeLedgerCsv } from '../../src/server/seed/ledger.js';
import { R } from '../support/app.js';
import { freshDatabase } from '../support/db.js';
import { householdsIn } from './import-support.js';

/**
 * Crash safety (issue 3 "Bad input"): the registry is written in ONE transaction at the end of an import, so a
 * process killed before COMMIT leaves no partial batch; its scratch rows are reaped by the next import, and running
 * the same file again converges to the state of a clean run.
 */
let db: Database;
const files = `/tmp/jiuzhu-test-crash-${process.pid}`;
const csv = `${files}/ledger.csv`;
const households = householdsIn(R.countyA, 2500, 81);

beforeAll(async () => {
  db = await freshDatabase();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(files, { recursive: true });
  await writeLedgerCsv(csv, households);
}, 300_000);

afterAll(async () => {
  await db?.close();
});

async function counts() {
  const [c] = await rows<Record<string, number>>(
    db.db,
    sql`SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM persons) AS persons,
               (SELECT count(*) FROM income_items) AS incomes, (SELECT count(*) FROM persons_history) AS history`,
  );
  return Object.fromEntries(Object.entries(c!).map(([k, v]) => [k, Number(v)]));
}

const req = {
  path: csv,
  filename: 'ledger.csv',
  mode: 'valid-rows' as const,
  regionCode: R.countyA,
  maxBytes: 1e9,
  filesDir: files,
};

describe('an interrupted import', () => {
  it('leaves scratch rows only; the next import reaps them and converges', { timeout: 300_000 }, async () => {
    // The state a kill -9 during staging leaves behind: a running job with staging rows and cell errors.
    const dead = await insertJob(db.db, {
      kind: 'registry.import',
      regionCode: R.countyA,
      createdBy: null,
      params: {},
      total: null,
    });
    await db.db.execute(sql`UPDATE jobs SET status = 'running', started_at = now() WHERE id = ${dead}`);
    await db.db.execute(
      sql`INSERT INTO import_staging (job_id, row_no, household_no, id_number, relation) VALUES (${dead}, 2, 'X', '620802196503120418', 'head')`,
    );
    await db.db.execute(sql`INSERT INTO import_row_errors (job_id, row_no, col, message) VALUES (${dead}, 3, 1, 'x')`);
    expect(await counts()).toMatchObject({ households: 0, persons: 0 });

    const job = await insertJob(db.db, {
      kind: 'registry.import',
      regionCode: R.countyA,
      createdBy: null,
      params: {},
      total: null,
    });
    const r = await runImportJob(db, cliActor(), job, req);
    expect(r.errorRows).toBe(0);
    const after = await counts();
    expect(after.households).toBe(households.length);
    const [reaped] = await rows<{ status: string; code: string }>(
      db.db,
      sql`SELECT status, error->>'code' AS code FROM jobs WHERE id = ${dead}`,
    );
    expect(reaped).toEqual({ status: 'failed', code: 'INTERRUPTED' });
    const [left] = await rows<{ n: number }>(
      db.db,
      sql`SELECT (SELECT count(*) FROM import_staging) + (SELECT count(*) FROM import_row_errors) AS n`,
    );
    expect(Number(left!.n)).toBe(0);
    // Again: nothing changes.
    const again = await runImportJob(
      db,
      cliActor(),
      await insertJob(db.db, {
        kind: 'registry.import',
        regionCode: R.countyA,
        createdBy: null,
        params: {},
        total: null,
      }),
      req,
    );
    expect(again.counts).toMatchObject({
      households: { inserted: 0, updated: 0 },
      persons: { inserted: 0, updated: 0 },
    });
    expect(await counts()).toEqual(after);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'survives a real kill -9 of the importing process (PostgreSQL)',
    { timeout: 600_000 },
    async () => {
      await db.db.execute(sql`TRUNCATE households, persons, household_memberships, disability_certs, income_items, persons_history,
                                      households_history, income_items_history, disability_certs_history CASCADE`);
      const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
      const env = {
        ...process.env,
        DATABASE_URL: url,
        JIUZHU_FILES_DIR: files,
        JIUZHU_REGION_ROOT: '6208',
        NODE_ENV: 'test',
      };
      const child = spawn(
        process.execPath,
        ['bin/jiuzhu.js', 'import', csv, '--mode', 'valid-rows', '--region', R.countyA],
        { env, stdio: 'ignore' },
      );
      // Wait until the job is running and has staged a first batch, then kill it without warning.
      let jobId: number | null = null;
      for (let i = 0; i < 3000 && jobId === null; i++) {
        const [j] = await rows<{ id: number; progress_done: number }>(
          db.db,
          sql`SELECT id, progress_done FROM jobs WHERE kind = 'registry.import' AND status = 'running' ORDER BY id DESC LIMIT 1`,
        );
        if (j && Number(j.progress_done) > 0) jobId = Number(j.id);
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(jobId).not.toBeNull();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await counts()).toMatchObject({ households: 0, persons: 0, incomes: 0 });
      const [staged] = await rows<{ n: number }>(
        db.db,
        sql`SELECT count(*) AS n FROM import_staging WHERE job_id = ${jobId}`,
      );
      expect(Number(staged!.n)).toBeGreaterThan(0);

      // Run it again, to the end, in another process.
      const rerun = spawn(
        process.execPath,
        ['bin/jiuzhu.js', 'import', csv, '--mode', 'valid-rows', '--region', R.countyA],
        { env, stdio: 'ignore' },
      );
      const code = await new Promise((r) => rerun.once('exit', r));
      expect(code).toBe(0);
      const after = await counts();
      expect(after.households).toBe(households.length);
      expect(after.persons).toBe(households.reduce((n, h) => n + h.members.length, 0));
      expect(after.history).toBe(0);
      const [killed] = await rows<{ status: string }>(db.db, sql`SELECT status FROM jobs WHERE id = ${jobId}`);
      expect(killed!.status).toBe('failed');
      const [left] = await rows<{ n: number }>(db.db, sql`SELECT count(*) AS n FROM import_staging`);
      expect(Number(left!.n)).toBe(0);
    },
  );
});
