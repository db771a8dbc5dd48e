import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { Actor, UseCaseContext } from './context.js';
import { AppError, type Locale } from './errors.js';

/**
 * How a route is protected. Every /api route must declare one (checked at registration, see app.ts):
 * - `public`: no session needed (health, login, OpenAPI document);
 * - `permission`: a signed-in user holding any of these permissions;
 * - `authenticated`: any signed-in user (own profile, logout);
 * - `allowPasswordChange`: reachable while a password change is still pending.
 */
export interface RouteAccess {
  public?: boolean;
  authenticated?: boolean;
  permission?: string | string[];
  allowPasswordChange?: boolean;
}

export interface SessionInfo {
  tokenHash: string;
  csrfToken: string;
  mustChangePassword: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionInfo | null;
    locale: Locale;
  }
  interface FastifyInstance {
    database: Database;
    config: Config;
  }
}

export type App = FastifyInstance;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** The signed-in actor of a protected route (the auth hook has already rejected anonymous calls). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

/** Use-case context from a request: root db handle, the actor, the caller's language. */
export function ctxOf(req: FastifyRequest, db?: Db): UseCaseContext {
  return { db: db ?? req.server.database.db, actor: actorOf(req), locale: req.locale };
}

/** Parses an If-Match header (`"3"`, `W/"3"`) or falls back to a body version; 428 when neither is given. */
export function expectedVersion(req: FastifyRequest, bodyVersion?: number): number {
  const h = req.headers['if-match'];
  if (typeof h === 'string' && h.trim() !== '') {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
    if (!m)
      throw new AppError('VALIDATION_FAILED', {
        fields: [{ field: 'If-Match', code: 'invalid', message: 'If-Match 格式应为 "版本号"' }],
      });
    return Number(m[1]);
  }
  if (bodyVersion !== undefined) return bodyVersion;
  throw new AppError('PRECONDITION_REQUIRED');
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('ETag', `"${version}"`);
}
