import { z } from 'zod';
import { IdParam, page } from '../../../contracts/common.js';
import {
  CreateUserRequest,
  ResetPasswordRequest,
  RoleView,
  UpdateUserRequest,
  UserListQuery,
  UserView,
} from '../../../contracts/platform.js';
import { sql } from 'drizzle-orm';
import { rows } from '../../db/client.js';
import { type App, ctxOf, expectedVersion, setEtag, typed } from '../../platform/http.js';
import { createUser, getUser, listUsers, resetPassword, setUserStatus, updateUser } from './service.js';

const VersionBody = z.strictObject({ version: z.number().int().positive() });

export async function userRoutes(app: App) {
  const r = typed(app);
  const access = { access: { permission: 'users.manage' } };

  r.get(
    '/v1/users',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: '用户列表（本辖区）',
        querystring: UserListQuery,
        response: { 200: page(UserView) },
      },
    },
    async (req) => listUsers(ctxOf(req), req.query),
  );
  r.post(
    '/v1/users',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: '新建用户（初始密码，首次登录须修改）',
        body: CreateUserRequest,
        response: { 201: UserView },
      },
    },
    async (req, reply) => {
      const u = await createUser(ctxOf(req), req.body);
      setEtag(reply, u.version);
      return reply.status(201).send(u);
    },
  );
  r.get(
    '/v1/users/:id',
    { config: access, schema: { tags: ['users'], summary: '用户详情', params: IdParam, response: { 200: UserView } } },
    async (req, reply) => {
      const u = await getUser(ctxOf(req), req.params.id);
      setEtag(reply, u.version);
      return u;
    },
  );
  r.patch(
    '/v1/users/:id',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: '修改姓名、角色或区划（乐观并发：version）',
        params: IdParam,
        body: UpdateUserRequest,
        response: { 200: UserView },
      },
    },
    async (req, reply) => {
      const u = await updateUser(ctxOf(req), req.params.id, {
        ...req.body,
        version: expectedVersion(req, req.body.version),
      });
      setEtag(reply, u.version);
      return u;
    },
  );
  r.post(
    '/v1/users/:id/disable',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: '停用用户（立即结束其会话）',
        params: IdParam,
        body: VersionBody,
        response: { 200: UserView },
      },
    },
    async (req) => setUserStatus(ctxOf(req), req.params.id, expectedVersion(req, req.body.version), 'disabled'),
  );
  r.post(
    '/v1/users/:id/enable',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: '启用用户并解除锁定',
        params: IdParam,
        body: VersionBody,
        response: { 200: UserView },
      },
    },
    async (req) => setUserStatus(ctxOf(req), req.params.id, expectedVersion(req, req.body.version), 'active'),
  );
  r.post(
    '/v1/users/:id/reset-password',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: '重置密码（下次登录须修改）',
        params: IdParam,
        body: ResetPasswordRequest,
        response: { 200: UserView },
      },
    },
    async (req) =>
      resetPassword(ctxOf(req), req.params.id, expectedVersion(req, req.body.version), req.body.newPassword),
  );
  r.get(
    '/v1/roles',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['users'], summary: '角色及其权限', response: { 200: z.object({ items: z.array(RoleView) }) } },
    },
    async () => {
      const list = await rows<{
        code: string;
        name_zh: string;
        name_en: string;
        description: string;
        read_only: boolean;
        permissions: string[] | null;
      }>(
        app.database.db,
        sql`SELECT r.code, r.name_zh, r.name_en, r.description, r.read_only,
                 array_remove(array_agg(p.permission ORDER BY p.permission), NULL) AS permissions
          FROM roles r LEFT JOIN role_permissions p ON p.role_code = r.code GROUP BY r.code ORDER BY r.code`,
      );
      return {
        items: list.map((x) => ({
          code: x.code,
          nameZh: x.name_zh,
          nameEn: x.name_en,
          description: x.description,
          readOnly: x.read_only,
          permissions: x.permissions ?? [],
        })),
      };
    },
  );
}
