import { sql } from 'drizzle-orm';
import { type Db, first } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { actorForUser, createSession, hashPassword, permissionsOf, verifyPassword } from '../../platform/auth.js';
import type { Actor } from '../../platform/context.js';
import { AppError, type Locale } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { regionPath } from '../regions/repo.js';
import { findUserByUsername, type UserRecord } from '../users/repo.js';
import { assertStrongPassword } from '../users/service.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
// Verifying against a dummy hash for unknown users keeps response times alike (no username probing).
let dummyHash: Promise<string> | null = null;

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: UserRecord;
}

export async function login(
  db: Db,
  input: {
    username: string;
    password: string;
    ip?: string;
    userAgent?: string;
    requestId?: string;
    sessionMaxHours: number;
  },
): Promise<LoginResult> {
  const user = await findUserByUsername(db, input.username);
  if (!user) {
    dummyHash ??= hashPassword('dummy-password-Not-Used-1');
    await verifyPassword(await dummyHash, input.password);
    await inTransaction(db, (tx) =>
      writeAudit(tx, null, {
        action: 'auth.login_failed',
        entityType: 'user',
        diff: { username: input.username.slice(0, 64), reason: 'unknown_user', ip: input.ip },
      }),
    );
    throw new AppError('INVALID_CREDENTIALS');
  }
  const actorStub = {
    id: Number(user.id),
    username: user.username,
    role: user.role_code,
    requestId: input.requestId,
  } as Actor;
  if (user.is_locked) {
    throw new AppError('ACCOUNT_LOCKED', {
      detail: `连续 ${MAX_FAILED_LOGINS} 次登录失败，账号已锁定，请 ${LOCKOUT_MINUTES} 分钟后再试或联系管理员`,
      extra: { lockedUntil: user.locked_until },
    });
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    const r = await inTransaction(db, async (tx) => {
      const row = await first<{ failed_logins: number; locked: boolean }>(
        tx,
        sql`UPDATE users SET
              failed_logins = CASE WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS} THEN 0 ELSE failed_logins + 1 END,
              locked_until = CASE WHEN failed_logins + 1 >= ${MAX_FAILED_LOGINS}
                                  THEN now() + make_interval(mins => ${LOCKOUT_MINUTES}) ELSE locked_until END
            WHERE id = ${user.id}
            RETURNING failed_logins, coalesce(locked_until > now(), false) AS locked`,
      );
      await writeAudit(tx, actorStub, {
        action: row?.locked ? 'auth.locked' : 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
        regionCode: user.region_code,
        diff: { reason: 'wrong_password', ip: input.ip },
      });
      return row;
    });
    if (r?.locked) {
      throw new AppError('ACCOUNT_LOCKED', {
        detail: `连续 ${MAX_FAILED_LOGINS} 次登录失败，账号已锁定 ${LOCKOUT_MINUTES} 分钟`,
      });
    }
    const left = MAX_FAILED_LOGINS - Number(r?.failed_logins ?? 0);
    throw new AppError('INVALID_CREDENTIALS', {
      detail: `用户名或密码错误，再失败 ${left} 次账号将被临时锁定`,
      detailEn: `Wrong username or password; ${left} attempts left before a temporary lock`,
      extra: { attemptsLeft: left },
    });
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  return inTransaction(db, async (tx) => {
    await tx.execute(
      sql`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = ${user.id}`,
    );
    const s = await createSession(tx, Number(user.id), input.sessionMaxHours, {
      ip: input.ip,
      userAgent: input.userAgent,
    });
    await writeAudit(tx, actorStub, {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      regionCode: user.region_code,
      diff: { ip: input.ip },
    });
    return { token: s.token, csrfToken: s.csrfToken, user };
  });
}

export async function logout(db: Db, actor: Actor | null, tokenHash: string | null) {
  if (!tokenHash) return;
  await inTransaction(db, async (tx) => {
    await tx.execute(sql`DELETE FROM sessions WHERE token_hash = ${tokenHash}`);
    if (actor)
      await writeAudit(tx, actor, {
        action: 'auth.logout',
        entityType: 'user',
        entityId: actor.id,
        regionCode: actor.regionCode,
      });
  });
}

export async function changeOwnPassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: string; newPassword: string; keepSession: string },
  locale: Locale,
) {
  const user = await findUserByUsername(db, actor.username);
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [
        {
          field: 'currentPassword',
          code: 'wrong_password',
          message: locale === 'en' ? 'The current password is wrong' : '当前密码不正确',
        },
      ],
    });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError('WEAK_PASSWORD', {
      fields: [
        {
          field: 'newPassword',
          code: 'SAME_AS_OLD',
          message: locale === 'en' ? 'Choose a new password' : '新密码不能与当前密码相同',
        },
      ],
    });
  }
  assertStrongPassword(input.newPassword, user.username, 'newPassword', locale);
  const hash = await hashPassword(input.newPassword);
  await inTransaction(db, async (tx) => {
    await tx.execute(sql`UPDATE users SET password_hash = ${hash}, must_change_password = false, password_changed_at = now(),
                                          version = version + 1, updated_at = now() WHERE id = ${user.id}`);
    // Other sessions of this user end; the current one stays.
    await tx.execute(sql`DELETE FROM sessions WHERE user_id = ${user.id} AND token_hash <> ${input.keepSession}`);
    await writeAudit(tx, actor, {
      action: 'auth.change_password',
      entityType: 'user',
      entityId: user.id,
      regionCode: user.region_code,
    });
  });
}

export async function describeMe(
  db: Db,
  actor: Actor,
  csrfToken: string,
  mustChangePassword: boolean,
  demo: boolean,
  idle: number,
) {
  const user = (await findUserByUsername(db, actor.username))!;
  const region = await first<{ code: string; name: string; level: number }>(
    db,
    sql`SELECT code, name, level FROM regions WHERE code = ${actor.regionCode}`,
  );
  return {
    user: {
      id: Number(user.id),
      username: user.username,
      displayName: user.display_name,
      role: user.role_code,
      roleName: user.role_name,
      region: {
        code: region!.code,
        name: region!.name,
        level: region!.level,
        path: await regionPath(db, actor.regionCode),
      },
    },
    permissions: await permissionsOf(db, actor.role),
    csrfToken,
    mustChangePassword,
    demo,
    sessionIdleMinutes: idle,
  };
}

export { actorForUser };
