import { makeIdNumber } from '../../src/domain/identity/id-number.js';
import { R } from '../support/app.js';
import type { CaseFn } from './isolation-cases.js';
import type { IsolationWorld } from './isolation-world.js';

/** Registry data of county A for the route-coverage isolation test, and one case per registry route. */

const ID_HEAD = makeIdNumber('620802', '1961-08-19', 357);
const ID_CHILD = makeIdNumber('620802', '1992-11-02', 358);
const ADDRESS = '崆峒镇隔离核查村 99 号';

export async function registrySetup(w: IsolationWorld) {
  const c = await w.clientA('caseworker');
  const res = await c.post('/api/v1/registry/households', {
    regionCode: R.villageA,
    address: ADDRESS,
    hukouType: 'rural',
    housing: { structure: '土木', rating: 'D', appraisedOn: '2025-04-01', appraisalBody: '崆峒区住建局' },
    members: [
      { idNumber: ID_HEAD, name: '隔离甲户主', relation: 'head' },
      { idNumber: ID_CHILD, name: '隔离乙子女', relation: 'child' },
    ],
  });
  if (res.statusCode !== 201) throw new Error(`registry isolation setup: ${res.statusCode} ${res.body}`);
  const h = res.json();
  const child = h.members.find((m: { relation: string }) => m.relation === 'child');
  w.ids.regHouseholdId = h.id;
  w.ids.regPersonId = child.id;
  const cert = await c.put(`/api/v1/registry/persons/${child.id}/disability-cert`, {
    certNo: 'GL-CERT-77',
    generation: 2,
    type: 'mental',
    level: 1,
  });
  if (cert.statusCode !== 200) throw new Error(`registry isolation cert: ${cert.body}`);
  const inc = await c.post(`/api/v1/registry/households/${h.id}/income-items`, {
    kind: 'wages',
    period: 'annual',
    amountFen: 1234500,
    source: '隔离收入来源',
  });
  w.ids.regIncomeId = inc.json().id;
  const prop = await c.post(`/api/v1/registry/households/${h.id}/property-items`, {
    kind: 'deposit',
    valueFen: 500000,
    description: '隔离存款描述',
  });
  w.ids.regPropertyId = prop.json().id;
  await c.put(`/api/v1/registry/households/${h.id}/payment-account`, {
    bankName: '农业银行',
    account: '622848777766665555',
    holder: '隔离甲户主',
    version: 1,
  });
  w.markers.push(
    ID_HEAD,
    ID_CHILD,
    '隔离甲户主',
    '隔离乙子女',
    ADDRESS,
    'GL-CERT-77',
    '隔离收入来源',
    '隔离存款描述',
    '622848777766665555',
  );
}

const NEW_PERSON = { idNumber: makeIdNumber('620802', '2019-06-06', 462), name: '越权新增' };
const A = '/api/v1/registry';

export const registryCases: Record<string, CaseFn> = {
  'POST /api/v1/registry/households': () => ({
    url: `${A}/households`,
    body: {
      regionCode: R.villageA,
      address: '越权地址',
      hukouType: 'rural',
      members: [{ ...NEW_PERSON, relation: 'head' }],
    },
  }),
  'GET /api/v1/registry/households': () => ({ url: `${A}/households?regionCode=${R.countyA}` }),
  'GET /api/v1/registry/households/{id}': (w) => ({ url: `${A}/households/${w.ids.regHouseholdId}` }),
  'PATCH /api/v1/registry/households/{id}': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}`,
    body: { address: '越权', version: 1 },
  }),
  'POST /api/v1/registry/households/{id}/dissolve': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}/dissolve`,
    body: { reason: '越权注销', version: 1 },
  }),
  'PUT /api/v1/registry/households/{id}/payment-account': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}/payment-account`,
    body: { bankName: '越权银行', account: '6228000011112222', holder: '越权', version: 2 },
  }),
  'POST /api/v1/registry/households/{id}/reveal-account': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}/reveal-account`,
    body: {},
  }),
  'GET /api/v1/registry/households/{id}/history': (w) => ({ url: `${A}/households/${w.ids.regHouseholdId}/history` }),
  'POST /api/v1/registry/households/{id}/members': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}/members`,
    body: { person: NEW_PERSON, relation: 'child' },
  }),
  'POST /api/v1/registry/households/{id}/income-items': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}/income-items`,
    body: { kind: 'wages', period: 'monthly', amountFen: 100 },
  }),
  'PATCH /api/v1/registry/income-items/{id}': (w) => ({
    url: `${A}/income-items/${w.ids.regIncomeId}`,
    body: { amountFen: 1, version: 1 },
  }),
  'DELETE /api/v1/registry/income-items/{id}': (w) => ({ url: `${A}/income-items/${w.ids.regIncomeId}?version=1` }),
  'POST /api/v1/registry/households/{id}/property-items': (w) => ({
    url: `${A}/households/${w.ids.regHouseholdId}/property-items`,
    body: { kind: 'deposit', valueFen: 100 },
  }),
  'PATCH /api/v1/registry/property-items/{id}': (w) => ({
    url: `${A}/property-items/${w.ids.regPropertyId}`,
    body: { valueFen: 1, version: 1 },
  }),
  'DELETE /api/v1/registry/property-items/{id}': (w) => ({
    url: `${A}/property-items/${w.ids.regPropertyId}?version=1`,
  }),
  'GET /api/v1/registry/persons': () => ({ url: `${A}/persons?regionCode=${R.countyA}` }),
  'GET /api/v1/registry/persons/{id}': (w) => ({ url: `${A}/persons/${w.ids.regPersonId}` }),
  'PATCH /api/v1/registry/persons/{id}': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}`,
    body: { phone: '13900000000', version: 1 },
  }),
  'POST /api/v1/registry/persons/{id}/move': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}/move`,
    body: { toHouseholdId: w.ids.regHouseholdId, relation: 'other' },
  }),
  'POST /api/v1/registry/persons/{id}/leave': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}/leave`,
    body: { reason: '越权迁出', version: 1 },
  }),
  'POST /api/v1/registry/persons/{id}/correct-id': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}/correct-id`,
    body: { newIdNumber: makeIdNumber('620802', '1992-11-03', 358), reason: '越权更正', version: 1 },
  }),
  'POST /api/v1/registry/persons/{id}/reveal-id': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}/reveal-id`,
    body: {},
  }),
  'PUT /api/v1/registry/persons/{id}/disability-cert': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}/disability-cert`,
    body: { certNo: 'X', generation: 1, type: 'physical', version: 1 },
  }),
  'DELETE /api/v1/registry/persons/{id}/disability-cert': (w) => ({
    url: `${A}/persons/${w.ids.regPersonId}/disability-cert?version=1`,
  }),
  'GET /api/v1/registry/dangerous-housing': () => ({ url: `${A}/dangerous-housing?regionCode=${R.countyA}` }),
  'GET /api/v1/registry/disabled-persons': () => ({ url: `${A}/disabled-persons?regionCode=${R.countyA}` }),
  'GET /api/v1/registry/assistance-members': () => ({ url: `${A}/assistance-members?regionCode=${R.countyA}` }),
  'GET /api/v1/registry/stats': () => ({ url: `${A}/stats?regionCode=${R.countyA}` }),
  'GET /api/v1/registry/export': () => ({ url: `${A}/export?format=csv&regionCode=${R.countyA}` }),
};
