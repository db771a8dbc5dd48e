/**
 * Policy bulk-evaluation benchmark (issue 6 "Performance"): both disability subsidies and the 特困 conditions for
 * every person of 平凉市 at N households (default 1,000,000, ~2.6M persons) on PostgreSQL, through the system's
 * bulk path (bulkEvaluate: parameters resolved per county, one set-based statement, per-county sums) against ONE
 * hand-written SQL query computing the same eligibility and amounts with the parameters written in as constants.
 * The per-county results of both are compared. Goals: ratio ≤ 1.5 and ≤ 60 s; what-if for one county ≤ 2 s.
 *
 * Data: the import helper's `jiuzhu seed` generator (seedHouseholds) in a dedicated database jz_bench_policy (dropped
 * at the end), plus set-based other-benefit facts and legal supporters for a share of persons.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../src/server/db/client.js';
import { bulkEvaluate, whatIf } from '../src/server/modules/policy/bulk.js';
import { seedPolicyParameters } from '../src/server/modules/policy/service.js';
import type { Actor } from '../src/server/platform/context.js';
import { seedHouseholds } from '../src/server/seed/service.js';
import { createPgDatabase, dropPgDatabase, prepareBenchDatabase } from './db.js';

const CITY = '6208';
const ASOF = '2025-06-01';
const actor: Actor = {
  id: null,
  username: 'bench',
  role: 'supervisor',
  regionCode: CITY,
  scope: { regionCode: CITY },
  permissions: new Set(),
};
const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The hand-written reference with the seed parameters as constants (华亭 620881 class 3–4 standard 50 元; the seed
 * nursing table; 低保 standards 800/480 元; 特困 limits 3 万 / 2.4 万 / 5 万; basic living 1.3×; county funding).
 */
