import { sql } from 'drizzle-orm';
import { todayCst } from '../../src/domain/calendar.js';
import { defaultDibaoWorkflow } from '../../src/domain/programs/dibao/workflow.js';
import { first } from '../../src/server/db/client.js';
import { R } from '../support/app.js';
import { makeHousehold, multipart, PDF, setStandard } from '../support/factories-cases.js';
import type { CaseFn } from './isolation-cases.js';
import type { IsolationWorld } from './isolation-world.js';

/** County A data of the case engine (低保 cases, notices, archive, batch review) for the route-coverage isolation test. */
export async function casesSetup(w: IsolationWorld) {
  const db = w.database.db;
  const year = Number(todayCst().slice(0, 4));
  await setStandard(db, R.countyA, year);
  const { householdId } = await makeHousehold(db, {
    regionCode: R.villageA,
    members: [{ name: '隔离低保户甲', birthDate: '1950-02-03', labour: 'none' }],
  });
  const cw = await w.clientA('caseworker');
  const open = await cw.post('/api/v1/cases', { householdId });
  const caseId = open.json().id as number;
  w.ids.dibaoCaseId = caseId;
  w.ids.dibaoHouseholdId = householdId;
  w.markers.push('隔离低保户甲', open.json().caseNo as string);
  const m = multipart('application.pdf', PDF);
  const up = await w.app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/materials?kind=application_form`,
    headers: { cookie: cw.cookie, 'x-csrf-token': cw.csrf, 'content-type': m.contentType },
    payload: m.body,
  });
  w.ids.materialId = up.json().id as number;
  const n = await cw.post(`/api/v1/cases/${caseId}/one-time-notice`, { step: 'acceptance' });
  w.ids.noticeId = n.json().notices[0].id as number;

  // A recipient household whose validity ends this year (for the Q4 batch review).
  const rec = await makeHousehold(db, {
    regionCode: R.villageA,
    members: [{ name: '隔离在保户乙', birthDate: '1948-05-06', labour: 'none' }],
  });
  const c = await first<{ id: number }>(
    db,
    sql`INSERT INTO cases (case_no, programme, household_id, region_code, workflow, status, applied_on, decided_on, decision, dibao_kind, rural_class,
                           monthly_amount_fen, valid_until)
        VALUES ('DIBAO-620802-ISO-1', 'dibao', ${rec.householdId}, ${R.villageA}, ${JSON.stringify(defaultDibaoWorkflow)}::jsonb, 'approved',
                ${`${year - 1}-11-01`}::date, ${`${year - 1}-11-20`}::date, 'approved', 'rural', 2, 45000, ${`${year}-11-30`}::date)
        RETURNING id`,
  );
  w.ids.recipientCaseId = Number(c!.id);
  w.markers.push('隔离在保户乙', 'DIBAO-620802-ISO-1');
  // A disability subsidy application (per person) for the 残联 liaison's read route.
  const sub = await makeHousehold(db, {
    regionCode: R.villageA,
    members: [{ name: '隔离补贴申请人丙', birthDate: '1970-01-01', disabilityLevel: 1 }],
  });
  const so = await cw.post('/api/v1/cases', {
    programme: 'disability_nursing',
    householdId: sub.householdId,
    applicantPersonId: sub.personIds[0],
  });
  if (so.statusCode !== 201) throw new Error(`subsidy case setup failed: ${so.body}`);
  w.ids.subsidyCaseId = so.json().id as number;
  w.markers.push('隔离补贴申请人丙', so.json().caseNo as string);
  const ca = await w.clientA('county_approver');
  const b = await ca.post('/api/v1/batch-reviews', { countyCode: R.countyA, year });
  if (b.statusCode !== 201) throw new Error(`batch review setup failed: ${b.body}`);
  w.ids.batchId = b.json().id as number;
}

const id = (w: IsolationWorld) => w.ids.dibaoCaseId;
const year = Number(todayCst().slice(0, 4));

export const casesIsolationCases: Record<string, CaseFn> = {
  'POST /api/v1/cases': (w) => ({ url: '/api/v1/cases', body: { householdId: Number(w.ids.dibaoHouseholdId) } }),
  'GET /api/v1/cases': () => ({ url: `/api/v1/cases?regionCode=${R.countyA}` }),
  'GET /api/v1/cases/{id}': (w) => ({ url: `/api/v1/cases/${w.ids.subsidyCaseId}` }),
  'POST /api/v1/cases/{id}/steps/{step}': (w) => ({
    url: `/api/v1/cases/${id(w)}/steps/acceptance`,
    body: { version: 1, data: {} },
  }),
  'POST /api/v1/cases/{id}/publicity': (w) => ({
    url: `/api/v1/cases/${id(w)}/publicity`,
    body: { version: 1, startOn: todayCst(), place: '公示栏' },
  }),
  'POST /api/v1/cases/{id}/objections': (w) => ({
    url: `/api/v1/cases/${id(w)}/objections`,
    body: { version: 1, raisedBy: '某人', content: '异议', handling: 'democratic_review' },
  }),
  'POST /api/v1/cases/{id}/decision': (w) => ({
    url: `/api/v1/cases/${id(w)}/decision`,
    body: { version: 1, decision: 'reject', reason: '越权' },
  }),
  'POST /api/v1/cases/{id}/reject': (w) => ({
    url: `/api/v1/cases/${id(w)}/reject`,
    body: { version: 1, reason: '越权' },
  }),
  'POST /api/v1/cases/{id}/end': (w) => ({ url: `/api/v1/cases/${id(w)}/end`, body: { version: 1, reason: '越权' } }),
  'POST /api/v1/cases/{id}/referrals': (w) => ({
    url: `/api/v1/cases/${id(w)}/referrals`,
    body: { kind: 'temporary', reason: '越权' },
  }),
  'POST /api/v1/cases/{id}/one-time-notice': (w) => ({
    url: `/api/v1/cases/${id(w)}/one-time-notice`,
    body: { step: 'acceptance' },
  }),
  'POST /api/v1/cases/{id}/reassess': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/reassess`,
    body: { version: 1 },
  }),
  'POST /api/v1/cases/{id}/review-result': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/review-result`,
    body: { version: 1 },
  }),
  'POST /api/v1/cases/{id}/exit': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/exit`,
    body: { version: 1, reason: 'voluntary', facts: '越权' },
  }),
  'POST /api/v1/cases/{id}/work-refusals': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/work-refusals`,
    body: { personId: 1, refusedOn: todayCst(), offer: '越权' },
  }),
  'POST /api/v1/cases/{id}/tekun-review': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/tekun-review`,
    body: {
      version: 1,
      investigators: [{ name: '越权甲' }, { name: '越权乙' }],
      visitedOn: todayCst(),
      supporters: [],
      selfCare: {
        eating: true,
        dressing: true,
        transferring: true,
        toileting: true,
        walkingIndoors: true,
        bathing: true,
      },
    },
  }),
  'POST /api/v1/cases/{id}/tekun-review/apply': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/tekun-review/apply`,
    body: { version: 1, outcome: 'continue' },
  }),
  'POST /api/v1/cases/{id}/terminate': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/terminate`,
    body: { version: 1, reason: 'death', facts: '越权' },
  }),
  'POST /api/v1/cases/{id}/subsidy-review': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/subsidy-review`,
    body: { version: 1 },
  }),
  'POST /api/v1/cases/{id}/subsidy-review/apply': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/subsidy-review/apply`,
    body: { version: 1, outcome: 'continue' },
  }),
  'POST /api/v1/cases/{id}/subsidy-stop': (w) => ({
    url: `/api/v1/cases/${w.ids.recipientCaseId}/subsidy-stop`,
    body: { version: 1, reason: 'voluntary', facts: '越权' },
  }),
  'GET /api/v1/review-tasks': () => ({ url: `/api/v1/review-tasks?regionCode=${R.countyA}` }),
  'GET /api/v1/dibao/budget': () => ({ url: `/api/v1/dibao/budget?countyCode=${R.countyA}&year=${year}` }),
  'POST /api/v1/batch-reviews': () => ({ url: '/api/v1/batch-reviews', body: { countyCode: R.countyA, year } }),
  'GET /api/v1/batch-reviews/{id}': (w) => ({ url: `/api/v1/batch-reviews/${w.ids.batchId}` }),
  'GET /api/v1/batch-reviews/{id}/items': (w) => ({ url: `/api/v1/batch-reviews/${w.ids.batchId}/items` }),
  'POST /api/v1/batch-reviews/{id}/apply': (w) => ({ url: `/api/v1/batch-reviews/${w.ids.batchId}/apply` }),
  'GET /api/v1/case-parameters': () => ({ url: `/api/v1/case-parameters?regionCode=${R.countyA}` }),
  'PUT /api/v1/case-parameters': () => ({
    url: '/api/v1/case-parameters',
    body: {
      programme: 'dibao',
      key: 'budget',
      regionCode: R.countyA,
      effectiveFrom: `${year}-01-01`,
      value: { annualFen: 1 },
    },
  }),
  'GET /api/v1/workflows/{programme}': () => ({ url: `/api/v1/workflows/dibao?regionCode=${R.countyA}` }),
  'PUT /api/v1/workflows': () => ({
    url: '/api/v1/workflows',
    body: { programme: 'dibao', regionCode: R.countyA, effectiveFrom: `${year}-01-01`, preset: 'dibao-2021-national' },
  }),
  'GET /api/v1/calendar': () => ({ url: `/api/v1/calendar?regionCode=${R.countyA}&year=${year}` }),
  'PUT /api/v1/calendar': () => ({
    url: '/api/v1/calendar',
    body: { regionCode: R.countyA, days: [{ day: `${year}-10-01`, kind: 'holiday' }] },
  }),
  'GET /api/v1/notices/{id}': (w) => ({ url: `/api/v1/notices/${w.ids.noticeId}` }),
  'PATCH /api/v1/notices/{id}': (w) => ({
    url: `/api/v1/notices/${w.ids.noticeId}`,
    body: { version: 1, reasons: '越权修改' },
  }),
  'POST /api/v1/notices/{id}/issue': (w) => ({ url: `/api/v1/notices/${w.ids.noticeId}/issue`, body: { version: 1 } }),
  'POST /api/v1/notices/{id}/delivery': (w) => ({
    url: `/api/v1/notices/${w.ids.noticeId}/delivery`,
    body: { version: 1, method: 'post', deliveredOn: todayCst() },
  }),
  'GET /api/v1/notices/{id}/file': (w) => ({ url: `/api/v1/notices/${w.ids.noticeId}/file` }),
  'POST /api/v1/cases/{id}/materials': (w) => ({
    url: `/api/v1/cases/${id(w)}/materials?kind=id_copies`,
    multipart: { filename: 'x.pdf', content: PDF },
  }),
  'GET /api/v1/materials/{id}/file': (w) => ({ url: `/api/v1/materials/${w.ids.materialId}/file` }),
  'GET /api/v1/archive/completeness': () => ({ url: `/api/v1/archive/completeness?regionCode=${R.countyA}` }),
};
