import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { type SQL, sql } from 'drizzle-orm';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import type { Database, Db } from '../../db/client.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import { hashPassword, sha256, verifyPassword } from '../../platform/auth.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { type MaskRule, platformRule } from './export.js';
import * as repo from './repo.js';
import type { ApiClientRecord } from './repo.js';

export const TOKEN_SECONDS = 3600;

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

/**
 * The rules shared by registration and editing, each naming the field: regions inside the admin's area (403
 * REGION_OUT_OF_SCOPE `regionCodes[i]`), no repeated region or purpose (400 `regionCodes[i]` / `purposes[i]`
 * duplicate), regions that exist (400 REGION_NOT_FOUND `regionCodes[i]`). A list left out (an edit) is not checked.
 */
async function assertClientSettings(ctx: UseCaseContext, input: { regionCodes?: string[]; purposes?: string[] }) {
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
const newSecret = () => randomBytes(32).toString('base64url');

/** Registers an API client; the secret is shown once and kept only as an argon2id hash. */
export async function createApiClient(
  ctx: UseCaseContext,
  input: { name: string; regionCodes: string[]; purposes: string[]; platform: string; ratePerMinute: number },
) {
  await assertClientSettings(ctx, input);
  const clientId = `jz_${randomBytes(9).toString('base64url')}`;
  const secret = newSecret();
  const secretHash = await hashPassword(secret);
  return inTransaction(ctx.db, async (tx) => {
    const id = await repo.insertApiClient(tx, {
      ...input,
      clientId,
      secretHash,
      regionCode: ctx.actor.regionCode,
      by: ctx.actor.id,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'api_client.create',
      entityType: 'api_client',
      entityId: id,
      regionCode: ctx.actor.regionCode,
      diff: {
        clientId,
        name: input.name,
        regionCodes: input.regionCodes,
        purposes: input.purposes,
        platform: input.platform,
        ratePerMinute: input.ratePerMinute,
      },
    });
    const c = (await repo.findApiClient(tx, id, ctx.actor.scope))!;
    return { ...presentClient(c), clientSecret: secret };
  });
}

export async function listApiClients(ctx: UseCaseContext) {
  return { items: (await repo.listApiClients(ctx.db, ctx.actor.scope)).map(presentClient) };
}

export async function setApiClientStatus(
  ctx: UseCaseContext,
  id: number,
  version: number,
  status: 'active' | 'disabled',
) {
  const out = await inTransaction(ctx.db, async (tx) => {
    const c = await loadForChange(tx, ctx, id, version);
    if (!(await repo.setApiClientStatus(tx, id, version, status))) throw new AppError('VERSION_CONFLICT');
    forgetClientTokens(id);
    await writeAudit(tx, ctx.actor, {
      action: `api_client.${status === 'active' ? 'enable' : 'disable'}`,
      entityType: 'api_client',
      entityId: id,
      regionCode: c.region_code,
      diff: { status: [c.status, status] },
    });
    return presentClient((await repo.findApiClient(tx, id, ctx.actor.scope))!);
  });
  forgetClientTokens(id); // again after the commit: a call that read the old row meanwhile must not keep it
  return out;
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
  const out = await inTransaction(ctx.db, async (tx) => {
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
    await writeAudit(tx, ctx.actor, {
      action: 'api_client.update',
      entityType: 'api_client',
      entityId: id,
      regionCode: c.region_code,
      diff,
    });
    return presentClient((await repo.findApiClient(tx, id, ctx.actor.scope))!);
  });
  forgetClientTokens(id);
  return out;
}

/**
 * Rotates a client's secret: a new random secret answered once (kept only as its argon2id hash), every token of the
 * client deleted, audited as `api_client.rotate_secret` (the number of tokens revoked; never the secret).
 */
export async function rotateApiClientSecret(ctx: UseCaseContext, id: number, version: number) {
  const secret = newSecret();
  const secretHash = await hashPassword(secret);
  const out = await inTransaction(ctx.db, async (tx) => {
    const c = await loadForChange(tx, ctx, id, version);
    const revoked = await repo.rotateApiClientSecret(tx, id, version, secretHash);
    if (revoked === null) throw new AppError('VERSION_CONFLICT');
    await writeAudit(tx, ctx.actor, {
      action: 'api_client.rotate_secret',
      entityType: 'api_client',
      entityId: id,
      regionCode: c.region_code,
      diff: { clientId: c.client_id, tokensRevoked: revoked },
    });
    return { ...presentClient((await repo.findApiClient(tx, id, ctx.actor.scope))!), clientSecret: secret };
  });
  forgetClientTokens(id);
  return out;
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

/** OAuth 2.0 client credentials grant: a bearer token valid for an hour (only its SHA-256 is stored). */
export async function issueToken(db: Db, input: { client_id: string; client_secret: string }, ip: string | null) {
  const c = await repo.findApiClientByClientId(db, input.client_id);
  const token = randomBytes(32).toString('base64url');
  const ok =
    c !== undefined &&
    c.status === 'active' &&
    (await verifyPassword(c.secret_hash, input.client_secret)) &&
    // written only if the secret checked is still the client's (a rotation meanwhile → 401)
    (await repo.insertToken(db, sha256(token), Number(c.id), TOKEN_SECONDS, c.secret_hash));
  await repo.logCall(db, {
    clientPk: c ? Number(c.id) : null,
    clientId: input.client_id,
    operation: 'token',
    transactionId: null,
    purpose: null,
    request: null,
    status: ok ? 200 : 401,
    resultCount: 0,
    personIds: [],
    ip,
  });
  if (!ok) throw new AppError('API_CLIENT_UNAUTHORIZED');
  return { access_token: token, token_type: 'Bearer' as const, expires_in: TOKEN_SECONDS, scope: c.purposes.join(' ') };
}

export interface ClientContext {
  db: Db;
  client: ApiClientRecord;
  rule: MaskRule;
  ip: string | null;
}

/**
 * Per-client token bucket (capacity = the client's per-minute budget, refilled continuously): O(1) per call, so a
 * client with a large budget costs no more than a small one.
 */
class TokenBucket {
  private tokens: number;
  private at = Date.now();
  constructor(readonly perMinute: number) {
    this.tokens = perMinute;
  }
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.at) * this.perMinute) / 60_000);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
const buckets = new Map<number, TokenBucket>();
const rules = new Map<string, MaskRule>();

