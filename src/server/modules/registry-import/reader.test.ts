import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { COLUMNS, LEDGER_SHEET } from './columns.js';
import { openLedgerFile } from './reader.js';

const dir = mkdtempSync(join(tmpdir(), 'jz-reader-'));

async function ledger(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(LEDGER_SHEET);
  ws.addRow(COLUMNS.map((c) => c.header));
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same workbook with its zip entries in another order (valid: a package's parts may come in any order). */
async function reordered(xlsx: Buffer, first: string[]): Promise<Buffer> {
  const src = await JSZip.loadAsync(xlsx);
  const names = Object.keys(src.files).filter((n) => !src.files[n]!.dir);
  const out = new JSZip();
  for (const n of [...first, ...names.filter((x) => !first.includes(x))])
    out.file(n, await src.file(n)!.async('nodebuffer'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function read(buf: Buffer, name: string) {
  const path = join(dir, name);
  writeFileSync(path, buf);
  const f = await openLedgerFile(path, { maxBytes: 10_000_000, filename: name });
  const out: string[][] = [];
  for await (const r of f.rows()) out.push(r.cells.map((c) => String(c ?? '')));
  return out;
}

describe('xlsx reading does not depend on the order of the parts in the zip', () => {
  const rows = [
    ['620802100200001', '张三'],
    ['620802100200001', '李四'],
  ];
  it.each([
    ['as ExcelJS writes it (sheet before shared strings, workbook last)', []],
    [
      // ExcelJS's own streaming reader fails on this order: the sheet arrives after the shared strings but before the
      // workbook part it needs ("Cannot read properties of undefined (reading 'sheets')").
      'shared strings and styles first, the sheet, then the workbook',
      [
        '[Content_Types].xml',
        'xl/_rels/workbook.xml.rels',
        'xl/sharedStrings.xml',
        'xl/styles.xml',
        'xl/worksheets/sheet1.xml',
      ],
    ],
    ['workbook first', ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']],
  ])('%s', async (_name, first) => {
    const base = await ledger(rows);
    const got = await read(first.length ? await reordered(base, first) : base, `order-${first.length}.xlsx`);
    expect(got.length).toBe(3);
    expect(got[0]![0]).toBe(COLUMNS[0]!.header);
    expect(got.slice(1).map((r) => r.slice(0, 2))).toEqual(rows);
  });
});
