/**
 * One measured step of a benchmark, in its own process so that its peak RSS is its own:
 *   node --import tsx bench/child.ts '<json task>'
 * Prints one JSON line with the result. Tasks: raw-copy (the seed writer's COPY of the same rows into the registry
 * tables) and import (the ledger import, mode valid-rows).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, rows } from '../src/server/db/client.js';
import { insertJob } from '../src/server/modules/jobs/repo.js';
import { runImportJob } from '../src/server/modules/registry-import/service.js';
import { villagesUnder } from '../src/server/seed/service.js';
import { writeSeed } from '../src/server/seed/writer.js';
import { cliActor } from '../src/cli/util.js';
import { prepareBenchDatabase } from './db.js';

interface Task {
  kind: 'raw-copy' | 'import';
  driver: 'postgres' | 'pglite';
  url?: string;
  households: number;
  seed: number;
  csv?: string;
  /** pglite: keep the database in this directory between steps */
  dataDir?: string;
  truncateFirst?: boolean;
}

const task = JSON.parse(process.argv[2]!) as Task;
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

async function counts(database: Database) {
  const [r] = await rows<Record<string, number>>(
    database.db,
    sql`SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM persons) AS persons,
               (SELECT count(*) FROM household_memberships) AS memberships, (SELECT count(*) FROM disability_certs) AS disability_certs,
               (SELECT count(*) FROM income_items) AS income_items,
               (SELECT count(*) FROM persons_history) + (SELECT count(*) FROM households_history) AS history_rows`,
  );
  return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
}

const database = await openDatabase(
  task.driver === 'postgres' ? { url: task.url!, poolSize: 4 } : { dataDir: task.dataDir },
);
try {
  await prepareBenchDatabase(database, task.truncateFirst ?? false);
  const t0 = performance.now();
  let detail: unknown = null;
  if (task.kind === 'raw-copy') {
    const villages = await villagesUnder(database, '6208');
    detail = await writeSeed(database, {
      households: task.households,
      seed: task.seed,
      villages,
      withEnrollments: false,
      chunkSize: 10_000,
    });
  } else {
    const jobId = await insertJob(database.db, {
      kind: 'registry.import',
      regionCode: '6208',
      createdBy: null,
      params: {},
      total: null,
    });
    const r = await runImportJob(database, cliActor(['registry.import']), jobId, {
      path: task.csv!,
      filename: task.csv!.split('/').pop()!,
      mode: 'valid-rows',
      regionCode: '6208',
      maxBytes: 8 * 1024 ** 3,
      filesDir: '/tmp/jz_bench_files',
    });
    detail = { rows: r.rows, errorRows: r.errorRows, counts: r.counts };
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const maxRssMb = Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1048576);
  console.log(JSON.stringify({ ok: true, seconds, maxRssMb, detail, counts: await counts(database) }));
} finally {
  await database.close();
}
