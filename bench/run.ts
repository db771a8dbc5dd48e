/**
 * Benchmarks (issue 3 "Performance"): `npm run bench -- <name…> [--households N] [--seed S] [--pg URL]`
 *
 *   import-pg      import N households (default 1,000,000) of ledger CSV into PostgreSQL; raw COPY of the same
 *                  rows into the same tables in the same run; ratio, rows/s, peak RSS of each step (own process)
 *   import-pglite  the same for N (default 100,000) on PGlite and on PostgreSQL; ratio PGlite / PostgreSQL
 *   search-pg      exact ID lookup and name-prefix search within a county through the registry's searchPersons,
 *                  ≥1000 queries each, p50/p99, on the database import-pg left (or a fresh seeded one)
 *   all            import-pg, then search-pg on its data, then import-pglite
 *   ledger-csv     only generate (and cache) the ledger CSV of --households N (default 1,000,000)
 *   policy-bulk-pg issue 6: both disability subsidies and 特困 conditions for every person at --policy-households N
 *                  (default 1,000,000) vs a hand-written SQL query; what-if for one county
 *   policy-whatif-pg issue 6: what-if (class 3–4 standard = 50 元) for the largest county at --whatif-households N
 *                  (default 100,000; database jz_bench_whatif kept, --drop-whatif-db) vs a hand-written statement
 *   dibao-q4-pg    issue 5: Q4 低保 batch review of a county with --dibao-households N (default 50,000) vs hand-written SQL
 *
 * PostgreSQL: a dedicated database (jz_bench, jz_bench_small) created and dropped by the run; admin URL from
 * --pg or BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). Results: bench/results/*.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../src/server/db/client.js';
import { searchPersons } from '../src/server/modules/registry/repo-search.js';
import { datasetRegions } from '../src/server/modules/regions/service.js';
import { scopeOf } from '../src/server/platform/scope.js';
import { generateHouseholds } from '../src/server/seed/generator.js';
import { writeLedgerCsv } from '../src/server/seed/ledger.js';
import { createPgDatabase, dropPgDatabase, prepareBenchDatabase } from './db.js';
import { dibaoQ4Bench } from './dibao-q4.js';
import { policyBulkBench } from './policy-bulk.js';
import { policyWhatIfBench } from './policy-whatif.js';
import { exportBench, searchBench as exchangeSearchBench } from './exchange.js';
import { rosterBench } from './rosters.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const names = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
const ADMIN_URL = opt('pg') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = Number(opt('seed') ?? 20250630);
const WORK = opt('work') ?? '/tmp/jz_bench';
mkdirSync(WORK, { recursive: true });
mkdirSync(join(here, 'results'), { recursive: true });

function log(msg: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function machine() {
  let pgVersion = '';
  try {
    pgVersion = execFileSync('psql', [ADMIN_URL, '-Atc', 'SHOW server_version'], { encoding: 'utf8' }).trim();
  } catch {
    pgVersion = 'unknown';
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    postgres: pgVersion,
  };
}

function save(name: string, result: unknown) {
  const file = join(here, 'results', `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), ...(result as object) }, null, 2)}\n`,
  );
  log(`results → ${file}`);
}

async function ledgerCsv(
  households: number,
): Promise<{ path: string; persons: number; bytes: number; seconds: number }> {
  const path = join(WORK, `ledger-${households}-${SEED}.csv`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const m = JSON.parse(execFileSync('cat', [meta], { encoding: 'utf8' }));
    if (m.bytes === statSync(path).size) return { path, ...m, seconds: 0 };
  }
  log(`generating ${households} households of ledger CSV → ${path}`);
  const villages = datasetRegions('6208')
    .filter((r) => r.level === 5)
    .map((r) => ({ code: r.code, name: r.name }));
  const t = performance.now();
  const r = await writeLedgerCsv(path, generateHouseholds({ households, seed: SEED, villages }));
  const seconds = (performance.now() - t) / 1000;
  writeFileSync(meta, JSON.stringify({ persons: r.persons, bytes: r.bytes }));
  return { path, persons: r.persons, bytes: r.bytes, seconds };
}

interface StepResult {
  seconds: number;
  maxRssMb: number;
  detail: unknown;
  counts: Record<string, number>;
}

function child(task: Record<string, unknown>): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(here, 'child.ts'), JSON.stringify(task)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(new Error(`bench step ${task.kind} failed (exit ${code}): ${out.slice(-2000)}`));
      resolve(JSON.parse(line));
    });
  });
}

async function importOn(
  driver: 'postgres' | 'pglite',
  households: number,
  csv: { path: string; persons: number },
  dbName: string,
) {
  let url: string | undefined;
  let dataDirs: string[] = [];
  // Schema and division codes are prepared here, so the measured processes only do the measured work.
  if (driver === 'postgres') {
    url = await createPgDatabase(ADMIN_URL, dbName);
    const d = await openDatabase({ url });
    await prepareBenchDatabase(d, false);
    await d.close();
  }
  const dataDir = (step: string) => {
    const d = join(WORK, `pglite-${households}-${step}`);
    rmSync(d, { recursive: true, force: true });
    dataDirs.push(d);
    return d;
  };
  const preparedDir = async (step: string) => {
    const dir = dataDir(step);
    const d = await openDatabase({ dataDir: dir });
    await prepareBenchDatabase(d, false);
    await d.close();
    return dir;
  };
  try {
    log(`${driver}: raw COPY of ${households} households`);
    const copy = await child({
      kind: 'raw-copy',
      driver,
      url,
      households,
      seed: SEED,
      dataDir: driver === 'pglite' ? await preparedDir('copy') : undefined,
    });
    log(`${driver}: raw COPY ${copy.seconds.toFixed(1)} s, ${copy.maxRssMb} MB`);
    log(`${driver}: import (valid-rows) of the ledger CSV`);
    const imp = await child({
      kind: 'import',
      driver,
      url,
      households,
      seed: SEED,
      csv: csv.path,
      truncateFirst: true,
      dataDir: driver === 'pglite' ? await preparedDir('import') : undefined,
    });
    log(`${driver}: import ${imp.seconds.toFixed(1)} s, ${imp.maxRssMb} MB`);
    const again: StepResult = args.includes('--no-reimport')
      ? { seconds: Number.NaN, maxRssMb: 0, detail: 'not run (--no-reimport)', counts: imp.counts }
      : await child({
          kind: 'import',
          driver,
          url,
          households,
          seed: SEED,
          csv: csv.path,
          truncateFirst: false,
          dataDir: driver === 'pglite' ? join(WORK, `pglite-${households}-import`) : undefined,
        });
    log(`${driver}: re-import ${again.seconds.toFixed(1)} s`);
    const same = ['households', 'persons', 'memberships', 'disability_certs', 'income_items'].every(
      (k) => copy.counts[k] === imp.counts[k],
    );
    return {
      driver,
      households,
      persons: csv.persons,
      rawCopy: {
        seconds: round(copy.seconds),
        rowsPerSecond: Math.round(csv.persons / copy.seconds),
        maxRssMb: copy.maxRssMb,
        counts: copy.counts,
      },
      import: {
        seconds: round(imp.seconds),
        rowsPerSecond: Math.round(csv.persons / imp.seconds),
        maxRssMb: imp.maxRssMb,
        counts: imp.counts,
        detail: imp.detail,
      },
      reimportUnchanged: {
        seconds: round(again.seconds),
        maxRssMb: again.maxRssMb,
        detail: again.detail,
        historyRows: again.counts.history_rows,
      },
      ratioImportToCopy: round(imp.seconds / copy.seconds),
      sameRowCounts: same,
      url,
    };
  } finally {
    dataDirs = dataDirs.filter((d) => existsSync(d));
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function searchBench(url: string, queries: number) {
  const database = await openDatabase({ url, poolSize: 2 });
  try {
    const [size] = await rows<{ h: number; p: number }>(
      database.db,
      sql`SELECT (SELECT count(*) FROM households) AS h, (SELECT count(*) FROM persons) AS p`,
    );
    await database.db.execute(sql`ANALYZE persons`);
    const sample = await rows<{ id_number: string; name: string; county_code: string }>(
      database.db,
      sql`SELECT id_number, name, county_code FROM persons TABLESAMPLE SYSTEM (1) REPEATABLE (42) LIMIT ${queries}`,
    );
    const time = async (label: string, fn: (i: number) => Promise<number>) => {
      for (let i = 0; i < 50; i++) await fn(i % sample.length); // warm-up
      const ms: number[] = [];
      let found = 0;
      for (let i = 0; i < queries; i++) {
        const t = performance.now();
        found += (await fn(i % sample.length)) > 0 ? 1 : 0;
        ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      const r = {
        queries,
        found,
        p50Ms: round(percentile(ms, 50)),
        p99Ms: round(percentile(ms, 99)),
        maxMs: round(ms[ms.length - 1]!),
        meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length),
      };
      log(`${label}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
      return r;
    };
    const idLookup = await time('exact ID lookup', async (i) => {
      const s = sample[i]!;
      return (await searchPersons(database.db, scopeOf(s.county_code), { idNumber: s.id_number }, null, 50)).length;
    });
    const namePrefix = await time('name prefix within a county', async (i) => {
      const s = sample[i]!;
      return (await searchPersons(database.db, scopeOf(s.county_code), { name: s.name.slice(0, 2) }, null, 50)).length;
    });
    return {
      households: Number(size!.h),
      persons: Number(size!.p),
      function: 'searchPersons (src/server/modules/registry/repo-search.ts), first page of 50, scope = the county',
      idLookup: { ...idLookup, goalP99Ms: 20 },
      namePrefix: { ...namePrefix, prefix: 'surname + first given-name character (2 characters)', goalP99Ms: 100 },
    };
  } finally {
    await database.close();
  }
}

async function main() {
  const wanted = names.length ? names : ['all'];
  const run = new Set(wanted.flatMap((n) => (n === 'all' ? ['import-pg', 'search-pg', 'import-pglite'] : [n])));
  // Issue 7 (rosters, exchange): on their own database (jz_bench_rosters, kept between runs unless --drop-rosters-db).
  const rosterNames = ['rosters-pg', 'exchange-export-pg', 'exchange-search-pg'];
  if (rosterNames.some((n) => run.has(n) || wanted.includes('rosters-all'))) {
    const u = new URL(ADMIN_URL);
    u.pathname = '/jz_bench_rosters';
    const exists =
      execFileSync('psql', [ADMIN_URL, '-Atc', "SELECT 1 FROM pg_database WHERE datname = 'jz_bench_rosters'"], {
        encoding: 'utf8',
      }).trim() === '1';
    if (!exists) await createPgDatabase(ADMIN_URL, 'jz_bench_rosters');
    const households = Number(opt('households') ?? 1_000_000);
    const all = wanted.includes('rosters-all');
    if (all || run.has('rosters-pg'))
      save(
        'rosters-pg',
        await rosterBench(u.toString(), {
          households,
          seed: SEED,
          month: opt('month') ?? '2026-06',
          log,
          sqlSeed: args.includes('--sql-seed'),
          rounds: Number(opt('rounds') ?? 3),
        }),
      );
    if (all || run.has('exchange-export-pg')) save('exchange-export-pg', await exportBench(u.toString(), log));
    if (all || run.has('exchange-search-pg')) save('exchange-search-pg', await exchangeSearchBench(u.toString(), log));
    if (args.includes('--drop-rosters-db')) await dropPgDatabase(ADMIN_URL, 'jz_bench_rosters');
    for (const n of [...rosterNames, 'rosters-all']) run.delete(n);
    if (run.size === 0) return;
  }
  // Issue 5 (低保 Q4 batch review): its own database (jz_bench_dibao, dropped at the end).
  if (run.has('dibao-q4-pg')) {
    save('dibao-q4-pg', await dibaoQ4Bench(ADMIN_URL, { households: Number(opt('dibao-households') ?? 50_000), log }));
    run.delete('dibao-q4-pg');
    if (run.size === 0) return;
  }
  // Issue 6 (policy bulk evaluation vs hand-written SQL, what-if): its own database (jz_bench_policy, dropped at the end).
  if (run.has('policy-bulk-pg')) {
    save(
      'policy-bulk-pg',
      await policyBulkBench(ADMIN_URL, {
        households: Number(opt('policy-households') ?? 1_000_000),
        seed: SEED % 1000,
        log,
      }),
    );
    run.delete('policy-bulk-pg');
    if (run.size === 0) return;
  }
  // Issue 6 what-if for one county vs hand-written SQL: its own database (jz_bench_whatif, kept between runs).
  if (run.has('policy-whatif-pg')) {
    save(
      'policy-whatif-pg',
      await policyWhatIfBench(ADMIN_URL, { households: Number(opt('whatif-households') ?? 100_000), log }),
    );
    if (args.includes('--drop-whatif-db')) await dropPgDatabase(ADMIN_URL, 'jz_bench_whatif');
    run.delete('policy-whatif-pg');
    if (run.size === 0) return;
  }
  // Pre-generates (and caches) the ledger CSV of --households N, so a later import-pg starts from the file.
  if (run.has('ledger-csv')) {
    const csv = await ledgerCsv(Number(opt('households') ?? 1_000_000));
    log(`ledger CSV: ${csv.persons} persons, ${csv.bytes} bytes, ${round(csv.seconds)} s`);
    run.delete('ledger-csv');
    if (run.size === 0) return;
  }
  let bigUrl: string | null = null;
  if (run.has('import-pg')) {
    const n = Number(opt('households') ?? 1_000_000);
    const csv = await ledgerCsv(n);
    const r = await importOn('postgres', n, csv, 'jz_bench');
    bigUrl = r.url ?? null;
    save('import-pg', {
      csvBytes: csv.bytes,
      csvGenerateSeconds: round(csv.seconds),
      goals: { ratio: 2.0, maxRssMb: 512 },
      ...r,
      url: undefined,
    });
  }
  if (run.has('search-pg')) {
    if (!bigUrl) {
      const n = Number(opt('households') ?? 1_000_000);
      const csv = await ledgerCsv(n);
      bigUrl = (await importOn('postgres', n, csv, 'jz_bench')).url ?? null;
    }
    save('search-pg', await searchBench(bigUrl!, Number(opt('queries') ?? 1000)));
  }
  if (bigUrl && !args.includes('--keep')) await dropPgDatabase(ADMIN_URL, 'jz_bench');
  if (run.has('import-pglite')) {
    const n = Number(opt('small-households') ?? (run.has('import-pg') ? 100_000 : (opt('households') ?? 100_000)));
    const csv = await ledgerCsv(n);
    const pglite = await importOn('pglite', n, csv, '');
    const pgRun = await importOn('postgres', n, csv, 'jz_bench_small');
    await dropPgDatabase(ADMIN_URL, 'jz_bench_small');
    save('import-pglite', {
      households: n,
      persons: csv.persons,
      pglite: { ...pglite, url: undefined },
      postgres: { ...pgRun, url: undefined },
      ratioPgliteToPostgresImport: round(pglite.import.seconds / pgRun.import.seconds),
    });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
