/** Archive (S6): material uploads with a real type check (magic bytes), size limit and SHA-256; completeness report. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DIBAO_MATERIALS } from '../../../domain/programs/dibao/workflow.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { addEvent, findCase } from '../cases/repo.js';
import { completenessReport, findMaterial, insertMaterial } from './repo.js';

/** Largest accepted scan (archive materials are scans and photos). */
export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;

const TYPES = [
  { mime: 'application/pdf', ext: ['.pdf'], magic: (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    mime: 'image/png',
    ext: ['.png'],
    magic: (b: Buffer) =>
      b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    mime: 'image/jpeg',
    ext: ['.jpg', '.jpeg'],
    magic: (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
] as const;

/** The file's real type from its first bytes; it must also match the name's extension (an upload is what it claims). */
export function detectMaterialType(buffer: Buffer, filename: string): { mime: string; ext: string } {
  const ext = extname(filename).toLowerCase();
  const claimed = TYPES.find((t) => (t.ext as readonly string[]).includes(ext));
  if (!claimed)
    throw new AppError('FILE_INVALID', { detail: `只接受 PDF、JPG、PNG 文件（收到 ${ext || '无扩展名'}）` });
  const actual = TYPES.find((t) => t.magic(buffer));
  if (!actual)
    throw new AppError('FILE_INVALID', { detail: `文件“${filename}”的内容不是 PDF、JPG 或 PNG，可能已损坏或被改名` });
  if (actual.mime !== claimed.mime)
    throw new AppError('FILE_INVALID', {
      detail: `文件“${filename}”扩展名为 ${ext}，但内容是 ${actual.mime}，与所称类型不符`,
    });
  return { mime: actual.mime, ext };
}

function knownKinds(workflowKinds: string[]) {
  return new Set([...workflowKinds, ...Object.keys(DIBAO_MATERIALS), 'other']);
}

export async function uploadMaterial(
  ctx: UseCaseContext,
  filesDir: string,
  caseId: number,
  input: { kind: string; filename: string; buffer: Buffer; truncated: boolean },
) {
  const c = await findCase(ctx.db, caseId, ctx.actor.scope);
  if (!c) throw new AppError('NOT_FOUND');
  const kinds = knownKinds([
    ...c.workflow.steps.flatMap((s) => s.materials.map((m) => m.kind)),
    ...(c.workflow.archive ?? []).map((m) => m.kind),
  ]);
  if (!kinds.has(input.kind))
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'kind', code: 'unknown_kind', message: `未知的材料类别 ${input.kind}` }],
    });
  if (input.truncated || input.buffer.length > MAX_MATERIAL_BYTES)
    throw new AppError('FILE_TOO_LARGE', { detail: `单个材料不得超过 ${MAX_MATERIAL_BYTES / 1024 / 1024} MB` });
  if (input.buffer.length === 0) throw new AppError('FILE_INVALID', { detail: '文件为空' });
  const type = detectMaterialType(input.buffer, input.filename);
  const sha256 = createHash('sha256').update(input.buffer).digest('hex');
  const dir = join(filesDir, 'materials', c.county_code, String(c.id));
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${sha256}${type.ext}`);
  await writeFile(path, input.buffer);
  return inTransaction(ctx.db, async (tx) => {
    const m = await insertMaterial(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      kind: input.kind,
      filename: input.filename,
      mime: type.mime,
      size: input.buffer.length,
      sha256,
      path,
      by: ctx.actor.id,
    });
    await addEvent(tx, {
      caseId: c.id,
      regionCode: c.region_code,
      action: 'material.upload',
      detail: { materialId: m.id, kind: input.kind, sha256 },
      actorId: ctx.actor.id,
      actorName: ctx.actor.username,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'material.upload',
      entityType: 'material',
      entityId: m.id,
      regionCode: c.region_code,
      diff: { caseId: c.id, kind: input.kind, filename: input.filename, sha256, size: input.buffer.length },
    });
    return {
      id: m.id,
      caseId: c.id,
      kind: input.kind,
      filename: input.filename,
      mime: type.mime,
      sizeBytes: input.buffer.length,
      sha256,
      uploadedAt: m.uploadedAt,
    };
  });
}

export async function materialFile(ctx: UseCaseContext, id: number) {
  const m = await findMaterial(ctx.db, id, ctx.actor.scope);
  if (!m) throw new AppError('NOT_FOUND');
  const buffer = await readFile(m.path);
  if (createHash('sha256').update(buffer).digest('hex') !== m.sha256)
    throw new AppError('FILE_INVALID', { detail: '存档文件与上传时的哈希值不一致' });
  return { buffer, mime: m.mime, filename: m.filename };
}

export async function archiveCompleteness(
  ctx: UseCaseContext,
  q: { regionCode?: string; groupBy: 'county' | 'township'; programme?: string },
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const list = await completenessReport(ctx.db, ctx.actor.scope, q);
  return {
    items: list.map((r) => ({
      regionCode: r.region_code,
      regionName: r.region_name,
      cases: Number(r.cases),
      completeCases: Number(r.complete_cases),
      required: Number(r.required),
      present: Number(r.present),
      pct: Number(r.required) ? Math.floor((Number(r.present) * 100) / Number(r.required)) : 100,
      missingByKind: Object.fromEntries(Object.entries(r.missing_by_kind ?? {}).map(([k, v]) => [k, Number(v)])),
    })),
  };
}
