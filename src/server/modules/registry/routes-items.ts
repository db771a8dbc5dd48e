import { IdParam, Ok } from '../../../contracts/common.js';
import { DeleteQuery } from '../../../contracts/registry-fields.js';
import {
  IncomeItemInput,
  IncomeItemView,
  PropertyItemInput,
  PropertyItemView,
  UpdateIncomeItemRequest,
  UpdatePropertyItemRequest,
} from '../../../contracts/registry-items.js';
import { type App, ctxOf, expectedVersion, typed } from '../../platform/http.js';
import { base, tags, WRITE, withVersion } from './routes-common.js';
import {
  addIncomeItem,
  addPropertyItem,
  deleteIncomeItem,
  deletePropertyItem,
  updateIncomeItem,
  updatePropertyItem,
} from './service-items.js';

/** Income and property item routes: add to a household, edit, delete (history kept). */
export function itemRoutes(app: App) {
  const r = typed(app);
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
    async (req) => updateIncomeItem(ctxOf(req), req.params.id, withVersion(req)),
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
    async (req) => updatePropertyItem(ctxOf(req), req.params.id, withVersion(req)),
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
}
