/**
 * What-if benchmark (issue 6 "What-if for one county ≤ 2 s"): the largest county of 平凉市 with its class 3–4
 * living-subsidy standard set to 50 元, through the system's path (whatIf: parameters resolved, both scenarios
 * evaluated in one pass over one flat row of facts per person, per-county sums, audit row) against a hand-written
 * statement computing the same gainers and baseline / scenario cost with the parameters typed in as constants, in
 * the same run. Data: database jz_bench_whatif, seeded once with the `jiuzhu seed` generator (seedHouseholds) plus
 * the policy facts of bench/policy-bulk.ts, kept between runs (`--drop-whatif-db` drops it).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { first, openDatabase, rows } from '../src/server/db/client.js';
import { whatIf } from '../src/server/modules/policy/bulk.js';
import { buildFactSnapshots } from '../src/server/modules/policy/snapshots.js';
import { seedPolicyParameters } from '../src/server/modules/policy/service.js';
import type { Actor } from '../src/server/platform/context.js';
import { seedHouseholds } from '../src/server/seed/service.js';
import { createPgDatabase, prepareBenchDatabase } from './db.js';
import { addPolicyFacts } from './policy-bulk.js';

const CITY = '6208';
const ASOF = '2025-06-01';
const DB = 'jz_bench_whatif';
const actor: Actor = {
  id: null,
  username: 'bench',
  role: 'supervisor',
  regionCode: CITY,
  scope: { regionCode: CITY },
  permissions: new Set(),
};
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Hand-written: one county, class 3–4 standard 0 → `class34` fen, the seed parameters as constants. */
function reference(county: string, class34: number) {
  return sql`
  WITH p AS (SELECT * FROM persons WHERE county_code = ${county}),
       sz AS (SELECT household_id, count(*) AS n FROM p GROUP BY 1),
       dib AS (SELECT DISTINCT ON (household_id) household_id, dibao_kind, rural_class FROM programme_enrollments
               WHERE county_code = ${county} AND programme = 'dibao' AND status = 'active' AND person_id IS NULL ORDER BY household_id, id),
       inc AS (SELECT household_id, person_id, sum(CASE WHEN period = 'monthly' THEN amount_fen ELSE (amount_fen + 6) / 12 END) AS m
               FROM income_items WHERE region_code LIKE ${`${county}%`} AND kind IN ('wages', 'business_net', 'property_net', 'transfer_net') GROUP BY 1, 2),
       hinc AS (SELECT household_id, sum(m) FILTER (WHERE person_id IS NULL) AS shared FROM inc GROUP BY 1),
       prop AS (SELECT household_id, person_id, sum(value_fen) AS v FROM property_items WHERE region_code LIKE ${`${county}%`} GROUP BY 1, 2),
       hprop AS (SELECT household_id, sum(v) FILTER (WHERE person_id IS NULL) AS shared FROM prop GROUP BY 1),
       tk AS (SELECT DISTINCT person_id FROM programme_enrollments WHERE county_code = ${county} AND programme = 'tekun' AND status = 'active' AND person_id IS NOT NULL),
       bf AS (SELECT person_id, bool_or(kind = 'work_injury_nursing_fee') AS wi, bool_or(kind = 'orphan_basic_living') AS orphan,
                     bool_or(kind IN ('orphan_basic_living', 'de_facto_unsupported_child')) AS child,
                     max(monthly_amount_fen) FILTER (WHERE kind LIKE '%living_allowance') AS lo,
                     bool_or(kind LIKE '%living_allowance' AND monthly_amount_fen IS NULL) AS lu,
                     max(monthly_amount_fen) FILTER (WHERE kind LIKE '%nursing_allowance') AS no,
                     bool_or(kind LIKE '%nursing_allowance' AND monthly_amount_fen IS NULL) AS nu
              FROM person_benefit_facts WHERE county_code = ${county} AND valid_from <= DATE '2025-06-01' AND (valid_to IS NULL OR valid_to > DATE '2025-06-01') GROUP BY 1),
       sp AS (SELECT person_id, bool_or(NOT incap) AS capable, bool_or(incap IS NULL) AS unknown FROM (
                SELECT person_id,
                  is_tekun OR (is_dibao AND a >= 60)
                  OR (CASE WHEN a >= 70 OR (disability_level <= 2 OR (disability_type IN ('intellectual', 'mental') AND disability_level = 3))
                           THEN annual_income_fen < 2400000 AND property_fen <= 5000000 ELSE false END)
                  OR (CASE WHEN lacks_civil_capacity OR declared_missing OR imprisoned THEN property_fen <= 5000000 ELSE false END) AS incap
                FROM (SELECT *, date_part('year', age(DATE '2025-06-01', birth_date)) AS a FROM legal_supporters WHERE county_code = ${county}) s0) s GROUP BY 1),
       x AS (
         SELECT (p.death_date IS NULL OR p.death_date > DATE '2025-06-01') AS alive, date_part('year', age(DATE '2025-06-01', p.birth_date)) AS age,
                coalesce((p.death_date IS NULL OR p.death_date > DATE '2025-06-01') AND p.hukou_local AND c.generation = 2
                  AND (c.expires_on IS NULL OR c.expires_on >= DATE '2025-06-01'), false) AND NOT coalesce(bf.wi, false) AND tk.person_id IS NULL AS ok,
                coalesce(bf.orphan, false) AS orphan, coalesce(bf.child, false) AS child, bf.lo, coalesce(bf.lu, false) AS lu, bf.no, coalesce(bf.nu, false) AS nu,
                dib.household_id IS NOT NULL AS in_dibao, coalesce(dib.dibao_kind, h.hukou_type) AS kind, dib.rural_class,
                c.disability_type AS t, c.disability_level AS l, c.needs_long_term_care AS care, p.student_status,
                coalesce(i.m, 0) + coalesce(hi.shared, 0) / sz.n AS income, coalesce(pr.v, 0) + coalesce(hp.shared, 0) / sz.n AS property,
                CASE WHEN h.hukou_type = 'urban' THEN 80000 ELSE 48000 END AS std,
                CASE WHEN sp.person_id IS NULL THEN NULL WHEN sp.capable THEN false WHEN sp.unknown THEN NULL ELSE true END AS c3
         FROM p JOIN households h ON h.id = p.household_id JOIN sz ON sz.household_id = p.household_id
         LEFT JOIN disability_certs c ON c.person_id = p.id
         LEFT JOIN inc i ON i.household_id = p.household_id AND i.person_id = p.id LEFT JOIN hinc hi ON hi.household_id = p.household_id
         LEFT JOIN prop pr ON pr.household_id = p.household_id AND pr.person_id = p.id LEFT JOIN hprop hp ON hp.household_id = p.household_id
         LEFT JOIN dib ON dib.household_id = p.household_id
         LEFT JOIN tk ON tk.person_id = p.id LEFT JOIN bf ON bf.person_id = p.id LEFT JOIN sp ON sp.person_id = p.id),
       y AS (
         SELECT x.*,
           CASE WHEN NOT x.in_dibao THEN 0 WHEN x.kind = 'urban' OR x.rural_class <= 2 THEN 10000 ELSE 0 END AS lstd0,
           CASE WHEN NOT x.in_dibao THEN 0 WHEN x.kind = 'urban' OR x.rural_class <= 2 THEN 10000
                WHEN x.rural_class >= 3 THEN ${class34}::bigint ELSE 0 END AS lstd1,
           (x.alive AND (x.age >= 60 OR x.age < 18 OR coalesce((x.t IN ('intellectual', 'mental') AND x.l <= 3) OR (x.t = 'physical' AND x.l <= 2) OR (x.t = 'visual' AND x.l = 1), false)
             OR coalesce(x.student_status IN ('primary', 'junior', 'senior', 'vocational'), false))
             AND x.income < x.std AND x.property <= 3000000 AND x.c3 AND NOT (x.age < 18 AND x.child)) IS TRUE AS tekun,
           x.ok AND CASE WHEN x.l IS NULL THEN NULL
                         WHEN (x.t IN ('intellectual', 'mental', 'physical', 'visual') AND x.l = 1) OR (x.t IN ('intellectual', 'mental') AND x.l = 2 AND x.care) THEN true
                         ELSE false END AS nok
         FROM x),
       z AS (
         SELECT CASE WHEN y.ok AND NOT y.orphan AND y.lstd0 > 0 AND NOT y.lu AND NOT coalesce(y.lo >= y.lstd0, false) THEN y.lstd0 ELSE 0 END
                + CASE WHEN y.nok IS TRUE AND NOT y.nu AND NOT coalesce(y.no >= 10000, false) THEN 10000 ELSE 0 END
                + CASE WHEN y.tekun THEN (y.std * 1300 + 999) / 1000 ELSE 0 END AS b,
                CASE WHEN y.ok AND NOT y.orphan AND y.lstd1 > 0 AND NOT y.lu AND NOT coalesce(y.lo >= y.lstd1, false) THEN y.lstd1 ELSE 0 END
                + CASE WHEN y.nok IS TRUE AND NOT y.nu AND NOT coalesce(y.no >= 10000, false) THEN 10000 ELSE 0 END
                + CASE WHEN y.tekun THEN (y.std * 1300 + 999) / 1000 ELSE 0 END AS a
         FROM y)
  SELECT count(*) FILTER (WHERE a > b) AS gainers, count(*) FILTER (WHERE a < b) AS losers, sum(b) AS b_total, sum(a) AS a_total FROM z`;
}

