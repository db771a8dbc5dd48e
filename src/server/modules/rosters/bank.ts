import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { formatYuan, parseYuan } from '../../../domain/money.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { decodeText } from '../../platform/text.js';
import { inTransaction } from '../../platform/tx.js';
import { type BankLayout, paymentsOf, renderBankFile } from './bank-files.js';
import * as layouts from './layouts-repo.js';
import * as repo from './repo.js';
import { loadRoster } from './service.js';

export const PROGRAMME_ZH: Record<string, string> = {
  dibao: '最低生活保障金',
  tekun: '特困人员救助供养金',
  disability_living: '困难残疾人生活补贴',
  disability_nursing: '重度残疾人护理补贴',
  temporary: '临时救助金',
  medical: '医疗救助金',
  left_behind_child: '留守儿童关爱',
  low_income_edge: '低保边缘家庭',
};

/**
 * The bank file of an approved roster in a bank's layout. The only place full account numbers leave the system;
 * the download is audited (who, which roster, how many payments, total — not the numbers).
 */
export async function bankFile(ctx: UseCaseContext, id: number, layoutCode: string) {
  return inTransaction(ctx.db, async (tx) => {
    const r = await loadRoster(tx, ctx, id);
    if (r.status === 'draft' || r.status === 'checked')
      throw new AppError('INVALID_STATE', { detail: '名册审批后才能生成银行代发文件' });
    const layout = await layouts.activeLayoutFor(tx, layoutCode, r.county_code);
    if (!layout)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'layout', code: 'unknown_layout', message: `银行文件格式 ${layoutCode} 不存在或已停用` }],
      });
    const lines = await repo.allLines(tx, id);
    const { payments } = paymentsOf(lines, r, `${r.month}${PROGRAMME_ZH[r.programme] ?? r.programme}`);
    const file = await renderBankFile(layout as BankLayout, payments);
    const total = payments.reduce((s, p) => s + p.amountFen, 0);
    const fileId = await layouts.insertBankFile(tx, {
      rosterId: id,
      region: r.county_code,
      layoutId: Number(layout.id),
      code: layout.code,
      version: Number(layout.version),
      payments: payments.length,
      totalFen: total,
      sha256: createHash('sha256').update(file.body).digest('hex'),
      by: ctx.actor.id,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'roster.bank_file.download',
      entityType: 'roster',
      entityId: id,
      regionCode: r.county_code,
      diff: {
        layout: layoutCode,
        layoutVersion: Number(layout.version),
        bankFileId: fileId,
        payments: payments.length,
        totalFen: total,
      },
    });
    return { ...file, filename: `roster-${id}-${r.county_code}-${r.month}-${r.programme}-${layoutCode}.${file.ext}` };
  });
}

type Problem = {
  kind:
    | 'wrong_month'
    | 'wrong_county'
    | 'wrong_roster'
    | 'wrong_total'
    | 'wrong_count'
    | 'unknown_account'
    | 'amount_mismatch'
    | 'bad_row'
    | 'duplicate_account';
  row: number | null;
  message: string;
};

const HEADER_ALIASES: Record<string, string[]> = {
  account: ['账号', '卡号', '账户', '收款账号', '银行账号'],
  holder: ['户名', '姓名', '收款人'],
  amount: ['金额', '金额（元）', '金额(元)', '发放金额'],
  result: ['结果', '状态', '处理结果', '交易状态'],
  reason: ['失败原因', '原因', '备注', '错误信息'],
};

interface ReturnRow {
  row: number;
  account: string;
  holder: string;
  amountFen: number;
  ok: boolean;
  reason: string;
}

/** A sheet or CSV as rows of text cells, with the row numbers a user sees (blank rows dropped). */
interface Grid {
  records: string[][];
  rowNumbers: number[];
  /** `row:col` of numeric cells too long to be exact (an account typed as a number in Excel) */
  lossy: Set<string>;
}

const isXlsx = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOldXls = (b: Buffer) => b.length > 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((x) => x.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
  }
  return String(v).trim();
}

async function xlsxGrid(buf: Buffer): Promise<Grid> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppError('FILE_INVALID', { detail: '回盘文件不是有效的 xlsx 工作簿' });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('FILE_INVALID', { detail: '回盘工作簿中没有工作表' });
  const grid: Grid = { records: [], rowNumbers: [], lossy: new Set() };
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const v = row.getCell(c).value;
      if (typeof v === 'number' && Math.abs(v) >= 1e15) grid.lossy.add(`${grid.records.length}:${c - 1}`);
      cells.push(cellText(v));
    }
    if (cells.some((x) => x !== '')) {
      grid.records.push(cells);
      grid.rowNumbers.push(rowNumber);
    }
  });
  return grid;
}

