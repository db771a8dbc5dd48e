import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import type { Actor } from './context.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  regionCode?: string | null;
  /** Before/after values, or any structured detail (filters of an export, row counts of an import …). */
  diff?: unknown;
}

/** Field-level diff of two flat records: { field: [before, after] } for fields that changed. */
export function diffOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const b = before?.[k] ?? null;
    const a = after?.[k] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = [b, a];
  }
  return out;
}

const AUDIT_LOCK = 4242002;

/**
 * Appends audit rows in the caller's transaction (so the change and its audit commit or roll back together).
 * An advisory transaction lock serialises appenders so the hash chain is linear.
 */
export async function writeAudit(tx: Db, actor: Actor | null, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`);
  for (const e of list) {
    const diff = e.diff === undefined ? null : JSON.stringify(e.diff);
    const entityId = e.entityId === undefined || e.entityId === null ? null : String(e.entityId);
    await tx.execute(sql`
      WITH prev AS (SELECT coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), 'GENESIS') AS h),
           v AS (SELECT nextval(pg_get_serial_sequence('audit_log', 'seq')) AS seq, now() AS at)
      INSERT INTO audit_log (seq, at, actor_id, actor_username, actor_role, action, entity_type, entity_id,
                             region_code, request_id, diff, prev_hash, hash)
      SELECT v.seq, v.at, ${actor?.id ?? null}::bigint, ${actor?.username ?? null}, ${actor?.role ?? null},
             ${e.action}, ${e.entityType}, ${entityId}, ${e.regionCode ?? null}, ${actor?.requestId ?? null},
             ${diff}::jsonb, prev.h,
             audit_row_hash(v.seq, v.at, ${actor?.id ?? null}::bigint, ${actor?.username ?? null}, ${actor?.role ?? null},
               ${e.action}, ${e.entityType}, ${entityId}, ${e.regionCode ?? null}, ${actor?.requestId ?? null},
               ${diff}::jsonb, prev.h)
      FROM v, prev`);
  }
}

export interface ChainBreak {
  seq: number;
  problem: 'altered' | 'broken_link';
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  firstBreak?: ChainBreak;
}

/**
 * Set-based chain verification: recomputes every row's hash and checks each prev_hash against the previous row's
 * hash in seq order. A row edited in place → 'altered'; a deleted or reordered row → 'broken_link' at the next row.
 */
export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  const q: SQL = sql`
    WITH c AS (
      SELECT seq, hash, prev_hash,
             audit_row_hash(seq, at, actor_id, actor_username, actor_role, action, entity_type, entity_id,
                            region_code, request_id, diff, prev_hash) AS expected,
             coalesce(lag(hash) OVER (ORDER BY seq), 'GENESIS') AS expected_prev
      FROM audit_log)
    SELECT (SELECT count(*) FROM c) AS total,
           (SELECT seq FROM c WHERE hash <> expected ORDER BY seq LIMIT 1) AS altered,
           (SELECT seq FROM c WHERE prev_hash <> expected_prev ORDER BY seq LIMIT 1) AS broken`;
  const [r] = await rows<{ total: number; altered: number | null; broken: number | null }>(db, q);
  const total = Number(r?.total ?? 0);
  const altered = r?.altered == null ? null : Number(r.altered);
  const broken = r?.broken == null ? null : Number(r.broken);
  if (altered === null && broken === null) return { ok: true, rows: total };
  const firstIsAltered = altered !== null && (broken === null || altered <= broken);
  const firstBreak: ChainBreak = firstIsAltered
    ? {
        seq: altered!,
        problem: 'altered',
        message: `第 ${altered} 条审计记录的内容被修改 (row ${altered} was altered)`,
      }
    : {
        seq: broken!,
        problem: 'broken_link',
        message: `第 ${broken} 条审计记录之前的记录被删除或调换了顺序 (a row before ${broken} was deleted or reordered)`,
      };
  return { ok: false, rows: total, firstBreak };
}