/**
 * Bearer token → active client, remembered for at most TOKEN_CACHE_MS (and never past the token's expiry), so a busy
 * client costs one database round trip per call instead of two. Disabling a client forgets its tokens at once in
 * this process (setApiClientStatus); another server process sees it within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 5_000;
const tokenCache = new Map<string, { client: repo.ApiClientRecord; until: number }>();
/** Bumped by every forgetClientTokens: a lookup that was in flight meanwhile answers its call but is not cached. */
let cacheEpoch = 0;

async function cachedClientForToken(database: Database, tokenHash: string) {
  const now = Date.now();
  const hit = tokenCache.get(tokenHash);
  if (hit && hit.until > now) return hit.client;
  const epoch = cacheEpoch;
  const found = await repo.clientForToken(database.db, tokenHash);
  if (!found) {
    tokenCache.delete(tokenHash);
    return undefined;
  }
  const { expires_ms, ...client } = found;
  if (epoch !== cacheEpoch) return client;
  if (tokenCache.size >= 10_000) tokenCache.clear();
  tokenCache.set(tokenHash, { client, until: Math.min(now + TOKEN_CACHE_MS, Number(expires_ms)) });
  return client;
}

/** Forgets the cached tokens of one client (disabled, enabled, changed, or its secret rotated). */
export function forgetClientTokens(clientPk: number) {
  cacheEpoch++;
  for (const [k, v] of tokenCache) if (Number(v.client.id) === clientPk) tokenCache.delete(k);
}

