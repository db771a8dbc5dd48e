/**
 * API clients at the door: the OAuth 2.0 token grant, bearer token → client (with a short-lived cache), the
 * per-client rate limit, and the call log entry every client call writes.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Database, Db } from '../../db/client.js';
import { sha256, verifyPassword } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { type MaskRule, platformRule } from './export.js';
import * as repo from './repo.js';
import type { ApiClientRecord, CallLogEntry } from './repo.js';

export const TOKEN_SECONDS = 3600;

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
 * Records one call of an authenticated client (its id and address filled in); resolves once the row is committed.
 */
export function logClientCall(
  cc: Pick<ClientContext, 'db' | 'client' | 'ip'>,
  call: Omit<CallLogEntry, 'clientPk' | 'clientId' | 'ip'>,
): Promise<void> {
  return repo.logCall(cc.db, { clientPk: Number(cc.client.id), clientId: cc.client.client_id, ...call, ip: cc.ip });
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
    await logClientCall(
      { db: database.db, client, ip: req.ip },
      {
        operation: req.routeOptions.url ?? req.url,
        transactionId: null,
        purpose: null,
        request: null,
        status: 429,
        resultCount: 0,
        personIds: [],
      },
    );
    throw new AppError('RATE_LIMITED');
  }
  let rule = rules.get(client.platform);
  if (!rule) {
    rule = (await platformRule(database, client.platform))!;
    rules.set(client.platform, rule);
  }
  return { db: database.db, client, rule, ip: req.ip };
}