const REFERENCE = sql`
  WITH inc AS (SELECT household_id, person_id, sum(CASE WHEN period = 'monthly' THEN amount_fen ELSE (amount_fen + 6) / 12 END) AS m
               FROM income_items WHERE kind IN ('wages', 'business_net', 'property_net', 'transfer_net') GROUP BY 1, 2),
       hinc AS (SELECT household_id, sum(m) FILTER (WHERE person_id IS NULL) AS shared FROM inc GROUP BY 1),
       prop AS (SELECT household_id, person_id, sum(value_fen) AS v FROM property_items GROUP BY 1, 2),
       hprop AS (SELECT household_id, sum(v) FILTER (WHERE person_id IS NULL) AS shared FROM prop GROUP BY 1),
       size AS (SELECT household_id, count(*) AS n FROM persons WHERE household_id IS NOT NULL GROUP BY 1),
       dib AS (SELECT DISTINCT ON (household_id) household_id, dibao_kind, rural_class FROM programme_enrollments
               WHERE programme = 'dibao' AND status = 'active' AND person_id IS NULL ORDER BY household_id, id),
       tk AS (SELECT DISTINCT person_id FROM programme_enrollments WHERE programme = 'tekun' AND status = 'active' AND person_id IS NOT NULL),
       bf AS (SELECT person_id, bool_or(kind = 'work_injury_nursing_fee') AS wi, bool_or(kind = 'orphan_basic_living') AS orphan,
                     bool_or(kind IN ('orphan_basic_living', 'de_facto_unsupported_child')) AS child,
                     max(monthly_amount_fen) FILTER (WHERE kind LIKE '%living_allowance') AS lo,
                     bool_or(kind LIKE '%living_allowance' AND monthly_amount_fen IS NULL) AS lu,
                     max(monthly_amount_fen) FILTER (WHERE kind LIKE '%nursing_allowance') AS no,
                     bool_or(kind LIKE '%nursing_allowance' AND monthly_amount_fen IS NULL) AS nu
              FROM person_benefit_facts WHERE valid_from <= DATE '2025-06-01' AND (valid_to IS NULL OR valid_to > DATE '2025-06-01') GROUP BY 1),
       sp AS (SELECT person_id, bool_or(NOT incap) AS capable, bool_or(incap IS NULL) AS unknown FROM (
                SELECT person_id,
                  is_tekun OR (is_dibao AND a >= 60)
                  OR (CASE WHEN a >= 70 OR (disability_level <= 2 OR (disability_type IN ('intellectual', 'mental') AND disability_level = 3))
                           THEN annual_income_fen < 2400000 AND property_fen <= 5000000 ELSE false END)
                  OR (CASE WHEN lacks_civil_capacity OR declared_missing OR imprisoned THEN property_fen <= 5000000 ELSE false END) AS incap
                FROM (SELECT *, date_part('year', age(DATE '2025-06-01', birth_date)) AS a FROM legal_supporters) s0) s GROUP BY 1),
       x AS (
         SELECT p.county_code,
                (p.death_date IS NULL OR p.death_date > DATE '2025-06-01') AS alive,
                date_part('year', age(DATE '2025-06-01', p.birth_date)) AS age,
                coalesce((p.death_date IS NULL OR p.death_date > DATE '2025-06-01') AND p.hukou_local AND c.generation = 2
                  AND (c.expires_on IS NULL OR c.expires_on >= DATE '2025-06-01'), false)
                  AND NOT coalesce(bf.wi, false) AND tk.person_id IS NULL AS ok,
                coalesce(bf.orphan, false) AS orphan, coalesce(bf.child, false) AS child, bf.lo, coalesce(bf.lu, false) AS lu,
                bf.no, coalesce(bf.nu, false) AS nu,
                dib.household_id IS NOT NULL AS in_dibao, coalesce(dib.dibao_kind, h.hukou_type) AS kind, dib.rural_class,
                c.disability_type AS t, c.disability_level AS l, c.needs_long_term_care AS care, p.student_status,
                coalesce(i.m, 0) + coalesce(hi.shared, 0) / sz.n AS income, coalesce(pr.v, 0) + coalesce(hp.shared, 0) / sz.n AS property,
                CASE WHEN h.hukou_type = 'urban' THEN 80000 ELSE 48000 END AS std,
                CASE WHEN sp.person_id IS NULL THEN NULL WHEN sp.capable THEN false WHEN sp.unknown THEN NULL ELSE true END AS c3
         FROM persons p JOIN households h ON h.id = p.household_id JOIN size sz ON sz.household_id = p.household_id
         LEFT JOIN disability_certs c ON c.person_id = p.id
         LEFT JOIN inc i ON i.household_id = p.household_id AND i.person_id = p.id
         LEFT JOIN hinc hi ON hi.household_id = p.household_id
         LEFT JOIN prop pr ON pr.household_id = p.household_id AND pr.person_id = p.id
         LEFT JOIN hprop hp ON hp.household_id = p.household_id
         LEFT JOIN dib ON dib.household_id = p.household_id
         LEFT JOIN tk ON tk.person_id = p.id LEFT JOIN bf ON bf.person_id = p.id LEFT JOIN sp ON sp.person_id = p.id
         WHERE p.region_code LIKE '6208%'),
       y AS (
         SELECT x.*,
           CASE WHEN NOT x.in_dibao THEN 0 WHEN x.kind = 'urban' OR x.rural_class <= 2 THEN 10000
                WHEN x.rural_class >= 3 AND x.county_code = '620881' THEN 5000 ELSE 0 END AS lstd,
           (x.age >= 60 OR x.age < 18 OR coalesce((x.t IN ('intellectual', 'mental') AND x.l <= 3) OR (x.t = 'physical' AND x.l <= 2) OR (x.t = 'visual' AND x.l = 1), false)
             OR coalesce(x.student_status IN ('primary', 'junior', 'senior', 'vocational'), false)) AS c1,
           x.income < x.std AND x.property <= 3000000 AS c2,
           x.ok AND CASE WHEN x.l IS NULL THEN NULL
                         WHEN (x.t IN ('intellectual', 'mental', 'physical', 'visual') AND x.l = 1) OR (x.t IN ('intellectual', 'mental') AND x.l = 2 AND x.care) THEN true
                         ELSE false END AS nok
         FROM x),
       z AS (
         SELECT y.county_code,
           CASE WHEN y.ok AND NOT y.orphan AND y.lstd > 0 AND NOT y.lu AND NOT coalesce(y.lo >= y.lstd, false) THEN y.lstd ELSE 0 END AS living,
           (y.ok AND NOT y.orphan AND y.in_dibao AND y.kind = 'rural' AND y.rural_class >= 3 AND y.county_code <> '620881') AS gap,
           y.in_dibao AND y.kind = 'rural' AND y.rural_class >= 3 AS c34,
           CASE WHEN y.nok AND NOT y.nu AND NOT coalesce(y.no >= 10000, false) THEN 10000 ELSE 0 END AS nursing,
           y.c1, y.c2, y.c3, (y.alive AND y.c1 AND y.c2 AND y.c3 AND NOT (y.age < 18 AND y.child)) AS tekun, y.std
         FROM y)
  SELECT county_code, count(*) AS persons,
         count(*) FILTER (WHERE living > 0) AS living_persons, sum(living) AS living_fen,
         sum(CASE WHEN living > 0 AND NOT c34 THEN 7000 ELSE 0 END) AS living_province_fen,
         count(*) FILTER (WHERE gap) AS coverage_gap,
         count(*) FILTER (WHERE nursing > 0) AS nursing_persons, sum(nursing) AS nursing_fen,
         count(*) FILTER (WHERE c1) AS tekun_c1, count(*) FILTER (WHERE c2) AS tekun_c2, count(*) FILTER (WHERE c3) AS tekun_c3,
         count(*) FILTER (WHERE tekun) AS tekun_eligible, sum(CASE WHEN tekun THEN (std * 1300 + 999) / 1000 ELSE 0 END) AS tekun_fen
  FROM z GROUP BY county_code ORDER BY county_code`;

