import { IdParam, page } from '../../../contracts/common.js';
import { HistoryResponse } from '../../../contracts/registry-history.js';
import {
  AddMemberRequest,
  CreateHouseholdRequest,
  DissolveHouseholdRequest,
  HouseholdDetail,
  HouseholdQuery,
  PaymentAccountInput,
  RevealAccountResponse,
  UpdateHouseholdRequest,
} from '../../../contracts/registry-households.js';
import { RevealIdRequest } from '../../../contracts/registry-persons.js';
import { HouseholdListItem, HouseholdSearchQuery } from '../../../contracts/registry-search.js';
import { type App, ctxOf, typed } from '../../platform/http.js';
import { base, READ, REVEAL, tags, WRITE, withEtag, withVersion } from './routes-common.js';
import { loadHouseholdDetail } from './service.js';
import {
  createHousehold,
  dissolveHousehold,
  revealAccount,
  setPaymentAccount,
  updateHousehold,
} from './service-households.js';
import { householdAsOfDate, householdHistory } from './service-history.js';
import { addMember } from './service-members.js';
import { searchHouseholds } from './service-search.js';

/** Household routes: create, list, detail (now or as of a date), edit, dissolve, payment account, history, new member. */
export function householdRoutes(app: App) {
  const r = typed(app);
  r.post(
    `${base}/households`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '新建家庭户（含户主与成员）',
        body: CreateHouseholdRequest,
        response: { 201: HouseholdDetail },
      },
    },
    async (req, reply) => reply.status(201).send(withEtag(reply, await createHousehold(ctxOf(req), req.body))),
  );
  r.get(
    `${base}/households`,
    {
      config: READ,
      schema: {
        tags,
        summary: '家庭户列表（按区划、户主姓名、住房等级等）',
        querystring: HouseholdSearchQuery,
        response: { 200: page(HouseholdListItem) },
      },
    },
    async (req) => searchHouseholds(ctxOf(req), req.query),
  );
  r.get(
    `${base}/households/:id`,
    {
      config: READ,
      schema: {
        tags,
        summary: '家庭户详情；asOf=YYYY-MM-DD 时为该日终了时的记录',
        params: IdParam,
        querystring: HouseholdQuery,
        response: { 200: HouseholdDetail },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      if (req.query.asOf) return householdAsOfDate(ctx, req.params.id, req.query.asOf);
      return withEtag(reply, await loadHouseholdDetail(ctx.db, ctx.actor.scope, req.params.id));
    },
  );
  r.patch(
    `${base}/households/:id`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '修改家庭户（地址、村、户籍性质、住房、户主；乐观并发）',
        params: IdParam,
        body: UpdateHouseholdRequest,
        response: { 200: HouseholdDetail },
      },
    },
    async (req, reply) => withEtag(reply, await updateHousehold(ctxOf(req), req.params.id, withVersion(req))),
  );
  r.post(
    `${base}/households/:id/dissolve`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '注销家庭户（成员转为无户）',
        params: IdParam,
        body: DissolveHouseholdRequest,
        response: { 200: HouseholdDetail },
      },
    },
    async (req) => dissolveHousehold(ctxOf(req), req.params.id, withVersion(req)),
  );
  r.put(
    `${base}/households/:id/payment-account`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '设置发放账户（账号在所有视图中脱敏）',
        params: IdParam,
        body: PaymentAccountInput,
        response: { 200: HouseholdDetail },
      },
    },
    async (req, reply) => withEtag(reply, await setPaymentAccount(ctxOf(req), req.params.id, withVersion(req))),
  );
  r.post(
    `${base}/households/:id/reveal-account`,
    {
      config: REVEAL,
      schema: {
        tags,
        summary: '查看完整银行账号（记入审计）',
        params: IdParam,
        body: RevealIdRequest.optional(),
        response: { 200: RevealAccountResponse },
      },
    },
    async (req) => revealAccount(ctxOf(req), req.params.id),
  );
  r.get(
    `${base}/households/:id/history`,
    {
      config: READ,
      schema: {
        tags,
        summary: '家庭户变更时间线（何时、何人、何因、改了什么）',
        params: IdParam,
        response: { 200: HistoryResponse },
      },
    },
    async (req) => householdHistory(ctxOf(req), req.params.id),
  );
  r.post(
    `${base}/households/:id/members`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '新增成员（新人员或从其他户迁入）',
        params: IdParam,
        body: AddMemberRequest,
        response: { 200: HouseholdDetail },
      },
    },
    async (req) => addMember(ctxOf(req), req.params.id, req.body),
  );
}
