import { R } from '../support/app.js';
import { makeHousehold } from '../support/factories-rosters.js';
import type { CaseFn } from './isolation-cases.js';
import type { IsolationWorld } from './isolation-world.js';

/** Roster, ledger, exchange and monthly-update data of county A for the route-coverage isolation test, and one case per route. */

const PAYEE = '隔离名册领取人';
const ACCOUNT = '6229777766665555444';

export async function rosterSetup(w: IsolationWorld) {
  const h = await makeHousehold(w.database.db, {
    regionCode: R.villageA,
    names: [PAYEE],
    bank: { name: '农村信用社', account: ACCOUNT, holder: PAYEE },
    enrollments: [{ programme: 'dibao', amountFen: 43210 }],
  });
  w.ids.rosterPersonId = h.personIds[0]!;
  w.ids.rosterIdNumber = h.idNumbers[0]!;
  w.markers.push(PAYEE, ACCOUNT, h.idNumbers[0]!);
  const c = await w.clientA('county_approver');
  const res = await c.post('/api/v1/rosters', { countyCode: R.countyA, month: '2026-10', programme: 'dibao' });
  if (res.statusCode !== 201) throw new Error(`roster isolation setup: ${res.statusCode} ${res.body}`);
  w.ids.rosterId = res.json().id;
  let v = res.json().version;
  for (const step of ['check', 'approve', 'send']) {
    const s = await c.post(`/api/v1/rosters/${w.ids.rosterId}/${step}`, { version: v });
    if (s.statusCode !== 200) throw new Error(`roster isolation ${step}: ${s.body}`);
    v = s.json().version;
  }
  const adm = await w.clientA('admin');
  const cl = await adm.post('/api/v1/api-clients', {
    name: '隔离接口客户端',
    regionCodes: [R.countyA],
    purposes: ['verification'],
    platform: 'verification',
  });
  if (cl.statusCode !== 201) throw new Error(`api client isolation setup: ${cl.body}`);
  w.ids.apiClientId = cl.json().id;
  w.markers.push('隔离接口客户端', cl.json().clientId);
  const lay = await c.post('/api/v1/rosters/bank-layouts', LAYOUT);
  if (lay.statusCode !== 201) throw new Error(`bank layout isolation setup: ${lay.body}`);
  w.ids.bankLayoutId = lay.json().id;
  w.markers.push(LAYOUT.name, LAYOUT.code);
}

const LAYOUT = {
  code: 'isolation_layout_a',
  name: '隔离银行代发格式',
  format: 'csv',
  encoding: 'utf-8',
  header: true,
  columns: [
    { field: 'account', header: '账号' },
    { field: 'amount_yuan', header: '金额' },
  ],
};
const { code: _layoutCode, ...LAYOUT_INPUT } = LAYOUT;

const ret = `批次,0,月份,2026-10,区县,620802,总笔数,1,总金额,432.10\n序号,账号,户名,金额,结果,失败原因\n1,${ACCOUNT},x,432.10,成功,\n`;
const ledger = '身份证号,金额,月份\n620802196108193578,432.10,2026-10\n';

export const rosterPublicRoutes = [
  'POST /api/v1/exchange/oauth/token',
  'POST /api/v1/exchange/registry/sync/search',
  'POST /api/v1/exchange/registry/persons/lookup',
  'GET /api/v1/exchange/registry/changes',
];

/** System-wide lists (layouts, platforms) and the caller's own API clients: 200 for county B, without county A data. */
export const rosterUnscopedRoutes = [
  'GET /api/v1/rosters/bank-layouts',
  'GET /api/v1/exchange/platforms',
  'GET /api/v1/api-clients',
  // creates a layout in the caller's own area / renders sample payments: no county A data either way
  'POST /api/v1/rosters/bank-layouts',
  'POST /api/v1/rosters/bank-layouts/preview',
];

