/**
 * A measured exchange step in its own process (its peak RSS is its own):
 *   node --import tsx bench/exchange-child.ts '{"kind":"export","url":"postgres://…"}'  → one JSON line with the result
 *   node --import tsx bench/exchange-child.ts '{"kind":"serve","url":"postgres://…","port":0}' → prints {"port":N}, serves
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/db/client.js';
import { type ExportCounts, jsonLinesStream, platformRule } from '../src/server/modules/exchange/export.js';

const task = JSON.parse(process.argv[2]!) as {
  kind: 'export' | 'serve';
  url: string;
  platform?: string;
  port?: number;
  poolSize?: number;
};

async function exportTask() {
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const database = await openDatabase({ url: task.url, poolSize: 2 });
  const rule = (await platformRule(database, task.platform ?? 'poverty_bigdata'))!;
  let bytes = 0;
  let lines = 0;
  let counts: ExportCounts | null = null;
  const sink = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
      cb();
    },
  });
  const t = performance.now();
  await pipeline(
    jsonLinesStream(database, { regionPrefix: '', rule }, (c) => {
      counts = c;
    }),
    sink,
  );
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({ seconds, bytes, lines, counts, maxRssMb: Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 1024 / 1024) })}\n`,
  );
}

async function serveTask() {
  const database = await openDatabase({ url: task.url, poolSize: task.poolSize ?? 20 });
  const config = loadConfig({ env: 'production', logLevel: 'silent' });
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: task.port ?? 0 });
  const addr = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`);
  // A clean exit on the parent's kill, so that --cpu-prof (BENCH_CHILD_NODE_ARGS) writes its profile.
  process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

if (task.kind === 'export') {
  exportTask().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  serveTask().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
