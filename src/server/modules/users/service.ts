import { sql } from 'drizzle-orm';
import { checkPassword } from '../../../domain/security/password.js';
import { type Db, first } from '../../db/client.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth.js';
import type { Actor, UseCaseContext } from '../../platform/context.js';
import { decodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError, type Locale } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { findRegion } from '../regions/repo.js';
import {
  deleteSessionsOf,
  findUserByUsername,
  findUserInScope,
  insertUser,
  listUsers as listUsersRepo,
  type UserFilter,
  type UserRecord,
  updateUserVersioned,
} from './repo.js';

export function presentUser(u: UserRecord) {
  return {
    id: Number(u.id),
    username: u.username,
    displayName: u.display_name,
    role: u.role_code,
    roleName: u.role_name,
    regionCode: u.region_code,
    regionName: u.region_name,
    status: u.status,
    mustChangePassword: u.must_change_password,
    lockedUntil: u.is_locked ? iso(u.locked_until) : null,
    lastLoginAt: iso(u.last_login_at),
    isDemo: u.is_demo,
    version: Number(u.version),
    createdAt: iso(u.created_at)!,
  };
}

/** Password rules → 400 WEAK_PASSWORD naming the field and every unmet rule. */
export function assertStrongPassword(password: string, username: string, field: string, locale: Locale) {
  const problems = checkPassword(password, username);
  if (problems.length) {
    throw new AppError('WEAK_PASSWORD', {
      fields: problems.map((p) => ({ field, code: p.code, message: locale === 'en' ? p.en : p.zh })),
    });
  }
}

async function assertAssignableRegion(db: Db, actor: Actor, regionCode: string) {
  const region = await findRegion(db, regionCode);
  if (!region || region.retired_in) {
    throw new AppError('REGION_NOT_FOUND', {
      fields: [{ field: 'regionCode', code: 'not_found', message: `行政区划代码 ${regionCode} 不存在` }],
    });
  }
  if (!codeInScope(regionCode, actor.scope)) {
    throw new AppError('REGION_OUT_OF_SCOPE', {
      fields: [{ field: 'regionCode', code: 'out_of_scope', message: `区划 ${regionCode} 不在您的管辖范围内` }],
    });
  }
}

async function assertRoleExists(db: Db, role: string) {
  const r = await first(db, sql`SELECT 1 FROM roles WHERE code = ${role}`);
  if (!r)
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'role', code: 'unknown_role', message: `角色 ${role} 不存在` }],
    });
}

export async function createUser(
  ctx: UseCaseContext,
  input: { username: string; displayName: string; role: string; regionCode: string; initialPassword: string },
) {
  assertStrongPassword(input.initialPassword, input.username, 'initialPassword', ctx.locale);
  const passwordHash = await hashPassword(input.initialPassword);
  return inTransaction(ctx.db, async (tx) => {
    await assertRoleExists(tx, input.role);
    await assertAssignableRegion(tx, ctx.actor, input.regionCode);
    if (await findUserByUsername(tx, input.username)) {
      throw new AppError('DUPLICATE', {
        detail: `用户名 ${input.username} 已被使用`,
        fields: [{ field: 'username', code: 'duplicate', message: `用户名 ${input.username} 已被使用` }],
      });
    }
    const id = await insertUser(tx, { ...input, passwordHash });
    const user = (await findUserInScope(tx, id, ctx.actor.scope))!;
    await writeAudit(tx, ctx.actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      regionCode: input.regionCode,
      diff: diffOf(null, {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        regionCode: input.regionCode,
      }),
    });
    return presentUser(user);
  });
}

export async function getUser(ctx: UseCaseContext, id: number) {
  const u = await findUserInScope(ctx.db, id, ctx.actor.scope);
  if (!u) throw new AppError('NOT_FOUND');
  return presentUser(u);
}

export async function listUsers(ctx: UseCaseContext, q: Omit<UserFilter, 'after'> & { cursor?: string }) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const c = decodeCursor(q.cursor, 1);
  const fetched = await listUsersRepo(ctx.db, ctx.actor.scope, { ...q, after: c ? Number(c[0]) : undefined });
  return pageOf(fetched, q.limit, (u) => [Number(u.id)], presentUser);
}

async function versionedChange(
  ctx: UseCaseContext,
  id: number,
  version: number,
  action: string,
  change: (
    tx: Db,
    before: UserRecord,
  ) => Promise<{
    set: import('drizzle-orm').SQL;
    after: Record<string, unknown>;
    before: Record<string, unknown>;
    dropSessions?: boolean;
  }>,
) {
  return inTransaction(ctx.db, async (tx) => {
    const before = await findUserInScope(tx, id, ctx.actor.scope);
    if (!before) throw new AppError('NOT_FOUND');
    if (Number(before.version) !== version)
      throw new AppError('VERSION_CONFLICT', { extra: { currentVersion: Number(before.version) } });
    const c = await change(tx, before);
    const v = await updateUserVersioned(tx, id, version, c.set);
    if (v === null) throw new AppError('VERSION_CONFLICT');
    if (c.dropSessions) await deleteSessionsOf(tx, id);
    await writeAudit(tx, ctx.actor, {
      action,
      entityType: 'user',
      entityId: id,
      regionCode: before.region_code,
      diff: diffOf(c.before, c.after),
    });
    return presentUser((await findUserInScope(tx, id, ctx.actor.scope))!);
  });
}

export function updateUser(
  ctx: UseCaseContext,
  id: number,
  input: { displayName?: string; role?: string; regionCode?: string; version: number },
) {
  return versionedChange(ctx, id, input.version, 'user.update', async (tx, b) => {
    if (input.role) await assertRoleExists(tx, input.role);
    if (input.regionCode) await assertAssignableRegion(tx, ctx.actor, input.regionCode);
    const after = {
      displayName: input.displayName ?? b.display_name,
      role: input.role ?? b.role_code,
      regionCode: input.regionCode ?? b.region_code,
    };
    const changedAccess = after.role !== b.role_code || after.regionCode !== b.region_code;
    return {
      set: sql`display_name = ${after.displayName}, role_code = ${after.role}, region_code = ${after.regionCode}`,
      before: { displayName: b.display_name, role: b.role_code, regionCode: b.region_code },
      after,
      dropSessions: changedAccess,
    };
  });
}

export function setUserStatus(ctx: UseCaseContext, id: number, version: number, status: 'active' | 'disabled') {
  if (status === 'disabled' && ctx.actor.id === id) {
    throw new AppError('INVALID_STATE', { detail: '不能停用自己的账号' });
  }
  return versionedChange(ctx, id, version, status === 'disabled' ? 'user.disable' : 'user.enable', async (_tx, b) => ({
    set:
      status === 'active' ? sql`status = 'active', failed_logins = 0, locked_until = NULL` : sql`status = 'disabled'`,
    before: { status: b.status },
    after: { status },
    dropSessions: status === 'disabled',
  }));
}

export async function resetPassword(ctx: UseCaseContext, id: number, version: number, newPassword: string) {
  const target = await findUserInScope(ctx.db, id, ctx.actor.scope);
  if (!target) throw new AppError('NOT_FOUND');
  assertStrongPassword(newPassword, target.username, 'newPassword', ctx.locale);
  const hash = await hashPassword(newPassword);
  return versionedChange(ctx, id, version, 'user.reset_password', async () => ({
    set: sql`password_hash = ${hash}, must_change_password = true, failed_logins = 0, locked_until = NULL`,
    before: { mustChangePassword: target.must_change_password },
    after: { mustChangePassword: true },
    dropSessions: true,
  }));
}
