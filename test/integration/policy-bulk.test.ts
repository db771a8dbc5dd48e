import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParameterRow, resolveParameters } from '../../src/domain/parameters/resolve.js';
import { evaluateHousehold } from '../../src/domain/programs/evaluate.js';
import type { Decision } from '../../src/domain/programs/facts.js';
import type { Database } from '../../src/server/db/client.js';
import { type CountyParams, personDecisions, whatIfCounts } from '../../src/server/modules/policy/bulk-repo.js';
import { parametersFor } from '../../src/server/modules/policy/repo.js';
import { countyParamsOf } from '../../src/server/modules/policy/bulk.js';
import { registryHouseholdFacts } from '../../src/server/modules/policy/evaluate.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { buildFactSnapshots } from '../../src/server/modules/policy/snapshots.js';
import { freshDatabase } from '../support/db.js';

/**
 * The bulk SQL path against the pure rules (the specification), on thousands of generated households in three
 * counties with different parameters (华亭 has a class 3–4 standard; 泾川 overrides the nursing table and the
 * city share). Seeded generation: the same seed always builds the same registry. POLICY.md §3, §4.
 */
const ASOF = '2025-06-01';
const HOUSEHOLDS = Number(process.env.POLICY_AGREEMENT_HOUSEHOLDS ?? 2500);
const SEED = 20250601;
let database: Database;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTIES = ['620802', '620881', '620821'];
const TYPES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];
const STUDENT = [null, 'none', 'primary', 'junior', 'senior', 'vocational', 'bachelor'];
const INCOME = [
  'wages',
  'business_net',
  'property_net',
  'transfer_net',
  'special_care',
  'family_planning',
  'scholarship',
  'heroic_award',
  'social_assistance',
  'basic_pension',
  'other_excluded',
];
const BENEFITS = [
  'orphan_basic_living',
  'de_facto_unsupported_child',
  'work_injury_nursing_fee',
  'elderly_living_allowance',
  'elderly_nursing_allowance',
  'work_disability_living_allowance',
  'work_disability_nursing_allowance',
  'retiree_living_allowance',
  'retiree_nursing_allowance',
];

const q = (v: unknown) =>
  v === null || v === undefined
    ? 'NULL'
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : `'${String(v).replaceAll("'", "''")}'`;

