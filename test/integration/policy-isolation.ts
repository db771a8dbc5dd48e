import { sql } from 'drizzle-orm';
import { first } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { R } from '../support/app.js';
import { makeCert, makeEnrollment, makeHousehold, makePerson } from '../support/factories-policy.js';
import type { CaseFn } from './isolation-cases.js';
import type { IsolationWorld } from './isolation-world.js';

const MARKER = '崆峒区隔离参数来源标记';

/** County A data of the policy engine: a county-level parameter with a marked source, and a household with a disabled member. */
export async function policySetup(w: IsolationWorld) {
  const db = w.database.db;
  await seedPolicyParameters(db, R.city);
  const p = await first<{ id: number }>(
    db,
    sql`INSERT INTO policy_parameters (programme, region_code, key, value, effective_from, source_document, source_article, note)
        VALUES ('disability', ${R.countyA}, 'living_rural_class34_fen', '4000'::jsonb, '2024-01-01', ${MARKER}, '第一条', ${MARKER}) RETURNING id`,
  );
  w.ids.policyParameterA = Number(p!.id);
  const hh = await makeHousehold(db, { regionCode: R.villageA, hukouType: 'rural' });
  const person = await makePerson(db, {
    householdId: hh,
    regionCode: R.villageA,
    birthDate: '1960-04-05',
    name: '隔离残疾人乙',
  });
  await makeCert(db, { personId: person, regionCode: R.villageA, generation: 2, type: 'physical', level: 1 });
  await makeEnrollment(db, {
    householdId: hh,
    regionCode: R.villageA,
    programme: 'dibao',
    dibaoKind: 'rural',
    ruralClass: 3,
  });
  w.ids.policyHouseholdA = hh;
  w.markers.push(MARKER, '隔离残疾人乙');
}

/** Routes about the system as a whole (no area): the parameter catalogue. */
export const policyUnscopedRoutes = ['GET /api/v1/parameters/catalogue'];

const facts = {
  regionCode: R.villageA,
  hukouType: 'rural',
  members: [
    {
      ref: 'a',
      birthDate: '1960-04-05',
      hukouLocal: true,
      disabilityCert: { generation: 2, disabilityType: 'physical', disabilityLevel: 1 },
    },
  ],
};

export const policyCases: Record<string, CaseFn> = {
  'GET /api/v1/parameters': () => ({ url: `/api/v1/parameters?regionCode=${R.countyA}` }),
  'GET /api/v1/parameters/catalogue': () => ({ url: '/api/v1/parameters/catalogue' }),
  'GET /api/v1/parameters/resolved': () => ({ url: `/api/v1/parameters/resolved?regionCode=${R.countyA}` }),
  'GET /api/v1/parameters/{id}': (w) => ({ url: `/api/v1/parameters/${w.ids.policyParameterA}` }),
  'POST /api/v1/parameters': () => ({
    url: '/api/v1/parameters',
    body: {
      programme: 'disability',
      regionCode: R.countyA,
      key: 'living_rural_class34_fen',
      value: 9000,
      effectiveFrom: '2030-01-01',
      sourceDocument: '越权文件',
      sourceArticle: '第一条',
    },
  }),
  'POST /api/v1/evaluate': () => ({ url: '/api/v1/evaluate', body: { asOf: '2025-06-01', household: facts } }),
  'GET /api/v1/policy/households/{id}/evaluation': (w) => ({
    url: `/api/v1/policy/households/${w.ids.policyHouseholdA}/evaluation`,
  }),
  'POST /api/v1/policy/bulk-evaluations': () => ({
    url: '/api/v1/policy/bulk-evaluations',
    body: { regionCode: R.countyA },
  }),
  'GET /api/v1/policy/coverage': () => ({ url: `/api/v1/policy/coverage?regionCode=${R.countyA}` }),
  'POST /api/v1/policy/what-if': () => ({
    url: '/api/v1/policy/what-if',
    body: {
      regionCode: R.countyA,
      changes: [{ programme: 'disability', key: 'living_rural_class34_fen', regionCode: R.countyA, value: 5000 }],
    },
  }),
  'GET /api/v1/policy/fact-snapshots': () => ({ url: `/api/v1/policy/fact-snapshots?regionCode=${R.countyA}` }),
  'POST /api/v1/policy/fact-snapshots': () => ({
    url: '/api/v1/policy/fact-snapshots',
    body: { regionCode: R.countyA, asOf: '2025-06-01' },
  }),
};
