import { z } from 'zod';
import { DateString, IdParam, page } from '../../../contracts/common.js';
import {
  BulkEvaluateRequest,
  BulkEvaluateResponse,
  CoverageQuery,
  CoverageResponse,
  CreateParameterRequest,
  EvaluateRequest,
  EvaluateResponse,
  FactSnapshotList,
  FactSnapshotQuery,
  FactSnapshotRequest,
  ParameterDefView,
  ParameterListQuery,
  ParameterView,
  ResolvedQuery,
  ResolvedView,
  WhatIfRequest,
  WhatIfResponse,
} from '../../../contracts/policy.js';
import { JobView } from '../../../contracts/registry-import.js';
import { AppError } from '../../platform/errors.js';
import { type App, actorOf, ctxOf, typed } from '../../platform/http.js';
import { findJobInScope } from '../jobs/repo.js';
import { presentJob } from '../jobs/routes.js';
import { bulkEvaluate, coverageReport, whatIf } from './bulk.js';
import { evaluateFacts, evaluateRegistryHousehold } from './evaluate.js';
import { listFactSnapshots, queueFactSnapshotJob, runFactSnapshotJob } from './snapshots.js';
import { createParameter, getParameter, listParameters, parameterCatalogue, resolvedParameters } from './service.js';

/** Policy engine: parameters, evaluation, bulk evaluation, coverage report, what-if (docs/policy-engine.md). */
export async function policyRoutes(app: App) {
  const r = typed(app);
  const read = { access: { permission: 'parameters.read' } };
  const tags = ['policy'];

  r.get(
    '/v1/parameters',
    {
      config: read,
      schema: {
        tags,
        summary: '政策参数（含历史与来源）',
        querystring: ParameterListQuery,
        response: { 200: page(ParameterView) },
      },
    },
    async (req) => listParameters(ctxOf(req), req.query),
  );
  r.get(
    '/v1/parameters/catalogue',
    {
      config: read,
      schema: { tags, summary: '可配置的参数目录', response: { 200: z.object({ items: z.array(ParameterDefView) }) } },
    },
    async () => parameterCatalogue(),
  );
  r.get(
    '/v1/parameters/resolved',
    {
      config: read,
      schema: {
        tags,
        summary: '某县某日生效的参数（县覆盖市覆盖省）',
        querystring: ResolvedQuery,
        response: { 200: ResolvedView },
      },
    },
    async (req) => resolvedParameters(ctxOf(req), req.query),
  );
  r.get(
    '/v1/parameters/:id',
    { config: read, schema: { tags, summary: '参数详情', params: IdParam, response: { 200: ParameterView } } },
    async (req) => getParameter(ctxOf(req), req.params.id),
  );
  r.post(
    '/v1/parameters',
    {
      config: { access: { permission: 'parameters.manage' } },
      schema: {
        tags,
        summary: '新增参数（按生效日期新增一条，不改写旧记录）',
        body: CreateParameterRequest,
        response: { 201: ParameterView },
      },
    },
    async (req, reply) => reply.status(201).send(await createParameter(ctxOf(req), req.body)),
  );
  r.post(
    '/v1/evaluate',
    {
      config: { access: { permission: 'evaluate.run' } },
      schema: {
        tags,
        summary: '按家庭情况和评估日期给出各项目的认定结果及依据（不保存）',
        body: EvaluateRequest,
        response: { 200: EvaluateResponse },
      },
    },
    async (req) => evaluateFacts(ctxOf(req), req.body),
  );
  r.get(
    '/v1/policy/households/:id/evaluation',
    {
      config: { access: { permission: 'evaluate.run' } },
      schema: {
        tags,
        summary: '按台账现有数据评估一户',
        params: IdParam,
        querystring: z.strictObject({ asOf: DateString.optional() }),
        response: { 200: EvaluateResponse },
      },
    },
    async (req) => evaluateRegistryHousehold(ctxOf(req), req.params.id, req.query.asOf),
  );
  r.post(
    '/v1/policy/bulk-evaluations',
    {
      config: { access: { permission: 'evaluate.bulk' } },
      schema: {
        tags,
        summary: '批量评估（两项补贴与特困条件，按县汇总）',
        body: BulkEvaluateRequest,
        response: { 200: BulkEvaluateResponse },
      },
    },
    async (req) => bulkEvaluate(ctxOf(req), req.body),
  );
  r.get(
    '/v1/policy/coverage',
    {
      config: { access: { permission: 'subsidy.report' } },
      schema: {
        tags,
        summary: '两项补贴覆盖情况（应享与实发，未定三四类标准的县）',
        querystring: CoverageQuery,
        response: { 200: CoverageResponse },
      },
    },
    async (req) => coverageReport(ctxOf(req), req.query),
  );
  r.post(
    '/v1/policy/what-if',
    {
      config: { access: { permission: 'policy.whatif' } },
      schema: {
        tags,
        summary: '政策模拟：修改参数后各县受益与成本变化（不保存）',
        body: WhatIfRequest,
        response: { 200: WhatIfResponse },
      },
    },
    async (req) => whatIf(ctxOf(req), req.body),
  );
  r.get(
    '/v1/policy/fact-snapshots',
    {
      config: { access: { permission: 'policy.whatif' } },
      schema: {
        tags,
        summary: '政策事实快照（各县、各日期；政策模拟据此快速计算）',
        querystring: FactSnapshotQuery,
        response: { 200: FactSnapshotList },
      },
    },
    async (req) => listFactSnapshots(ctxOf(req), req.query.regionCode),
  );
  r.post(
    '/v1/policy/fact-snapshots',
    {
      config: { access: { permission: 'policy.snapshot' } },
      schema: {
        tags,
        summary: '生成政策事实快照（后台任务，按县进行；进度见 /v1/jobs/{id}）',
        body: FactSnapshotRequest,
        response: { 202: JobView },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const q = await queueFactSnapshotJob(ctx, req.body);
      // The job runs in the background; its outcome is stored on the job row.
      void runFactSnapshotJob(app.database, ctx.actor, q.jobId, { asOf: q.asOf, counties: q.counties }).catch((e) => {
        if (!(e instanceof AppError)) req.log.error({ err: e, jobId: q.jobId }, 'fact snapshot job failed');
      });
      const job = await findJobInScope(app.database.db, q.jobId, actorOf(req).scope);
      return reply.status(202).send(presentJob(job!));
    },
  );
}
