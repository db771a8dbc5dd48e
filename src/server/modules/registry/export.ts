import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  DISABILITY_TYPE_LABELS,
  HUKOU_LABELS,
  PROGRAMME_LABELS,
  RELATION_LABELS,
  SEX_LABELS,
} from '../../../contracts/registry-codes.js';
import { EXPORT_COLUMNS, type ExportQuery } from '../../../contracts/registry-search.js';
import { todayCst } from '../../../domain/calendar.js';
import { ageOn, maskIdNumber } from '../../../domain/identity/id-number.js';
import { writeAudit } from '../../platform/audit.js';
import { can, type UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { countPersons, type PersonFilter, type PersonSearchRow, searchPersons } from './repo-search.js';
import { personFilter } from './service-search.js';

/**
 * Export of any person search to xlsx or csv (UTF-8 with BOM), streamed in keyset batches so memory stays constant.
 * ID numbers are masked unless the role has pii.reveal and the request asks reveal=true (POLICY.md §2 [A art.24]
 * privacy protection); every export writes an audit row with the filter and the row count.
 */

export const EXPORT_BATCH = 2000;

export interface ExportPlan {
  format: 'xlsx' | 'csv';
  reveal: boolean;
  filter: PersonFilter;
  query: Omit<ExportQuery, 'format' | 'reveal'>;
}

/** Checks the request before any byte is sent (so a bad request still gets a proper 4xx). */
export function planExport(ctx: UseCaseContext, q: ExportQuery): ExportPlan {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const reveal = q.reveal === 'true';
  if (reveal && !can(ctx.actor, 'pii.reveal')) {
    throw new AppError('FORBIDDEN', { detail: '您的角色无权导出完整身份证号码' });
  }
  const { format, reveal: _r, ...query } = q;
  return { format: format ?? 'xlsx', reveal, filter: personFilter(query), query };
}

export function exportRowCount(ctx: UseCaseContext, plan: ExportPlan) {
  return countPersons(ctx.db, ctx.actor.scope, plan.filter);
}

function rowValues(r: PersonSearchRow, reveal: boolean, today: string): Array<string | number> {
  const id = r.id_number.trim();
  return [
    r.household_no ?? (r.household_id === null ? '' : `#${r.household_id}`),
    r.region_code,
    r.region_name ?? '',
    r.address ?? '',
    r.hukou_type ? HUKOU_LABELS[r.hukou_type] : '',
    r.relation ? (RELATION_LABELS[r.relation as keyof typeof RELATION_LABELS] ?? r.relation) : '',
    r.name,
    reveal ? id : maskIdNumber(id),
    SEX_LABELS[r.sex],
    r.birth_date,
    Math.max(0, ageOn(r.birth_date, today)),
    r.disability_type
      ? (DISABILITY_TYPE_LABELS[r.disability_type as keyof typeof DISABILITY_TYPE_LABELS] ?? r.disability_type)
      : '',
    r.disability_level === null ? '' : Number(r.disability_level),
    r.housing_rating ?? '',
    (r.programmes ?? []).map((p) => PROGRAMME_LABELS[p as keyof typeof PROGRAMME_LABELS] ?? p).join('、'),
  ];
}

/** A CSV field: quoted when needed; a leading = + - @ is neutralised so spreadsheet programs do not run it as a formula. */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Streams the rows to `out` and returns the row count. The audit row is written before the file is closed, so a
 * finished download always has its audit entry.
 */
export async function runExport(
  ctx: UseCaseContext,
  plan: ExportPlan,
  out: Writable,
  onProgress?: (done: number) => void,
): Promise<number> {
  const today = todayCst();
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter | null = null;
  let sheet: ExcelJS.Worksheet | null = null;
  if (plan.format === 'xlsx') {
    workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    sheet = workbook.addWorksheet('人员名单');
    sheet.addRow([...EXPORT_COLUMNS]).commit();
  } else {
    await write(out, `\uFEFF${EXPORT_COLUMNS.map(csvField).join(',')}\r\n`);
  }
  let after: { id: number } | null = null;
  let done = 0;
  for (;;) {
    const batch = await searchPersons(ctx.db, ctx.actor.scope, plan.filter, after, EXPORT_BATCH, false);
    if (batch.length === 0) break;
    if (sheet) {
      for (const r of batch) sheet.addRow(rowValues(r, plan.reveal, today)).commit();
    } else {
      await write(out, batch.map((r) => `${rowValues(r, plan.reveal, today).map(csvField).join(',')}\r\n`).join(''));
    }
    done += batch.length;
    after = { id: Number(batch[batch.length - 1]!.id) };
    onProgress?.(done);
    if (batch.length < EXPORT_BATCH) break;
  }
  await inTransaction(ctx.db, (tx) =>
    writeAudit(tx, ctx.actor, {
      action: plan.reveal ? 'registry.export_reveal' : 'registry.export',
      entityType: 'registry',
      regionCode: plan.query.regionCode ?? (ctx.actor.scope.regionCode || null),
      diff: { format: plan.format, filter: plan.query, rows: done, revealedIdNumbers: plan.reveal },
    }),
  );
  if (workbook && sheet) {
    sheet.commit();
    await workbook.commit();
  } else {
    out.end();
  }
  return done;
}
