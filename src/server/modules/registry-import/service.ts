import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { todayCst } from '../../../domain/calendar.js';
import type { Database } from '../../db/client.js';
import { type CopySession, withCopySession } from '../../db/copy.js';
import { writeAudit } from '../../platform/audit.js';
import type { Actor } from '../../platform/context.js';
import { AppError, type FieldError, toProblem } from '../../platform/errors.js';
import { codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { findRegion } from '../regions/repo.js';
import { type ColumnKey, columnLetter, mapHeader } from './columns.js';
import { openLedgerFile, type OpenedFile, type SourceRow } from './reader.js';
import {
  checkAcrossRows,
  clearErrors,
  clearStaging,
  ERROR_COLUMNS,
  errorLines,
  errorSummary,
  errorsPage,
  type MergeCounts,
  mergeValidRows,
  IMPORT_LOCK,
  reapImports,
  runningImportJobs,
  STAGING_COLUMNS,
  stagingLine,
} from './repo.js';
import { finishJob, insertJob, jobProgress, startJob } from '../jobs/repo.js';
import { isEmptyRow, parseLedgerRow } from './validate.js';
import { writeErrorWorkbook } from './workbooks.js';

export type ImportMode = 'dry-run' | 'valid-rows' | 'all-or-nothing';
export const IMPORT_MODES: readonly ImportMode[] = ['dry-run', 'valid-rows', 'all-or-nothing'];

export interface ImportRequest {
  path: string;
  filename: string;
  mode: ImportMode;
  /** The area imported into: every village code of the file must lie inside it; it must lie inside the actor's scope. */
  regionCode: string;
  sha256?: string;
  maxBytes: number;
  /** Where the error workbook is written (`<filesDir>/imports/<job>-errors.xlsx`). */
  filesDir: string;
}

export interface ImportReport {
  jobId: number;
  file: string;
  sha256: string;
  mode: ImportMode;
  regionCode: string;
  format: 'xlsx' | 'csv';
  encoding: string | null;
  sheet: string | null;
  ignoredSheets: string[];
  ignoredColumns: string[];
  rows: number;
  emptyRows: number;
  validRows: number;
  errorRows: number;
  errorCells: number;
  committed: boolean;
  counts: MergeCounts | null;
  insertedHouseholds: number;
  updatedHouseholds: number;
  insertedPersons: number;
  updatedPersons: number;
  /** The first errors by cell (the full list is in the error workbook). */
  errors: Array<FieldError & { row: number; cell: string | null }>;
  errorWorkbook: boolean;
  seconds: number;
  /** Where the time went: reading + per-cell checks + staging, cross-row checks, writing the registry, the report. */
  phaseSeconds: { reading: number; checking: number; writing: number; report: number };
}

export type Progress = (p: {
  phase: 'reading' | 'checking' | 'writing' | 'report';
  done: number;
  total: number | null;
}) => void;

const STAGING_BATCH = 5000;
const REPORT_ERRORS = 200;

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

export function errorWorkbookPath(filesDir: string, jobId: number): string {
  return join(filesDir, 'imports', `${jobId}-errors.xlsx`);
}

/** Finds the header row (within the first 10 rows) and maps it; missing template columns refuse the file. */
async function readHeader(
  file: OpenedFile,
): Promise<{ rowNo: number; positions: Map<ColumnKey, number>; unknown: string[] }> {
  let best: { rowNo: number; missing: string[] } | null = null;
  for await (const r of file.rows()) {
    if (r.rowNo > 10) break;
    const cells = r.cells.map((c) => (c === null ? '' : typeof c === 'object' ? '' : String(c)));
    const m = mapHeader(cells);
    if (m.missing.length === 0) return { rowNo: r.rowNo, positions: m.positions, unknown: m.unknown };
    if (m.positions.size >= 3 && (!best || m.missing.length < best.missing.length))
      best = { rowNo: r.rowNo, missing: m.missing };
  }
  const where = file.kind === 'xlsx' ? `工作表「${file.sheet?.name}」` : 'CSV 文件';
  if (best) {
    throw new AppError('IMPORT_FAILED', {
      detail: `${where}第 ${best.rowNo} 行的表头缺少以下列：${best.missing.join('、')}。请使用系统生成的导入模板`,
      fields: best.missing.map((h) => ({ field: h, code: 'missing_column', message: `缺少列「${h}」` })),
    });
  }
  throw new AppError('IMPORT_FAILED', {
    detail: `${where}前 10 行中没有找到导入模板的表头（如「户编号」「公民身份号码」）。可能选错了工作表或文件，请使用系统生成的导入模板`,
  });
}

/**
 * Checks an upload before a job is queued, so the caller gets a clear 4xx at once: the region is inside the
 * actor's scope, the file is a readable xlsx/csv within the size limit, and its header has every template column.
 */
export async function preflightImport(
  database: Database,
  actor: Actor,
  req: Pick<ImportRequest, 'path' | 'regionCode' | 'maxBytes' | 'filename'>,
) {
  if (!codeInScope(req.regionCode, actor.scope)) {
    throw new AppError('REGION_OUT_OF_SCOPE', { detail: `区划 ${req.regionCode} 不在您的管辖范围内，不能导入` });
  }
  const region = await findRegion(database.db, req.regionCode);
  if (!region || region.retired_in)
    throw new AppError('REGION_NOT_FOUND', { detail: `行政区划代码 ${req.regionCode} 不存在` });
  const file = await openLedgerFile(req.path, { maxBytes: req.maxBytes, filename: req.filename });
  await readHeader(file);
  return file;
}

export async function queueImportJob(
  database: Database,
  actor: Actor,
  req: ImportRequest & { sha256: string },
): Promise<number> {
  await preflightImport(database, actor, req);
  return insertJob(database.db, {
    kind: 'registry.import',
    regionCode: req.regionCode,
    createdBy: actor.id,
    params: { file: req.filename, sha256: req.sha256, mode: req.mode, regionCode: req.regionCode },
    total: null,
  });
}

/** Streams the file into the staging table in batches of COPY (constant memory), per-row checks on the way. */
async function stageFile(
  s: CopySession,
  jobId: number,
  file: OpenedFile,
  header: { rowNo: number; positions: Map<ColumnKey, number> },
  today: string,
  onRows: (done: number) => Promise<void>,
) {
  let staging = '';
  let errs = '';
  let inBatch = 0;
  let rowsSeen = 0;
  let empty = 0;
  // One batch is loaded while the next is parsed: the COPY of batch N runs in PostgreSQL while Node checks the cells
  // of batch N+1 (the two cores work at once). At most one COPY is in flight; its failure surfaces at the next flush.
  let inFlight: Promise<void> | null = null;
  const flush = async () => {
    if (inFlight) await inFlight;
    const text = staging;
    const errText = errs;
    const done = rowsSeen;
    staging = '';
    errs = '';
    inBatch = 0;
    const load = (async () => {
      await s.copy('import_staging', STAGING_COLUMNS, text);
      await s.copy('import_row_errors', ERROR_COLUMNS, errText);
      await onRows(done);
    })();
    // Observed here so that a failure while the next batch is parsed is not an unhandled rejection.
    load.catch(() => undefined);
    inFlight = load;
  };
  let lastRow = header.rowNo;
  try {
    for await (const r of file.rows() as AsyncGenerator<SourceRow>) {
      if (r.rowNo <= header.rowNo) continue;
      // xlsx files do not store empty rows at all: a gap in the row numbers is one.
      if (r.rowNo > lastRow + 1) empty += r.rowNo - lastRow - 1;
      lastRow = r.rowNo;
      if (isEmptyRow(r.cells)) {
        empty++;
        continue;
      }
      rowsSeen++;
      const { row, errors } = parseLedgerRow(r.rowNo, r.cells, header.positions, today);
      staging += stagingLine(jobId, row);
      if (errors.length) errs += errorLines(jobId, r.rowNo, errors);
      if (++inBatch >= STAGING_BATCH) await flush();
    }
    await flush();
  } finally {
    // A read error must not leave a COPY running on a connection that is about to go back to the pool.
    await (inFlight as Promise<void> | null)?.catch(() => undefined);
  }
  await inFlight;
  return { rows: rowsSeen, empty };
}

/** Merged cells inside the data rows: every covered cell is reported (the value sits only in the first one). */
async function mergeErrors(s: CopySession, jobId: number, file: OpenedFile, headerRow: number): Promise<number> {
  const ranges = await file.merges();
  let lines = '';
  let count = 0;
  const colIndex = (letters: string) => [...letters].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0) - 1;
  for (const ref of ranges) {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref);
    if (!m) continue;
    const [c1, r1, c2, r2] = [colIndex(m[1]!), Number(m[2]), colIndex(m[3]!), Number(m[4])];
    if (r2 <= headerRow) continue;
    for (let r = Math.max(r1, headerRow + 1); r <= Math.min(r2, r1 + 10_000); r++) {
      for (let c = c1; c <= c2; c++) {
        lines += errorLines(jobId, r, [{ col: c, message: `合并单元格（${ref}）：请取消合并，并在每一行分别填写` }]);
        count++;
      }
    }
  }
  await s.copy('import_row_errors', ERROR_COLUMNS, lines);
  return count;
}