function csvGrid(buf: Buffer): Grid {
  let records: string[][];
  try {
    records = parse(decodeText(buf).text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch {
    throw new AppError('FILE_INVALID', { detail: '回盘文件不是有效的 CSV 文本' });
  }
  return { records, rowNumbers: records.map((_, i) => i + 1), lossy: new Set() };
}

/** 2026-10, 2026-10-01 (a month Excel turned into a date), 202610, 2026年10月 → 2026-10; anything else unchanged. */
function normaliseMonth(v: string): string {
  const m = /^(\d{4})(?:-|年|\/)?(\d{1,2})(?:月|-01|\/01)?$/.exec(v.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}` : v.trim();
}

/**
 * Parses a bank return file — xlsx (first sheet), or CSV in UTF-8 or GBK: a batch row
 * `批次,<名册编号>,月份,<YYYY-MM>,区县,<代码>,总笔数,<n>,总金额,<元>`, a header row, then one row per payment
 * (docs/rosters.md §Bank return). Problems of the batch or header row make the whole file unusable (`fileLevel`).
 */
export async function parseBankReturn(buf: Buffer): Promise<{
  batch: Record<string, string>;
  rows: ReturnRow[];
  problems: Problem[];
  fileLevel: boolean;
}> {
  if (isOldXls(buf))
    throw new AppError('FILE_INVALID', { detail: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV 后导入' });
  const { records, rowNumbers, lossy } = isXlsx(buf) ? await xlsxGrid(buf) : csvGrid(buf);
  const problems: Problem[] = [];
  const batch: Record<string, string> = {};
  let i = 0;
  if (records[0]?.[0] === '批次') {
    const r = records[0];
    batch.roster = r[1] ?? '';
    for (let k = 2; k + 1 < r.length; k += 2) batch[r[k]!] = r[k + 1]!;
    if (batch.月份 !== undefined) batch.月份 = normaliseMonth(batch.月份);
    i = 1;
  } else {
    problems.push({
      kind: 'bad_row',
      row: rowNumbers[0] ?? 1,
      message: '缺少批次行（批次,名册编号,月份,…,总笔数,…,总金额,…）',
    });
  }
  const header = records[i] ?? [];
  const col: Record<string, number> = {};
  for (const [field, names] of Object.entries(HEADER_ALIASES)) {
    const idx = header.findIndex((h) => names.includes(h.replace(/\s/g, '')));
    if (idx >= 0) col[field] = idx;
  }
  for (const f of ['account', 'amount', 'result']) {
    if (col[f] === undefined)
      problems.push({
        kind: 'bad_row',
        row: rowNumbers[i] ?? i + 1,
        message: `表头缺少「${HEADER_ALIASES[f]![0]}」列`,
      });
  }
  const rows: ReturnRow[] = [];
  if (problems.length) return { batch, rows, problems, fileLevel: true };
  for (let k = i + 1; k < records.length; k++) {
    const r = records[k]!;
    const rowNo = rowNumbers[k]!;
    const account = (r[col.account!] ?? '').replace(/\s/g, '');
    if (!account && r.every((c) => !c)) continue;
    if (lossy.has(`${k}:${col.account}`)) {
      problems.push({
        kind: 'bad_row',
        row: rowNo,
        message: `第 ${rowNo} 行账号单元格是数值，超过 15 位的数字已丢失精度，请把账号列设为文本后重新导出`,
      });
      continue;
    }
    const amount = parseYuan(r[col.amount!] ?? '');
    const result = r[col.result!] ?? '';
    if (!account || amount === null) {
      problems.push({ kind: 'bad_row', row: rowNo, message: `第 ${rowNo} 行账号或金额无法识别` });
      continue;
    }
    const ok = /^(成功|已入账|success|ok|s|0000)$/i.test(result);
    const failed = /^(失败|退回|fail|failed|f)$/i.test(result);
    if (!ok && !failed) {
      problems.push({
        kind: 'bad_row',
        row: rowNo,
        message: `第 ${rowNo} 行处理结果「${result}」无法识别（应为 成功/失败）`,
      });
      continue;
    }
    rows.push({
      row: rowNo,
      account,
      holder: r[col.holder ?? -1] ?? '',
      amountFen: amount,
      ok,
      reason: (r[col.reason ?? -1] ?? '').trim(),
    });
  }
  return { batch, rows, problems, fileLevel: false };
}

/**
 * Imports a bank's return file for a sent roster. A file for another roster, month or county, or whose totals do not
 * add up, is rejected whole (nothing applied, problems listed). Rows with an unknown account, a duplicated account or
 * an amount different from the roster's are reported and not applied. Failed payments are listed and put into a
 * re-issue roster (draft) with the household's current account; nothing else changes.
 */
export async function importBankReturn(
  ctx: UseCaseContext,
  id: number,
  file: { filename: string | null; data: Buffer },
) {
  const parsed = await parseBankReturn(file.data);
  return inTransaction(ctx.db, async (tx) => {
    const r = await loadRoster(tx, ctx, id, true);
    if (r.status !== 'sent')
      throw new AppError('INVALID_STATE', { detail: '名册发送银行后才能导入回盘文件', extra: { status: r.status } });
    const problems: Problem[] = [...parsed.problems];
    const { batch, rows } = parsed;
    if (batch.roster !== undefined && batch.roster !== String(id)) {
      problems.push({ kind: 'wrong_roster', row: 1, message: `回盘文件属于名册 ${batch.roster}，不是本名册 ${id}` });
    }
    if (batch.月份 !== undefined && batch.月份 !== r.month)
      problems.push({ kind: 'wrong_month', row: 1, message: `回盘文件月份 ${batch.月份} 与名册月份 ${r.month} 不符` });
    if (batch.区县 !== undefined && batch.区县 !== r.county_code)
      problems.push({
        kind: 'wrong_county',
        row: 1,
        message: `回盘文件区县 ${batch.区县} 与名册区县 ${r.county_code} 不符`,
      });
    const declaredCount = batch.总笔数 === undefined ? null : Number(batch.总笔数);
    const declaredTotal = batch.总金额 === undefined ? null : parseYuan(batch.总金额);
    const sum = rows.reduce((s, x) => s + x.amountFen, 0);
    if (declaredCount !== null && declaredCount !== rows.length)
      problems.push({
        kind: 'wrong_count',
        row: 1,
        message: `批次行总笔数 ${batch.总笔数} 与明细 ${rows.length} 笔不符`,
      });
    if (declaredTotal === null || declaredTotal !== sum) {
      problems.push({
        kind: 'wrong_total',
        row: 1,
        message: `批次行总金额 ${batch.总金额 ?? '（缺失）'} 元与明细合计 ${formatYuan(sum)} 元不符`,
      });
    }
    const fileLevel =
      parsed.fileLevel ||
      problems.some((p) =>
        ['wrong_roster', 'wrong_month', 'wrong_county', 'wrong_count', 'wrong_total'].includes(p.kind),
      );
    if (fileLevel) {
      await repo.insertBankReturn(tx, {
        rosterId: id,
        region: r.county_code,
        filename: file.filename,
        applied: false,
        paid: 0,
        failed: 0,
        problems,
        reissue: null,
        by: ctx.actor.id,
      });
      await writeAudit(tx, ctx.actor, {
        action: 'roster.bank_return.rejected',
        entityType: 'roster',
        entityId: id,
        regionCode: r.county_code,
        diff: { problems },
      });
      return { rejected: true as const, problems };
    }
    const lines = await repo.allLines(tx, id);
    const { linesByAccount } = paymentsOf(lines, r, '');
    const seen = new Set<string>();
    const results: { lineNo: number; status: 'paid' | 'failed'; reason: string | null }[] = [];
    const failedLines: { lineNo: number; payeeName: string | null; amountFen: number; reason: string }[] = [];
    let paid = 0;
    let failed = 0;
    for (const row of rows) {
      const ls = linesByAccount.get(row.account);
      if (!ls) {
        problems.push({
          kind: 'unknown_account',
          row: row.row,
          message: `第 ${row.row} 行账号 ****${row.account.slice(-4)} 不在本名册中，未处理`,
        });
        continue;
      }
      if (seen.has(row.account)) {
        problems.push({
          kind: 'duplicate_account',
          row: row.row,
          message: `第 ${row.row} 行账号 ****${row.account.slice(-4)} 重复出现，未处理`,
        });
        continue;
      }
      seen.add(row.account);
      const net = ls.reduce((s, l) => s + Number(l.amount_fen), 0);
      if (net !== row.amountFen) {
        problems.push({
          kind: 'amount_mismatch',
          row: row.row,
          message: `第 ${row.row} 行金额 ${formatYuan(row.amountFen)} 元与名册 ${formatYuan(net)} 元不符，未处理`,
        });
        continue;
      }
      const reason = row.ok ? null : row.reason || '银行退回（未注明原因）';
      for (const l of ls) {
        results.push({ lineNo: Number(l.line_no), status: row.ok ? 'paid' : 'failed', reason });
        if (!row.ok)
          failedLines.push({
            lineNo: Number(l.line_no),
            payeeName: l.payee_name,
            amountFen: Number(l.amount_fen),
            reason: reason!,
          });
      }
      if (row.ok) paid++;
      else failed++;
    }
    await repo.applyPayResults(tx, id, results);
    let reissueId: number | null = null;
    if (failedLines.length) {
      reissueId = await repo.insertRoster(tx, {
        county: r.county_code,
        month: r.month,
        programme: r.programme,
        kind: 'reissue',
        parentId: id,
        by: ctx.actor.id,
      });
      await repo.insertReissueLines(tx, id, reissueId);
      await repo.refreshTotals(tx, [reissueId], false);
    }
    const returnId = await repo.insertBankReturn(tx, {
      rosterId: id,
      region: r.county_code,
      filename: file.filename,
      applied: true,
      paid,
      failed,
      problems,
      reissue: reissueId,
      by: ctx.actor.id,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'roster.bank_return.import',
      entityType: 'roster',
      entityId: id,
      regionCode: r.county_code,
      diff: { returnId, paid, failed, problems: problems.length, reissueRosterId: reissueId },
    });
    return {
      rejected: false as const,
      id: returnId,
      applied: true,
      paidCount: paid,
      failedCount: failed,
      problems,
      failedLines,
      reissueRosterId: reissueId,
    };
  });
}
