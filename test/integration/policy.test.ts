import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayCst } from '../../src/domain/calendar.js';
import { rows } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { makeCert, makeEnrollment, makeHousehold, makePerson, villageOf } from '../support/factories-policy.js';

/** Policy engine over HTTP: parameters as effective-dated data, evaluate, coverage, what-if, bulk (issue 6). */
let t: TestApp;
const c: Record<string, Client> = {};
const HUATING = '620881';
const JINGCHUAN = '620821';
const ids: Record<string, number> = {};

const today = () => todayCst();
async function waitFor(client: Client, id: number) {
  for (let i = 0; i < 200; i++) {
    const j = (await client.get(`/api/v1/jobs/${id}`)).json();
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  t = await startTestApp();
  await seedPolicyParameters(t.database.db, R.city);
  await makeUser(t.database, { username: 'pa_approver', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'pa_admin', role: 'admin', regionCode: R.city });
  await makeUser(t.database, { username: 'pa_canlian', role: 'dept_disability', regionCode: R.city });
  await makeUser(t.database, { username: 'pa_caizheng', role: 'dept_finance', regionCode: R.city });
  await makeUser(t.database, { username: 'pa_jingban', role: 'caseworker', regionCode: R.townA });
  for (const u of ['pa_approver', 'pa_admin', 'pa_canlian', 'pa_caizheng', 'pa_jingban']) c[u] = await login(t.app, u);
  // Registry: a class-3 rural dibao family with a physical level 1 member in 华亭 (has a class 3–4 standard) and in
  // 泾川 (has none); a physical level 2 person without dibao in 泾川 (gains when the nursing table is widened).
  const db = t.database.db;
  for (const county of [HUATING, JINGCHUAN]) {
    const v = await villageOf(db, county);
    const hh = await makeHousehold(db, { regionCode: v, hukouType: 'rural' });
    const p = await makePerson(db, { householdId: hh, regionCode: v, birthDate: '1970-03-04' });
    await makeCert(db, { personId: p, regionCode: v, generation: 2, type: 'physical', level: 1 });
    await makeEnrollment(db, { householdId: hh, regionCode: v, programme: 'dibao', dibaoKind: 'rural', ruralClass: 3 });
    ids[`hh${county}`] = hh;
    ids[`p${county}`] = p;
  }
  const vj = await villageOf(db, JINGCHUAN);
  const hh2 = await makeHousehold(db, { regionCode: vj, hukouType: 'rural' });
  const p2 = await makePerson(db, { householdId: hh2, regionCode: vj, birthDate: '1980-01-01' });
  await makeCert(db, { personId: p2, regionCode: vj, generation: 2, type: 'physical', level: 2 });
  // 华亭's person is already paid the living subsidy (coverage: paid vs eligible).
  await makeEnrollment(db, {
    householdId: ids[`hh${HUATING}`]!,
    personId: ids[`p${HUATING}`]!,
    regionCode: await villageOf(db, HUATING),
    programme: 'disability_living',
    amountFen: 5000,
  });
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const param = (o: Record<string, unknown> = {}) => ({
  programme: 'disability',
  regionCode: R.countyA,
  key: 'living_rural_class34_fen',
  value: 6000,
  effectiveFrom: '2025-01-01',
  sourceDocument: '崆峒区民政局关于农村三四类低保家庭困难残疾人生活补贴标准的通知',
  sourceArticle: '第二条',
  ...o,
});

describe('parameters as effective-dated data — issue 6 item 1', () => {
  it('lists the seed defaults with their sources', async () => {
    const res = await c.pa_canlian!.get('/api/v1/parameters?programme=disability');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      key: string;
      regionCode: string;
      value: unknown;
      sourceDocument: string;
    }>;
    expect(items.find((i) => i.key === 'living_standard_fen')).toMatchObject({ regionCode: '62', value: 10000 });
    expect(
      items.find((i) => i.key === 'living_rural_class34_fen' && i.regionCode === HUATING)?.sourceDocument,
    ).toContain('seed');
  });

  it('a new value is a new row from its date; the open row before it is closed, never rewritten; both audited', async () => {
    const a = await c.pa_approver!.post('/api/v1/parameters', param());
    expect(a.statusCode).toBe(201);
    const b = await c.pa_approver!.post('/api/v1/parameters', param({ value: 7000, effectiveFrom: '2025-07-01' }));
    expect(b.statusCode).toBe(201);
    expect(b.json().supersedesId).toBe(a.json().id);
    const old = await c.pa_approver!.get(`/api/v1/parameters/${a.json().id}`);
    expect(old.json()).toMatchObject({ value: 6000, effectiveFrom: '2025-01-01', effectiveTo: '2025-07-01' });
    const audit = await rows<{ action: string }>(
      t.database.db,
      sql`SELECT action FROM audit_log WHERE entity_type = 'policy_parameter' AND entity_id IN (${String(a.json().id)}, ${String(b.json().id)}) ORDER BY seq`,
    );
    expect(audit.map((x) => x.action)).toEqual(['parameter.create', 'parameter.create', 'parameter.close']);
    const resolved = async (asOf: string) =>
      (await c.pa_approver!.get(`/api/v1/parameters/resolved?regionCode=${R.countyA}&asOf=${asOf}`))
        .json()
        .items.find((i: { name: string }) => i.name === 'disability.living_rural_class34_fen');
    expect((await resolved('2025-03-01')).value).toBe(6000);
    expect((await resolved('2025-08-01')).value).toBe(7000);
    expect(await resolved('2024-06-01')).toBeUndefined();
  });

  it('rejects overlapping periods for the same key and scope (409)', async () => {
    const res = await c.pa_approver!.post(
      '/api/v1/parameters',
      param({ effectiveFrom: '2025-03-01', effectiveTo: '2025-05-01' }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PARAMETER_OVERLAP');
  });

  it('a row is never rewritten in place, even in SQL', async () => {
    await expect(
      t.database.db.execute(sql`UPDATE policy_parameters SET value = '1'::jsonb WHERE key = 'living_standard_fen'`),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`DELETE FROM policy_parameters WHERE key = 'living_standard_fen'`),
    ).rejects.toThrow();
  });

  it.each([
    ['without a source document', { sourceDocument: '' }, 400, 'VALIDATION_FAILED', 'sourceDocument'],
    ['without an article', { sourceArticle: '   ' }, 400, 'VALIDATION_FAILED', 'sourceArticle'],
    ['with an unknown key', { key: 'no_such_key' }, 400, 'PARAMETER_INVALID', 'key'],
    ['a province-only key at county level', { key: 'living_standard_fen' }, 400, 'PARAMETER_INVALID', 'regionCode'],
    ['with an invalid value', { value: -5 }, 400, 'PARAMETER_INVALID', 'value'],
    [
      'a nursing table with an unknown disability type',
      { key: 'nursing_table', value: [{ type: 'smell', level: 1, requiresLongTermCare: false }] },
      400,
      'PARAMETER_INVALID',
      'value',
    ],
    ['with a date out of range', { effectiveFrom: '1900-01-01', value: 1 }, 400, 'PARAMETER_INVALID', 'effectiveFrom'],
    [
      'ending before it starts',
      { effectiveFrom: '2031-01-01', effectiveTo: '2030-01-01' },
      400,
      'PARAMETER_INVALID',
      'effectiveTo',
    ],
    [
      'at the province by a county approver',
      { regionCode: '62', key: 'nursing_table', value: [{ type: 'visual', level: 1, requiresLongTermCare: false }] },
      403,
      'REGION_OUT_OF_SCOPE',
      'regionCode',
    ],
  ])('rejects a parameter %s', async (_n, o, status, code, field) => {
    const res = await c.pa_approver!.post('/api/v1/parameters', param(o));
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('only authorised roles edit parameters', async () => {
    expect((await c.pa_jingban!.post('/api/v1/parameters', param({ effectiveFrom: '2040-01-01' }))).statusCode).toBe(
      403,
    );
    expect((await c.pa_canlian!.post('/api/v1/parameters', param({ effectiveFrom: '2040-01-01' }))).statusCode).toBe(
      403,
    );
  });
});

const urbanFamily = {
  regionCode: R.villageA,
  hukouType: 'urban',
  members: [
    {
      ref: 'a',
      birthDate: '1980-01-01',
      hukouLocal: true,
      disabilityCert: { generation: 2, disabilityType: 'physical', disabilityLevel: 1 },
    },
  ],
  enrollments: [{ programme: 'dibao', status: 'active', dibaoKind: 'urban' }],
};

describe('POST /v1/evaluate — issue 6 item 5 and "Bad input"', () => {
  it('answers every programme with amount, funding split and explanation', async () => {
    const res = await c.pa_jingban!.post('/api/v1/evaluate', { asOf: '2025-06-01', household: urbanFamily });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({ monthlyFen: 20000, funding: { provinceFen: 15000, cityFen: 0, countyFen: 5000 } });
    const living = body.decisions.find((d: { programme: string }) => d.programme === 'disability_living');
    expect(living.outcome).toBe('eligible');
    expect(living.explanation).toContain('POLICY.md §4');
    expect(body.parameters['disability.living_standard_fen'].regionCode).toBe('62');
  });

  it.each([
    [
      'a 1st-generation certificate with a level',
      {
        members: [
          {
            ...urbanFamily.members[0],
            disabilityCert: { generation: 1, disabilityType: 'physical', disabilityLevel: 2 },
          },
        ],
      },
      '2025-06-01',
      'FACTS_CONTRADICTORY',
      'household.members[0].disabilityCert.disabilityLevel',
    ],
    [
      'a child with a pension',
      {
        members: [...urbanFamily.members, { ref: 'k', birthDate: '2018-01-01' }],
        incomeItems: [{ personRef: 'k', kind: 'basic_pension', period: 'monthly', amountFen: 10000 }],
      },
      '2025-06-01',
      'FACTS_CONTRADICTORY',
      'household.incomeItems[0].kind',
    ],
    [
      'an unknown disability type',
      {
        members: [
          { ...urbanFamily.members[0], disabilityCert: { generation: 2, disabilityType: 'smell', disabilityLevel: 1 } },
        ],
      },
      '2025-06-01',
      'VALIDATION_FAILED',
      'household.members[0].disabilityCert.disabilityType',
    ],
    ['an as-of date out of range', {}, '1980-01-01', 'FACTS_CONTRADICTORY', 'asOf'],
    ['an impossible date', {}, '2025-02-30', 'FACTS_CONTRADICTORY', 'asOf'],
    [
      'a birth date after the as-of date',
      { members: [{ ...urbanFamily.members[0], birthDate: '2030-01-01' }] },
      '2025-06-01',
      'FACTS_CONTRADICTORY',
      'household.members[0].birthDate',
    ],
  ])('rejects %s with 400 naming the field', async (_n, o, asOf, code, field) => {
    const res = await c.pa_jingban!.post('/api/v1/evaluate', { asOf, household: { ...urbanFamily, ...o } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a missing fact a rule needs is named with the rule', async () => {
    const res = await c.pa_jingban!.post('/api/v1/evaluate', {
      asOf: '2025-06-01',
      household: {
        ...urbanFamily,
        hukouType: 'rural',
        enrollments: [{ programme: 'dibao', status: 'active', dibaoKind: 'rural' }],
      },
    });
    expect(res.statusCode).toBe(200);
    const living = res.json().decisions.find((d: { programme: string }) => d.programme === 'disability_living');
    expect(living.outcome).toBe('undetermined');
    expect(living.missingFacts[0]).toMatchObject({ fact: 'enrollments[dibao].ruralClass', rule: 'D2' });
  });

  it('evaluates a registry household with the same rules', async () => {
    const res = await c.pa_caizheng!.get(`/api/v1/policy/households/${ids[`hh${HUATING}`]}/evaluation?asOf=2025-06-01`);
    expect(res.statusCode).toBe(403); // finance reads costs, not individual evaluations
    const admin = await makeUser(t.database, { username: 'pa_hua', role: 'county_approver', regionCode: HUATING });
    expect(admin).toBeGreaterThan(0);
    const hua = await login(t.app, 'pa_hua');
    const ok = await hua.get(`/api/v1/policy/households/${ids[`hh${HUATING}`]}/evaluation?asOf=2025-06-01`);
    expect(ok.statusCode).toBe(200);
    const living = ok.json().decisions.find((d: { programme: string }) => d.programme === 'disability_living');
    expect(living).toMatchObject({
      outcome: 'eligible',
      monthlyAmountFen: 5000,
      funding: { provinceFen: 0, cityFen: 0, countyFen: 5000 },
    });
  });
});

describe('coverage report — issue 6 item 3', () => {
  it('shows eligible vs paid per county and the counties without a class 3–4 standard', async () => {
    const res = await c.pa_canlian!.get('/api/v1/policy/coverage?regionCode=6208&asOf=2025-06-01');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const hua = body.counties.find((x: { countyCode: string }) => x.countyCode === HUATING);
    const jing = body.counties.find((x: { countyCode: string }) => x.countyCode === JINGCHUAN);
    expect(hua).toMatchObject({
      hasClass34Standard: true,
      class34StandardFen: 5000,
      livingEligible: 1,
      livingPaid: 1,
      livingEligibleNotPaid: 0,
      nursingEligible: 1,
      nursingPaid: 0,
      nursingEligibleNotPaid: 1,
    });
    expect(jing).toMatchObject({
      hasClass34Standard: false,
      livingEligible: 0,
      coverageGapPersons: 1,
      nursingEligible: 1,
    });
    expect(body.countiesWithoutClass34Standard).toContain(JINGCHUAN);
    expect(body.countiesWithoutClass34Standard).not.toContain(HUATING);
  });
  it('finance reads it; a caseworker does not', async () => {
    expect((await c.pa_caizheng!.get('/api/v1/policy/coverage?regionCode=6208')).statusCode).toBe(200);
    expect((await c.pa_jingban!.get('/api/v1/policy/coverage')).statusCode).toBe(403);
  });
});

describe('what-if simulation — issue 6 item 7', () => {
  it('a county class 3–4 standard of 50 元: who gains and what it costs, by funding source, changing nothing', async () => {
    const before = await rows(t.database.db, sql`SELECT count(*)::int AS n FROM policy_parameters`);
    const res = await c.pa_caizheng!.post('/api/v1/policy/what-if', {
      regionCode: JINGCHUAN,
      asOf: '2025-06-01',
      changes: [{ programme: 'disability', key: 'living_rural_class34_fen', regionCode: JINGCHUAN, value: 5000 }],
    });
    expect(res.statusCode).toBe(200);
    const j = res.json().counties.find((x: { countyCode: string }) => x.countyCode === JINGCHUAN);
    expect(j).toMatchObject({
      gainers: 1,
      losers: 0,
      delta: { monthlyFen: 5000, annualFen: 60000, provinceFen: 0, cityFen: 0, countyFen: 5000 },
    });
    expect(res.json().elapsedMs).toBeLessThan(2000);
    expect(await rows(t.database.db, sql`SELECT count(*)::int AS n FROM policy_parameters`)).toEqual(before);
  });
  it('the nursing table widened to every level 1–2 adds the physical level 2 person', async () => {
    const types = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];
    const wide = types.flatMap((type) => [1, 2].map((level) => ({ type, level, requiresLongTermCare: false })));
    const res = await c.pa_caizheng!.post('/api/v1/policy/what-if', {
      regionCode: '6208',
      asOf: '2025-06-01',
      changes: [{ programme: 'disability', key: 'nursing_table', regionCode: '62', value: wide }],
    });
    expect(res.statusCode).toBe(200);
    const j = res.json().counties.find((x: { countyCode: string }) => x.countyCode === JINGCHUAN);
    expect(j).toMatchObject({ gainers: 1, delta: { monthlyFen: 10000, provinceFen: 8000, countyFen: 2000 } });
  });
  it('rejects an invalid change naming it', async () => {
    const res = await c.pa_caizheng!.post('/api/v1/policy/what-if', {
      regionCode: JINGCHUAN,
      changes: [{ programme: 'disability', key: 'living_rural_class34_fen', regionCode: JINGCHUAN, value: 'fifty' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('changes[0].value');
  });
});

describe('policy fact snapshots: the what-if reads one narrow table — issue 6 item 7', () => {
  const wideNursing = () =>
    ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'].flatMap((type) =>
      [1, 2].map((level) => ({ type, level, requiresLongTermCare: false })),
    );
  const whatIfBody = (facts?: string, asOf = '2025-06-01') => ({
    regionCode: '6208',
    asOf,
    changes: [{ programme: 'disability', key: 'nursing_table', regionCode: '62', value: wideNursing() }],
    ...(facts ? { facts } : {}),
  });
  const waitJob = async (client: Client, id: number) => {
    for (let i = 0; i < 200; i++) {
      const j = (await client.get(`/api/v1/jobs/${id}`)).json();
      if (j.status === 'succeeded' || j.status === 'failed') return j;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('snapshot job did not finish');
  };

  it('only roles that may build one can; out-of-area and bad input get clear errors and build nothing', async () => {
    // 财政 may simulate but not build snapshots; a township caseworker may do neither.
    expect((await c.pa_caizheng!.post('/api/v1/policy/fact-snapshots', { regionCode: '6208' })).statusCode).toBe(403);
    expect((await c.pa_jingban!.get('/api/v1/policy/fact-snapshots?regionCode=6208')).statusCode).toBe(403);
    // 崆峒区's approver cannot build 泾川's.
    const out = await c.pa_approver!.post('/api/v1/policy/fact-snapshots', { regionCode: JINGCHUAN });
    expect(out.statusCode).toBe(404);
    const bad = await c.pa_admin!.post('/api/v1/policy/fact-snapshots', { regionCode: '62x8' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('regionCode');
    const badDate = await c.pa_admin!.post('/api/v1/policy/fact-snapshots', { regionCode: '6208', asOf: '2025-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().errors[0].field).toBe('asOf');
    expect(await rows(t.database.db, sql`SELECT count(*)::int AS n FROM policy_fact_snapshots`)).toEqual([{ n: 0 }]);
    // Asking for a snapshot that does not exist names what is missing.
    const missing = await c.pa_caizheng!.post('/api/v1/policy/what-if', whatIfBody('snapshot'));
    expect(missing.statusCode).toBe(409);
    expect(missing.json().code).toBe('FACT_SNAPSHOT_MISSING');
    expect(missing.json().errors[0].field).toBe('facts');
  });

  it('is built per county as a job with progress, and the what-if over it answers exactly as the live one', async () => {
    const live = await c.pa_caizheng!.post('/api/v1/policy/what-if', whatIfBody());
    expect(live.statusCode).toBe(200);
    expect(live.json().facts).toEqual({ source: 'live', refreshedAt: null });

    const res = await c.pa_admin!.post('/api/v1/policy/fact-snapshots', { regionCode: '6208', asOf: '2025-06-01' });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(c.pa_admin!, res.json().id);
    expect(job.status).toBe('succeeded');
    expect(job.progressDone).toBe(job.progressTotal);
    expect(job.progressTotal).toBeGreaterThanOrEqual(7);

    const list = (await c.pa_caizheng!.get('/api/v1/policy/fact-snapshots?regionCode=6208')).json().items;
    const persons = await rows<{ county_code: string; n: number }>(
      t.database.db,
      sql`SELECT county_code, count(*)::int AS n FROM persons WHERE county_code LIKE '6208%' GROUP BY 1`,
    );
    for (const p of persons) {
      expect(list.find((s: { countyCode: string }) => s.countyCode === p.county_code)).toMatchObject({
        asOf: '2025-06-01',
        persons: p.n,
        refreshedBy: 'pa_admin',
      });
    }
    const audit = await rows(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'policy.facts_snapshot'`,
    );
    expect(audit[0]!.n).toBe(job.progressTotal);

    const snap = await c.pa_caizheng!.post('/api/v1/policy/what-if', whatIfBody());
    expect(snap.statusCode, snap.body).toBe(200);
    expect(snap.json().facts.source).toBe('snapshot');
    expect(snap.json().facts.refreshedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(snap.json().counties).toEqual(live.json().counties);
    expect(snap.json().total).toEqual(live.json().total);
    // Another date has no snapshot: live again.
    const other = await c.pa_caizheng!.post('/api/v1/policy/what-if', whatIfBody(undefined, '2025-07-01'));
    expect(other.json().facts.source).toBe('live');
  });

  it('is a picture of its date: a registry change after it shows live, not in the snapshot, until it is rebuilt', async () => {
    const db = t.database.db;
    const vj = await villageOf(db, JINGCHUAN);
    const hh = await makeHousehold(db, { regionCode: vj, hukouType: 'rural' });
    const p = await makePerson(db, { householdId: hh, regionCode: vj, birthDate: '1985-05-05' });
    await makeCert(db, { personId: p, regionCode: vj, generation: 2, type: 'visual', level: 2 });
    const gainers = async (facts: string) => {
      const r = (await c.pa_caizheng!.post('/api/v1/policy/what-if', whatIfBody(facts))).json();
      return r.counties.find((x: { countyCode: string }) => x.countyCode === JINGCHUAN).gainers as number;
    };
    const before = await gainers('snapshot');
    expect(await gainers('live')).toBe(before + 1);
    // Rebuilding 泾川's snapshot only (a county approver of 泾川 could do the same) picks the change up.
    const res = await c.pa_admin!.post('/api/v1/policy/fact-snapshots', { regionCode: JINGCHUAN, asOf: '2025-06-01' });
    expect(res.statusCode).toBe(202);
    expect((await waitJob(c.pa_admin!, res.json().id)).progressTotal).toBe(1);
    expect(await gainers('snapshot')).toBe(before + 1);
  });
});

describe('fact snapshot jobs left behind by a dead process', () => {
  it('block their area for an hour at most, then are marked failed and a new build is accepted', async () => {
    const db = t.database.db;
    await db.execute(sql`INSERT INTO jobs (kind, status, region_code, params, created_at, started_at)
      VALUES ('policy.facts_snapshot', 'running', ${JINGCHUAN}, '{}'::jsonb, now() - interval '10 minutes', now())`);
    const busy = await c.pa_admin!.post('/api/v1/policy/fact-snapshots', { regionCode: JINGCHUAN });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('FACT_SNAPSHOT_RUNNING');
    await db.execute(sql`UPDATE jobs SET created_at = now() - interval '2 hours'
      WHERE kind = 'policy.facts_snapshot' AND status = 'running' AND region_code = ${JINGCHUAN}`);
    const ok = await c.pa_admin!.post('/api/v1/policy/fact-snapshots', { regionCode: JINGCHUAN });
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await waitFor(c.pa_admin!, ok.json().id)).status).toBe('succeeded');
    const stale = await rows<{ status: string }>(
      db,
      sql`SELECT status FROM jobs WHERE kind = 'policy.facts_snapshot' AND created_at < now() - interval '1 hour'`,
    );
    expect(stale.map((x) => x.status)).toEqual(['failed']);
  });
});

describe('fact snapshots are refreshed with the monthly update — issue 6 item 7', () => {
  it('a county that uses snapshots gets a fresh one as of today when it confirms its monthly update; others do not', async () => {
    const month = today().slice(0, 7);
    // 崆峒区 without snapshots (the city-wide one above is dropped for it): confirming starts nothing.
    await t.database.db.execute(sql`DELETE FROM policy_fact_snapshots WHERE county_code = ${R.countyA}`);
    const first = await c.pa_approver!.post('/api/v1/monthly-updates/confirm', { countyCode: R.countyA, month });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().factSnapshotJobId).toBeNull();
    // Once it has one, the confirmation refreshes it as of today, in the background, with the job to follow.
    const built = await c.pa_approver!.post('/api/v1/policy/fact-snapshots', {
      regionCode: R.countyA,
      asOf: '2025-06-01',
    });
    expect(built.statusCode).toBe(202);
    await waitFor(c.pa_approver!, built.json().id);
    const again = await c.pa_approver!.post('/api/v1/monthly-updates/confirm', { countyCode: R.countyA, month });
    expect(again.statusCode, again.body).toBe(200);
    const jobId = again.json().factSnapshotJobId as number;
    expect(jobId).toEqual(expect.any(Number));
    expect((await waitFor(c.pa_approver!, jobId)).status).toBe('succeeded');
    const list = (await c.pa_approver!.get(`/api/v1/policy/fact-snapshots?regionCode=${R.countyA}`)).json().items;
    expect(list.map((x: { asOf: string }) => x.asOf)).toEqual([today(), '2025-06-01']);
  });
});

describe('bulk evaluation — issue 6 item 6', () => {
  it('sums both subsidies and the 特困 conditions per county in the caller’s scope', async () => {
    const res = await c.pa_approver!.post('/api/v1/policy/bulk-evaluations', {
      regionCode: R.city,
      asOf: '2025-06-01',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().counties.map((x: { countyCode: string }) => x.countyCode)).toEqual([R.countyA]);
    const admin = await makeUser(t.database, { username: 'pa_sup', role: 'supervisor', regionCode: R.city });
    expect(admin).toBeGreaterThan(0);
    const sup = await login(t.app, 'pa_sup');
    const all = (await sup.post('/api/v1/policy/bulk-evaluations', { regionCode: R.city, asOf: '2025-06-01' })).json();
    const hua = all.counties.find((x: { countyCode: string }) => x.countyCode === HUATING);
    expect(hua.living).toMatchObject({ persons: 1, monthlyFen: 5000, countyFen: 5000 });
    expect(hua.nursing).toMatchObject({ persons: 1, monthlyFen: 10000, provinceFen: 8000, countyFen: 2000 });
  });
});