/**
 * Runs a queued import job to the end: stage → check → (merge) → audit → error workbook → report.
 * Crash safety: staging commits in batches, but the registry is written only in the final transaction together
 * with the audit row; an interrupted job leaves no registry change and the same file can simply be imported again.
 */
/** Jobs this process is running (PGlite: one process owns the database, so any other running job is dead). */
const activeJobs = new Set<number>();

/**
 * Marks imports whose process died as failed and deletes their scratch rows. On PostgreSQL a running import holds
 * pg_advisory_lock(IMPORT_LOCK, job) on its own connection; a job whose lock can be taken has no live process.
 */
async function reapDeadImports(database: Database): Promise<void> {
  const candidates = (await runningImportJobs(database.db)).filter((id) => !activeJobs.has(id));
  if (candidates.length === 0) return;
  let dead = candidates;
  if (database.pool) {
    const c = await database.pool.connect();
    try {
      dead = [];
      for (const id of candidates) {
        const r = await c.query('SELECT pg_try_advisory_lock($1, $2) AS got', [IMPORT_LOCK, id]);
        if (r.rows[0]?.got) {
          dead.push(id);
          await c.query('SELECT pg_advisory_unlock($1, $2)', [IMPORT_LOCK, id]);
        }
      }
    } finally {
      c.release();
    }
  }
  await reapImports(database.db, dead);
}

