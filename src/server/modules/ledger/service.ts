import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { maskIdNumber, normalizeIdNumber } from '../../../domain/identity/id-number.js';
import { formatYuan, parseYuan } from '../../../domain/money.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { decodeText } from '../../platform/text.js';
import { inTransaction } from '../../platform/tx.js';
import { PROGRAMME_ZH } from '../rosters/bank.js';
import { ledgerLines, ledgerTotals } from './repo.js';

export async function getLedgerTotals(
  ctx: UseCaseContext,
  q: { month: string; programme?: string; regionCode?: string },
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const items = await ledgerTotals(ctx.db, ctx.actor.scope, q);
  return {
    month: q.month,
    items: items.map((i) => ({
      countyCode: i.county_code,
      countyName: i.county_name,
      programme: i.programme,
      rosterId: Number(i.roster_id),
      rosterStatus: i.status,
      persons: Number(i.persons),
      lines: Number(i.lines),
      totalFen: Number(i.total_fen),
      provinceFen: Number(i.province_fen),
      cityFen: Number(i.city_fen),
      countyFen: Number(i.county_fen),
    })),
  };
}

function assertCounty(ctx: UseCaseContext, county: string) {
  if (!codeInScope(county, ctx.actor.scope)) throw new AppError('NOT_FOUND', { detail: '该区县不在您的管辖范围内' });
}

const COLUMNS = [
  '月份',
  '项目',
  '区县代码',
  '乡镇（街道）',
  '身份证号',
  '姓名',
  '保障人数',
  '发放金额（元）',
  '省级资金（元）',
  '市级资金（元）',
  '县级资金（元）',
  '说明',
];

/**
 * The ledger file of a county's month (xlsx or CSV): generated from the frozen rosters, so it is the finance
 * ledger's 低保/特困 lines "imported from the system" (S11). Full ID numbers: the file is for the finance office's
 * ledger and its download is audited.
 */
export async function exportLedger(
  ctx: UseCaseContext,
  q: { countyCode: string; month: string; programme?: string; format: 'xlsx' | 'csv' },
) {
  assertCounty(ctx, q.countyCode);
  return inTransaction(ctx.db, async (tx) => {
    const lines = await ledgerLines(tx, ctx.actor.scope, {
      county: q.countyCode,
      month: q.month,
      programme: q.programme,
    });
    const data = lines.map((l) => [
      l.month,
      PROGRAMME_ZH[l.programme] ?? l.programme,
      l.county_code,
      l.township_name ?? l.township_code,
      l.id_number,
      l.name ?? '',
      l.persons === null ? '' : String(l.persons),
      formatYuan(Number(l.amount_fen)),
      formatYuan(Number(l.province_fen)),
      formatYuan(Number(l.city_fen)),
      formatYuan(Number(l.county_fen)),
      l.detail ?? '',
    ]);
    const total = lines.reduce((s, l) => s + Number(l.amount_fen), 0);
    await writeAudit(tx, ctx.actor, {
      action: 'ledger.export',
      entityType: 'ledger',
      entityId: `${q.countyCode}:${q.month}`,
      regionCode: q.countyCode,
      diff: { programme: q.programme ?? null, format: q.format, lines: lines.length, totalFen: total },
    });
    const name = `ledger-${q.countyCode}-${q.month}${q.programme ? `-${q.programme}` : ''}`;
    if (q.format === 'csv') {
      const esc = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
      const text = [COLUMNS, ...data, ['合计', '', '', '', '', '', '', formatYuan(total), '', '', '', '']]
        .map((r) => r.map(esc).join(','))
        .join('\r\n');
      return {
        body: Buffer.from(`\ufeff${text}\r\n`, 'utf8'),
        filename: `${name}.csv`,
        contentType: 'text/csv; charset=utf-8',
      };
    }
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('计财台帐');
    ws.addRow([`计财台帐（由发放名册生成） ${q.countyCode} ${q.month}`]);
    ws.addRow(COLUMNS);
    for (const r of data) ws.addRow(r.map((v, i) => (i >= 7 && i <= 10 ? Number(v) : v)));
    ws.addRow(['合计', '', '', '', '', '', '', Number(formatYuan(total))]);
    ws.getColumn(5).width = 22;
    return {
      body: Buffer.from(await wb.xlsx.writeBuffer()),
      filename: `${name}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    };
  });
}

const ALIASES: Record<string, string[]> = {
  idNumber: ['身份证号', '身份证号码', '证件号码', '公民身份号码', '身份证', '领取人身份证号'],
  name: ['姓名', '户主姓名', '领取人', '户名', '领取人姓名'],
  month: ['月份', '发放月份', '所属月份', '年月'],
  amount: ['发放金额（元）', '发放金额(元)', '发放金额', '金额（元）', '金额(元)', '金额', '实发金额', '应发金额'],
  programme: ['项目', '救助类别', '类别', '资金类别', '保障类别'],
};

const PROGRAMME_ALIASES: Array<[RegExp, string]> = [
  [/低保|最低生活保障/, 'dibao'],
  [/特困|五保/, 'tekun'],
  [/护理补贴/, 'disability_nursing'],
  [/生活补贴/, 'disability_living'],
  [/临时救助/, 'temporary'],
  [/医疗救助/, 'medical'],
];

function normalizeMonth(v: string): string | null {
  const s = v.trim();
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?/.exec(s);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  m = /^(\d{4})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}`;
  return null;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 7);
  if (typeof v === 'object') {
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    return '';
  }
  return String(v);
}

async function readTable(buf: Buffer, filename: string): Promise<{ rows: string[][]; encoding: string }> {
  const isXlsx = filename.toLowerCase().endsWith('.xlsx') || (buf[0] === 0x50 && buf[1] === 0x4b);
  if (isXlsx) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new AppError('FILE_INVALID', { detail: '台帐文件不是有效的 xlsx 文件' });
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new AppError('FILE_INVALID', { detail: '台帐文件没有工作表' });
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (c, i) => {
        cells[i - 1] = cellText(c.value).trim();
      });
      rows[n - 1] = Array.from(cells, (c) => c ?? '');
    });
    return { rows: Array.from(rows, (r) => r ?? []), encoding: 'xlsx' };
  }
  const { text, encoding } = decodeText(buf);
  try {
    return {
      rows: parse(text, { relax_column_count: true, skip_empty_lines: false, trim: true, bom: true }) as string[][],
      encoding,
    };
  } catch {
    throw new AppError('FILE_INVALID', { detail: '台帐文件不是有效的 CSV 文本' });
  }
}

