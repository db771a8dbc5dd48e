import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../db/client.js';
import type { Actor } from './context.js';
import { AppError } from './errors.js';
import type { RouteAccess } from './http.js';
import { scopeOf } from './scope.js';

export const SESSION_COOKIE = 'jz_sid';
export const CSRF_HEADER = 'x-csrf-token';

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 as Algorithm /* Argon2id */ });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export async function permissionsOf(db: Db, role: string): Promise<string[]> {
  const r = await rows<{ permission: string }>(
    db,
    sql`SELECT permission FROM role_permissions WHERE role_code = ${role} ORDER BY permission`,
  );
  return r.map((x) => x.permission);
}

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role_code: string;
  region_code: string;
  status: string;
  must_change_password: boolean;
}

export async function actorForUser(db: Db, user: UserRow, requestId?: string): Promise<Actor> {
  return {
    id: user.id,
    username: user.username,
    role: user.role_code,
    regionCode: user.region_code,
    scope: scopeOf(user.region_code),
    permissions: new Set(await permissionsOf(db, user.role_code)),
    requestId,
  };
}

export async function createSession(
  db: Db,
  userId: number,
  maxHours: number,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = newToken();
  await db.execute(sql`
    INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip, user_agent)
    VALUES (${sha256(token)}, ${userId}, ${csrfToken}, now() + make_interval(hours => ${maxHours}),
            ${meta.ip ?? null}, ${(meta.userAgent ?? '').slice(0, 300)})`);
  return { token, csrfToken };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The authentication hook: resolves the session cookie into an Actor, enforces the idle timeout, CSRF on every
 * state-changing call, a pending password change and the route's permission. Runs before body validation, so an
 * anonymous caller gets 401 rather than a validation error.
 */
export function installAuth(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req) => {
    const access: RouteAccess | undefined = req.routeOptions.config?.access;
    if (!access || access.public) {
      // Public routes may still use a session (e.g. logout), but never require one.
      if (access?.public) await tryResolve(req, false);
      return;
    }
    const resolved = await tryResolve(req, true);
    if (!resolved) throw new AppError('UNAUTHENTICATED');
    const actor = req.actor!;
    if (!SAFE_METHODS.has(req.method) && !csrfMatches(req.session!.csrfToken, req.headers[CSRF_HEADER])) {
      throw new AppError('CSRF_FAILED');
    }
    if (req.session!.mustChangePassword && !access.allowPasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
    if (access.permission) {
      const needed = Array.isArray(access.permission) ? access.permission : [access.permission];
      if (!needed.some((p) => actor.permissions.has(p))) throw new AppError('FORBIDDEN');
    }
  });
}

async function tryResolve(req: FastifyRequest, strict: boolean): Promise<boolean> {
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) return false;
  const { db } = req.server.database;
  const idle = req.server.config.sessionIdleMinutes;
  const row = await first<
    UserRow & { csrf_token: string; token_hash: string; idle_expired: boolean; abs_expired: boolean; touch: boolean }
  >(
    db,
    sql`SELECT u.id, u.username, u.display_name, u.role_code, u.region_code, u.status, u.must_change_password,
               s.csrf_token, s.token_hash,
               s.last_seen_at < now() - make_interval(mins => ${idle}) AS idle_expired,
               s.expires_at < now() AS abs_expired,
               s.last_seen_at < now() - interval '30 seconds' AS touch
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${sha256(token)}`,
  );
  if (!row) {
    if (strict) throw new AppError('SESSION_EXPIRED');
    return false;
  }
  if (row.idle_expired || row.abs_expired || row.status !== 'active') {
    await db.execute(sql`DELETE FROM sessions WHERE token_hash = ${row.token_hash}`);
    if (!strict) return false;
    throw new AppError(row.status !== 'active' ? 'ACCOUNT_DISABLED' : 'SESSION_EXPIRED', {
      status: row.status !== 'active' ? 401 : undefined,
    });
  }
  if (row.touch) await db.execute(sql`UPDATE sessions SET last_seen_at = now() WHERE token_hash = ${row.token_hash}`);
  req.actor = await actorForUser(db, row, req.id);
  req.session = { tokenHash: row.token_hash, csrfToken: row.csrf_token, mustChangePassword: row.must_change_password };
  return true;
}
