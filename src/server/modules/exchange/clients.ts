/**
 * API client administration (permission api_clients.manage): the view of a client, the rules its settings follow,
 * listing, enabling and disabling, editing, secret rotation, and the call log. Registration is in service.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { forgetClientTokens } from './client-auth.js';
import * as repo from './repo.js';
import type { ApiClientRecord } from './repo.js';

export function presentClient(c: ApiClientRecord) {
  return {
    id: Number(c.id),
    clientId: c.client_id,
    name: c.name,
    regionCode: c.region_code,
    regionCodes: c.region_codes,
    purposes: c.purposes,
    platform: c.platform,
    ratePerMinute: Number(c.rate_per_minute),
    status: c.status,
    version: Number(c.version),
    createdAt: iso(c.created_at)!,
  };
}

/** The client as it is now in the admin's area, read again in the transaction that changed it. */
export async function reloadClient(tx: Db, ctx: UseCaseContext, id: number) {
  return presentClient((await repo.findApiClient(tx, id, ctx.actor.scope))!);
}

/** Writes the audit entry of a change to a client. */
export function auditClient(
  tx: Db,
  ctx: UseCaseContext,
  change: { action: string; id: number; regionCode: string; diff: Record<string, unknown> },
) {
  return writeAudit(tx, ctx.actor, {
    action: change.action,
    entityType: 'api_client',
    entityId: change.id,
    regionCode: change.regionCode,
    diff: change.diff,
  });
}

/**
 * The rules shared by registration and editing, each naming the field: regions inside the admin's area (403
 * REGION_OUT_OF_SCOPE `regionCodes[i]`), no repeated region or purpose (400 `regionCodes[i]` / `purposes[i]`
 * duplicate), regions that exist (400 REGION_NOT_FOUND `regionCodes[i]`). A list left out (an edit) is not checked.
 */
export async function assertClientSettings(
  ctx: UseCaseContext,
  input: { regionCodes?: string[]; purposes?: string[] },
) {
  const regions = input.regionCodes;
  regions?.forEach((r, i) => {
    if (!codeInScope(r, ctx.actor.scope)) {
      throw new AppError('REGION_OUT_OF_SCOPE', {
        fields: [{ field: `regionCodes[${i}]`, code: 'out_of_scope', message: `区划 ${r} 不在您的管辖范围内` }],
      });
    }
  });
  const dup = (list: string[] | undefined, field: string, what: string) =>
    list?.forEach((v, i) => {
      if (list.indexOf(v) !== i)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: `${field}[${i}]`, code: 'duplicate', message: `${what} ${v} 重复` }],
        });
    });
  dup(regions, 'regionCodes', '区划');
  dup(input.purposes, 'purposes', '用途');
  if (!regions) return;
  const missing = await repo.missingRegions(ctx.db, regions);
  if (missing.length)
    throw new AppError('REGION_NOT_FOUND', {
      fields: missing.map((r) => ({
        field: `regionCodes[${regions.indexOf(r)}]`,
        code: 'not_found',
        message: `行政区划代码 ${r} 不存在`,
      })),
    });
}

/** A new client secret: 32 random bytes, base64url (43 characters). */
export const newSecret = () => randomBytes(32).toString('base64url');

export async function listApiClients(ctx: UseCaseContext) {
  return { items: (await repo.listApiClients(ctx.db, ctx.actor.scope)).map(presentClient) };
}

/** A client of the admin's area (404 otherwise) at the expected version (409 VERSION_CONFLICT otherwise). */
async function loadForChange(tx: Db, ctx: UseCaseContext, id: number, version: number) {
  const c = await repo.findApiClient(tx, id, ctx.actor.scope);
  if (!c) throw new AppError('NOT_FOUND');
  if (Number(c.version) !== version)
    throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: Number(c.version) } });
  return c;
}

/**
 * Runs a change of a client in a transaction, then forgets the client's cached tokens — after the commit, so that a
 * call that read the old row meanwhile does not keep it.
 */
async function changeClient<T>(ctx: UseCaseContext, id: number, change: (tx: Db) => Promise<T>): Promise<T> {
  const out = await inTransaction(ctx.db, change);
  forgetClientTokens(id);
  return out;
}

export async function setApiClientStatus(
  ctx: UseCaseContext,
  id: number,
  version: number,
  status: 'active' | 'disabled',
) {
  return changeClient(ctx, id, async (tx) => {
    const c = await loadForChange(tx, ctx, id, version);
    if (!(await repo.setApiClientStatus(tx, id, version, status))) throw new AppError('VERSION_CONFLICT');
    forgetClientTokens(id);
    await auditClient(tx, ctx, {
      action: `api_client.${status === 'active' ? 'enable' : 'disable'}`,
      id,
      regionCode: c.region_code,
      diff: { status: [c.status, status] },
    });
    return reloadClient(tx, ctx, id);
  });
}

