import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { AppError } from '../../platform/errors.js';

/**
 * Just enough of the ZIP format to check an .xlsx before streaming it (a truncated upload has no end-of-central-
 * directory record) and to read single entries the streaming xlsx reader does not expose (sheet names, merged
 * cells). Entries are inflated as streams: memory stays constant whatever the size of the sheet.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const corrupt = (why: string) =>
  new AppError('FILE_INVALID', { detail: `xlsx 文件不完整或已损坏（${why}），请在 Excel 中重新保存后再导入` });

export async function zipEntries(path: string): Promise<Map<string, ZipEntry>> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw corrupt('缺少 ZIP 目录，文件可能被截断');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size) throw corrupt('ZIP 目录位置超出文件长度');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out = new Map<string, ZipEntry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw corrupt('ZIP 目录项损坏');
      const method = cd.readUInt16LE(p + 10);
      const compressedSize = cd.readUInt32LE(p + 20);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localHeaderOffset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      if (localHeaderOffset + compressedSize > size) throw corrupt(`${name} 超出文件长度`);
      out.set(name, { name, method, compressedSize, localHeaderOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** The decompressed bytes of one entry, as a stream. */
export async function zipEntryStream(path: string, e: ZipEntry): Promise<NodeJS.ReadableStream> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(30);
  try {
    await fh.read(head, 0, 30, e.localHeaderOffset);
  } finally {
    await fh.close();
  }
  if (head.readUInt32LE(0) !== 0x04034b50) throw corrupt(`${e.name} 的文件头损坏`);
  const start = e.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (e.compressedSize === 0) return Readable.from([]);
  const raw = createReadStream(path, { start, end: start + e.compressedSize - 1 });
  if (e.method === 0) return raw;
  if (e.method !== 8) throw corrupt(`不支持的压缩方式 ${e.method}`);
  const inflate = createInflateRaw();
  raw.on('error', (err) => inflate.destroy(err));
  return raw.pipe(inflate);
}

export async function zipEntryText(path: string, e: ZipEntry, maxBytes = 4 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of (await zipEntryStream(path, e)) as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > maxBytes) break;
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface SheetInfo {
  name: string;
  /** Worksheet file number (xl/worksheets/sheetN.xml) — what the streaming reader reports as the sheet id. */
  fileNo: number;
  path: string;
}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Sheets in workbook order with their names. */
export async function workbookSheets(path: string, entries: Map<string, ZipEntry>): Promise<SheetInfo[]> {
  const wb = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (!wb || !rels)
    throw new AppError('FILE_INVALID', {
      detail: '该文件不是 Excel 工作簿（缺少 xl/workbook.xml），请上传 .xlsx 或 .csv 文件',
    });
  const relText = await zipEntryText(path, rels);
  const targets = new Map<string, string>();
  for (const m of relText.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?xl\//, '').replace(/^\//, ''));
  }
  const wbText = await zipEntryText(path, wb);
  const out: SheetInfo[] = [];
  for (const m of wbText.matchAll(/<sheet\b[^>]*>/g)) {
    const name = decodeXml(/\bname="([^"]*)"/.exec(m[0])?.[1] ?? '');
    const rid = /\br:id="([^"]+)"/.exec(m[0])?.[1] ?? /\bid="([^"]+)"/.exec(m[0])?.[1];
    const target = rid ? targets.get(rid) : undefined;
    const fileNo = Number(/sheet(\d+)\.xml$/.exec(target ?? '')?.[1] ?? Number.NaN);
    if (target && Number.isFinite(fileNo)) out.push({ name, fileNo, path: `xl/${target}` });
  }
  return out;
}

/** Merged ranges of a sheet (`A2:A4` …), read by streaming the sheet XML once. */
export async function sheetMerges(path: string, entries: Map<string, ZipEntry>, sheetPath: string): Promise<string[]> {
  const e = entries.get(sheetPath);
  if (!e) return [];
  const out: string[] = [];
  let carry = '';
  for await (const c of (await zipEntryStream(path, e)) as AsyncIterable<Buffer>) {
    const text = carry + c.toString('latin1');
    let last = 0;
    for (const m of text.matchAll(/<mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"\s*\/>/g)) {
      out.push(m[1]!);
      last = m.index! + m[0].length;
    }
    carry = text.slice(Math.max(last, text.length - 100));
  }
  return out;
}

/** Whether a sheet holds any row (blank sheets Excel adds at the end are ignored without a warning). */
export async function sheetHasRows(path: string, entries: Map<string, ZipEntry>, sheetPath: string): Promise<boolean> {
  const e = entries.get(sheetPath);
  if (!e || e.compressedSize === 0) return false;
  const stream = (await zipEntryStream(path, e)) as NodeJS.ReadableStream & { destroy(): void };
  let text = '';
  try {
    for await (const c of stream as AsyncIterable<Buffer>) {
      text = (text + c.toString('latin1')).slice(-200_000);
      if (/<row[\s>]/.test(text)) return true;
      if (/<sheetData\s*\/>|<\/sheetData>/.test(text)) return false;
    }
    return false;
  } finally {
    stream.destroy();
  }
}
