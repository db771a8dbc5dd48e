import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { todayCst } from '../../../domain/calendar.js';
import { type Db, first } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { renderNoticeDocx } from './docx.js';
import { findNotice, insertNotice, issuerOf, type NoticeRow, nextDocSeq } from './repo.js';

/** Administrative reconsideration (60 days) and litigation (6 months) rights stated on every decision notice (S7). */
export function remediesText(level: 'county' | 'township'): string {
  const body = level === 'county' ? '本级人民政府或上一级民政部门' : '县级人民政府';
  return `如不服本决定，可以自收到本告知书之日起六十日内向${body}申请行政复议（《中华人民共和国行政复议法》第二十条），或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。`;
}

export function presentNotice(n: NoticeRow) {
  return {
    id: Number(n.id),
    caseId: Number(n.case_id),
    kind: n.kind,
    status: n.status,
    issuerLevel: n.issuer_level,
    issuerName: n.issuer_name,
    docNo: n.doc_no,
    addressee: n.addressee,
    title: n.title,
    decision: n.decision,
    facts: n.facts,
    reasons: n.reasons,
    basis: n.basis,
    remedies: n.remedies,
    issuedOn: n.issued_on,
    sha256: n.sha256,
    deliveryMethod: n.delivery_method,
    deliveredOn: n.delivered_on,
    receiptMaterialId: n.receipt_material_id === null ? null : Number(n.receipt_material_id),
    version: Number(n.version),
  };
}

export interface NoticeDraft {
  caseId: number;
  regionCode: string;
  kind: 'one_time' | 'not_accepted' | 'not_confirmed' | 'approval' | 'adjustment' | 'termination';
  issuerLevel: 'county' | 'township';
  addressee: string;
  title: string;
  decision: string;
  facts: string;
  reasons: string;
  basis: Array<{ document: string; article: string }>;
  withRemedies: boolean;
}

/** Writes a draft notice inside the caller's transaction (the use case that decided writes the audit row). */
export async function draftNotice(tx: Db, actorId: number | null, d: NoticeDraft): Promise<number> {
  const issuer = await issuerOf(tx, d.regionCode, d.issuerLevel);
  return insertNotice(tx, {
    caseId: d.caseId,
    regionCode: d.regionCode,
    kind: d.kind,
    issuerLevel: d.issuerLevel,
    issuerCode: issuer.code,
    issuerName: issuer.name,
    prefix: issuer.prefix,
    addressee: d.addressee,
    title: d.title,
    decision: d.decision,
    facts: d.facts,
    reasons: d.reasons,
    basis: d.basis,
    remedies: d.withRemedies ? remediesText(d.issuerLevel) : '',
    by: actorId,
  });
}

export async function getNotice(ctx: UseCaseContext, id: number) {
  const n = await findNotice(ctx.db, id, ctx.actor.scope);
  if (!n) throw new AppError('NOT_FOUND');
  return presentNotice(n);
}

/** Reasons are drafted from the assessment and may be edited before issue; an issued notice is frozen (S7). */
export async function editNotice(
  ctx: UseCaseContext,
  id: number,
  input: { version: number; addressee?: string; decision?: string; facts?: string; reasons?: string },
) {
  return inTransaction(ctx.db, async (tx) => {
    const n = await findNotice(tx, id, ctx.actor.scope, true);
    if (!n) throw new AppError('NOT_FOUND');
    if (n.status === 'issued')
      throw new AppError('NOTICE_FROZEN', { detail: `告知书 ${n.doc_no} 已签发，内容已冻结，不能修改` });
    if (Number(n.version) !== input.version)
      throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: Number(n.version) } });
    const after = {
      addressee: input.addressee ?? n.addressee,
      decision: input.decision ?? n.decision,
      facts: input.facts ?? n.facts,
      reasons: input.reasons ?? n.reasons,
    };
    await tx.execute(sql`UPDATE notices SET addressee = ${after.addressee}, decision = ${after.decision}, facts = ${after.facts}, reasons = ${after.reasons},
      version = version + 1 WHERE id = ${id}`);
    await writeAudit(tx, ctx.actor, {
      action: 'notice.edit',
      entityType: 'notice',
      entityId: id,
      regionCode: n.region_code,
      diff: { before: { decision: n.decision, facts: n.facts, reasons: n.reasons }, after },
    });
    return presentNotice((await findNotice(tx, id, ctx.actor.scope))!);
  });
}

function docNoOf(prefix: string, year: number, seq: number) {
  return `${prefix}〔${year}〕${seq}号`;
}

/**
 * Issues a notice: assigns the issuing body's next number for the year, renders the .docx, stores it with its SHA-256
 * as the retained copy (S7), and freezes the text. County notices are issued by county-level users only.
 */
