/**
 * API clients, their tokens and the exchange call log (registry reads for the clients are in registry-repo.ts).
 */
import { sql } from 'drizzle-orm';
import { type Db, first, preparedRows, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface ApiClientRecord {
  id: number;
  client_id: string;
  secret_hash: string;
  name: string;
  region_code: string;
  region_codes: string[];
  purposes: string[];
  platform: string;
  rate_per_minute: number;
  status: 'active' | 'disabled';
  version: number;
  created_at: string;
}

const textArray = (list: string[]) =>
  sql`ARRAY[${sql.join(
    list.map((x) => sql`${x}`),
    sql`, `,
  )}]::text[]`;

export async function insertApiClient(
  db: Db,
  c: {
    clientId: string;
    secretHash: string;
    name: string;
    regionCode: string;
    regionCodes: string[];
    purposes: string[];
    platform: string;
    ratePerMinute: number;
    by: number | null;
  },
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO api_clients (client_id, secret_hash, name, region_code, region_codes, purposes, platform, rate_per_minute, created_by)
        VALUES (${c.clientId}, ${c.secretHash}, ${c.name}, ${c.regionCode}, ${textArray(c.regionCodes)},
                ${textArray(c.purposes)}, ${c.platform}, ${c.ratePerMinute}, ${c.by})
        RETURNING id`,
  );
  return Number(r!.id);
}

const cols = sql`id, client_id, secret_hash, name, region_code, region_codes, purposes, platform, rate_per_minute, status, version, created_at::text`;

export async function findApiClient(db: Db, id: number, scope: Scope) {
  return first<ApiClientRecord>(
    db,
    sql`SELECT ${cols} FROM api_clients WHERE id = ${id} AND ${inScope(sql`region_code`, scope)}`,
  );
}

export async function findApiClientByClientId(db: Db, clientId: string) {
  return first<ApiClientRecord>(db, sql`SELECT ${cols} FROM api_clients WHERE client_id = ${clientId}`);
}

export async function listApiClients(db: Db, scope: Scope) {
  return rows<ApiClientRecord>(
    db,
    sql`SELECT ${cols} FROM api_clients WHERE ${inScope(sql`region_code`, scope)} ORDER BY id`,
  );
}

export async function setApiClientStatus(db: Db, id: number, version: number, status: string): Promise<boolean> {
  const r = await first(
    db,
    sql`UPDATE api_clients SET status = ${status}, version = version + 1 WHERE id = ${id} AND version = ${version} RETURNING id`,
  );
  if (r && status === 'disabled') await db.execute(sql`DELETE FROM api_tokens WHERE client_pk = ${id}`);
  return r !== undefined;
}

/**
 * Writes the changed settings of a client and bumps its version, only if the version is still `version` (false
 * otherwise). Tokens keep no scope of their own (clientForToken reads the client row), so they are left alone.
 */
export async function updateApiClient(
  db: Db,
  id: number,
  version: number,
  c: { name: string; regionCodes: string[]; purposes: string[]; platform: string; ratePerMinute: number },
): Promise<boolean> {
  const r = await first(
    db,
    sql`UPDATE api_clients
        SET name = ${c.name}, region_codes = ${textArray(c.regionCodes)}, purposes = ${textArray(c.purposes)},
            platform = ${c.platform}, rate_per_minute = ${c.ratePerMinute}, version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING id`,
  );
  return r !== undefined;
}

/**
 * Replaces the secret hash, bumps the version and deletes every token of the client (null when the version is
 * stale); answers the number of tokens revoked.
 */
export async function rotateApiClientSecret(
  db: Db,
  id: number,
  version: number,
  secretHash: string,
): Promise<number | null> {
  const r = await first(
    db,
    sql`UPDATE api_clients SET secret_hash = ${secretHash}, version = version + 1
        WHERE id = ${id} AND version = ${version} RETURNING id`,
  );
  if (!r) return null;
  const gone = await rows<{ token_hash: string }>(
    db,
    sql`DELETE FROM api_tokens WHERE client_pk = ${id} RETURNING token_hash`,
  );
  return gone.length;
}

/** The codes of the list that are not in the region table. */
export async function missingRegions(db: Db, codes: string[]): Promise<string[]> {
  const found = await rows<{ code: string }>(
    db,
    sql`SELECT code FROM regions WHERE code IN (${sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    )})`,
  );
  const have = new Set(found.map((r) => r.code));
  return codes.filter((c) => !have.has(c));
}

export interface CallLogRecord {
  id: number;
  at: string;
  operation: string;
  transaction_id: string | null;
  purpose: string | null;
  request: unknown;
  status: number;
  result_count: number;
  person_count: number;
  ip: string | null;
}

/** One page of a client's calls, newest first (keyset on id). The ids of the persons returned are counted, not listed. */
export async function callLog(
  db: Db,
  clientPk: number,
  q: { before?: number; operation?: string; failedOnly: boolean; limit: number },
) {
  return rows<CallLogRecord>(
    db,
    sql`SELECT id, at::text, operation, transaction_id, purpose, request, status, result_count,
               coalesce(cardinality(person_ids), 0) AS person_count, ip
        FROM exchange_call_log
        WHERE client_pk = ${clientPk}
          ${q.before === undefined ? sql`` : sql`AND id < ${q.before}`}
          ${q.operation ? sql`AND operation = ${q.operation}` : sql``}
          ${q.failedOnly ? sql`AND status >= 400` : sql``}
        ORDER BY id DESC LIMIT ${q.limit + 1}`,
  );
}

export async function callStats(db: Db, clientPk: number) {
  return first<{ calls: number; failed: number; last_at: string | null; last_day: number }>(
    db,
    sql`SELECT count(*)::int AS calls, count(*) FILTER (WHERE status >= 400)::int AS failed, max(at)::text AS last_at,
               count(*) FILTER (WHERE at > now() - interval '1 day')::int AS last_day
        FROM exchange_call_log WHERE client_pk = ${clientPk}`,
  );
}

/**
 * Stores a token only while the client is still active with the secret that was checked (false otherwise): the row
 * lock waits for a concurrent secret rotation or disabling to commit and then sees its outcome, so a token checked
 * against the old secret is not written after the rotation revoked the client's tokens.
 */
export async function insertToken(
  db: Db,
  tokenHash: string,
  clientPk: number,
  seconds: number,
  secretHash: string,
): Promise<boolean> {
  const r = await first(
    db,
    sql`INSERT INTO api_tokens (token_hash, client_pk, expires_at)
        SELECT ${tokenHash}, c.id, now() + make_interval(secs => ${seconds})
        FROM (SELECT id FROM api_clients
              WHERE id = ${clientPk} AND secret_hash = ${secretHash} AND status = 'active' FOR SHARE) c
        RETURNING token_hash`,
  );
  await db.execute(sql`DELETE FROM api_tokens WHERE client_pk = ${clientPk} AND expires_at < now()`);
  return r !== undefined;
}

export async function clientForToken(db: Db, tokenHash: string) {
  const [r] = await preparedRows<ApiClientRecord & { expires_ms: number }>(
    db,
    sql`SELECT c.id, c.client_id, c.secret_hash, c.name, c.region_code, c.region_codes, c.purposes, c.platform, c.rate_per_minute,
               c.status, c.version, c.created_at::text, (extract(epoch FROM t.expires_at) * 1000)::float8 AS expires_ms
        FROM api_tokens t JOIN api_clients c ON c.id = t.client_pk
        WHERE t.token_hash = ${tokenHash} AND t.expires_at > now() AND c.status = 'active'`,
  );
  return r;
}

export interface CallLogEntry {
  clientPk: number | null;
  clientId: string | null;
  operation: string;
  transactionId: string | null;
  purpose: string | null;
  request: unknown;
  status: number;
  resultCount: number;
  personIds: number[];
  ip: string | null;
}

interface LogQueue {
  pending: Array<{ entry: CallLogEntry; done(): void; fail(e: unknown): void }>;
  flushing: boolean;
}
const queues = new WeakMap<Db, LogQueue>();
const LOG_BATCH = 500;

async function insertCalls(db: Db, entries: CallLogEntry[]) {
  const json = JSON.stringify(
    entries.map((c) => ({
      client_pk: c.clientPk,
      client_id: c.clientId,
      operation: c.operation,
      transaction_id: c.transactionId,
      purpose: c.purpose,
      request: c.request ?? null,
      status: c.status,
      result_count: c.resultCount,
      person_ids: c.personIds,
      ip: c.ip,
    })),
  );
  await preparedRows(
    db,
    sql`INSERT INTO exchange_call_log (client_pk, client_id, operation, transaction_id, purpose, request, status, result_count, person_ids, ip)
        SELECT x.client_pk, x.client_id, x.operation, x.transaction_id, x.purpose, x.request, x.status, x.result_count, x.person_ids, x.ip
        FROM ROWS FROM (jsonb_to_recordset(${json}::jsonb) AS (client_pk bigint, client_id text, operation text,
               transaction_id text, purpose text, request jsonb, status integer, result_count integer, person_ids bigint[], ip text))
             WITH ORDINALITY AS x(client_pk, client_id, operation, transaction_id, purpose, request, status, result_count, person_ids, ip, n)
        ORDER BY x.n`,
  );
}

async function flush(db: Db, q: LogQueue) {
  q.flushing = true;
  try {
    while (q.pending.length) {
      const batch = q.pending.splice(0, LOG_BATCH);
      try {
        await insertCalls(
          db,
          batch.map((b) => b.entry),
        );
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.fail(e);
      }
    }
  } finally {
    q.flushing = false;
  }
}

/**
 * Records one call in exchange_call_log and resolves once the row is committed — the caller answers only after
 * that. Calls arriving while a write is in flight are written together in the next statement (one round trip and
 * one commit for many concurrent calls: group commit), on the same handle they were logged with.
 */
export function logCall(db: Db, c: CallLogEntry): Promise<void> {
  let q = queues.get(db);
  if (!q) {
    q = { pending: [], flushing: false };
    queues.set(db, q);
  }
  const queue = q;
  return new Promise<void>((done, fail) => {
    queue.pending.push({ entry: c, done, fail });
    if (!queue.flushing) void flush(db, queue);
  });
}