/**
 * Compares an externally kept ledger file with the frozen rosters of a county and lists every difference by person,
 * month and amount. Tolerates another column order (columns found by header names), GBK/GB18030 text, title rows
 * above the header, and extra rows (totals, notes, blank lines) — skipped and listed.
 */
export async function checkLedger(
  ctx: UseCaseContext,
  q: { countyCode: string; month?: string; programme?: string },
  file: { filename: string; data: Buffer },
) {
  assertCounty(ctx, q.countyCode);
  const { rows: table, encoding } = await readTable(file.data, file.filename);
  let headerRow = -1;
  const col: Record<string, number> = {};
  for (let i = 0; i < Math.min(table.length, 30) && headerRow < 0; i++) {
    const cells = (table[i] ?? []).map((c) => (c ?? '').replace(/\s/g, ''));
    const found: Record<string, number> = {};
    for (const [field, names] of Object.entries(ALIASES)) {
      const idx = cells.findIndex((c) => names.includes(c));
      if (idx >= 0) found[field] = idx;
    }
    if (found.idNumber !== undefined && found.amount !== undefined) {
      headerRow = i;
      Object.assign(col, found);
    }
  }
  if (headerRow < 0) {
    throw new AppError('FILE_INVALID', { detail: '台帐文件中找不到含「身份证号」与「金额」列的表头行' });
  }
  if (col.month === undefined && !q.month) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'month', code: 'required', message: '台帐文件没有「月份」列，请指定核对月份' }],
    });
  }
  const header = table[headerRow]!;
  const columns: Record<string, string> = {};
  for (const [f, i] of Object.entries(col)) columns[f] = header[i] ?? '';
  const byProgramme = col.programme !== undefined;
  const fileMap = new Map<
    string,
    { fen: number; row: number; name: string | null; month: string; programme: string | null; id: string }
  >();
  const skipped: { row: number; reason: string }[] = [];
  let read = 0;
  for (let i = headerRow + 1; i < table.length; i++) {
    const r = table[i] ?? [];
    const rowNo = i + 1;
    const rawId = normalizeIdNumber(r[col.idNumber!] ?? '');
    if (!/^\d{17}[\dX]$/.test(rawId)) {
      if (r.some((c) => c))
        skipped.push({ row: rowNo, reason: r.join(' ').includes('合计') ? '合计行' : '无有效身份证号，非明细行' });
      continue;
    }
    const fen = parseYuan(r[col.amount!] ?? '');
    if (fen === null) {
      skipped.push({ row: rowNo, reason: `金额「${r[col.amount!] ?? ''}」无法识别` });
      continue;
    }
    const month = col.month !== undefined ? normalizeMonth(r[col.month] ?? '') : q.month!;
    if (!month) {
      skipped.push({ row: rowNo, reason: `月份「${r[col.month!] ?? ''}」无法识别` });
      continue;
    }
    if (q.month && month !== q.month) {
      skipped.push({ row: rowNo, reason: `月份 ${month} 不在核对范围（${q.month}）` });
      continue;
    }
    let programme: string | null = null;
    if (byProgramme) {
      const label = r[col.programme!] ?? '';
      programme = PROGRAMME_ALIASES.find(([re]) => re.test(label))?.[1] ?? null;
      if (!programme) {
        skipped.push({ row: rowNo, reason: `项目「${label}」无法识别` });
        continue;
      }
      if (q.programme && programme !== q.programme) {
        skipped.push({ row: rowNo, reason: `项目 ${label} 不在核对范围` });
        continue;
      }
    }
    read++;
    const key = `${month}|${rawId}|${programme ?? ''}`;
    const prev = fileMap.get(key);
    fileMap.set(key, {
      fen: (prev?.fen ?? 0) + fen,
      row: prev?.row ?? rowNo,
      name: r[col.name ?? -1] ?? prev?.name ?? null,
      month,
      programme,
      id: rawId,
    });
  }
  const lines = await ledgerLines(ctx.db, ctx.actor.scope, {
    county: q.countyCode,
    month: q.month,
    programme: q.programme,
  });
  const sysMap = new Map<
    string,
    { fen: number; name: string | null; month: string; programme: string | null; id: string }
  >();
  for (const l of lines) {
    const key = `${l.month}|${l.id_number}|${byProgramme ? l.programme : ''}`;
    const prev = sysMap.get(key);
    sysMap.set(key, {
      fen: (prev?.fen ?? 0) + Number(l.amount_fen),
      name: l.name,
      month: l.month,
      programme: byProgramme ? l.programme : null,
      id: l.id_number,
    });
  }
  type Diff = {
    kind: 'missing_in_file' | 'missing_in_system' | 'amount_differs';
    idNumber: string;
    name: string | null;
    month: string;
    programme: string | null;
    systemFen: number | null;
    fileFen: number | null;
    fileRow: number | null;
  };
  const differences: Diff[] = [];
  for (const [key, s] of sysMap) {
    const f = fileMap.get(key);
    if (!f)
      differences.push({
        kind: 'missing_in_file',
        idNumber: maskIdNumber(s.id),
        name: s.name,
        month: s.month,
        programme: s.programme,
        systemFen: s.fen,
        fileFen: null,
        fileRow: null,
      });
    else if (f.fen !== s.fen)
      differences.push({
        kind: 'amount_differs',
        idNumber: maskIdNumber(s.id),
        name: s.name,
        month: s.month,
        programme: s.programme,
        systemFen: s.fen,
        fileFen: f.fen,
        fileRow: f.row,
      });
  }
  for (const [key, f] of fileMap) {
    if (!sysMap.has(key))
      differences.push({
        kind: 'missing_in_system',
        idNumber: maskIdNumber(f.id),
        name: f.name,
        month: f.month,
        programme: f.programme,
        systemFen: null,
        fileFen: f.fen,
        fileRow: f.row,
      });
  }
  differences.sort((a, b) => a.month.localeCompare(b.month) || a.idNumber.localeCompare(b.idNumber));
  await inTransaction(ctx.db, (tx) =>
    writeAudit(tx, ctx.actor, {
      action: 'ledger.check',
      entityType: 'ledger',
      entityId: `${q.countyCode}:${q.month ?? '*'}`,
      regionCode: q.countyCode,
      diff: { filename: file.filename, rowsRead: read, differences: differences.length },
    }),
  );
  return {
    encoding,
    headerRow: headerRow + 1,
    columns,
    rowsRead: read,
    rowsSkipped: skipped,
    systemLines: lines.length,
    clean: differences.length === 0,
    differences,
  };
}
