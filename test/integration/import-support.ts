import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { datasetRegions } from '../../src/server/modules/regions/service.js';
import { COLUMNS, type ColumnKey, LEDGER_SHEET } from '../../src/server/modules/registry-import/columns.js';
import { generateHouseholds, type SeedHousehold } from '../../src/server/seed/generator.js';
import { ledgerRows } from '../../src/server/seed/ledger.js';
import type { Client } from '../support/app.js';

/** Helpers for the import tests: ledger rows from the generator, multipart uploads, job polling. */

export const col = (key: ColumnKey) => COLUMNS.findIndex((c) => c.key === key);

export function villagesOf(prefix: string) {
  return datasetRegions(prefix.slice(0, 4))
    .filter((r) => r.level === 5 && r.code.startsWith(prefix))
    .map((r) => ({ code: r.code, name: r.name }));
}

export function householdsIn(prefix: string, n: number, seed: number): SeedHousehold[] {
  return [...generateHouseholds({ households: n, seed, villages: villagesOf(prefix) })];
}

export type Sheet = Array<Array<string | number | null | ExcelJS.CellFormulaValue>>;

export function ledgerSheet(households: SeedHousehold[]): Sheet {
  return households.flatMap((h) => ledgerRows(h));
}

/** An xlsx with the template header in row 1 and the given rows (and extra sheets / merges if asked). */
export async function xlsxOf(
  rows: Sheet,
  opts: { merges?: string[]; blankSheets?: number; sheetName?: string } = {},
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheetName ?? LEDGER_SHEET);
  ws.addRow(COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  for (const m of opts.merges ?? []) ws.mergeCells(m);
  for (let i = 0; i < (opts.blankSheets ?? 0); i++) wb.addWorksheet(`Sheet${i + 2}`);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function multipart(filename: string, content: Buffer) {
  const boundary = '----jiuzhuimporttest';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function upload(
  app: FastifyInstance,
  c: Client,
  filename: string,
  content: Buffer,
  query: string,
): Promise<LightMyRequestResponse> {
  const m = multipart(filename, content);
  return app.inject({
    method: 'POST',
    url: `/api/v1/registry/import?${query}`,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType },
    payload: m.body,
  });
}

export interface JobBody {
  id: number;
  status: string;
  progressDone: number;
  progressTotal: number | null;
  result: Record<string, any> | null;
  error: Record<string, any> | null;
}

/** Polls the job until it has finished. */
export async function waitJob(c: Client, id: number): Promise<JobBody> {
  for (let i = 0; i < 1200; i++) {
    const res = await c.get(`/api/v1/registry/import/${id}`);
    const j = res.json() as JobBody;
    if (j.status !== 'queued' && j.status !== 'running') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

export async function importFile(
  app: FastifyInstance,
  c: Client,
  filename: string,
  content: Buffer,
  query: string,
): Promise<JobBody> {
  const res = await upload(app, c, filename, content, query);
  if (res.statusCode !== 202) throw new Error(`upload → ${res.statusCode} ${res.body}`);
  return waitJob(c, res.json().id);
}