/** Other-benefit facts and legal supporters for a share of persons, set-based (deterministic by person id). */
export async function addPolicyFacts(db: import('../src/server/db/client.js').Db) {
  await db.execute(sql`INSERT INTO person_benefit_facts (person_id, region_code, kind, monthly_amount_fen, valid_from)
    SELECT p.id, p.region_code,
           (ARRAY['orphan_basic_living', 'work_injury_nursing_fee', 'elderly_living_allowance', 'elderly_nursing_allowance', 'retiree_nursing_allowance'])[1 + (p.id % 5)],
           CASE WHEN p.id % 37 = 0 THEN NULL ELSE (p.id % 200) * 100 END, DATE '2020-01-01'
    FROM persons p JOIN disability_certs c ON c.person_id = p.id WHERE p.id % 10 = 3`);
  await db.execute(sql`INSERT INTO legal_supporters (person_id, region_code, name, relation, birth_date, is_tekun, is_dibao, annual_income_fen, property_fen, disability_type, disability_level)
    SELECT p.id, p.region_code, '义务人', 'child', p.birth_date + interval '25 years', p.id % 11 = 0, p.id % 7 = 0,
           CASE WHEN p.id % 13 = 0 THEN NULL ELSE (p.id % 50) * 100000 END, (p.id % 80) * 100000,
           CASE WHEN p.id % 9 = 0 THEN 'physical' END, CASE WHEN p.id % 9 = 0 THEN 1 + p.id % 4 END
    FROM persons p WHERE p.birth_date < DATE '1965-06-01' AND p.id % 3 <> 0`);
}