export async function issueNotice(
  ctx: UseCaseContext,
  filesDir: string,
  id: number,
  input: { version: number; issuedOn?: string },
) {
  return inTransaction(ctx.db, async (tx) => {
    const n = await findNotice(tx, id, ctx.actor.scope, true);
    if (!n) throw new AppError('NOT_FOUND');
    if (n.status === 'issued') return presentNotice(n); // double submission: already issued, same answer
    if (Number(n.version) !== input.version)
      throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: Number(n.version) } });
    if (n.issuer_level === 'county' && ctx.actor.regionCode.length > 6) {
      throw new AppError('FORBIDDEN', { detail: '该告知书由县级民政部门签发（S7），乡镇用户不能签发' });
    }
    const issuedOn = input.issuedOn ?? todayCst();
    if (issuedOn > todayCst())
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'issuedOn', code: 'future', message: '签发日期不能晚于今天' }],
      });
    const year = Number(issuedOn.slice(0, 4));
    const seq = await nextDocSeq(tx, n.issuer_code, year);
    const docNo = docNoOf(n.doc_prefix, year, seq);
    const buffer = await renderNoticeDocx({ ...n, docNo, issuerName: n.issuer_name, issuedOn, draft: false });
    const sha256 = createHash('sha256').update(buffer).digest('hex');
    const dir = join(filesDir, 'notices', n.region_code.slice(0, 6));
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${id}-${sha256.slice(0, 16)}.docx`);
    await writeFile(path, buffer);
    await tx.execute(sql`UPDATE notices SET status = 'issued', doc_year = ${year}, doc_seq = ${seq}, doc_no = ${docNo}, issued_on = ${issuedOn}::date,
      sha256 = ${sha256}, path = ${path}, version = version + 1 WHERE id = ${id}`);
    await tx.execute(sql`INSERT INTO case_events (case_id, region_code, action, detail, actor_id, actor_name)
      VALUES (${n.case_id}, ${n.region_code}, 'notice.issue', ${JSON.stringify({ noticeId: id, docNo, kind: n.kind })}::jsonb, ${ctx.actor.id}, ${ctx.actor.username})`);
    await writeAudit(tx, ctx.actor, {
      action: 'notice.issue',
      entityType: 'notice',
      entityId: id,
      regionCode: n.region_code,
      diff: { docNo, sha256, kind: n.kind },
    });
    return presentNotice((await findNotice(tx, id, ctx.actor.scope))!);
  });
}

/** The .docx: the retained copy once issued (checked against its SHA-256), a marked preview while a draft. */
export async function noticeFile(ctx: UseCaseContext, id: number) {
  const n = await findNotice(ctx.db, id, ctx.actor.scope);
  if (!n) throw new AppError('NOT_FOUND');
  const name = `${n.title}${n.doc_no ? `-${n.doc_no}` : '-草稿'}.docx`;
  if (n.status === 'issued' && n.path) {
    const buffer = await readFile(n.path);
    if (createHash('sha256').update(buffer).digest('hex') !== n.sha256) {
      throw new AppError('FILE_INVALID', { detail: '留存的告知书文件与签发时的哈希值不一致，文件可能被篡改' });
    }
    return { buffer, name };
  }
  const buffer = await renderNoticeDocx({
    ...n,
    docNo: n.doc_no,
    issuedOn: n.issued_on,
    issuerName: n.issuer_name,
    draft: true,
  });
  return { buffer, name };
}

/** Delivery (送达): method, date and the receipt scan (an archive material of the same case). */
export async function recordDelivery(
  ctx: UseCaseContext,
  id: number,
  input: { version: number; method: string; deliveredOn: string; receiptMaterialId?: number },
) {
  return inTransaction(ctx.db, async (tx) => {
    const n = await findNotice(tx, id, ctx.actor.scope, true);
    if (!n) throw new AppError('NOT_FOUND');
    if (n.status !== 'issued') throw new AppError('INVALID_STATE', { detail: '告知书须先签发，才能登记送达' });
    if (Number(n.version) !== input.version)
      throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: Number(n.version) } });
    if (input.deliveredOn < n.issued_on! || input.deliveredOn > todayCst()) {
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'deliveredOn', code: 'out_of_range', message: '送达日期应在签发日期与今天之间' }],
      });
    }
    if (input.receiptMaterialId) {
      const m = await first(
        tx,
        sql`SELECT 1 FROM case_materials WHERE id = ${input.receiptMaterialId} AND case_id = ${n.case_id}`,
      );
      if (!m)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'receiptMaterialId', code: 'not_found', message: '送达回执须为本案已上传的材料' }],
        });
    }
    await tx.execute(sql`UPDATE notices SET delivery_method = ${input.method}, delivered_on = ${input.deliveredOn}::date,
      receipt_material_id = ${input.receiptMaterialId ?? null}, version = version + 1 WHERE id = ${id}`);
    await writeAudit(tx, ctx.actor, {
      action: 'notice.deliver',
      entityType: 'notice',
      entityId: id,
      regionCode: n.region_code,
      diff: { method: input.method, deliveredOn: input.deliveredOn },
    });
    return presentNotice((await findNotice(tx, id, ctx.actor.scope))!);
  });
}