export const rosterCases: Record<string, CaseFn> = {
  'GET /api/v1/rosters': () => ({ url: `/api/v1/rosters?regionCode=${R.countyA}` }),
  'GET /api/v1/rosters/summary': () => ({ url: `/api/v1/rosters/summary?month=2026-10&regionCode=${R.countyA}` }),
  'GET /api/v1/rosters/bank-layouts': () => ({ url: '/api/v1/rosters/bank-layouts?includeDisabled=true' }),
  'POST /api/v1/rosters/bank-layouts': () => ({
    url: '/api/v1/rosters/bank-layouts',
    body: { ...LAYOUT, code: 'isolation_layout_b', name: '泾川自建格式' },
  }),
  'POST /api/v1/rosters/bank-layouts/preview': () => ({
    url: '/api/v1/rosters/bank-layouts/preview',
    body: LAYOUT_INPUT,
  }),
  'POST /api/v1/rosters/bank-layouts/{id}/versions': (w) => ({
    url: `/api/v1/rosters/bank-layouts/${w.ids.bankLayoutId}/versions`,
    body: LAYOUT_INPUT,
  }),
  'POST /api/v1/rosters/bank-layouts/{id}/disable': (w) => ({
    url: `/api/v1/rosters/bank-layouts/${w.ids.bankLayoutId}/disable`,
  }),
  'POST /api/v1/rosters/bank-layouts/{id}/enable': (w) => ({
    url: `/api/v1/rosters/bank-layouts/${w.ids.bankLayoutId}/enable`,
  }),
  'POST /api/v1/rosters': () => ({
    url: '/api/v1/rosters',
    body: { countyCode: R.countyA, month: '2026-11', programme: 'dibao' },
  }),
  'GET /api/v1/rosters/{id}': (w) => ({ url: `/api/v1/rosters/${w.ids.rosterId}` }),
  'GET /api/v1/rosters/{id}/lines': (w) => ({ url: `/api/v1/rosters/${w.ids.rosterId}/lines` }),
  'GET /api/v1/rosters/{id}/totals': (w) => ({ url: `/api/v1/rosters/${w.ids.rosterId}/totals` }),
  'POST /api/v1/rosters/{id}/regenerate': (w) => ({
    url: `/api/v1/rosters/${w.ids.rosterId}/regenerate`,
    body: { version: 4 },
  }),
  'POST /api/v1/rosters/{id}/check': (w) => ({ url: `/api/v1/rosters/${w.ids.rosterId}/check`, body: { version: 4 } }),
  'POST /api/v1/rosters/{id}/approve': (w) => ({
    url: `/api/v1/rosters/${w.ids.rosterId}/approve`,
    body: { version: 4 },
  }),
  'POST /api/v1/rosters/{id}/send': (w) => ({ url: `/api/v1/rosters/${w.ids.rosterId}/send`, body: { version: 4 } }),
  'POST /api/v1/rosters/{id}/reconcile': (w) => ({
    url: `/api/v1/rosters/${w.ids.rosterId}/reconcile`,
    body: { version: 4 },
  }),
  'POST /api/v1/rosters/{id}/lines/{lineNo}/hold': (w) => ({
    url: `/api/v1/rosters/${w.ids.rosterId}/lines/1/hold`,
    body: { version: 4, held: true, reason: '越权暂缓' },
  }),
  'GET /api/v1/rosters/{id}/bank-file': (w) => ({
    url: `/api/v1/rosters/${w.ids.rosterId}/bank-file?layout=generic_csv`,
  }),
  'GET /api/v1/rosters/{id}/bank-files': (w) => ({ url: `/api/v1/rosters/${w.ids.rosterId}/bank-files` }),
  'POST /api/v1/rosters/{id}/bank-return': (w) => ({
    url: `/api/v1/rosters/${w.ids.rosterId}/bank-return`,
    multipart: { filename: 'return.csv', content: ret.replace('批次,0', `批次,${w.ids.rosterId}`) },
  }),
  'GET /api/v1/ledger': () => ({ url: `/api/v1/ledger?month=2026-10&regionCode=${R.countyA}` }),
  'GET /api/v1/ledger/export': () => ({
    url: `/api/v1/ledger/export?countyCode=${R.countyA}&month=2026-10&format=csv`,
  }),
  'POST /api/v1/ledger/check': () => ({
    url: `/api/v1/ledger/check?countyCode=${R.countyA}&month=2026-10`,
    multipart: { filename: 'ledger.csv', content: ledger },
  }),
  'GET /api/v1/monthly-updates': () => ({ url: `/api/v1/monthly-updates?month=2026-10&regionCode=${R.countyA}` }),
  'GET /api/v1/monthly-updates/late': () => ({
    url: `/api/v1/monthly-updates/late?month=2026-10&regionCode=${R.countyA}`,
  }),
  'POST /api/v1/monthly-updates/confirm': () => ({
    url: '/api/v1/monthly-updates/confirm',
    body: { countyCode: R.countyA, month: '2026-10' },
  }),
  'GET /api/v1/api-clients': () => ({ url: '/api/v1/api-clients' }),
  'POST /api/v1/api-clients': () => ({
    url: '/api/v1/api-clients',
    body: { name: '越权客户端', regionCodes: [R.countyA], purposes: ['verification'], platform: 'verification' },
  }),
  'POST /api/v1/api-clients/{id}/disable': (w) => ({
    url: `/api/v1/api-clients/${w.ids.apiClientId}/disable`,
    body: { version: 1 },
  }),
  'PATCH /api/v1/api-clients/{id}': (w) => ({
    url: `/api/v1/api-clients/${w.ids.apiClientId}`,
    body: { name: '越权修改', version: 1 },
  }),
  'POST /api/v1/api-clients/{id}/secret': (w) => ({
    url: `/api/v1/api-clients/${w.ids.apiClientId}/secret`,
    body: { version: 1 },
  }),
  'POST /api/v1/api-clients/{id}/enable': (w) => ({
    url: `/api/v1/api-clients/${w.ids.apiClientId}/enable`,
    body: { version: 1 },
  }),
  'GET /api/v1/api-clients/{id}/calls': (w) => ({ url: `/api/v1/api-clients/${w.ids.apiClientId}/calls` }),
  'GET /api/v1/exchange/platforms': () => ({ url: '/api/v1/exchange/platforms' }),
  'GET /api/v1/exchange/exports': () => ({
    url: `/api/v1/exchange/exports?platform=verification&regionCode=${R.countyA}`,
  }),
  'POST /api/v1/exchange/oauth/token': () => ({
    url: '/api/v1/exchange/oauth/token',
    body: { grant_type: 'client_credentials', client_id: 'jz_unknown', client_secret: 'guess' },
  }),
  'POST /api/v1/exchange/registry/sync/search': (w) => ({
    url: '/api/v1/exchange/registry/sync/search',
    body: {
      message: {
        transaction_id: 't1',
        search_request: [
          {
            reference_id: 'r1',
            search_criteria: { query_type: 'idtype-value', query: { type: 'ID_NUMBER', value: w.ids.rosterIdNumber } },
          },
        ],
      },
    },
  }),
  'POST /api/v1/exchange/registry/persons/lookup': (w) => ({
    url: '/api/v1/exchange/registry/persons/lookup',
    body: { id_number: w.ids.rosterIdNumber },
  }),
  'GET /api/v1/exchange/registry/changes': () => ({
    url: '/api/v1/exchange/registry/changes?since=2000-01-01T00:00:00Z',
  }),
};
