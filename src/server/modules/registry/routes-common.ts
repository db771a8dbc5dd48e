import type { FastifyReply, FastifyRequest } from 'fastify';
import { expectedVersion, setEtag } from '../../platform/http.js';

/**
 * What the registry route files share: the URL base, the OpenAPI tag, the access rules, the expected version and the
 * ETag of a versioned answer.
 */

export const base = '/v1/registry';
export const tags = ['registry'];
export const READ = { access: { permission: 'registry.read' } };
export const WRITE = { access: { permission: 'registry.write' } };
export const REVEAL = { access: { permission: 'pii.reveal' } };

/** The body with the version the change expects: If-Match, else the body's `version` (428 when neither is given). */
export function withVersion<B extends { version?: number }>(
  req: FastifyRequest & { body: B },
): B & { version: number } {
  return { ...req.body, version: expectedVersion(req, req.body.version) };
}

/** The expected version when one is given (If-Match or the body's `version`), else null: a first write needs none. */
export function optionalVersion(req: FastifyRequest & { body: { version?: number } }): number | null {
  return req.headers['if-match'] !== undefined || req.body.version !== undefined
    ? expectedVersion(req, req.body.version)
    : null;
}

/** A versioned record as the answer, its version sent as the ETag. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, record: T): T {
  setEtag(reply, record.version);
  return record;
}