export async function policyBulkBench(
  adminUrl: string,
  opts: { households: number; seed?: number; log: (m: string) => void },
) {
  const { log } = opts;
  const url = await createPgDatabase(adminUrl, 'jz_bench_policy');
  const database = await openDatabase({ url, poolSize: 4 });
  try {
    await prepareBenchDatabase(database, false);
    await seedPolicyParameters(database.db, CITY);
    log(`policy: seeding ${opts.households} households`);
    let t = performance.now();
    const seeded = await seedHouseholds(
      database,
      { ...actor, scope: { regionCode: '' } },
      { households: opts.households, seed: opts.seed ?? 7, regionCode: CITY, withEnrollments: true },
    );
    await addPolicyFacts(database.db);
    await database.db.execute(sql`VACUUM ANALYZE`);
    const seedSeconds = round((performance.now() - t) / 1000);
    log(`policy: seeded ${seeded.persons} persons in ${seedSeconds}s`);

    const ctx = { db: database.db, actor, locale: 'zh' as const };
    const runs: Array<{ system: number; reference: number }> = [];
    let sys: Awaited<ReturnType<typeof bulkEvaluate>> | null = null;
    let ref: Array<Record<string, number | string>> = [];
    for (let i = 0; i < 2; i++) {
      t = performance.now();
      sys = await bulkEvaluate(ctx, { regionCode: CITY, asOf: ASOF });
      const s = (performance.now() - t) / 1000;
      t = performance.now();
      ref = await rows(database.db, REFERENCE);
      const r = (performance.now() - t) / 1000;
      runs.push({ system: round(s), reference: round(r) });
      log(`policy: run ${i + 1}: system ${round(s)}s, reference ${round(r)}s`);
    }
    // Same answers: per county persons, recipients, amounts, province share, coverage gap, 特困 conditions.
    const mismatches: string[] = [];
    for (const r of ref) {
      const c = sys!.counties.find((x) => x.countyCode === r.county_code);
      const pairs: Array<[string, number, number | undefined]> = [
        ['persons', Number(r.persons), c?.persons],
        ['living_persons', Number(r.living_persons), c?.living.persons],
        ['living_fen', Number(r.living_fen), c?.living.monthlyFen],
        ['living_province_fen', Number(r.living_province_fen), c?.living.provinceFen],
        ['coverage_gap', Number(r.coverage_gap), c?.living.coverageGap],
        ['nursing_persons', Number(r.nursing_persons), c?.nursing.persons],
        ['nursing_fen', Number(r.nursing_fen), c?.nursing.monthlyFen],
        ['tekun_c1', Number(r.tekun_c1), c?.tekun.labourCapacityMet],
        ['tekun_c2', Number(r.tekun_c2), c?.tekun.noLivingSourceMet],
        ['tekun_c3', Number(r.tekun_c3), c?.tekun.supportersMet],
        ['tekun_eligible', Number(r.tekun_eligible), c?.tekun.eligible],
        ['tekun_fen', Number(r.tekun_fen), c?.tekun.monthlyFen],
      ];
      for (const [k, a, b] of pairs) if (a !== b) mismatches.push(`${r.county_code} ${k}: reference ${a} system ${b}`);
    }
    t = performance.now();
    const wi = await whatIf(ctx, {
      regionCode: '620821',
      asOf: ASOF,
      changes: [{ programme: 'disability', key: 'living_rural_class34_fen', regionCode: '620821', value: 5000 }],
    });
    const whatIfSeconds = round((performance.now() - t) / 1000);
    log(`policy: what-if 620821 ${whatIfSeconds}s, gainers ${wi.total.gainers}`);
    const best = {
      system: Math.min(...runs.map((r) => r.system)),
      reference: Math.min(...runs.map((r) => r.reference)),
    };
    return {
      households: opts.households,
      persons: seeded.persons,
      seedSeconds,
      runs,
      bestSystemSeconds: best.system,
      bestReferenceSeconds: best.reference,
      ratio: round(best.system / best.reference),
      sameAnswers: mismatches.length === 0,
      mismatches: mismatches.slice(0, 20),
      whatIfOneCountySeconds: whatIfSeconds,
      whatIfGainers: wi.total.gainers,
      whatIfDeltaMonthlyFen: wi.total.delta.monthlyFen,
      totals: sys!.counties.reduce(
        (a, c) => ({
          living: a.living + c.living.persons,
          nursing: a.nursing + c.nursing.persons,
          gap: a.gap + c.living.coverageGap,
          tekun: a.tekun + c.tekun.eligible,
        }),
        { living: 0, nursing: 0, gap: 0, tekun: 0 },
      ),
      goals: { ratio: 1.5, maxSeconds: 60, whatIfSeconds: 2 },
    };
  } finally {
    await database.close();
    await dropPgDatabase(adminUrl, 'jz_bench_policy');
  }
}
