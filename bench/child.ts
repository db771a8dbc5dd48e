/**
 * One measured step of a benchmark, in its own process so that its peak RSS is its own:
 *   node --import tsx bench/child.ts '<json task>'
 * Prints one JSON line with the result. Tasks: raw-copy (the seed writer's COPY of the same rows into the registry
 * tables) and import (the ledger import, mode valid-rows).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, rows } from '../src/server/db/client.js';
import { insertJob } from '../src/server/modules/jobs/repo.js';
import { runImportJob } from '../src/server/modules/registry-import/service.js';
import { villagesUnder } from '../src/server/seed/service.js';
import { type ChunkText, copyChunk, renderChunk } from '../src/server/seed/writer.js';
import { generateHouseholds, type SeedHousehold } from '../src/server/seed/generator.js';
import { inCopyTransaction } from '../src/server/db/copy.js';
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

/** Renders the seed's households as COPY text chunks of 10,000 households into files (cached per size and seed). */
async function renderedCopyChunks(database: Database, households: number, seed: number): Promise<string> {
  const dir = join('/tmp/jz_bench', `copy-${households}-${seed}`);
  if (existsSync(join(dir, 'done'))) return dir;
  const tmp = `${dir}.part`;
  mkdirSync(tmp, { recursive: true });
  const villages = await villagesUnder(database, '6208');
  const meta = { reason: `合成数据（seed ${seed}）`, joinedOn: '2025-06-30', withEnrollments: false };
  let hBase = 1;
  let pBase = 1;
  let n = 0;
  let batch: SeedHousehold[] = [];
  const flush = () => {
    if (!batch.length) return;
    const persons = batch.reduce((k, h) => k + h.members.length, 0);
    const chunk = renderChunk(batch, hBase, pBase, meta);
    writeFileSync(join(tmp, `${String(n++).padStart(5, '0')}.json`), JSON.stringify(chunk));
    hBase += batch.length;
    pBase += persons;
    batch = [];
  };
  for (const h of generateHouseholds({ households, seed, villages })) {
    batch.push(h);
    if (batch.length >= 10_000) flush();
  }
  flush();
  writeFileSync(join(tmp, 'done'), '');
  renameSync(tmp, dir);
  return dir;
}

/** COPY of the rendered chunks in one transaction (ids as rendered; the sequences moved past them). */
async function copyRendered(database: Database, dir: string) {
  let households = 0;
  let persons = 0;
  await inCopyTransaction(database, async (s) => {
    await s.query('LOCK TABLE households, persons IN SHARE ROW EXCLUSIVE MODE');
    for (const f of readdirSync(dir)
      .filter((x) => x.endsWith('.json'))
      .sort()) {
      const chunk = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ChunkText;
      await copyChunk(s, chunk);
      households += chunk.households;
      persons += chunk.persons;
    }
    await s.query(`SELECT setval(pg_get_serial_sequence('households', 'id'), ${households})`);
    await s.query(`SELECT setval(pg_get_serial_sequence('persons', 'id'), ${persons})`);
  });
  return { households, persons };
}

const database = await openDatabase(
  task.driver === 'postgres' ? { url: task.url!, poolSize: 4 } : { dataDir: task.dataDir },
);
try {
  await prepareBenchDatabase(database, task.truncateFirst ?? false);
  let t0 = performance.now();
  let detail: unknown = null;
  if (task.kind === 'raw-copy') {
    // The baseline times COPY only: the same rows are generated and rendered to COPY text first (cached on disk,
    // not timed), with the ids a fresh table gives them; then one transaction copies them into the same tables.
    const dir = await renderedCopyChunks(database, task.households, task.seed);
    t0 = performance.now();
    detail = await copyRendered(database, dir);
  } else {
    t0 = performance.now();
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
    detail = { rows: r.rows, errorRows: r.errorRows, counts: r.counts, phaseSeconds: r.phaseSeconds };
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const maxRssMb = Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1048576);
  console.log(JSON.stringify({ ok: true, seconds, maxRssMb, detail, counts: await counts(database) }));
} finally {
  await database.close();
}
