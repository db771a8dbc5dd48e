/**
 * Exchange benchmarks (issue 7 "Performance"):
 * - exportBench: full big-data export (JSON Lines, poverty_bigdata masking) of the whole registry in its own process:
 *   rows/s and peak RSS. Goal ≥ 100,000 person rows/s, peak RSS ≤ 512 MB.
 * - searchBench: the exchange API's ID-number search (DCI-style sync/search, idtype-value) at N households under 50
 *   concurrent clients with autocannon on loopback against a server in its own process: throughput and p99.
 *   Goal p99 ≤ 50 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { first, openDatabase, rows } from '../src/server/db/client.js';
import { createApiClient } from '../src/server/modules/exchange/service.js';
import { benchActor } from './rosters.js';

const here = dirname(fileURLToPath(import.meta.url));
const round = (x: number) => Math.round(x * 100) / 100;

function runChild(task: Record<string, unknown>): { proc: ChildProcess; firstLine: Promise<string> } {
  // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server process.
  const extra = process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(
    process.execPath,
    [...extra, '--import', 'tsx', join(here, 'exchange-child.ts'), JSON.stringify(task)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const firstLine = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    proc.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`exchange child ${task.kind} exited ${code}: ${out}`));
    });
  });
  return { proc, firstLine };
}

export async function exportBench(url: string, log: (m: string) => void) {
  const database = await openDatabase({ url, poolSize: 1 });
  const [c] = await rows<{ h: number; p: number; e: number }>(
    database.db,
    sql`SELECT (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM persons)::int AS p, (SELECT count(*) FROM programme_enrollments)::int AS e`,
  );
  await database.close();
  log(`export of ${c!.h} households, ${c!.p} persons, ${c!.e} enrollments`);
  const { proc, firstLine } = runChild({ kind: 'export', url, platform: 'poverty_bigdata' });
  const r = JSON.parse(await firstLine) as {
    seconds: number;
    bytes: number;
    lines: number;
    counts: Record<string, number>;
    maxRssMb: number;
  };
  await new Promise((res) => proc.on('exit', res));
  log(`export: ${r.seconds.toFixed(1)} s, ${r.lines} records, peak RSS ${r.maxRssMb} MB`);
  return {
    households: c!.h,
    persons: c!.p,
    enrollments: c!.e,
    seconds: round(r.seconds),
    records: r.lines,
    counts: r.counts,
    bytes: r.bytes,
    recordsPerSecond: Math.round(r.lines / r.seconds),
    personRowsPerSecond: Math.round(c!.p / r.seconds),
    maxRssMb: r.maxRssMb,
    format: 'JSON Lines, platform poverty_bigdata (full ID numbers, masked phones), households + persons + enrollments',
    goals: { personRowsPerSecond: 100_000, maxRssMb: 512 },
  };
}

export async function searchBench(
  url: string,
  log: (m: string) => void,
  opts: { connections?: number; seconds?: number } = {},
) {
  const database = await openDatabase({ url, poolSize: 2 });
  const client = await createApiClient(
    { db: database.db, actor: benchActor(['api_clients.manage']), locale: 'zh' },
    {
      name: `bench-${Date.now()}`,
      regionCodes: ['6208'],
      purposes: ['verification'],
      platform: 'verification',
      ratePerMinute: 100_000_000,
    },
  );
  await database.db.execute(sql`ANALYZE persons`);
  const sample = (
    await rows<{ id_number: string }>(
      database.db,
      sql`SELECT id_number FROM persons TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 2000`,
    )
  ).map((r) => r.id_number);
  const size = await first<{ h: number }>(database.db, sql`SELECT count(*)::int AS h FROM households`);
  await database.close();
  const { proc, firstLine } = runChild({ kind: 'serve', url, port: 0, poolSize: 20 });
  try {
    const { port } = JSON.parse(await firstLine) as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const tokenRes = await fetch(`${base}/api/v1/exchange/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    let i = 0;
    const body = () =>
      JSON.stringify({
        header: { action: 'search', purpose: 'verification' },
        message: {
          transaction_id: `bench-${i}`,
          search_request: [
            {
              reference_id: 'r1',
              search_criteria: {
                query_type: 'idtype-value',
                query: { type: 'ID_NUMBER', value: sample[i++ % sample.length] },
              },
            },
          ],
        },
      });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const run = (duration: number) =>
      autocannon({
        url: `${base}/api/v1/exchange/registry/sync/search`,
        connections: opts.connections ?? 50,
        duration,
        requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: body() }) }],
      });
    log('exchange search: warm-up 5 s');
    await run(5);
    log(`exchange search: ${opts.connections ?? 50} connections, ${opts.seconds ?? 20} s`);
    const r = await run(opts.seconds ?? 20);
    const result = {
      households: size!.h,
      connections: opts.connections ?? 50,
      durationSeconds: opts.seconds ?? 20,
      requests: r.requests.total,
      requestsPerSecond: round(r.requests.average),
      latencyMs: {
        p50: r.latency.p50,
        p90: r.latency.p90,
        p99: r.latency.p99,
        max: r.latency.max,
        mean: round(r.latency.average),
      },
      non2xx: r.non2xx,
      errors: r.errors,
      goals: { p99Ms: 50 },
      endpoint:
        'POST /api/v1/exchange/registry/sync/search (idtype-value ID_NUMBER, bearer token, call logged, rate-limited)',
    };
    log(`exchange search: ${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms`);
    return result;
  } finally {
    proc.kill();
  }
}
