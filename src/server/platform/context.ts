import type { Db } from '../db/client.js';
import type { Locale } from './errors.js';
import type { Scope } from './scope.js';

/** Who is acting: the signed-in user (or a CLI operator), with role, permissions and area. */
export interface Actor {
  id: number | null;
  username: string;
  role: string;
  regionCode: string;
  scope: Scope;
  permissions: ReadonlySet<string>;
  requestId?: string;
}

/** What every use-case function receives. */
export interface UseCaseContext {
  db: Db;
  actor: Actor;
  locale: Locale;
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has(permission);
}