/** Resolves `Authorization: Bearer …` to an active client and takes one hit of its per-minute budget. */
export async function authenticateClient(database: Database, req: FastifyRequest): Promise<ClientContext> {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+([A-Za-z0-9_-]{20,100})$/.exec(h) : null;
  if (!m) throw new AppError('API_CLIENT_UNAUTHORIZED');
  const client = await cachedClientForToken(database, sha256(m[1]!));
  if (!client) throw new AppError('API_CLIENT_UNAUTHORIZED');
  const pk = Number(client.id);
  let bucket = buckets.get(pk);
  if (!bucket || bucket.perMinute !== Number(client.rate_per_minute)) {
    bucket = new TokenBucket(Number(client.rate_per_minute));
    buckets.set(pk, bucket);
  }
  if (!bucket.take()) {
    await repo.logCall(database.db, {
      clientPk: pk,
      clientId: client.client_id,
      operation: req.routeOptions.url ?? req.url,
      transactionId: null,
      purpose: null,
      request: null,
      status: 429,
      resultCount: 0,
      personIds: [],
      ip: req.ip,
    });
    throw new AppError('RATE_LIMITED');
  }
  let rule = rules.get(client.platform);
  if (!rule) {
    rule = (await platformRule(database, client.platform))!;
    rules.set(client.platform, rule);
  }
  return { db: database.db, client, rule, ip: req.ip };
}

function maskPerson<T extends { id_number: string; name: string }>(rule: MaskRule, p: T): T {
  return {
    ...p,
    id_number: rule.id_number === 'full' ? p.id_number : maskIdNumber(p.id_number),
    name: rule.name_rule === 'full' ? p.name : `${p.name.slice(0, 1)}${'*'.repeat(Math.max(p.name.length - 1, 1))}`,
  };
}

type Expression = {
  attribute_name: string;
  operator: 'eq' | 'lt' | 'le' | 'gt' | 'ge';
  attribute_value: string | number;
};
const OPS: Record<Expression['operator'], SQL> = { eq: sql`=`, lt: sql`<`, le: sql`<=`, gt: sql`>`, ge: sql`>=` };

function badCriteria(ref: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', {
    fields: [{ field: `search_request[${ref}].search_criteria.query`, code: 'invalid', message }],
  });
}

/** A predicate query in SQL. A region outside the client's areas answers 404 (like an unknown id). */
function predicateSql(
  client: ApiClientRecord,
  exprs: Expression[],
  recordType: 'person' | 'household',
  ref: string,
): SQL {
  const t = recordType === 'person' ? sql`p` : sql`h`;
  const hh = recordType === 'person' ? sql`p.household_id` : sql`h.id`;
  const parts: SQL[] = [];
  for (const e of exprs) {
    const v = String(e.attribute_value);
    switch (e.attribute_name) {
      case 'region_code':
        if (e.operator !== 'eq' || !/^\d{2,12}$/.test(v)) badCriteria(ref, 'region_code 只支持 eq 与 2–12 位数字');
        if (!client.region_codes.some((r) => v.startsWith(r) || r.startsWith(v)))
          throw new AppError('NOT_FOUND', { detail: '该行政区划不在接口客户端的授权范围内' });
        parts.push(sql`${t}.region_code LIKE ${`${v}%`}`);
        break;
      case 'programme':
      case 'programme_status':
        if (e.operator !== 'eq') badCriteria(ref, `${e.attribute_name} 只支持 eq`);
        parts.push(
          e.attribute_name === 'programme'
            ? sql`EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = ${hh} AND e.programme = ${v} AND e.status = 'active')`
            : sql`EXISTS (SELECT 1 FROM programme_enrollments e WHERE e.household_id = ${hh} AND e.status = ${v})`,
        );
        break;
      case 'sex':
      case 'name':
      case 'birth_date':
        if (recordType !== 'person') badCriteria(ref, `${e.attribute_name} 只适用于 person`);
        if (e.attribute_name === 'birth_date' && !/^\d{4}-\d{2}-\d{2}$/.test(v))
          badCriteria(ref, 'birth_date 格式应为 YYYY-MM-DD');
        if (e.attribute_name !== 'birth_date' && e.operator !== 'eq') badCriteria(ref, `${e.attribute_name} 只支持 eq`);
        parts.push(
          e.attribute_name === 'birth_date'
            ? sql`p.birth_date ${OPS[e.operator]} ${v}::date`
            : sql`${sql.raw(`p.${e.attribute_name}`)} = ${v}`,
        );
        break;
      case 'household_no':
        if (e.operator !== 'eq') badCriteria(ref, 'household_no 只支持 eq');
        parts.push(recordType === 'person' ? sql`h.household_no = ${v}` : sql`h.household_no = ${v}`);
        break;
    }
  }
  return sql.join(parts, sql` AND `);
}

