import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.js';
import { COLUMNS, LEDGER_SHEET, NOTES_SHEET } from './columns.js';
import type { Cell, OpenedFile } from './reader.js';
import { errorsPage, type RowErrorRecord } from './repo.js';

/**
 * The import template (generated from COLUMNS) and the error workbook (the rows with errors as they were in the
 * file, bad cells filled red with the message as a comment, plus 错误说明 and 原行号 columns). Both are written
 * with exceljs' streaming writer.
 */
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
export const ERROR_FILL_ARGB = 'FFFF0000';
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: ERROR_FILL_ARGB } };

export async function writeTemplate(out: NodeJS.WritableStream | string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter(
    typeof out === 'string' ? { filename: out, useStyles: true } : { stream: out as never, useStyles: true },
  );
  wb.creator = 'Jiuzhu 救助';
  const ws = wb.addWorksheet(LEDGER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  const header = ws.getRow(1);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true };
    cell.fill = c.required ? REQUIRED_FILL : HEADER_FILL;
    cell.note = `${c.required ? '【必填】' : ''}${c.format}`;
  });
  header.commit();
  // One example household of two (a head and a child), to show how household columns repeat.
  const example = COLUMNS.map((c) => c.example);
  ws.addRow(example).commit();
  const child: string[] = COLUMNS.map((c) => (c.level === 'household' ? c.example : ''));
  const put = (key: string, v: string) => {
    child[COLUMNS.findIndex((c) => c.key === key)] = v;
  };
  put('relation', '子女');
  put('name', '张小燕');
  put('idNumber', '620802199508230425');
  put('sex', '女');
  put('birthDate', '1995-08-23');
  put('ethnicity', '汉族');
  put('studentStatus', '非在校生');
  put('health', '健康');
  put('labourCapacity', '有劳动能力');
  ws.addRow(child).commit();
  ws.commit();

  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [
    { header: '列名', key: 'h', width: 22 },
    { header: '是否必填', key: 'r', width: 10 },
    { header: '户/人', key: 'l', width: 8 },
    { header: '填写要求', key: 'f', width: 90 },
  ];
  notes.getRow(1).font = { bold: true };
  notes.getRow(1).commit();
  for (const c of COLUMNS)
    notes
      .addRow({ h: c.header, r: c.required ? '必填' : '选填', l: c.level === 'household' ? '户' : '人', f: c.format })
      .commit();
  notes.addRow({}).commit();
  for (const line of [
    '一人一行；同户成员填写相同的户编号，「户」列在每个成员行重复填写，且须与户主行一致。每户须有且只有一名户主。',
    '同一文件再次导入不会产生任何修改；修改过的行会更新台账并保留历史记录。导入不会删除文件中没有的人员。',
    '请勿使用公式、合并单元格；身份证号、银行账号列请设为「文本」格式。只读取「户籍人口台账」工作表（没有时读取第一个工作表）。',
    'CSV 文件可为 UTF-8（带或不带 BOM）或 GBK/GB18030 编码（Excel「另存为 CSV」的默认编码）。',
  ]) {
    notes.addRow({ h: line }).commit();
  }
  notes.commit();
  await wb.commit();
}

function cellValue(c: Cell): ExcelJS.CellValue {
  if (c === null) return null;
  if (typeof c === 'object' && 'formula' in c) return { formula: c.formula } as ExcelJS.CellFormulaValue;
  if (typeof c === 'object' && 'date' in c) return c.date;
  return c as string | number | boolean;
}

export interface ErrorWorkbookResult {
  rows: number;
}

/**
 * Streams the source file once more and copies every row that has errors into the error workbook, marking the bad
 * cells. Errors are read from the database in pages in row order, so memory does not grow with the file.
 */
export async function writeErrorWorkbook(
  db: Db,
  jobId: number,
  file: OpenedFile,
  headerRowNo: number,
  outPath: string,
): Promise<ErrorWorkbookResult> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: outPath, useStyles: true });
  wb.creator = 'Jiuzhu 救助';
  const ws = wb.addWorksheet('错误行', { views: [{ state: 'frozen', ySplit: 1 }] });
  let page: RowErrorRecord[] = [];
  let idx = 0;
  let lastRow = 0;
  let exhausted = false;
  const nextErrorsFor = async (rowNo: number): Promise<RowErrorRecord[]> => {
    const out: RowErrorRecord[] = [];
    for (;;) {
      if (idx >= page.length) {
        if (exhausted) return out;
        page = await errorsPage(db, jobId, lastRow, 2000);
        idx = 0;
        if (page.length === 0) {
          exhausted = true;
          return out;
        }
        lastRow = Number(page[page.length - 1]!.row_no);
      }
      const e = page[idx]!;
      if (Number(e.row_no) < rowNo) {
        idx++;
        continue;
      }
      if (Number(e.row_no) > rowNo) return out;
      out.push(e);
      idx++;
    }
  };
  let written = 0;
  let width = COLUMNS.length;
  for await (const r of file.rows()) {
    if (r.rowNo < headerRowNo) continue;
    if (r.rowNo === headerRowNo) {
      width = Math.max(width, r.cells.length);
      const row = ws.getRow(1);
      r.cells.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        cell.value = cellValue(c);
        cell.font = { bold: true };
        cell.fill = HEADER_FILL;
      });
      row.getCell(width + 1).value = '错误说明';
      row.getCell(width + 2).value = '原行号';
      row.getCell(width + 1).font = { bold: true, color: { argb: 'FFC00000' } };
      row.getCell(width + 2).font = { bold: true };
      row.commit();
      ws.getColumn(width + 1).width = 80;
      continue;
    }
    if (exhausted && idx >= page.length) break;
    const errs = await nextErrorsFor(r.rowNo);
    if (errs.length === 0) continue;
    written++;
    const row = ws.getRow(written + 1);
    r.cells.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = cellValue(c);
      cell.numFmt = '@';
    });
    const byCol = new Map<number, string[]>();
    const rowLevel: string[] = [];
    for (const e of errs) {
      if (e.col === null || e.col === undefined) rowLevel.push(e.message);
      else {
        const list = byCol.get(Number(e.col)) ?? [];
        if (!list.includes(e.message)) list.push(e.message);
        byCol.set(Number(e.col), list);
      }
    }
    for (const [col, msgs] of byCol) {
      const cell = row.getCell(col + 1);
      cell.fill = ERROR_FILL;
      cell.note = msgs.join('\n');
    }
    row.getCell(width + 1).value = [...[...byCol.values()].flat(), ...rowLevel].join('；');
    row.getCell(width + 2).value = r.rowNo;
    row.commit();
  }
  ws.commit();
  await wb.commit();
  return { rows: written };
}
