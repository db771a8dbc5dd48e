import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { iso } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { type BankLayout, type LayoutColumn, layoutProblems, normaliseLayout, previewLayout } from './bank-files.js';
import * as repo from './layouts-repo.js';
import { loadRoster } from './service.js';
import type { BankLayoutRecord } from './layouts-repo.js';

/**
 * Bank file layouts (docs/rosters.md §Bank file layouts): county approvers and administrators create them for their
 * area, change them only by a new version (the rows a bank file used stay as they were), and disable them.
 */
export interface LayoutInput {
  name: string;
  bankName?: string | null;
  format: 'csv' | 'fixed' | 'xlsx';
  encoding: 'utf-8' | 'gbk';
  header: boolean;
  columns: LayoutColumn[];
  note?: string | null;
}

function present(l: BankLayoutRecord, scopeRegion: string) {
  return {
    id: Number(l.id),
    code: l.code,
    version: Number(l.version),
    status: l.status,
    regionCode: l.region_code,
    name: l.name,
    bankName: l.bank_name,
    format: l.format,
    encoding: l.encoding,
    header: l.header,
    columns: l.columns,
    note: l.note,
    bankFiles: Number(l.bank_files),
    manageable: l.region_code !== '' && l.region_code.startsWith(scopeRegion),
    createdAt: iso(l.created_at)!,
  };
}

export async function listBankLayouts(ctx: UseCaseContext, q: { includeDisabled?: 'true' | 'false' } = {}) {
  const list = await repo.listLayouts(ctx.db, ctx.actor.scope, q.includeDisabled === 'true');
  return { items: list.map((l) => present(l, ctx.actor.scope.regionCode)) };
}

/** Validates a submitted layout (400 BANK_LAYOUT_INVALID naming the column) and keeps only the options its format uses. */
function checked(input: LayoutInput): BankLayout & LayoutInput {
  const layout = { ...input, code: '' };
  const problems = layoutProblems(layout);
  if (problems.length) throw new AppError('BANK_LAYOUT_INVALID', { fields: problems });
  return normaliseLayout(layout);
}

export async function createBankLayout(ctx: UseCaseContext, input: LayoutInput & { code: string }) {
  const l = checked(input);
  try {
    return await inTransaction(ctx.db, async (tx) => {
      if (await repo.codeTaken(tx, input.code))
        throw new AppError('DUPLICATE', {
          fields: [{ field: 'code', code: 'duplicate', message: `格式代码 ${input.code} 已被使用，请换一个` }],
        });
      const id = await repo.insertLayout(tx, {
        code: input.code,
        version: 1,
        regionCode: ctx.actor.regionCode,
        name: l.name,
        bankName: l.bankName ?? null,
        format: l.format,
        encoding: l.encoding,
        header: l.header,
        columns: l.columns,
        note: l.note ?? null,
        by: ctx.actor.id,
      });
      await writeAudit(tx, ctx.actor, {
        action: 'bank_layout.create',
        entityType: 'bank_layout',
        entityId: id,
        regionCode: ctx.actor.regionCode,
        diff: { code: input.code, version: 1, format: l.format, encoding: l.encoding, columns: l.columns },
      });
      return present((await repo.findManageableLayout(tx, id, ctx.actor.scope))!, ctx.actor.scope.regionCode);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new AppError('DUPLICATE', {
        fields: [{ field: 'code', code: 'duplicate', message: `格式代码 ${input.code} 已被使用，请换一个` }],
      });
    throw e;
  }
}

/**
 * A change of a layout is a new version: the current row becomes 'superseded' (kept as it was, so the bank files
 * produced with it still say exactly which columns they had) and the new row takes over the code. `id` must be the
 * current version — a stale id answers 409 VERSION_CONFLICT.
 */
export async function newBankLayoutVersion(ctx: UseCaseContext, id: number, input: LayoutInput) {
  const l = checked(input);
  return inTransaction(ctx.db, async (tx) => {
    const cur = await repo.findManageableLayout(tx, id, ctx.actor.scope, true);
    if (!cur) throw new AppError('NOT_FOUND');
    if (cur.status === 'superseded')
      throw new AppError('VERSION_CONFLICT', { detail: '该格式已有更新的版本，请刷新后在最新版本上修改' });
    await repo.setLayoutStatus(tx, id, 'superseded');
    const newId = await repo.insertLayout(tx, {
      code: cur.code,
      version: Number(cur.version) + 1,
      regionCode: cur.region_code,
      name: l.name,
      bankName: l.bankName ?? null,
      format: l.format,
      encoding: l.encoding,
      header: l.header,
      columns: l.columns,
      note: l.note ?? null,
      by: ctx.actor.id,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'bank_layout.version',
      entityType: 'bank_layout',
      entityId: newId,
      regionCode: cur.region_code,
      diff: {
        code: cur.code,
        version: [Number(cur.version), Number(cur.version) + 1],
        previousId: id,
        format: [cur.format, l.format],
        encoding: [cur.encoding, l.encoding],
        header: [cur.header, l.header],
        columns: [cur.columns, l.columns],
      },
    });
    return present((await repo.findManageableLayout(tx, newId, ctx.actor.scope))!, ctx.actor.scope.regionCode);
  });
}

export async function setBankLayoutStatus(ctx: UseCaseContext, id: number, status: 'active' | 'disabled') {
  return inTransaction(ctx.db, async (tx) => {
    const cur = await repo.findManageableLayout(tx, id, ctx.actor.scope, true);
    if (!cur) throw new AppError('NOT_FOUND');
    if (cur.status === 'superseded')
      throw new AppError('VERSION_CONFLICT', { detail: '该格式已有更新的版本，请刷新后操作最新版本' });
    if (cur.status !== status) {
      await repo.setLayoutStatus(tx, id, status);
      await writeAudit(tx, ctx.actor, {
        action: status === 'active' ? 'bank_layout.enable' : 'bank_layout.disable',
        entityType: 'bank_layout',
        entityId: id,
        regionCode: cur.region_code,
        diff: { code: cur.code, version: Number(cur.version), status: [cur.status, status] },
      });
    }
    return present((await repo.findManageableLayout(tx, id, ctx.actor.scope))!, ctx.actor.scope.regionCode);
  });
}

/** Live preview: the layout's problems, or three sample payments as the generator writes them. Reads nothing. */
export async function previewBankLayout(input: LayoutInput & { month?: string }) {
  return previewLayout({ ...input, code: '' }, input.month ?? '2026-10');
}

/** The bank files a roster's county produced (who, when, which layout version, payments, total, file hash). */
export async function rosterBankFiles(ctx: UseCaseContext, rosterId: number) {
  await loadRoster(ctx.db, ctx, rosterId);
  return {
    items: (await repo.bankFilesOf(ctx.db, rosterId)).map((f) => ({
      id: Number(f.id),
      createdAt: iso(f.created_at)!,
      layoutCode: f.layout_code,
      layoutVersion: Number(f.layout_version),
      layoutName: f.layout_name,
      payments: Number(f.payments),
      totalFen: Number(f.total_fen),
      sha256: f.sha256,
      createdBy: f.created_by_name,
    })),
  };
}
