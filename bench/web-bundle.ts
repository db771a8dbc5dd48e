/**
 * Initial JavaScript of the web shell: the entry chunk and every chunk it imports statically (what the browser must
 * load before the login page or the layout can show), gzip-compressed. Lazy screens (React.lazy) and ECharts are
 * excluded — they load on demand. Reads the Vite manifest of `npx vite build` (dist/web/.vite/manifest.json).
 *
 *   node --import tsx bench/web-bundle.ts [--max-kb 400] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dir = process.env.JIUZHU_WEB_DIR || 'dist/web';
const manifest = JSON.parse(readFileSync(join(dir, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const gz = (file: string) => {
  const buf = readFileSync(join(dir, file));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
};

const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
if (!entryKey) throw new Error('no entry chunk in the Vite manifest; run `npx vite build` first');
const seen = new Set<string>();
const walk = (key: string) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const i of manifest[key]!.imports ?? []) walk(i);
};
walk(entryKey);

const files = [...seen].flatMap((k) => [manifest[k]!.file, ...(manifest[k]!.css ?? [])]);
const rows = files.map((f) => ({ file: f, ...gz(f) }));
const js = rows.filter((r) => r.file.endsWith('.js'));
const sum = (xs: { gzip: number }[]) => xs.reduce((a, r) => a + r.gzip, 0);
const allJs = Object.values(manifest)
  .filter((c) => c.file.endsWith('.js'))
  .map((c) => gz(c.file));
const result = {
  entry: manifest[entryKey]!.file,
  initialJsGzipKB: +(sum(js) / 1024).toFixed(1),
  initialJsRawKB: +(js.reduce((a, r) => a + r.raw, 0) / 1024).toFixed(1),
  initialCssGzipKB: +(sum(rows.filter((r) => r.file.endsWith('.css'))) / 1024).toFixed(1),
  initialChunks: js.length,
  lazyChunks: allJs.length - js.length,
  allJsGzipKB: +(sum(allJs) / 1024).toFixed(1),
};

const maxIdx = process.argv.indexOf('--max-kb');
const max = maxIdx > 0 ? Number(process.argv[maxIdx + 1]) : 400;
if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
else {
  for (const r of rows)
    console.log(
      `${r.file.padEnd(48)} ${(r.raw / 1024).toFixed(1).padStart(8)} KB  ${(r.gzip / 1024).toFixed(1).padStart(7)} KB gzip`,
    );
  console.log(
    `initial JS of the shell: ${result.initialJsGzipKB} KB gzip (${result.initialChunks} chunk(s)); budget ${max} KB; ${result.lazyChunks} lazy chunks, all JS ${result.allJsGzipKB} KB gzip`,
  );
}
if (result.initialJsGzipKB > max) {
  console.error(`over budget: ${result.initialJsGzipKB} KB > ${max} KB`);
  process.exit(1);
}