export async function runImportJob(
  database: Database,
  actor: Actor,
  jobId: number,
  req: ImportRequest,
  onProgress?: Progress,
): Promise<ImportReport> {
  activeJobs.add(jobId);
  const lock = database.pool ? await database.pool.connect() : null;
  try {
    await lock?.query('SELECT pg_advisory_lock($1, $2)', [IMPORT_LOCK, jobId]);
    return await runLocked(database, actor, jobId, req, onProgress);
  } finally {
    activeJobs.delete(jobId);
    if (lock) {
      await lock.query('SELECT pg_advisory_unlock($1, $2)', [IMPORT_LOCK, jobId]).catch(() => undefined);
      lock.release();
    }
  }
}

async function runLocked(
  database: Database,
  actor: Actor,
  jobId: number,
  req: ImportRequest,
  onProgress?: Progress,
): Promise<ImportReport> {
  const started = Date.now();
  const today = todayCst();
  const db = database.db;
  await startJob(db, jobId);
  try {
    await reapDeadImports(database);
    const file = await openLedgerFile(req.path, { maxBytes: req.maxBytes, filename: req.filename });
    const header = await readHeader(file);
    const total = await file.estimateRows();
    const dataTotal = total === null ? null : Math.max(0, total - header.rowNo);
    await jobProgress(db, jobId, 0, dataTotal);
    const sha256 = req.sha256 ?? (await sha256File(req.path));
    const staged = await withCopySession(database, async (s) => {
      const r = await stageFile(s, jobId, file, header, today, async (done) => {
        onProgress?.({ phase: 'reading', done, total: dataTotal });
        await jobProgress(db, jobId, done);
      });
      const merged = file.kind === 'xlsx' ? await mergeErrors(s, jobId, file, header.rowNo) : 0;
      return { ...r, merged };
    });
    onProgress?.({ phase: 'checking', done: staged.rows, total: staged.rows });
    const t1 = Date.now();
    let t2 = t1;
    const reason = `台账导入（任务 ${jobId}，${req.filename}）`;
    const outcome = await inTransaction(db, async (tx) => {
      await checkAcrossRows(tx, jobId, req.regionCode, actor.scope, header.positions);
      const errors = await errorSummary(tx, jobId);
      const write = req.mode === 'valid-rows' || (req.mode === 'all-or-nothing' && errors.rows === 0);
      t2 = Date.now();
      if (write) onProgress?.({ phase: 'writing', done: staged.rows, total: staged.rows });
      const counts = write ? await mergeValidRows(tx, jobId, actor.id, reason, today) : null;
      const validRows = staged.rows - errors.rows;
      await writeAudit(tx, actor, {
        action: 'registry.import',
        entityType: 'import_job',
        entityId: jobId,
        regionCode: req.regionCode,
        diff: {
          file: req.filename,
          sha256,
          mode: req.mode,
          rows: staged.rows,
          validRows,
          errorRows: errors.rows,
          errorCells: errors.cells,
          committed: write,
          counts,
        },
      });
      return { errors, counts, write, validRows };
    });
    onProgress?.({ phase: 'report', done: staged.rows, total: staged.rows });
    const t3 = Date.now();
    let errorWorkbook = false;
    if (outcome.errors.rows > 0) {
      const out = errorWorkbookPath(req.filesDir, jobId);
      await mkdir(dirname(out), { recursive: true });
      await writeErrorWorkbook(db, jobId, file, header.rowNo, out);
      errorWorkbook = true;
    }
    const first = await errorsPage(db, jobId, 0, REPORT_ERRORS);
    const report: ImportReport = {
      jobId,
      file: req.filename,
      sha256,
      mode: req.mode,
      regionCode: req.regionCode,
      format: file.kind,
      encoding: file.encoding ?? null,
      sheet: file.sheet?.name ?? null,
      ignoredSheets: file.otherSheets ?? [],
      ignoredColumns: header.unknown,
      rows: staged.rows,
      emptyRows: staged.empty,
      validRows: outcome.validRows,
      errorRows: outcome.errors.rows,
      errorCells: outcome.errors.cells,
      committed: outcome.write,
      counts: outcome.counts,
      insertedHouseholds: outcome.counts?.households.inserted ?? 0,
      updatedHouseholds: outcome.counts?.households.updated ?? 0,
      insertedPersons: outcome.counts?.persons.inserted ?? 0,
      updatedPersons: outcome.counts?.persons.updated ?? 0,
      errors: first.slice(0, REPORT_ERRORS).map((e) => {
        const cell = e.col === null ? null : `${columnLetter(Number(e.col))}${e.row_no}`;
        return {
          row: Number(e.row_no),
          cell,
          field: cell ?? `第 ${e.row_no} 行`,
          code: 'invalid_cell',
          message: e.message,
        };
      }),
      errorWorkbook,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      phaseSeconds: {
        reading: Math.round((t1 - started) / 100) / 10,
        checking: Math.round((t2 - t1) / 100) / 10,
        writing: Math.round((t3 - t2) / 100) / 10,
        report: Math.round((Date.now() - t3) / 100) / 10,
      },
    };
    await clearStaging(db, jobId);
    await clearErrors(db, jobId);
    const failed = req.mode === 'all-or-nothing' && outcome.errors.rows > 0;
    await finishJob(
      db,
      jobId,
      failed ? 'failed' : 'succeeded',
      report,
      failed
        ? {
            code: 'IMPORT_FAILED',
            detail: `共 ${outcome.errors.rows} 行、${outcome.errors.cells} 处错误，按「全部成功才导入」模式未写入任何数据`,
          }
        : null,
    );
    return report;
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL');
    const problem = toProblem(err, 'zh');
    await clearStaging(db, jobId).catch(() => undefined);
    await clearErrors(db, jobId).catch(() => undefined);
    await finishJob(db, jobId, 'failed', null, {
      code: problem.code,
      detail: problem.detail,
      errors: problem.errors ?? [],
    }).catch(() => undefined);
    throw e;
  }
}

/** The error workbook of a job, if it has one (the job itself was found in the actor's scope by the caller). */
export async function errorWorkbookFile(filesDir: string, jobId: number): Promise<string | null> {
  const p = errorWorkbookPath(filesDir, jobId);
  try {
    await stat(p);
    return p;
  } catch {
    return null;
  }
}

export async function removeFile(path: string) {
  await rm(path, { force: true });
}