type SearchBody = {
  header?: { purpose?: string; message_id?: string };
  message: {
    transaction_id: string;
    search_request: {
      reference_id: string;
      timestamp?: string;
      locale?: string;
      search_criteria: {
        reg_type: string;
        reg_record_type: 'person' | 'household';
        query_type: 'idtype-value' | 'predicate';
        query: { type: string; value: string } | Expression[];
        pagination?: { page_size: number; page_number: number };
      };
    }[];
  };
};

function assertPurpose(client: ApiClientRecord, purpose: string | undefined): string {
  const p = purpose ?? client.purposes[0]!;
  if (!client.purposes.includes(p))
    throw new AppError('PURPOSE_NOT_ALLOWED', { detail: `接口客户端未获授权用于「${p}」` });
  return p;
}

/**
 * Synchronous registry search modelled on the DCI social-registry `search`: each search_request item is an
 * `idtype-value` lookup or a `predicate` query, answered with a paginated `search_response` item. Every call is
 * logged (exchange_call_log: client, transaction, purpose, the person ids returned).
 */
export async function search(cc: ClientContext, body: SearchBody) {
  const purpose = assertPurpose(cc.client, body.header?.purpose);
  const regions = cc.client.region_codes;
  const now = new Date().toISOString();
  const personIds: number[] = [];
  const responses = [];
  for (const item of body.message.search_request) {
    const crit = item.search_criteria;
    const size = crit.pagination?.page_size ?? 20;
    const pageNo = crit.pagination?.page_number ?? 1;
    let where: SQL;
    if (crit.query_type === 'idtype-value') {
      if (Array.isArray(crit.query)) badCriteria(item.reference_id, 'idtype-value 查询应为 {type, value}');
      const q = crit.query;
      const v = q.value.trim().toUpperCase();
      where =
        q.type === 'ID_NUMBER' || q.type === 'UIN'
          ? crit.reg_record_type === 'person'
            ? sql`p.id_number = ${v}`
            : sql`h.id = (SELECT household_id FROM persons WHERE id_number = ${v})`
          : q.type === 'HOUSEHOLD_NO'
            ? sql`h.household_no = ${q.value}`
            : /^\d{1,15}$/.test(v)
              ? crit.reg_record_type === 'person'
                ? sql`p.household_id = ${Number(v)}`
                : sql`h.id = ${Number(v)}`
              : badCriteria(item.reference_id, 'HOUSEHOLD_ID 应为数字');
    } else {
      if (!Array.isArray(crit.query)) badCriteria(item.reference_id, 'predicate 查询应为表达式数组');
      where = predicateSql(cc.client, crit.query, crit.reg_record_type, item.reference_id);
    }
    const offset = (pageNo - 1) * size;
    let records: unknown[];
    let total: number;
    if (crit.reg_record_type === 'person') {
      const hits = await repo.searchPersons(cc.db, regions, where, size, offset);
      total = hits[0] ? Number(hits[0].total) : 0;
      records = hits.map(({ total: _t, phone, address, ...p }) => {
        personIds.push(Number(p.person_id));
        return {
          ...maskPerson(cc.rule, p),
          person_id: Number(p.person_id),
          household_id: p.household_id === null ? null : Number(p.household_id),
          address: cc.rule.address === 'full' ? address : null,
          ...(cc.rule.phone === 'omit'
            ? {}
            : {
                phone: cc.rule.phone === 'full' ? phone : phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null,
              }),
          updated_at: iso(p.updated_at)!,
        };
      });
    } else {
      const hits = await repo.searchHouseholds(cc.db, regions, where, size, offset);
      total = hits[0] ? Number(hits[0].total) : 0;
      records = hits.map(({ total: _t, ...h }) => ({
        ...h,
        household_id: Number(h.household_id),
        address: cc.rule.address === 'full' ? h.address : null,
        members: h.members.map((m) => {
          personIds.push(Number(m.person_id));
          return maskPerson(cc.rule, m);
        }),
        updated_at: iso(h.updated_at)!,
      }));
    }
    const found = records.length > 0 || crit.query_type === 'predicate';
    responses.push({
      reference_id: item.reference_id,
      timestamp: now,
      status: found ? ('succ' as const) : ('rjct' as const),
      ...(found
        ? {}
        : {
            status_reason_code: 'rjct.reference_id.not_found',
            status_reason_message: '未找到记录（或不在授权范围内）',
          }),
      data: {
        version: '1.0.0',
        reg_type: crit.reg_type,
        reg_record_type: crit.reg_record_type,
        reg_records: records as never[],
      },
      pagination: { page_size: size, page_number: pageNo, total_count: total },
      locale: item.locale ?? 'zh',
    });
  }
  await repo.logCall(cc.db, {
    clientPk: Number(cc.client.id),
    clientId: cc.client.client_id,
    operation: 'search',
    transactionId: body.message.transaction_id,
    purpose,
    request: body.message.search_request.map((s) => ({
      reference_id: s.reference_id,
      query_type: s.search_criteria.query_type,
      reg_record_type: s.search_criteria.reg_record_type,
    })),
    status: 200,
    resultCount: personIds.length,
    personIds,
    ip: cc.ip,
  });
  const completed = responses.filter((r) => r.status === 'succ').length;
  return {
    header: {
      version: '1.0.0',
      message_id: randomUUID(),
      message_ts: now,
      action: 'on-search' as const,
      status: completed > 0 ? ('succ' as const) : ('rjct' as const),
      total_count: responses.length,
      completed_count: completed,
    },
    message: { transaction_id: body.message.transaction_id, correlation_id: randomUUID(), search_response: responses },
  };
}

