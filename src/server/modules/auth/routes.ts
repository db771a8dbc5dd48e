import { sql } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Ok } from '../../../contracts/common.js';
import { ChangePasswordRequest, LoginRequest, Me } from '../../../contracts/platform.js';
import { rows } from '../../db/client.js';
import { actorForUser, SESSION_COOKIE } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { type App, actorOf, typed } from '../../platform/http.js';
import { RateLimiter } from '../../platform/rate-limit.js';
import { changeOwnPassword, describeMe, login, logout } from './service.js';

export const DEMO_PASSWORD = 'Jiuzhu@Demo2026';

export async function demoAccounts(app: App) {
  return rows<{
    username: string;
    role: string;
    role_name: string;
    region_code: string;
    region_name: string;
    display_name: string;
  }>(
    app.database.db,
    sql`SELECT u.username, u.role_code AS role, ro.name_zh AS role_name, u.region_code, rg.name AS region_name, u.display_name
        FROM users u JOIN roles ro ON ro.code = u.role_code JOIN regions rg ON rg.code = u.region_code
        WHERE u.is_demo AND u.status = 'active' ORDER BY u.id`,
  );
}

export async function authRoutes(app: App) {
  const r = typed(app);
  // Failed sign-ins per client address: 20 in 10 minutes, then 429 (on top of the per-account lockout).
  const failuresPerIp = new RateLimiter(20, 10 * 60_000);
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: app.config.secureCookies,
      path: '/',
      maxAge: app.config.sessionMaxHours * 3600,
    });

  r.post(
    '/v1/auth/login',
    {
      config: { access: { public: true } },
      schema: { tags: ['auth'], summary: '登录（连续 5 次失败临时锁定）', body: LoginRequest, response: { 200: Me } },
    },
    async (req, reply) => {
      if (!failuresPerIp.allows(req.ip)) throw new AppError('RATE_LIMITED');
      const res = await login(app.database.db, {
        ...req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        requestId: req.id,
        sessionMaxHours: app.config.sessionMaxHours,
      }).catch((e: unknown) => {
        if (e instanceof AppError && (e.code === 'INVALID_CREDENTIALS' || e.code === 'ACCOUNT_LOCKED'))
          failuresPerIp.take(req.ip);
        throw e;
      });
      setCookie(reply, res.token);
      const actor = await actorForUser(app.database.db, res.user, req.id);
      const demo = (await demoAccounts(app)).length > 0;
      return describeMe(
        app.database.db,
        actor,
        res.csrfToken,
        res.user.must_change_password,
        demo,
        app.config.sessionIdleMinutes,
      );
    },
  );

  r.post(
    '/v1/auth/logout',
    { config: { access: { public: true } }, schema: { tags: ['auth'], summary: '退出登录', response: { 200: Ok } } },
    async (req, reply) => {
      await logout(app.database.db, req.actor, req.session?.tokenHash ?? null);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/v1/auth/me',
    {
      config: { access: { authenticated: true, allowPasswordChange: true } },
      schema: { tags: ['auth'], summary: '当前用户、角色权限与 CSRF 令牌', response: { 200: Me } },
    },
    async (req) => {
      const demo = (await demoAccounts(app)).length > 0;
      return describeMe(
        app.database.db,
        actorOf(req),
        req.session!.csrfToken,
        req.session!.mustChangePassword,
        demo,
        app.config.sessionIdleMinutes,
      );
    },
  );

  r.post(
    '/v1/auth/change-password',
    {
      config: { access: { authenticated: true, allowPasswordChange: true } },
      schema: {
        tags: ['auth'],
        summary: '修改本人密码（首次登录必须修改）',
        body: ChangePasswordRequest,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await changeOwnPassword(
        app.database.db,
        actorOf(req),
        { ...req.body, keepSession: req.session!.tokenHash },
        req.locale,
      );
      return { ok: true as const };
    },
  );

  r.get(
    '/v1/auth/demo-accounts',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: '演示账号列表（仅演示模式；生产环境为空）',
        response: {
          200: z.object({
            demo: z.boolean(),
            password: z.string().nullable(),
            accounts: z.array(
              z.object({
                username: z.string(),
                role: z.string(),
                roleName: z.string(),
                regionCode: z.string(),
                regionName: z.string(),
                displayName: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      if (app.config.env === 'production') return { demo: false, password: null, accounts: [] };
      const list = await demoAccounts(app);
      return {
        demo: list.length > 0,
        password: list.length > 0 ? DEMO_PASSWORD : null,
        accounts: list.map((a) => ({
          username: a.username,
          role: a.role,
          roleName: a.role_name,
          regionCode: a.region_code,
          regionName: a.region_name,
          displayName: a.display_name,
        })),
      };
    },
  );
}