/** Builds the registry with multi-row INSERTs (ids are assigned from known sequences' start). */
async function generate(db: Database['db']) {
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const date = (y0: number, y1: number) =>
    `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const villages: Record<string, string> = {};
  for (const c of COUNTIES) {
    const v = (await db.execute(
      sql`SELECT code FROM regions WHERE level = 5 AND code LIKE ${`${c}%`} ORDER BY code LIMIT 1`,
    )) as unknown as { rows: Array<{ code: string }> };
    villages[c] = v.rows[0]!.code;
  }
  const hh: string[] = [];
  const persons: string[] = [];
  const certs: string[] = [];
  const income: string[] = [];
  const property: string[] = [];
  const enroll: string[] = [];
  const benefits: string[] = [];
  const supporters: string[] = [];
  let pid = 0;
  for (let h = 1; h <= HOUSEHOLDS; h++) {
    const region = villages[pick(COUNTIES)]!;
    const hukou = r() < 0.3 ? 'urban' : 'rural';
    hh.push(`(${h}, ${q(region)}, '地址', ${q(hukou)})`);
    const n = int(1, 4);
    const members: Array<{ id: number; age: number }> = [];
    for (let k = 0; k < n; k++) {
      pid++;
      const birth = r() < 0.2 ? date(2006, 2024) : date(1930, 2005);
      const age = 2025 - Number(birth.slice(0, 4));
      members.push({ id: pid, age });
      const idn = `${region.slice(0, 6)}${birth.replaceAll('-', '')}${String(pid).padStart(4, '0')}`.slice(0, 18);
      persons.push(
        `(${pid}, ${q(idn)}, '某', 'M', ${q(birth)}, ${r() < 0.9}, ${q(pick(STUDENT))}, ${r() < 0.04 ? q(date(2020, 2026)) : 'NULL'}, ${h}, 'other', ${q(region)})`,
      );
      if (r() < 0.45) {
        const gen = r() < 0.12 ? 1 : 2;
        certs.push(
          `(${pid}, ${q(region)}, 'C${pid}', ${gen}, ${q(pick(TYPES))}, ${gen === 1 ? 'NULL' : int(1, 4)}, ${r() < 0.5}, ${r() < 0.1 ? q(date(2020, 2024)) : 'NULL'})`,
        );
      }
      if (r() < 0.15)
        benefits.push(
          `(${pid}, ${q(region)}, ${q(pick(BENEFITS))}, ${r() < 0.1 ? 'NULL' : int(0, 20000)}, ${r() < 0.9 ? "'2020-01-01'" : "'2026-01-01'"})`,
        );
      if (r() < 0.06) enroll.push(`(${h}, ${pid}, ${q(region)}, 'tekun', NULL, NULL, 'active')`);
      if (r() < 0.5) {
        for (let s = int(1, 2); s > 0; s--) {
          supporters.push(
            `(${pid}, ${q(region)}, '义务人', 'child', ${q(date(1930, 2000))}, ${r() < 0.1}, ${r() < 0.2}, ${r() < 0.1 ? 'NULL' : int(0, 5000000)}, ${r() < 0.1 ? 'NULL' : int(0, 8000000)}, ${r() < 0.3 ? q(pick(TYPES)) : 'NULL'}, ${r() < 0.3 ? int(1, 4) : 'NULL'}, ${r() < 0.05}, ${r() < 0.05}, ${r() < 0.05})`,
          );
        }
      }
    }
    for (let i = int(0, 3); i > 0; i--) {
      const m = r() < 0.3 ? null : pick(members);
      let kind = pick(INCOME);
      if (kind === 'basic_pension' && m && m.age < 17) kind = 'wages';
      income.push(
        `(${h}, ${m?.id ?? 'NULL'}, ${q(region)}, ${q(kind)}, ${q(r() < 0.6 ? 'monthly' : 'annual')}, ${int(0, r() < 0.5 ? 60000 : 900000)})`,
      );
    }
    for (let i = int(0, 2); i > 0; i--) {
      const m = r() < 0.4 ? null : pick(members);
      property.push(`(${h}, ${m?.id ?? 'NULL'}, ${q(region)}, 'deposit', ${int(0, r() < 0.7 ? 3500000 : 9000000)})`);
    }
    if (r() < 0.55) {
      const kind = r() < 0.2 ? null : hukou;
      const cls = kind === 'urban' ? null : r() < 0.05 ? null : int(1, 4);
      enroll.push(
        `(${h}, NULL, ${q(region)}, 'dibao', ${q(kind)}, ${cls ?? 'NULL'}, ${q(r() < 0.9 ? 'active' : 'ended')})`,
      );
    }
    if (r() < 0.04) enroll.push(`(${h}, ${pick(members).id}, ${q(region)}, 'dibao', 'rural', ${int(1, 4)}, 'active')`);
  }
  const chunked = async (head: string, values: string[]) => {
    for (let i = 0; i < values.length; i += 2000)
      await db.execute(sql.raw(`${head} VALUES ${values.slice(i, i + 2000).join(',')}`));
  };
  await chunked('INSERT INTO households (id, region_code, address, hukou_type)', hh);
  await chunked(
    'INSERT INTO persons (id, id_number, name, sex, birth_date, hukou_local, student_status, death_date, household_id, relation, region_code)',
    persons,
  );
  await chunked(
    'INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level, needs_long_term_care, expires_on)',
    certs,
  );
  await chunked('INSERT INTO income_items (household_id, person_id, region_code, kind, period, amount_fen)', income);
  await chunked('INSERT INTO property_items (household_id, person_id, region_code, kind, value_fen)', property);
  await chunked(
    'INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, dibao_kind, rural_class, status, start_month)',
    enroll.map((e) => `${e.slice(0, -1)}, '2024-01')`),
  );
  await chunked(
    'INSERT INTO person_benefit_facts (person_id, region_code, kind, monthly_amount_fen, valid_from)',
    benefits,
  );
  await chunked(
    'INSERT INTO legal_supporters (person_id, region_code, name, relation, birth_date, is_tekun, is_dibao, annual_income_fen, property_fen, disability_type, disability_level, lacks_civil_capacity, declared_missing, imprisoned)',
    supporters,
  );
}

beforeAll(async () => {
  database = await freshDatabase();
  await seedPolicyParameters(database.db, '6208');
  // 泾川 widens the nursing table to every level 1–2 and pays 40% of the local share at city level (county overrides).
  const wide = TYPES.flatMap((type) => [1, 2].map((level) => ({ type, level, requiresLongTermCare: level === 2 })));
  await database.db.execute(sql`INSERT INTO policy_parameters (programme, region_code, key, value, effective_from, source_document, source_article)
    VALUES ('disability', '620821', 'nursing_table', ${JSON.stringify(wide)}::jsonb, '2025-01-01', '测试', '扩面'),
           ('disability', '620821', 'local_share_city_percent', '40'::jsonb, '2025-01-01', '测试', '市县分担')`);
  await generate(database.db);
  // Freshly bulk-loaded tables need statistics before a set-based plan (PostgreSQL's autovacuum would do this).
  await database.db.execute(sql`ANALYZE`);
}, 300_000);

afterAll(async () => {
  await database?.close();
});

const tri = (c: Decision | undefined, clause: string) => {
  const o = c?.clauses.find((x) => x.clause === clause)?.outcome;
  return o === 'met' ? true : o === 'not_met' ? false : o === 'undetermined' ? null : undefined;
};

describe('bulk SQL agrees with the pure rules — issue 6 item 6; POLICY.md §3, §4', () => {
  it(`on ${HOUSEHOLDS} generated households`, async () => {
    const db = database.db;
    const scope = { regionCode: '6208' };
    const rowsAll: ParameterRow[] = (await parametersFor(db, '6208')).map((p) => ({
      id: Number(p.id),
      programme: p.programme,
      regionCode: p.region_code,
      key: p.key,
      value: p.value as never,
      effectiveFrom: p.effective_from,
      effectiveTo: p.effective_to,
      sourceDocument: p.source_document,
      sourceArticle: p.source_article,
    }));
    const resolvedBy = Object.fromEntries(COUNTIES.map((c) => [c, resolveParameters(rowsAll, c, ASOF)]));
    const params = COUNTIES.map((c) => countyParamsOf(c, 0, resolvedBy[c]!) as CountyParams);
    const bulk = await personDecisions(db, scope, '6208', ASOF, params);
    const facts = await registryHouseholdFacts(
      db,
      scope,
      Array.from({ length: HOUSEHOLDS }, (_, i) => i + 1),
      ASOF,
    );
    const byPerson = new Map(bulk.map((b) => [String(b.person_id), b]));
    let compared = 0;
    let skipped = 0;
    const mismatches: string[] = [];
    const seen = { living: 0, nursing: 0, gap: 0, tekun: 0, undetermined: 0, zegaoZero: 0 };
    for (const [hid, h] of facts) {
      const out = evaluateHousehold(h, ASOF, resolvedBy[h.regionCode.slice(0, 6)]!);
      if (!out.ok) {
        skipped++;
        continue;
      }
      for (const m of h.members) {
        const b = byPerson.get(m.ref);
        const ds = out.result.decisions.filter((d) => d.personRef === m.ref);
        const [lv, nu, tk] = [
          ds.find((d) => d.programme === 'disability_living')!,
          ds.find((d) => d.programme === 'disability_nursing')!,
          ds.find((d) => d.programme === 'tekun')!,
        ];
        const pure = {
          living: [
            lv.eligible,
            lv.monthlyAmountFen,
            lv.funding.provinceFen,
            lv.funding.cityFen,
            lv.flags.includes('coverage_gap'),
          ],
          nursing: [nu.eligible, nu.monthlyAmountFen, nu.funding.provinceFen, nu.funding.cityFen],
          tekun: [
            tri(tk, 'T1.labour_capacity'),
            tri(tk, 'T2.no_living_source'),
            tri(tk, 'T3.supporters'),
            tk.eligible,
            tk.monthlyAmountFen,
            tk.funding.provinceFen,
            tk.funding.cityFen,
          ],
        };
        const sqlSide = {
          living: [
            b?.living_eligible,
            Number(b?.living_fen),
            Number(b?.living_province_fen),
            Number(b?.living_city_fen),
            b?.coverage_gap,
          ],
          nursing: [
            b?.nursing_eligible,
            Number(b?.nursing_fen),
            Number(b?.nursing_province_fen),
            Number(b?.nursing_city_fen),
          ],
          tekun: [
            b?.tekun_c1,
            b?.tekun_c2,
            b?.tekun_c3,
            b?.tekun_eligible,
            Number(b?.tekun_fen),
            Number(b?.tekun_province_fen),
            Number(b?.tekun_city_fen),
          ],
        };
        if (JSON.stringify(pure) !== JSON.stringify(sqlSide))
          mismatches.push(
            `household ${hid} person ${m.ref}: pure ${JSON.stringify(pure)} sql ${JSON.stringify(sqlSide)}`,
          );
        compared++;
        if (lv.eligible) seen.living++;
        if (nu.eligible) seen.nursing++;
        if (lv.flags.includes('coverage_gap')) seen.gap++;
        if (tk.eligible) seen.tekun++;
        if (lv.eligible === null || nu.eligible === null || tk.eligible === null) seen.undetermined++;
        if ((lv.eligible && lv.monthlyAmountFen === 0) || (nu.eligible && nu.monthlyAmountFen === 0)) seen.zegaoZero++;
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(bulk.length).toBe(
      compared +
        [...facts.values()]
          .filter((h) => !evaluateHousehold(h, ASOF, resolvedBy[h.regionCode.slice(0, 6)]!).ok)
          .reduce((a, h) => a + h.members.length, 0),
    );
    expect(compared).toBeGreaterThan(HOUSEHOLDS * 2);
    expect(skipped).toBeLessThan(HOUSEHOLDS / 20);
    // The generated cases reach every interesting branch.
    for (const [k, v] of Object.entries(seen)) expect(v, k).toBeGreaterThan(0);
  }, 300_000);

  it('what-if equals the difference of two bulk evaluations — issue 6 item 7', async () => {
    const db = database.db;
    const scope = { regionCode: '6208' };
    const rowsAll: ParameterRow[] = (await parametersFor(db, '6208')).map((p) => ({
      id: Number(p.id),
      programme: p.programme,
      regionCode: p.region_code,
      key: p.key,
      value: p.value as never,
      effectiveFrom: p.effective_from,
      effectiveTo: p.effective_to,
      sourceDocument: p.source_document,
      sourceArticle: p.source_article,
    }));
    const base = COUNTIES.map((c) => countyParamsOf(c, 0, resolveParameters(rowsAll, c, ASOF)) as CountyParams);
    // Several changes at once: a class 3–4 standard, the nursing table widened to every level 1–2, tighter 特困 limits.
    const variant = base.map(
      (b, i): CountyParams => ({
        ...b,
        scenario: 1,
        class34: i === 2 ? 5000 : b.class34,
        nursingTable:
          i === 0
            ? TYPES.flatMap((type) => [1, 2].map((level) => ({ type, level, requiresLongTermCare: false }) as never))
            : b.nursingTable,
        supporterIncome: i === 1 ? Math.floor(b.supporterIncome / 2) : b.supporterIncome,
        propertyLimit: i === 1 ? Math.floor(b.propertyLimit / 3) : b.propertyLimit,
      }),
    );
    const before = await personDecisions(db, scope, '6208', ASOF, base);
    const after = await personDecisions(
      db,
      scope,
      '6208',
      ASOF,
      variant.map((v) => ({ ...v, scenario: 0 as const })),
    );
    const tot = (r: (typeof before)[number], k: '' | 'province_' | 'city_') =>
      Number(r[`living_${k}fen`]) + Number(r[`nursing_${k}fen`]) + Number(r[`tekun_${k}fen`]);
    const a = new Map(after.map((r) => [Number(r.person_id), r]));
    const expected = new Map<string, Record<string, number>>();
    for (const b of before) {
      const x = a.get(Number(b.person_id))!;
      const e = expected.get(b.county_code) ?? {
        gainers: 0,
        losers: 0,
        b_total: 0,
        b_province: 0,
        b_city: 0,
        a_total: 0,
        a_province: 0,
        a_city: 0,
      };
      if (tot(x, '') > tot(b, '')) e.gainers!++;
      if (tot(x, '') < tot(b, '')) e.losers!++;
      e.b_total! += tot(b, '');
      e.b_province! += tot(b, 'province_');
      e.b_city! += tot(b, 'city_');
      e.a_total! += tot(x, '');
      e.a_province! += tot(x, 'province_');
      e.a_city! += tot(x, 'city_');
      expected.set(b.county_code, e);
    }
    const got = await whatIfCounts(db, scope, '6208', ASOF, [...base, ...variant]);
    const actual = Object.fromEntries(
      got.map((g) => [
        g.county_code,
        Object.fromEntries(
          Object.entries(g)
            .filter(([k]) => k !== 'county_code')
            .map(([k, v]) => [k, Number(v)]),
        ),
      ]),
    );
    expect(actual).toEqual(Object.fromEntries(expected));
    // The changes move people in every direction somewhere.
    expect(Object.values(actual).some((c) => c.gainers! > 0)).toBe(true);
    expect(Object.values(actual).some((c) => c.losers! > 0)).toBe(true);
    // One county alone: the same figures as that county's row above.
    const one = await whatIfCounts(db, scope, '620821', ASOF, [base[2]!, variant[2]!]);
    expect(Number(one[0]!.gainers)).toBe(actual['620821']!.gainers);
    expect(Number(one[0]!.a_total)).toBe(actual['620821']!.a_total);
    // The same what-if over fact snapshots (one narrow table, built from the same expressions) gives the same answer,
    // for the city and for one county.
    const actor = {
      id: null,
      username: 't',
      role: 'supervisor',
      regionCode: '6208',
      scope,
      permissions: new Set<string>(),
    };
    const built = await buildFactSnapshots(database, { db, actor, locale: 'zh' }, { regionCode: '6208', asOf: ASOF });
    expect(built.persons).toBe(before.length);
    const snap = await whatIfCounts(db, scope, '6208', ASOF, [...base, ...variant], 'snapshot');
    expect(snap).toEqual(got);
    const oneSnap = await whatIfCounts(db, scope, '620821', ASOF, [base[2]!, variant[2]!], 'snapshot');
    expect(oneSnap).toEqual(one);
  }, 300_000);
});
