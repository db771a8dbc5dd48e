import { type SQL, sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role_code: string;
  role_name: string;
  region_code: string;
  region_name: string;
  status: 'active' | 'disabled';
  must_change_password: boolean;
  failed_logins: number;
  locked_until: string | null;
  is_locked: boolean;
  is_demo: boolean;
  version: number;
  last_login_at: string | null;
  created_at: string;
}

const SELECT = sql`SELECT u.id, u.username, u.display_name, u.password_hash, u.role_code, ro.name_zh AS role_name,
    u.region_code, rg.name AS region_name, u.status, u.must_change_password, u.failed_logins, u.locked_until,
    coalesce(u.locked_until > now(), false) AS is_locked, u.is_demo, u.version, u.last_login_at, u.created_at
  FROM users u JOIN roles ro ON ro.code = u.role_code JOIN regions rg ON rg.code = u.region_code`;

export function findUserByUsername(db: Db, username: string) {
  return first<UserRecord>(db, sql`${SELECT} WHERE lower(u.username) = lower(${username})`);
}

export function findUserInScope(db: Db, id: number, scope: Scope) {
  return first<UserRecord>(db, sql`${SELECT} WHERE u.id = ${id} AND ${inScope(sql`u.region_code`, scope)}`);
}

export interface UserFilter {
  regionCode?: string;
  role?: string;
  status?: string;
  q?: string;
  after?: number;
  limit: number;
}

export function listUsers(db: Db, scope: Scope, f: UserFilter) {
  const conds: SQL[] = [inScope(sql`u.region_code`, scope)];
  if (f.regionCode) conds.push(sql`u.region_code LIKE ${`${f.regionCode}%`}`);
  if (f.role) conds.push(sql`u.role_code = ${f.role}`);
  if (f.status) conds.push(sql`u.status = ${f.status}`);
  if (f.q) conds.push(sql`(u.username ILIKE ${`%${f.q}%`} OR u.display_name LIKE ${`%${f.q}%`})`);
  if (f.after !== undefined) conds.push(sql`u.id > ${f.after}`);
  return rows<UserRecord>(db, sql`${SELECT} WHERE ${sql.join(conds, sql` AND `)} ORDER BY u.id LIMIT ${f.limit + 1}`);
}

export async function insertUser(
  db: Db,
  u: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: string;
    regionCode: string;
    isDemo?: boolean;
    mustChange?: boolean;
  },
): Promise<number> {
  const [r] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO users (username, display_name, password_hash, role_code, region_code, is_demo, must_change_password)
        VALUES (${u.username}, ${u.displayName}, ${u.passwordHash}, ${u.role}, ${u.regionCode}, ${u.isDemo ?? false},
                ${u.mustChange ?? true})
        RETURNING id`,
  );
  return Number(r!.id);
}

/** Applies `set` only when the stored version matches; returns the new version or null on a stale write. */
export async function updateUserVersioned(db: Db, id: number, version: number, set: SQL): Promise<number | null> {
  const r = await first<{ version: number }>(
    db,
    sql`UPDATE users SET ${set}, version = version + 1, updated_at = now()
        WHERE id = ${id} AND version = ${version} RETURNING version`,
  );
  return r ? Number(r.version) : null;
}

export async function deleteSessionsOf(db: Db, userId: number) {
  await db.execute(sql`DELETE FROM sessions WHERE user_id = ${userId}`);
}