/**
 * Changes a client's name, regions, purposes, masking platform or rate (any subset; the same rules as
 * registration). Tokens keep no scope of their own — every call reads the client row — so the next call of the
 * client, with a token issued before or after, gets the new regions, purposes, masking and rate; this process forgets
 * its cached tokens at once, other server processes within TOKEN_CACHE_MS. Audited with the changed fields only
 * (`api_client.update`, { field: [before, after] }); an edit that changes nothing writes nothing.
 */
export async function updateApiClient(
  ctx: UseCaseContext,
  id: number,
  version: number,
  input: { name?: string; regionCodes?: string[]; purposes?: string[]; platform?: string; ratePerMinute?: number },
) {
  await assertClientSettings(ctx, input);
  return changeClient(ctx, id, async (tx) => {
    const c = await loadForChange(tx, ctx, id, version);
    const before = {
      name: c.name,
      regionCodes: c.region_codes,
      purposes: c.purposes,
      platform: c.platform,
      ratePerMinute: Number(c.rate_per_minute),
    };
    const after = {
      name: input.name ?? before.name,
      regionCodes: input.regionCodes ?? before.regionCodes,
      purposes: input.purposes ?? before.purposes,
      platform: input.platform ?? before.platform,
      ratePerMinute: input.ratePerMinute ?? before.ratePerMinute,
    };
    const diff = diffOf(before, after);
    if (Object.keys(diff).length === 0) return presentClient(c);
    if (!(await repo.updateApiClient(tx, id, version, after))) throw new AppError('VERSION_CONFLICT');
    await auditClient(tx, ctx, { action: 'api_client.update', id, regionCode: c.region_code, diff });
    return reloadClient(tx, ctx, id);
  });
}

/**
 * Rotates a client's secret: a new random secret answered once (kept only as its argon2id hash), every token of the
 * client deleted, audited as `api_client.rotate_secret` (the number of tokens revoked; never the secret).
 */
export async function rotateApiClientSecret(ctx: UseCaseContext, id: number, version: number) {
  const secret = newSecret();
  const secretHash = await hashPassword(secret);
  return changeClient(ctx, id, async (tx) => {
    const c = await loadForChange(tx, ctx, id, version);
    const revoked = await repo.rotateApiClientSecret(tx, id, version, secretHash);
    if (revoked === null) throw new AppError('VERSION_CONFLICT');
    await auditClient(tx, ctx, {
      action: 'api_client.rotate_secret',
      id,
      regionCode: c.region_code,
      diff: { clientId: c.client_id, tokensRevoked: revoked },
    });
    return { ...(await reloadClient(tx, ctx, id)), clientSecret: secret };
  });
}

/**
 * The call log of a client in the admin's area (404 otherwise), newest first, paged by keyset. Every exchange call is
 * logged (exchange_call_log, append-only); the request is kept as its shape only (no ID numbers), and the persons a
 * call returned are counted here — their ids stay in the log for audits.
 */
export async function apiClientCalls(
  ctx: UseCaseContext,
  id: number,
  q: { cursor?: string; limit: number; operation?: string; failedOnly?: 'true' | 'false' },
) {
  const c = await repo.findApiClient(ctx.db, id, ctx.actor.scope);
  if (!c) throw new AppError('NOT_FOUND');
  const cur = decodeCursor(q.cursor, 1);
  const before = cur ? Number(cur[0]) : undefined;
  if (before !== undefined && !Number.isSafeInteger(before))
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'cursor', code: 'invalid_cursor', message: '分页游标无效，请从第一页重新开始' }],
    });
  const [fetched, stats] = await Promise.all([
    repo.callLog(ctx.db, id, { before, operation: q.operation, failedOnly: q.failedOnly === 'true', limit: q.limit }),
    repo.callStats(ctx.db, id),
  ]);
  const page = pageOf(
    fetched,
    q.limit,
    (r) => [Number(r.id)],
    (r) => ({
      id: Number(r.id),
      at: iso(r.at)!,
      operation: r.operation,
      transactionId: r.transaction_id,
      purpose: r.purpose,
      request: r.request ?? null,
      status: Number(r.status),
      resultCount: Number(r.result_count),
      personCount: Number(r.person_count),
      ip: r.ip,
    }),
  );
  return {
    ...page,
    stats: {
      calls: Number(stats?.calls ?? 0),
      failed: Number(stats?.failed ?? 0),
      lastCallAt: iso(stats?.last_at ?? null),
      lastDay: Number(stats?.last_day ?? 0),
    },
  };
}
