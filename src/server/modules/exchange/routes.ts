import { z } from 'zod';
import { IdParam } from '../../../contracts/common.js';
import {
  ApiClientCallPage,
  ApiClientCallsQuery,
  ApiClientView,
  ChangesQuery,
  ChangesResponse,
  CreateApiClientRequest,
  CreatedApiClient,
  ExportPlatformView,
  ExportQuery,
  Purpose,
  RegistryPersonRecord,
  SearchRequest,
  SearchResponse,
  TokenRequest,
  TokenResponse,
  UpdateApiClientRequest,
} from '../../../contracts/exchange.js';
import { VersionBody } from '../../../contracts/rosters.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { type App, ctxOf, expectedVersion, setEtag, typed } from '../../platform/http.js';
import { inTransaction } from '../../platform/tx.js';
import { authenticateClient, issueToken } from './client-auth.js';
import { changeFeed } from './change-feed.js';
import {
  apiClientCalls,
  listApiClients,
  rotateApiClientSecret,
  setApiClientStatus,
  updateApiClient,
} from './clients.js';
import { exportScope, jsonLinesStream, listPlatforms, platformRule, xlsxStream } from './export.js';
import { personByIdNumber, search } from './registry-search.js';
import { createApiClient } from './service.js';

const tags = ['exchange'];
const CLIENT_AUTH =
  '（接口客户端：Authorization: Bearer <access_token>，令牌由 /v1/exchange/oauth/token 以 client credentials 换取；每次调用留痕、按客户端限流）';

