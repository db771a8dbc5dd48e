import { IdParam, Ok, page } from '../../../contracts/common.js';
import { DeleteQuery } from '../../../contracts/registry-fields.js';
import { HouseholdDetail, MovePersonRequest, RemoveMemberRequest } from '../../../contracts/registry-households.js';
import {
  CorrectIdRequest,
  DisabilityCertInput,
  DisabilityCertView,
  PersonView,
  RevealIdRequest,
  RevealIdResponse,
  UpdatePersonRequest,
} from '../../../contracts/registry-persons.js';
import { PersonListItem, PersonSearchQuery } from '../../../contracts/registry-search.js';
import { type App, ctxOf, expectedVersion, typed } from '../../platform/http.js';
import { base, optionalVersion, READ, REVEAL, tags, WRITE, withEtag, withVersion } from './routes-common.js';
import { movePerson, removeMember } from './service-members.js';
import {
  correctIdNumber,
  deleteDisabilityCert,
  getPerson,
  revealIdNumber,
  updatePerson,
  upsertDisabilityCert,
} from './service-persons.js';
import { searchPersons } from './service-search.js';

/** Person routes: search, detail, edit, move, leave, ID-number correction and reveal, disability certificate. */
export function personRoutes(app: App) {
  const r = typed(app);
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
    async (req, reply) => withEtag(reply, await getPerson(ctxOf(req), req.params.id)),
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
    async (req, reply) => withEtag(reply, await updatePerson(ctxOf(req), req.params.id, withVersion(req))),
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
    async (req) => movePerson(ctxOf(req), req.params.id, req.body, optionalVersion(req)),
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
    async (req) => removeMember(ctxOf(req), req.params.id, withVersion(req)),
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
    async (req) => correctIdNumber(ctxOf(req), req.params.id, withVersion(req)),
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
    async (req) => upsertDisabilityCert(ctxOf(req), req.params.id, req.body, optionalVersion(req)),
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
}
