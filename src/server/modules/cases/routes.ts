import { z } from 'zod';
import {
  AdjustRequest,
  BatchItemsQuery,
  BatchItemView,
  BatchReviewRequest,
  BatchReviewView,
  BudgetQuery,
  BudgetView,
  CalendarPutRequest,
  CaseProgramme,
  CalendarQuery,
  CaseListQuery,
  CaseSummary,
  CaseView,
  CreateCaseRequest,
  DecisionRequest,
  EndRequest,
  ExitRequest,
  ObjectionRequest,
  OneTimeNoticeRequest,
  ParameterPutRequest,
  ParameterQuery,
  ReassessRequest,
  ReferralRequest,
  RejectRequest,
  ReviewTaskQuery,
  ReviewTaskView,
  StartPublicityRequest,
  StepParams,
  StepRequest,
  TekunReviewApplyRequest,
  TekunReviewRequest,
  TerminateRequest,
  WorkflowPutRequest,
  WorkRefusalRequest,
} from '../../../contracts/cases.js';
import { IdParam, page } from '../../../contracts/common.js';
import { type App, ctxOf, setEtag, typed } from '../../platform/http.js';
import { applyBatchReview, getBatchReview, listBatchItems, runBatchReview } from './batch.js';
import { getCalendar, getParameters, getWorkflow, putCalendar, putParameter, putWorkflow } from './config.js';
import { decideCase } from './decision.js';
import { applyReview, exitCase, getBudget, listReviewTasks, reassessCase, recordWorkRefusal } from './recipients.js';
import {
  addReferral,
  draftOneTimeNotice,
  endProcedure,
  raiseObjection,
  rejectCase,
  startPublicity,
} from './procedure.js';
import { completeStep, getCase, listCases, openCase } from './service.js';
import { subsidyReviewRoutes } from './subsidy-routes.js';
import { applyTekunReview, reviewTekun } from './tekun-review.js';
import { terminateTekun } from './tekun-termination.js';

const read = { access: { permission: 'cases.read' } };
/** The 残联 liaison reads the disability subsidy cases (the service limits the programmes). */
const readCases = { access: { permission: ['cases.read', 'disability.cases.read'] } };
const APPLY = ['dibao.apply', 'tekun.apply', 'disability.apply'];
const STEP = [...APPLY, 'dibao.investigate', 'dibao.review', 'tekun.review', 'disability.review', 'dibao.approve'];
const DECIDE = ['dibao.approve', 'dibao.review', 'tekun.approve', 'disability.approve'];
const Loose = z.record(z.string(), z.unknown());
const tags = ['cases'];