export async function exchangeRoutes(app: App) {
  const r = typed(app);
  const manage = { access: { permission: 'api_clients.manage' } };

  r.get(
    '/v1/api-clients',
    {
      config: manage,
      schema: { tags, summary: '接口客户端列表', response: { 200: z.object({ items: z.array(ApiClientView) }) } },
    },
    async (req) => listApiClients(ctxOf(req)),
  );
  r.post(
    '/v1/api-clients',
    {
      config: manage,
      schema: {
        tags,
        summary: '登记接口客户端（密钥仅显示一次）',
        body: CreateApiClientRequest,
        response: { 201: CreatedApiClient },
      },
    },
    async (req, reply) => reply.status(201).send(await createApiClient(ctxOf(req), req.body)),
  );
  r.patch(
    '/v1/api-clients/:id',
    {
      config: manage,
      schema: {
        tags,
        summary:
          '修改接口客户端（名称、授权区划、用途、脱敏规则、限流，任选；乐观并发：version；下一次调用即按新设置）',
        params: IdParam,
        body: UpdateApiClientRequest,
        response: { 200: ApiClientView },
      },
    },
    async (req, reply) => {
      const { version, ...changes } = req.body;
      const c = await updateApiClient(ctxOf(req), req.params.id, expectedVersion(req, version), changes);
      setEtag(reply, c.version);
      return c;
    },
  );
  r.post(
    '/v1/api-clients/:id/secret',
    {
      config: manage,
      schema: {
        tags,
        summary: '重置接口客户端密钥（新密钥仅显示一次；原密钥与已发令牌立即失效）',
        params: IdParam,
        body: VersionBody,
        response: { 200: CreatedApiClient },
      },
    },
    async (req, reply) => {
      const c = await rotateApiClientSecret(ctxOf(req), req.params.id, expectedVersion(req, req.body.version));
      reply.header('cache-control', 'no-store');
      setEtag(reply, c.version);
      return c;
    },
  );
  r.post(
    '/v1/api-clients/:id/disable',
    {
      config: manage,
      schema: {
        tags,
        summary: '停用接口客户端（令牌立即失效）',
        params: IdParam,
        body: VersionBody,
        response: { 200: ApiClientView },
      },
    },
    async (req) => setApiClientStatus(ctxOf(req), req.params.id, expectedVersion(req, req.body.version), 'disabled'),
  );
  r.post(
    '/v1/api-clients/:id/enable',
    {
      config: manage,
      schema: { tags, summary: '启用接口客户端', params: IdParam, body: VersionBody, response: { 200: ApiClientView } },
    },
    async (req) => setApiClientStatus(ctxOf(req), req.params.id, expectedVersion(req, req.body.version), 'active'),
  );

  r.get(
    '/v1/api-clients/:id/calls',
    {
      config: manage,
      schema: {
        tags,
        summary: '接口客户端调用记录（新的在前，游标分页；只显示请求结构与返回人数）',
        params: IdParam,
        querystring: ApiClientCallsQuery,
        response: { 200: ApiClientCallPage },
      },
    },
    async (req) => apiClientCalls(ctxOf(req), req.params.id, req.query),
  );

  r.get(
    '/v1/exchange/platforms',
    {
      config: { access: { permission: ['exports.run', 'api_clients.manage'] } },
      schema: {
        tags,
        summary: '接收平台及其脱敏规则',
        response: { 200: z.object({ items: z.array(ExportPlatformView) }) },
      },
    },
    async () => ({
      items: (await listPlatforms(app.database)).map((p) => ({
        code: p.code,
        name: p.name,
        idNumber: p.id_number,
        nameRule: p.name_rule,
        phone: p.phone,
        address: p.address,
        note: p.note,
      })),
    }),
  );

  r.get(
    '/v1/exchange/exports',
    {
      config: { access: { permission: 'exports.run' } },
      schema: {
        tags,
        summary: '大数据平台导出（JSON Lines 或 xlsx；全量或自某时刻起增量；按接收平台脱敏；流式）',
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const prefix = exportScope(ctx, req.query.regionCode);
      const rule = await platformRule(app.database, req.query.platform);
      if (!rule)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'platform', code: 'unknown', message: '接收平台不存在' }],
        });
      await inTransaction(ctx.db, (tx) =>
        writeAudit(tx, ctx.actor, {
          action: 'exchange.export',
          entityType: 'export',
          entityId: req.query.platform,
          regionCode: prefix || null,
          diff: {
            format: req.query.format,
            platform: req.query.platform,
            region: prefix,
            since: req.query.since ?? null,
            masking: rule,
          },
        }),
      );
      const opts = { regionPrefix: prefix, since: req.query.since, rule };
      const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
      const name = `jiuzhu-${req.query.platform}-${prefix || 'all'}-${req.query.since ? 'incr' : 'full'}-${stamp}`;
      reply.header('cache-control', 'no-store');
      if (req.query.format === 'xlsx') {
        reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        reply.header('content-disposition', `attachment; filename="${name}.xlsx"`);
        return reply.send(xlsxStream(app.database, opts));
      }
      reply.header('content-type', 'application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}.jsonl"`);
      return reply.send(jsonLinesStream(app.database, opts));
    },
  );

  r.post(
    '/v1/exchange/oauth/token',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: '接口客户端换取访问令牌（OAuth 2.0 client credentials，JSON）',
        body: TokenRequest,
        response: { 200: TokenResponse },
      },
    },
    async (req) => issueToken(app.database.db, req.body, req.ip),
  );
  r.post(
    '/v1/exchange/registry/sync/search',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: `登记信息同步查询（参照 DCI social registry search：transaction_id、search_request[]：idtype-value 或 predicate，分页）${CLIENT_AUTH}`,
        body: SearchRequest,
        response: { 200: SearchResponse },
      },
    },
    async (req) => search(await authenticateClient(app.database, req), req.body),
  );
  r.post(
    '/v1/exchange/registry/persons/lookup',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: `按身份证号查询一人（号码放在请求体中，不进 URL 与日志；授权区域外或不存在 → 404）${CLIENT_AUTH}`,
        body: z.strictObject({
          id_number: z.string().regex(/^\d{17}[\dXx]$/, '身份证号应为18位'),
          purpose: Purpose.optional(),
        }),
        response: { 200: RegistryPersonRecord },
      },
    },
    async (req) => personByIdNumber(await authenticateClient(app.database, req), req.body.id_number, req.body.purpose),
  );
  r.get(
    '/v1/exchange/registry/changes',
    {
      config: { access: { public: true } },
      schema: {
        tags,
        summary: `变更订阅（自某时刻起的新增、修改与删除，游标分页）${CLIENT_AUTH}`,
        querystring: ChangesQuery,
        response: { 200: ChangesResponse },
      },
    },
    async (req) => changeFeed(await authenticateClient(app.database, req), req.query),
  );
}
