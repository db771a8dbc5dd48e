import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IdParam, page } from '../../../contracts/common.js';
import {
  BankFileQuery,
  BankFileRecord,
  BankLayoutInput,
  BankLayoutPreview,
  BankLayoutPreviewRequest,
  BankLayoutsQuery,
  BankLayoutView,
  BankReturnResult,
  CreateBankLayoutRequest,
  GenerateRosterRequest,
  HoldLineRequest,
  RosterLinesQuery,
  RosterLineView,
  RosterListQuery,
  RosterSummary,
  RosterSummaryQuery,
  RosterTotals,
  RosterView,
  VersionBody,
} from '../../../contracts/rosters.js';
import { AppError } from '../../platform/errors.js';
import { type App, ctxOf, expectedVersion, setEtag, typed } from '../../platform/http.js';
import { bankFile, importBankReturn } from './bank.js';
import {
  createBankLayout,
  listBankLayouts,
  newBankLayoutVersion,
  previewBankLayout,
  rosterBankFiles,
  setBankLayoutStatus,
} from './bank-layouts.js';
import {
  generateRoster,
  getRoster,
  holdLine,
  listRosters,
  regenerateRoster,
  rosterLines,
  rosterSummary,
  rosterTotals,
  transitionRoster,
} from './service.js';

export async function uploadedFile(req: FastifyRequest): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: '请以 multipart/form-data 上传文件' });
  const file = await req.file();
  if (!file) throw new AppError('FILE_INVALID', { detail: '没有收到文件' });
  const data = await file.toBuffer();
  if (data.length === 0) throw new AppError('FILE_INVALID', { detail: '文件为空' });
  return { filename: file.filename, data };
}

const tags = ['rosters'];
const LineParam = z.strictObject({ id: IdParam.shape.id, lineNo: z.coerce.number().int().positive().max(10_000_000) });