export async function caseRoutes(app: App) {
  await subsidyReviewRoutes(app);
  const r = typed(app);
  const withEtag = <T extends { version: number }>(reply: { header(k: string, v: string): unknown }, v: T) => {
    setEtag(reply as never, v.version);
    return v;
  };

  r.post(
    '/v1/cases',
    {
      config: { access: { permission: APPLY } },
      schema: {
        tags,
        summary: '申请登记：低保（按户）、特困、残疾人生活补贴、护理补贴（按人）；已有在办案件时返回该案件（幂等）',
        body: CreateCaseRequest,
        response: { 200: CaseView, 201: CaseView },
      },
    },
    async (req, reply) => {
      const r0 = await openCase(ctxOf(req), req.body);
      setEtag(reply, r0.view.version);
      return reply.status(r0.created ? 201 : 200).send(r0.view);
    },
  );
  r.get(
    '/v1/cases',
    {
      config: readCases,
      schema: {
        tags,
        summary: '案件列表与各角色工作清单（待调查、待评议、公示中、待审批、待复核、已超期、符合条件仍在等待）',
        querystring: CaseListQuery,
        response: { 200: page(CaseSummary) },
      },
    },
    async (req) => listCases(ctxOf(req), req.query),
  );
  r.get(
    '/v1/cases/:id',
    {
      config: readCases,
      schema: {
        tags,
        summary: '案件详情：流程、时间线、评估说明、计算明细、告知书、档案清单',
        params: IdParam,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await getCase(ctxOf(req), req.params.id)),
  );
  r.post(
    '/v1/cases/:id/steps/:step',
    {
      config: { access: { permission: STEP } },
      schema: {
        tags,
        summary: '完成流程步骤（受理、调查、民主评议、综合评估、公示结束、县级入户核查）',
        params: StepParams,
        body: StepRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await completeStep(ctxOf(req), req.params.id, req.params.step, req.body)),
  );
  r.post(
    '/v1/cases/:id/publicity',
    {
      config: { access: { permission: ['dibao.review', 'dibao.approve'] } },
      schema: {
        tags,
        summary: '开始公示（7天）',
        params: IdParam,
        body: StartPublicityRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await startPublicity(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/objections',
    {
      config: { access: { permission: ['dibao.review', 'dibao.approve'] } },
      schema: {
        tags,
        summary: '登记公示期间的异议及处理（重新调查或民主评议）',
        params: IdParam,
        body: ObjectionRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await raiseObjection(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/decision',
    {
      config: { access: { permission: DECIDE } },
      schema: {
        tags,
        summary: '审核确认：确认（金额于确认时固定，次月起发放）或不予确认（生成告知书草稿）',
        params: IdParam,
        body: DecisionRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await decideCase(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/reject',
    {
      config: { access: { permission: [...APPLY, 'dibao.review', 'disability.review'] } },
      schema: {
        tags,
        summary: '不予受理或乡镇初审不通过（生成告知书草稿）',
        params: IdParam,
        body: RejectRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await rejectCase(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/end',
    {
      config: { access: { permission: [...STEP, 'tekun.approve', 'disability.approve'] } },
      schema: {
        tags,
        summary: '拒不配合调查核对，终止审核确认程序',
        params: IdParam,
        body: EndRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await endProcedure(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/referrals',
    {
      config: { access: { permission: ['dibao.apply', 'dibao.review', 'dibao.approve'] } },
      schema: {
        tags,
        summary: '转介临时救助或医疗救助',
        params: IdParam,
        body: ReferralRequest,
        response: { 200: CaseView },
      },
    },
    async (req) => addReferral(ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/v1/cases/:id/one-time-notice',
    {
      config: { access: { permission: 'notices.draft' } },
      schema: {
        tags,
        summary: '生成一次性告知书（列出全部缺少的材料）',
        params: IdParam,
        body: OneTimeNoticeRequest,
        response: { 200: CaseView },
      },
    },
    async (req) => draftOneTimeNotice(ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/v1/cases/:id/reassess',
    {
      config: { access: { permission: ['dibao.review', 'dibao.approve'] } },
      schema: {
        tags,
        summary: '在保家庭复核：按当前登记数据重新评估',
        params: IdParam,
        body: ReassessRequest,
        response: { 200: CaseView.extend({ proposedOutcome: z.string() }) },
      },
    },
    async (req) => reassessCase(ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/v1/cases/:id/review-result',
    {
      config: { access: { permission: 'dibao.approve' } },
      schema: {
        tags,
        summary: '执行复核结果：调档或调整金额（生成调整告知书），无实质变化不调整',
        params: IdParam,
        body: AdjustRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await applyReview(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/exit',
    {
      config: { access: { permission: 'dibao.approve' } },
      schema: {
        tags,
        summary: '停发/退出（渐退期最长6个月；生成停发告知书）',
        params: IdParam,
        body: ExitRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await exitCase(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/work-refusals',
    {
      config: { access: { permission: ['dibao.review', 'dibao.approve'] } },
      schema: {
        tags,
        summary: '登记拒绝介绍的工作（连续3次停发本人份额）',
        params: IdParam,
        body: WorkRefusalRequest,
        response: { 200: CaseView.extend({ refusals: z.number(), shareStops: z.boolean() }) },
      },
    },
    async (req) => recordWorkRefusal(ctxOf(req), req.params.id, req.body),
  );

  r.post(
    '/v1/cases/:id/tekun-review',
    {
      config: { access: { permission: ['tekun.review', 'tekun.approve'] } },
      schema: {
        tags,
        summary: '特困人员年度复核：按当前登记数据与六项指标重新评估，提出继续供养、调整或终止',
        params: IdParam,
        body: TekunReviewRequest,
        response: { 200: CaseView.extend({ review: Loose }) },
      },
    },
    async (req, reply) => withEtag(reply, await reviewTekun(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/tekun-review/apply',
    {
      config: { access: { permission: 'tekun.approve' } },
      schema: {
        tags,
        summary: '执行特困年度复核结果：继续供养，或次月起调整照料档次与金额（生成调整告知书）',
        params: IdParam,
        body: TekunReviewApplyRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await applyTekunReview(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/terminate',
    {
      config: { access: { permission: 'tekun.approve' } },
      schema: {
        tags,
        summary: '终止特困人员救助供养（终止情形及依据，公示7天，次月起停止，生成终止告知书）',
        params: IdParam,
        body: TerminateRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await terminateTekun(ctxOf(req), req.params.id, req.body)),
  );

  r.get(
    '/v1/review-tasks',
    {
      config: read,
      schema: {
        tags,
        summary: '复核任务（登记信息变化、成员死亡、拒绝工作）',
        querystring: ReviewTaskQuery,
        response: { 200: page(ReviewTaskView) },
      },
    },
    async (req) => listReviewTasks(ctxOf(req), req.query),
  );
  r.get(
    '/v1/dibao/budget',
    {
      config: read,
      schema: {
        tags,
        summary: '县级低保资金预算与测算（仅展示与预警，不影响纳入）',
        querystring: BudgetQuery,
        response: { 200: BudgetView },
      },
    },
    async (req) => getBudget(ctxOf(req), req.query),
  );

  r.post(
    '/v1/batch-reviews',
    {
      config: { access: { permission: 'dibao.manage' } },
      schema: {
        tags,
        summary: 'Q4 有效期届满批量复核（县，集合运算）',
        body: BatchReviewRequest,
        response: { 201: BatchReviewView },
      },
    },
    async (req, reply) => reply.status(201).send(await runBatchReview(ctxOf(req), req.body)),
  );
  r.get(
    '/v1/batch-reviews/:id',
    {
      config: read,
      schema: { tags, summary: '批量复核结果（按乡镇汇总）', params: IdParam, response: { 200: BatchReviewView } },
    },
    async (req) => getBatchReview(ctxOf(req), req.params.id),
  );
  r.get(
    '/v1/batch-reviews/:id/items',
    {
      config: read,
      schema: {
        tags,
        summary: '批量复核逐户结果',
        params: IdParam,
        querystring: BatchItemsQuery,
        response: { 200: page(BatchItemView) },
      },
    },
    async (req) => listBatchItems(ctxOf(req), req.params.id, req.query),
  );
  r.post(
    '/v1/batch-reviews/:id/apply',
    {
      config: { access: { permission: 'dibao.approve' } },
      schema: {
        tags,
        summary: '执行批量复核（续保、调档、调整金额、退出；生成告知书草稿）',
        params: IdParam,
        response: { 200: BatchReviewView },
      },
    },
    async (req) => applyBatchReview(ctxOf(req), req.params.id),
  );

  r.get(
    '/v1/case-parameters',
    {
      config: read,
      schema: {
        tags,
        summary: '低保参数（评估权重、评分表、分类线、财产限额、取整；标准；预算）——本地设置',
        querystring: ParameterQuery,
        response: { 200: Loose },
      },
    },
    async (req) => getParameters(ctxOf(req), req.query),
  );
  r.put(
    '/v1/case-parameters',
    {
      config: { access: { permission: 'parameters.manage' } },
      schema: { tags, summary: '设置参数（按区划、按生效日期）', body: ParameterPutRequest, response: { 200: Loose } },
    },
    async (req) => putParameter(ctxOf(req), req.body),
  );
  r.get(
    '/v1/workflows/:programme',
    {
      config: read,
      schema: {
        tags,
        summary: '生效的流程定义',
        params: z.strictObject({ programme: CaseProgramme }),
        querystring: ParameterQuery,
        response: { 200: Loose },
      },
    },
    async (req) => getWorkflow(ctxOf(req), req.params.programme, req.query),
  );
  r.put(
    '/v1/workflows',
    {
      config: { access: { permission: 'parameters.manage' } },
      schema: {
        tags,
        summary: '设置流程（预置或自定义；如委托乡镇审核确认、仅有异议时民主评议）',
        body: WorkflowPutRequest,
        response: { 200: Loose },
      },
    },
    async (req) => putWorkflow(ctxOf(req), req.body),
  );
  r.get(
    '/v1/calendar',
    {
      config: read,
      schema: {
        tags,
        summary: '工作日历（节假日与调休）',
        querystring: CalendarQuery,
        response: { 200: z.object({ items: z.array(Loose) }) },
      },
    },
    async (req) => getCalendar(ctxOf(req), req.query),
  );
  r.put(
    '/v1/calendar',
    {
      config: { access: { permission: 'calendar.manage' } },
      schema: {
        tags,
        summary: '维护本县节假日与调休工作日',
        body: CalendarPutRequest,
        response: { 200: z.object({ items: z.array(Loose) }) },
      },
    },
    async (req) => putCalendar(ctxOf(req), req.body),
  );
}