/** One person by ID number; outside the client's areas (or unknown) → 404. */
export async function personByIdNumber(cc: ClientContext, idNumber: string, purposeHeader: string | undefined) {
  const purpose = assertPurpose(cc.client, purposeHeader);
  const hits = await repo.searchPersons(
    cc.db,
    cc.client.region_codes,
    sql`p.id_number = ${idNumber.trim().toUpperCase()}`,
    1,
    0,
  );
  await repo.logCall(cc.db, {
    clientPk: Number(cc.client.id),
    clientId: cc.client.client_id,
    operation: 'person',
    transactionId: null,
    purpose,
    request: { idNumber: maskIdNumber(idNumber) },
    status: hits[0] ? 200 : 404,
    resultCount: hits.length,
    personIds: hits.map((h) => Number(h.person_id)),
    ip: cc.ip,
  });
  const p = hits[0];
  if (!p) throw new AppError('NOT_FOUND');
  const { total: _t, phone: _p, address, ...rest } = p;
  return {
    ...maskPerson(cc.rule, rest),
    person_id: Number(p.person_id),
    household_id: p.household_id === null ? null : Number(p.household_id),
    address: cc.rule.address === 'full' ? address : null,
    updated_at: iso(p.updated_at)!,
  };
}

/** The change feed since a timestamp (or a cursor from a previous page). */
export async function changeFeed(cc: ClientContext, q: { since?: string; cursor?: string; limit: number }) {
  const c = decodeCursor(q.cursor, 3) as [string, string, number] | null;
  const since = q.since ?? '1970-01-01T00:00:00Z';
  const list = await repo.changes(cc.db, cc.client.region_codes, since, c, q.limit);
  const more = list.length > q.limit;
  const slice = more ? list.slice(0, q.limit) : list;
  const items = slice.map((x) => {
    let record = x.record;
    if (record && x.entity === 'person') record = maskPerson(cc.rule, record as { id_number: string; name: string });
    return {
      changed_at: x.changed_at,
      entity: x.entity,
      op: x.op,
      id: Number(x.id),
      region_code: x.region_code,
      record,
    };
  });
  await repo.logCall(cc.db, {
    clientPk: Number(cc.client.id),
    clientId: cc.client.client_id,
    operation: 'changes',
    transactionId: null,
    purpose: null,
    request: { since, cursor: q.cursor ?? null },
    status: 200,
    resultCount: items.length,
    personIds: items.filter((i) => i.entity === 'person').map((i) => i.id),
    ip: cc.ip,
  });
  const last = slice[slice.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.changed_at, last.entity, Number(last.id)]) : null };
}

/** Export parameters for a signed-in user: the region filter must lie inside the scope (else 404). */
export function exportScope(ctx: UseCaseContext, regionCode: string | undefined): string {
  assertRegionFilter(regionCode, ctx.actor.scope);
  if (regionCode?.startsWith(ctx.actor.scope.regionCode)) return regionCode;
  return ctx.actor.scope.regionCode;
}