export async function rosterRoutes(app: App) {
  const r = typed(app);
  const read = { access: { permission: 'roster.read' } };

  r.get(
    '/v1/rosters',
    {
      config: read,
      schema: {
        tags,
        summary: '发放名册列表（本辖区）',
        querystring: RosterListQuery,
        response: { 200: page(RosterView) },
      },
    },
    async (req) => listRosters(ctxOf(req), req.query),
  );
  r.get(
    '/v1/rosters/summary',
    {
      config: read,
      schema: {
        tags,
        summary: '某月各区县各项目名册汇总',
        querystring: RosterSummaryQuery,
        response: { 200: RosterSummary },
      },
    },
    async (req) => rosterSummary(ctxOf(req), req.query),
  );
  r.get(
    '/v1/rosters/bank-layouts',
    {
      config: { access: { permission: ['roster.read', 'roster.bank_file', 'bank_layouts.manage'] } },
      schema: {
        tags,
        summary: '银行代发文件格式（系统内置、上级与本辖区的当前版本）',
        querystring: BankLayoutsQuery,
        response: { 200: z.object({ items: z.array(BankLayoutView) }) },
      },
    },
    async (req) => listBankLayouts(ctxOf(req), req.query),
  );
  const manageLayouts = { access: { permission: 'bank_layouts.manage' } };
  r.post(
    '/v1/rosters/bank-layouts',
    {
      config: manageLayouts,
      schema: {
        tags,
        summary: '新建银行代发文件格式（属本辖区；列、宽度、编码有误 → 400 并指明列）',
        body: CreateBankLayoutRequest,
        response: { 201: BankLayoutView },
      },
    },
    async (req, reply) => reply.status(201).send(await createBankLayout(ctxOf(req), req.body)),
  );
  r.post(
    '/v1/rosters/bank-layouts/preview',
    {
      config: manageLayouts,
      schema: {
        tags,
        summary: '格式预览：校验问题，或按该格式写出的三笔示例',
        body: BankLayoutPreviewRequest,
        response: { 200: BankLayoutPreview },
      },
    },
    async (req) => previewBankLayout(req.body),
  );
  r.post(
    '/v1/rosters/bank-layouts/:id/versions',
    {
      config: manageLayouts,
      schema: {
        tags,
        summary: '修改格式 = 新版本（旧版本保留不变，已生成的代发文件仍指向旧版本）；id 须为当前版本',
        params: IdParam,
        body: BankLayoutInput,
        response: { 201: BankLayoutView },
      },
    },
    async (req, reply) => reply.status(201).send(await newBankLayoutVersion(ctxOf(req), req.params.id, req.body)),
  );
  for (const [path, status, summary] of [
    ['disable', 'disabled', '停用格式（不再用于生成代发文件）'],
    ['enable', 'active', '重新启用格式'],
  ] as const) {
    r.post(
      `/v1/rosters/bank-layouts/:id/${path}`,
      {
        config: manageLayouts,
        schema: { tags, summary, params: IdParam, response: { 200: BankLayoutView } },
      },
      async (req) => setBankLayoutStatus(ctxOf(req), req.params.id, status),
    );
  }
  r.post(
    '/v1/rosters',
    {
      config: { access: { permission: 'roster.generate' } },
      schema: {
        tags,
        summary: '生成某区县某月某项目的发放名册（草稿）；已存在或正在生成 → 409',
        body: GenerateRosterRequest,
        response: { 201: RosterView },
      },
    },
    async (req, reply) => {
      const roster = await generateRoster(ctxOf(req), req.body);
      setEtag(reply, roster.version);
      return reply.status(201).send(roster);
    },
  );
  r.get(
    '/v1/rosters/:id',
    { config: read, schema: { tags, summary: '名册详情', params: IdParam, response: { 200: RosterView } } },
    async (req, reply) => {
      const roster = await getRoster(ctxOf(req), req.params.id);
      setEtag(reply, roster.version);
      return roster;
    },
  );
  r.get(
    '/v1/rosters/:id/lines',
    {
      config: read,
      schema: {
        tags,
        summary: '名册明细（账号脱敏）',
        params: IdParam,
        querystring: RosterLinesQuery,
        response: { 200: page(RosterLineView) },
      },
    },
    async (req) => rosterLines(ctxOf(req), req.params.id, req.query),
  );
  r.get(
    '/v1/rosters/:id/totals',
    { config: read, schema: { tags, summary: '按乡镇与行类别汇总', params: IdParam, response: { 200: RosterTotals } } },
    async (req) => rosterTotals(ctxOf(req), req.params.id),
  );
  r.post(
    '/v1/rosters/:id/regenerate',
    {
      config: { access: { permission: 'roster.generate' } },
      schema: {
        tags,
        summary: '按当前待遇重新生成草稿（幂等）',
        params: IdParam,
        body: VersionBody,
        response: { 200: RosterView },
      },
    },
    async (req) => regenerateRoster(ctxOf(req), req.params.id, expectedVersion(req, req.body.version)),
  );
  const transitions = [
    ['check', 'checked', 'roster.generate', '复核（有未处理错误时拒绝并列出）'],
    ['approve', 'approved', 'roster.approve', '审批并冻结（有未处理错误时拒绝并列出）'],
    ['send', 'sent', 'roster.send', '标记已报送银行'],
    ['reconcile', 'reconciled', 'roster.reconcile', '对账完成（须每行已有银行回盘结果）'],
  ] as const;
  for (const [path, to, permission, summary] of transitions) {
    r.post(
      `/v1/rosters/:id/${path}`,
      {
        config: { access: { permission } },
        schema: { tags, summary, params: IdParam, body: VersionBody, response: { 200: RosterView } },
      },
      async (req) => transitionRoster(ctxOf(req), req.params.id, expectedVersion(req, req.body.version), to),
    );
  }
  r.post(
    '/v1/rosters/:id/lines/:lineNo/hold',
    {
      config: { access: { permission: 'roster.generate' } },
      schema: {
        tags,
        summary: '暂缓发放某行或取消暂缓（草稿/已复核）',
        params: LineParam,
        body: HoldLineRequest,
        response: { 200: RosterView },
      },
    },
    async (req) => holdLine(ctxOf(req), req.params.id, req.params.lineNo, req.body),
  );
  r.get(
    '/v1/rosters/:id/bank-file',
    {
      config: { access: { permission: 'roster.bank_file' } },
      schema: {
        tags,
        summary: '银行代发文件（完整账号仅出现在此文件中；下载留痕）',
        params: IdParam,
        querystring: BankFileQuery,
      },
    },
    async (req, reply) => {
      const f = await bankFile(ctxOf(req), req.params.id, req.query.layout);
      reply.header('content-type', f.contentType);
      reply.header('content-disposition', `attachment; filename="${f.filename}"`);
      reply.header('cache-control', 'no-store');
      return reply.send(f.body);
    },
  );
  r.get(
    '/v1/rosters/:id/bank-files',
    {
      config: { access: { permission: ['roster.read', 'roster.bank_file'] } },
      schema: {
        tags,
        summary: '本名册已生成的代发文件记录（格式及版本、笔数、金额、文件摘要；不含账号）',
        params: IdParam,
        response: { 200: z.object({ items: z.array(BankFileRecord) }) },
      },
    },
    async (req) => rosterBankFiles(ctxOf(req), req.params.id),
  );
  r.post(
    '/v1/rosters/:id/bank-return',
    {
      config: { access: { permission: 'roster.reconcile' } },
      schema: {
        tags,
        summary: '导入银行回盘文件：失败行生成补发名册；账号未知、合计不符、月份或区县不符 → 报告，不处理',
        params: IdParam,
        consumes: ['multipart/form-data'],
        response: { 200: BankReturnResult },
      },
    },
    async (req) => {
      const file = await uploadedFile(req);
      const res = await importBankReturn(ctxOf(req), req.params.id, file);
      if (res.rejected) throw new AppError('BANK_RETURN_REJECTED', { extra: { problems: res.problems } });
      return res;
    },
  );
}
