import { PassThrough } from 'node:stream';
import { IdParam, Ok, page } from '../../../contracts/common.js';
import { DeleteQuery } from '../../../contracts/registry-fields.js';
import { HistoryResponse } from '../../../contracts/registry-history.js';
import {
  AddMemberRequest,
  CreateHouseholdRequest,
  DissolveHouseholdRequest,
  HouseholdDetail,
  HouseholdQuery,
  MovePersonRequest,
  PaymentAccountInput,
  RemoveMemberRequest,
  RevealAccountResponse,
  UpdateHouseholdRequest,
} from '../../../contracts/registry-households.js';
import {
  IncomeItemInput,
  IncomeItemView,
  PropertyItemInput,
  PropertyItemView,
  UpdateIncomeItemRequest,
  UpdatePropertyItemRequest,
} from '../../../contracts/registry-items.js';
import {
  CorrectIdRequest,
  DisabilityCertInput,
  DisabilityCertView,
  PersonView,
  RevealIdRequest,
  RevealIdResponse,
  UpdatePersonRequest,
} from '../../../contracts/registry-persons.js';
import {
  AssistanceMemberItem,
  DangerousHousingItem,
  DisabledPersonItem,
  ExportQuery,
  HouseholdListItem,
  HouseholdSearchQuery,
  LiaisonListQuery,
  PersonListItem,
  PersonSearchQuery,
  RegistryStats,
  StatsQuery,
} from '../../../contracts/registry-search.js';
import { todayCst } from '../../../domain/calendar.js';
import { type App, ctxOf, expectedVersion, setEtag, typed } from '../../platform/http.js';
import { planExport, runExport } from './export.js';
import { loadHouseholdDetail } from './service.js';
import {
  createHousehold,
  dissolveHousehold,
  revealAccount,
  setPaymentAccount,
  updateHousehold,
} from './service-households.js';
import { addMember, movePerson, removeMember } from './service-members.js';
import { householdAsOfDate, householdHistory } from './service-history.js';
import {
  addIncomeItem,
  addPropertyItem,
  deleteIncomeItem,
  deletePropertyItem,
  updateIncomeItem,
  updatePropertyItem,
} from './service-items.js';
import {
  correctIdNumber,
  deleteDisabilityCert,
  getPerson,
  revealIdNumber,
  updatePerson,
  upsertDisabilityCert,
} from './service-persons.js';
import {
  listAssistanceMembers,
  listDangerousHousing,
  listDisabledPersons,
  registryStats,
  searchHouseholds,
  searchPersons,
} from './service-search.js';

const READ = { access: { permission: 'registry.read' } };
const WRITE = { access: { permission: 'registry.write' } };
const REVEAL = { access: { permission: 'pii.reveal' } };
const tags = ['registry'];