export async function policyWhatIfBench(
  adminUrl: string,
  opts: { households: number; seed?: number; runs?: number; log: (m: string) => void },
) {
  const { log } = opts;
  const u = new URL(adminUrl);
  u.pathname = `/${DB}`;
  let url = u.toString();
  let database = await openDatabase({ url, poolSize: 4 }).catch(() => null);
  const have = database
    ? await first<{ n: number }>(database.db, sql`SELECT count(*) AS n FROM households`).catch(() => undefined)
    : undefined;
  let seedSeconds = 0;
  if (Number(have?.n ?? 0) !== opts.households) {
    await database?.close();
    url = await createPgDatabase(adminUrl, DB);
    database = await openDatabase({ url, poolSize: 4 });
    await prepareBenchDatabase(database, false);
    await seedPolicyParameters(database.db, CITY);
    log(`policy-whatif: seeding ${opts.households} households`);
    const t = performance.now();
    await seedHouseholds(
      database,
      { ...actor, scope: { regionCode: '' } },
      { households: opts.households, seed: opts.seed ?? 7, regionCode: CITY, withEnrollments: true },
    );
    await addPolicyFacts(database.db);
    await database.db.execute(sql`VACUUM ANALYZE`);
    seedSeconds = round((performance.now() - t) / 1000);
  }
  const db = database!.db;
  await prepareBenchDatabase(database!, false); // migrations added since the data was seeded
  try {
    const [largest] = await rows<{ county_code: string; n: number }>(
      db,
      sql`SELECT county_code, count(*) AS n FROM persons GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    const county = largest!.county_code;
    const [std] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*) AS n FROM policy_parameters WHERE region_code = ${county} AND key = 'living_rural_class34_fen'`,
    );
    const ctx = { db, actor, locale: 'zh' as const };
    const changes = [{ programme: 'disability', key: 'living_rural_class34_fen', regionCode: county, value: 5000 }];
    // The county's fact snapshot of ASOF (what the monthly refresh or the screen's button builds), timed on its own.
    await db.execute(sql`DELETE FROM jobs WHERE kind = 'policy.facts_snapshot' AND status IN ('queued', 'running')`);
    const t0 = performance.now();
    const snapshot = await buildFactSnapshots(database!, ctx, { regionCode: county, asOf: ASOF });
    const snapshotSeconds = round((performance.now() - t0) / 1000);
    log(`policy-whatif: fact snapshot of ${county}: ${snapshot.persons} persons in ${snapshotSeconds}s`);
    const runs: Array<{ system: number; systemLive: number; reference: number }> = [];
    let sys: Awaited<ReturnType<typeof whatIf>> | null = null;
    let live: Awaited<ReturnType<typeof whatIf>> | null = null;
    let ref: Record<string, unknown> | undefined;
    for (let i = 0; i < (opts.runs ?? 3); i++) {
      let t = performance.now();
      sys = await whatIf(ctx, { regionCode: county, asOf: ASOF, changes, facts: 'snapshot' });
      const s = (performance.now() - t) / 1000;
      t = performance.now();
      live = await whatIf(ctx, { regionCode: county, asOf: ASOF, changes, facts: 'live' });
      const l = (performance.now() - t) / 1000;
      t = performance.now();
      [ref] = await rows(db, reference(county, 5000));
      const r = (performance.now() - t) / 1000;
      runs.push({ system: round(s), systemLive: round(l), reference: round(r) });
      log(
        `policy-whatif: run ${i + 1}: system (snapshot) ${round(s)}s, system live ${round(l)}s, reference ${round(r)}s`,
      );
    }
    const c = sys!.counties[0]!;
    const same =
      Number(std?.n ?? 0) === 0 &&
      Number(ref!.gainers) === c.gainers &&
      Number(ref!.losers) === c.losers &&
      Number(ref!.b_total) === c.baseline.monthlyFen &&
      Number(ref!.a_total) === c.scenario.monthlyFen &&
      JSON.stringify(live!.counties) === JSON.stringify(sys!.counties);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const persons = await first<{ n: number }>(
      db,
      sql`SELECT count(*) AS n FROM persons WHERE county_code = ${county}`,
    );
    return {
      households: opts.households,
      seedSeconds,
      county,
      countyPersons: Number(persons!.n),
      change: changes[0],
      runs,
      medianSystemSeconds: med(runs.map((r) => r.system)),
      medianLiveSeconds: med(runs.map((r) => r.systemLive)),
      medianReferenceSeconds: med(runs.map((r) => r.reference)),
      snapshot: { seconds: snapshotSeconds, persons: snapshot.persons },
      ratio: round(med(runs.map((r) => r.system)) / med(runs.map((r) => r.reference))),
      sameAnswers: same,
      system: { gainers: c.gainers, losers: c.losers, baseline: c.baseline, scenario: c.scenario, delta: c.delta },
      reference: ref,
      goals: { whatIfSeconds: 2 },
    };
  } finally {
    await database!.close();
  }
}
