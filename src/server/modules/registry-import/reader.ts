import { createReadStream } from 'node:fs';
import type { Transform } from 'node:stream';
import { open, stat } from 'node:fs/promises';
import { parse as csvParse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.js';
import { detectEncoding } from '../../platform/text.js';
import { LEDGER_SHEET } from './columns.js';
import { type SheetInfo, sheetHasRows, sheetMerges, workbookSheets, zipEntries, zipEntryStream } from './zip.js';

/** A cell as read from the file: text, a number, a date (xlsx date cells), a formula, or empty. */
export type Cell = string | number | boolean | { date: string } | { formula: string } | null;

export interface SourceRow {
  rowNo: number;
  cells: Cell[];
}

export type FileKind = 'xlsx' | 'csv';

export interface OpenedFile {
  kind: FileKind;
  size: number;
  /** csv: the detected encoding; xlsx: the sheet read. */
  encoding?: 'utf-8' | 'utf-8-bom' | 'gb18030';
  sheet?: SheetInfo;
  /** Other sheets that hold data (not read) — reported, so nothing is silently ignored. */
  otherSheets?: string[];
  rows(): AsyncGenerator<SourceRow>;
  /** xlsx: merged ranges of the sheet read (known only after a pass over the sheet). */
  merges(): Promise<string[]>;
  /** Rows in the file, for progress: the sheet's dimension (xlsx) or the number of line breaks (csv). */
  estimateRows(): Promise<number | null>;
}

const notSpreadsheet = (detail: string) => new AppError('FILE_INVALID', { detail });

/**
 * Recognises the file by its bytes (never by its name alone) and opens it for streaming: .xlsx (ZIP) or CSV text.
 * 0-byte, over-size, legacy .xls, truncated ZIPs and binary files answer FILE_INVALID / FILE_TOO_LARGE.
 */
export async function openLedgerFile(path: string, opts: { maxBytes: number; filename?: string }): Promise<OpenedFile> {
  const { size } = await stat(path);
  if (size === 0) throw notSpreadsheet('文件为空（0 字节），请选择填写好的导入模板');
  if (size > opts.maxBytes) {
    throw new AppError('FILE_TOO_LARGE', {
      detail: `文件大小 ${(size / 1048576).toFixed(1)} MB 超过上限 ${(opts.maxBytes / 1048576).toFixed(0)} MB，请拆分后导入`,
    });
  }
  const head = Buffer.alloc(Math.min(size, 65_536));
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return openXlsx(path, size);
  if (head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw notSpreadsheet('这是旧版 Excel（.xls）或加密的工作簿，请在 Excel 中「另存为」.xlsx（不设密码）后再导入');
  }
  const magic = head.subarray(0, 8).toString('latin1');
  if (/^%PDF|^\x89PNG|^\xff\xd8\xff|^GIF8|^Rar!|^7z\xbc\xaf/.test(magic)) {
    throw notSpreadsheet('该文件不是 Excel（.xlsx）或 CSV 文件');
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw notSpreadsheet('CSV 文件是 UTF-16（Unicode 文本）编码，请另存为「CSV UTF-8」或普通 CSV（GBK）后再导入');
  }
  let control = 0;
  for (const b of head) if (b === 0 || b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  if (control > 0) throw notSpreadsheet('该文件不是 Excel（.xlsx）或 CSV 文本文件（含有二进制内容）');
  return openCsv(path, size, detectEncoding(head));
}

function openCsv(path: string, size: number, encoding: 'utf-8' | 'utf-8-bom' | 'gb18030'): OpenedFile {
  return {
    kind: 'csv',
    size,
    encoding,
    async merges() {
      return [];
    },
    async estimateRows() {
      let lines = 0;
      let last = 10;
      for await (const c of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
        last = c[c.length - 1]!;
      }
      return lines + (last === 10 ? 0 : 1);
    },
    async *rows() {
      const file = createReadStream(path, { highWaterMark: 256 * 1024 });
      const decoded = (encoding === 'gb18030'
        ? file.pipe(iconv.decodeStream('gb18030'))
        : file.pipe(iconv.decodeStream('utf8', { stripBOM: true }))) as unknown as Transform;
      file.on('error', (e) => decoded.destroy(e));
      const parser = decoded.pipe(
        csvParse({ relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: false }),
      );
      decoded.on('error', (e) => parser.destroy(e));
      let rowNo = 0;
      try {
        for await (const rec of parser as AsyncIterable<string[]>) {
          rowNo++;
          yield { rowNo, cells: rec };
        }
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw new AppError('FILE_INVALID', { detail: `CSV 第 ${rowNo + 1} 行附近格式错误：${(e as Error).message}` });
      } finally {
        file.destroy();
      }
    },
  };
}

async function openXlsx(path: string, size: number): Promise<OpenedFile> {
  const entries = await zipEntries(path);
  const sheets = await workbookSheets(path, entries);
  if (sheets.length === 0) throw notSpreadsheet('工作簿中没有工作表');
  // The template's sheet by name; otherwise the first sheet (trailing blank sheets are ignored).
  const sheet = sheets.find((s) => s.name.trim() === LEDGER_SHEET) ?? sheets[0]!;
  const others: string[] = [];
  for (const s of sheets) if (s !== sheet && (await sheetHasRows(path, entries, s.path))) others.push(s.name);
  let merges: string[] | null = null;
  return {
    kind: 'xlsx',
    size,
    sheet,
    otherSheets: others,
    async merges() {
      merges ??= await sheetMerges(path, entries, sheet.path);
      return merges;
    },
    async estimateRows() {
      const e = entries.get(sheet.path);
      if (!e) return null;
      const stream = (await zipEntryStream(path, e)) as NodeJS.ReadableStream & { destroy(): void };
      let text = '';
      for await (const c of stream as AsyncIterable<Buffer>) {
        text += c.toString('latin1');
        if (text.length > 4096 || /<sheetData/.test(text)) break;
      }
      stream.destroy();
      const m = /<dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(text);
      return m ? Number(m[1] ?? 1) : null;
    },
    async *rows() {
      // ExcelJS's streaming reader walks the zip with a streaming unzip; about one read in 500 of the same file lost
      // entries (the workbook part never parsed: "reading 'sheets'") — measured, and seen in CI. The parts it needs are
      // given to its parsers here instead, each read through the zip's central directory (zip.ts), in the order they
      // depend on: relationships, workbook, shared strings, styles, then the one sheet to import.
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        hyperlinks: 'ignore',
        styles: 'cache',
        entries: 'ignore',
      }) as unknown as WorkbookParts;
      const opened: Array<{ destroy?: () => void }> = [];
      const part = async (name: string) => {
        const e = entries.get(name);
        if (!e) return null;
        const stream = await zipEntryStream(path, e);
        opened.push(stream as { destroy?: () => void });
        return stream;
      };
      try {
        const rels = await part('xl/_rels/workbook.xml.rels');
        if (rels) await reader._parseRels(rels);
        const book = await part('xl/workbook.xml');
        if (book) await reader._parseWorkbook(book);
        const strings = await part('xl/sharedStrings.xml');
        if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
        const styles = await part('xl/styles.xml');
        if (styles) await reader._parseStyles(styles);
        const data = await part(sheet.path);
        if (!data) throw corruptXlsx(`缺少工作表 ${sheet.path}`);
        for (const ev of reader._parseWorksheet(data as AsyncIterable<Buffer>, String(sheet.fileNo))) {
          for await (const row of ev.value as AsyncIterable<ExcelJS.Row>) {
            const values = row.values as unknown[];
            const cells: Cell[] = [];
            for (let i = 1; i < values.length; i++) cells.push(toCell(values[i]));
            yield { rowNo: row.number, cells };
          }
        }
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw corruptXlsx((e as Error).message);
      } finally {
        for (const s of opened) s.destroy?.();
      }
    },
  };
}

/** The parsers of ExcelJS's streaming workbook reader (exceljs 4.4), fed part by part (see rows()). */
interface WorkbookParts {
  _parseRels(stream: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(stream: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(stream: NodeJS.ReadableStream): AsyncIterable<unknown>;
  _parseStyles(stream: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<Buffer>, sheetNo: string): Iterable<{ eventType: string; value: unknown }>;
}

function corruptXlsx(why: string) {
  return new AppError('FILE_INVALID', {
    detail: `xlsx 文件已损坏，无法读取（${why}），请在 Excel 中重新保存后再导入`,
  });
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : { date: v.toISOString().slice(0, 10) };
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return { formula: String(o.formula ?? o.sharedFormula) };
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text: string }>).map((r) => r.text).join('');
    if ('text' in o) return String(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}