/** Household and person registry routes: thin — validate, call one use case, present (ETag on versioned records). */
export async function registryRoutes(app: App) {
  const r = typed(app);
  const base = '/v1/registry';

  // ── Households ──
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
    async (req, reply) => {
      const h = await createHousehold(ctxOf(req), req.body);
      setEtag(reply, h.version);
      return reply.status(201).send(h);
    },
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
      const h = await loadHouseholdDetail(ctx.db, ctx.actor.scope, req.params.id);
      setEtag(reply, h.version);
      return h;
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
    async (req, reply) => {
      const h = await updateHousehold(ctxOf(req), req.params.id, {
        ...req.body,
        version: expectedVersion(req, req.body.version),
      });
      setEtag(reply, h.version);
      return h;
    },
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
    async (req) =>
      dissolveHousehold(ctxOf(req), req.params.id, { ...req.body, version: expectedVersion(req, req.body.version) }),
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
    async (req, reply) => {
      const h = await setPaymentAccount(ctxOf(req), req.params.id, {
        ...req.body,
        version: expectedVersion(req, req.body.version),
      });
      setEtag(reply, h.version);
      return h;
    },
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

  // ── Income and property items ──
  r.post(
    `${base}/households/:id/income-items`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '登记收入项（金额单位：分）',
        params: IdParam,
        body: IncomeItemInput,
        response: { 201: IncomeItemView },
      },
    },
    async (req, reply) => reply.status(201).send(await addIncomeItem(ctxOf(req), req.params.id, req.body)),
  );
  r.patch(
    `${base}/income-items/:id`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '修改收入项',
        params: IdParam,
        body: UpdateIncomeItemRequest,
        response: { 200: IncomeItemView },
      },
    },
    async (req) =>
      updateIncomeItem(ctxOf(req), req.params.id, { ...req.body, version: expectedVersion(req, req.body.version) }),
  );
  r.delete(
    `${base}/income-items/:id`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '删除收入项（历史保留）',
        params: IdParam,
        querystring: DeleteQuery,
        response: { 200: Ok },
      },
    },
    async (req) =>
      deleteIncomeItem(ctxOf(req), req.params.id, expectedVersion(req, req.query.version), req.query.reason),
  );
  r.post(
    `${base}/households/:id/property-items`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '登记财产项（价值单位：分）',
        params: IdParam,
        body: PropertyItemInput,
        response: { 201: PropertyItemView },
      },
    },
    async (req, reply) => reply.status(201).send(await addPropertyItem(ctxOf(req), req.params.id, req.body)),
  );
  r.patch(
    `${base}/property-items/:id`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '修改财产项',
        params: IdParam,
        body: UpdatePropertyItemRequest,
        response: { 200: PropertyItemView },
      },
    },
    async (req) =>
      updatePropertyItem(ctxOf(req), req.params.id, { ...req.body, version: expectedVersion(req, req.body.version) }),
  );
  r.delete(
    `${base}/property-items/:id`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '删除财产项（历史保留）',
        params: IdParam,
        querystring: DeleteQuery,
        response: { 200: Ok },
      },
    },
    async (req) =>
      deletePropertyItem(ctxOf(req), req.params.id, expectedVersion(req, req.query.version), req.query.reason),
  );

  // ── Persons ──
  r.get(
    `${base}/persons`,
    {
      config: READ,
      schema: {
        tags,
        summary: '人员查询（身份证号精确、姓名前缀、区划、残疾、救助、年龄段、住房、户籍）',
        querystring: PersonSearchQuery,
        response: { 200: page(PersonListItem) },
      },
    },
    async (req) => searchPersons(ctxOf(req), req.query),
  );
  r.get(
    `${base}/persons/:id`,
    {
      config: READ,
      schema: { tags, summary: '人员详情（身份证号脱敏）', params: IdParam, response: { 200: PersonView } },
    },
    async (req, reply) => {
      const p = await getPerson(ctxOf(req), req.params.id);
      setEtag(reply, p.version);
      return p;
    },
  );
  r.patch(
    `${base}/persons/:id`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '修改人员信息（性别、出生日期须与身份证号一致）',
        params: IdParam,
        body: UpdatePersonRequest,
        response: { 200: PersonView },
      },
    },
    async (req, reply) => {
      const p = await updatePerson(ctxOf(req), req.params.id, {
        ...req.body,
        version: expectedVersion(req, req.body.version),
      });
      setEtag(reply, p.version);
      return p;
    },
  );
  r.post(
    `${base}/persons/:id/move`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '迁往其他家庭户（记录迁出与迁入）',
        params: IdParam,
        body: MovePersonRequest,
        response: { 200: HouseholdDetail },
      },
    },
    async (req) => {
      const v =
        req.headers['if-match'] !== undefined || req.body.version !== undefined
          ? expectedVersion(req, req.body.version)
          : null;
      return movePerson(ctxOf(req), req.params.id, req.body, v);
    },
  );
  r.post(
    `${base}/persons/:id/leave`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '迁出家庭户（死亡、婚出、户口迁出等）',
        params: IdParam,
        body: RemoveMemberRequest,
        response: { 200: HouseholdDetail },
      },
    },
    async (req) =>
      removeMember(ctxOf(req), req.params.id, { ...req.body, version: expectedVersion(req, req.body.version) }),
  );
  r.post(
    `${base}/persons/:id/correct-id`,
    {
      config: { access: { permission: 'registry.correct_id' } },
      schema: {
        tags,
        summary: '更正身份证号码（县级审批，记入审计）',
        params: IdParam,
        body: CorrectIdRequest,
        response: { 200: PersonView },
      },
    },
    async (req) =>
      correctIdNumber(ctxOf(req), req.params.id, { ...req.body, version: expectedVersion(req, req.body.version) }),
  );
  r.post(
    `${base}/persons/:id/reveal-id`,
    {
      config: REVEAL,
      schema: {
        tags,
        summary: '查看完整身份证号码（记入审计）',
        params: IdParam,
        body: RevealIdRequest.optional(),
        response: { 200: RevealIdResponse },
      },
    },
    async (req) => revealIdNumber(ctxOf(req), req.params.id, req.body?.reason),
  );
  r.put(
    `${base}/persons/:id/disability-cert`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '登记或修改残疾人证',
        params: IdParam,
        body: DisabilityCertInput,
        response: { 200: DisabilityCertView },
      },
    },
    async (req) => {
      const v =
        req.headers['if-match'] !== undefined || req.body.version !== undefined
          ? expectedVersion(req, req.body.version)
          : null;
      return upsertDisabilityCert(ctxOf(req), req.params.id, req.body, v);
    },
  );
  r.delete(
    `${base}/persons/:id/disability-cert`,
    {
      config: WRITE,
      schema: {
        tags,
        summary: '注销残疾人证（历史保留）',
        params: IdParam,
        querystring: DeleteQuery,
        response: { 200: Ok },
      },
    },
    async (req) =>
      deleteDisabilityCert(ctxOf(req), req.params.id, expectedVersion(req, req.query.version), req.query.reason),
  );

  // ── Department liaison lists ──
  r.get(
    `${base}/dangerous-housing`,
    {
      config: { access: { permission: ['housing.read', 'registry.read'] } },
      schema: {
        tags,
        summary: '危房（C/D 级）家庭户清单（住建部门）',
        querystring: LiaisonListQuery,
        response: { 200: page(DangerousHousingItem) },
      },
    },
    async (req) => listDangerousHousing(ctxOf(req), req.query),
  );
  r.get(
    `${base}/disabled-persons`,
    {
      config: { access: { permission: ['disability.read', 'registry.read'] } },
      schema: {
        tags,
        summary: '持证残疾人清单（残联，身份证号脱敏）',
        querystring: LiaisonListQuery,
        response: { 200: page(DisabledPersonItem) },
      },
    },
    async (req) => listDisabledPersons(ctxOf(req), req.query),
  );
  r.get(
    `${base}/assistance-members`,
    {
      config: { access: { permission: ['medical.read', 'registry.read'] } },
      schema: {
        tags,
        summary: '低保、特困人员清单（医保部门，身份证号脱敏）',
        querystring: LiaisonListQuery,
        response: { 200: page(AssistanceMemberItem) },
      },
    },
    async (req) => listAssistanceMembers(ctxOf(req), req.query),
  );

  // ── Figures and export ──
  r.get(
    `${base}/stats`,
    {
      config: { access: { permission: 'dashboard.read' } },
      schema: {
        tags,
        summary: '首页统计（户数、人数、救助对象、本月变更、下级区划、近 12 个月趋势）',
        querystring: StatsQuery,
        response: { 200: RegistryStats },
      },
    },
    async (req) => registryStats(ctxOf(req), req.query),
  );
  r.get(
    `${base}/export`,
    {
      config: { access: { permission: 'registry.export' } },
      schema: { tags, summary: '导出人员查询结果（xlsx 或 csv，流式；身份证号默认脱敏）', querystring: ExportQuery },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const plan = planExport(ctx, req.query);
      const out = new PassThrough();
      const name = `人员名单-${todayCst()}.${plan.format}`;
      reply
        .header(
          'content-type',
          plan.format === 'xlsx'
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv; charset=utf-8',
        )
        .header(
          'content-disposition',
          `attachment; filename="registry-export.${plan.format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header('cache-control', 'no-store');
      runExport(ctx, plan, out).catch((err) => {
        req.log.error({ err }, 'export failed');
        out.destroy(err as Error);
      });
      return reply.send(out);
    },
  );
}
