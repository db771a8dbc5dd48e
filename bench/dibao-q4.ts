/**
 * Q4 validity-expiry batch review benchmark (issue 5 "Performance"): one county with N (default 50,000) recipient
 * households on PostgreSQL. The system's runBatchReview (one set-based INSERT … SELECT of the "3+1" rule, township
 * summary, audit row) against ONE hand-written SQL statement computing the same per-household outcome into a table,
 * in the same run; the outcomes are compared row by row. Goal: ratio ≤ 2.0.
 *
 * Data is generated set-based in SQL (households, members, disability certificates, income and property items,
 * approved cases whose validity ends in Q4) in a dedicated database (jz_bench_dibao, dropped at the end).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { DEFAULT_ASSESSMENT } from '../src/domain/programs/dibao/parameters.js';
import { defaultDibaoWorkflow } from '../src/domain/programs/dibao/workflow.js';
import { first, openDatabase } from '../src/server/db/client.js';
import { runBatchReview } from '../src/server/modules/cases/batch.js';
import type { Actor } from '../src/server/platform/context.js';
import { createPgDatabase, dropPgDatabase, prepareBenchDatabase } from './db.js';

const COUNTY = '620802';
const STANDARD = {
  urbanMonthlyFen: 80_000,
  ruralMonthlyFen: 50_000,
  classAmountsFen: { 1: 50_000, 2: 45_000, 3: 20_000, 4: 12_000 },
};
const round = (x: number) => Math.round(x * 100) / 100;

const actor: Actor = {
  id: null,
  username: 'bench',
  role: 'county_approver',
  regionCode: COUNTY,
  scope: { regionCode: COUNTY },
  permissions: new Set(['dibao.manage']),
};

/** The hand-written reference: the same outcome per household, written directly (pre-aggregated joins), into a table. */
function reference(year: number, asOf: string) {
  const p = DEFAULT_ASSESSMENT;
  const s = STANDARD;
  return sql`
    CREATE TABLE bench_reference AS
    SELECT x.case_id,
           CASE WHEN NOT x.ok THEN 'exit'
                WHEN x.rural_class IS DISTINCT FROM x.cls THEN 'reclass'
                WHEN coalesce(x.monthly_amount_fen, 0) <> x.amount THEN 'amount_change' ELSE 'continue' END AS outcome,
           x.amount
    FROM (
      SELECT y.*,
             CASE WHEN NOT y.ok THEN 0
                  WHEN y.hukou_type = 'urban' THEN (((y.std - y.pci) * y.benefit + 99) / 100) * 100
                  ELSE (((CASE y.cls WHEN 1 THEN ${s.classAmountsFen[1]} WHEN 2 THEN ${s.classAmountsFen[2]} WHEN 3 THEN ${s.classAmountsFen[3]} ELSE ${s.classAmountsFen[4]} END)::bigint * y.benefit + 99) / 100) * 100
             END AS amount
      FROM (
        SELECT z.*,
               CASE WHEN z.ok AND z.hukou_type = 'rural' THEN
                 CASE WHEN z.comb >= ${p.classCutoffs.class1} THEN 1 WHEN z.comb >= ${p.classCutoffs.class2} THEN 2 WHEN z.comb >= ${p.classCutoffs.class3} THEN 3 ELSE 4 END END AS cls
        FROM (
          SELECT w.*,
                 (w.local AND w.size > 0 AND w.pci < w.std AND w.fin <= ${p.property.financialPerCapitaMaxMonths} * w.std * greatest(w.size, 1)
                  AND w.veh <= ${p.property.vehicleMaxFen} AND w.houses <= ${p.property.maxHouses} AND w.biz <= ${p.property.businessMaxFen}) AS ok,
                 CASE WHEN w.last_review_score IS NULL THEN w.survey ELSE (w.survey * ${p.surveyWeightPct} + least(100, greatest(0, w.last_review_score)) * ${p.reviewWeightPct}) / 100 END AS comb
          FROM (
            SELECT v.*,
                   (CASE WHEN v.size > 0 THEN (${p.scoring.dependency} * v.dep) / v.size ELSE 0 END
                    + CASE WHEN v.severe THEN ${p.scoring.illnessSevere} WHEN v.moderate THEN ${p.scoring.illnessModerate} ELSE 0 END
                    + CASE WHEN v.housing_rating IN ('C', 'D') THEN ${p.scoring.housingDangerous} WHEN v.housing_rating = 'B' THEN ${p.scoring.housingWeak} ELSE 0 END
                    + CASE WHEN v.std > 0 THEN (${p.scoring.incomeGap} * greatest(0, v.std - v.pci)) / v.std ELSE 0 END
                    + (${p.scoring.visitRating} * least(10, greatest(0, coalesce(v.last_visit_rating, 0)))) / 10) AS survey
            FROM (
              SELECT c.id AS case_id, c.rural_class, c.monthly_amount_fen, c.last_review_score, c.last_visit_rating, h.hukou_type, h.housing_rating,
                     CASE WHEN h.hukou_type = 'urban' THEN ${s.urbanMonthlyFen}::bigint ELSE ${s.ruralMonthlyFen}::bigint END AS std,
                     coalesce(m.size, 0) AS size, coalesce(m.benefit, 0) AS benefit, coalesce(m.dep, 0) AS dep,
                     coalesce(m.severe, false) AS severe, coalesce(m.moderate, false) AS moderate,
                     coalesce(CASE WHEN m.has_head THEN m.head_local ELSE m.first_local END, false) AS local,
                     CASE WHEN coalesce(m.size, 0) > 0 THEN coalesce(i.counted, 0) / m.size ELSE coalesce(i.counted, 0) END AS pci,
                     coalesce(pr.fin, 0) AS fin, coalesce(pr.veh, 0) AS veh, coalesce(pr.houses, 0) AS houses, coalesce(pr.biz, 0) AS biz
              FROM cases c
              JOIN households h ON h.id = c.household_id
              LEFT JOIN (
                SELECT p.household_id, count(*) AS size,
                       count(*) FILTER (WHERE NOT coalesce(cc.flags -> 'shareStopped', '[]') @> to_jsonb(p.id)) AS benefit,
                       count(*) FILTER (WHERE date_part('year', age(${asOf}::date, p.birth_date)) NOT BETWEEN 16 AND 59 OR p.labour_capacity IN ('none', 'partial')) AS dep,
                       bool_or(p.grave_illness OR coalesce(d.disability_level <= 2, false)) AS severe,
                       bool_or(p.health IN ('chronic', 'disabled') OR coalesce(d.disability_level >= 3, false)) AS moderate,
                       bool_or(p.id = hh.head_person_id) AS has_head, bool_or(p.id = hh.head_person_id AND p.hukou_local) AS head_local,
                       (array_agg(p.hukou_local ORDER BY p.id))[1] AS first_local
                FROM persons p JOIN households hh ON hh.id = p.household_id
                JOIN cases cc ON cc.household_id = p.household_id AND cc.status = 'approved' AND cc.programme = 'dibao'
                LEFT JOIN disability_certs d ON d.person_id = p.id
                WHERE p.county_code = ${COUNTY} AND (p.death_date IS NULL OR p.death_date > ${asOf}::date)
                GROUP BY p.household_id) m ON m.household_id = c.household_id
              LEFT JOIN (
                SELECT household_id, sum(CASE WHEN period = 'annual' THEN (amount_fen + 6) / 12 ELSE amount_fen END)::bigint AS counted
                FROM income_items WHERE kind IN ('wages', 'business_net', 'property_net', 'transfer_net') AND region_code LIKE ${`${COUNTY}%`}
                GROUP BY household_id) i ON i.household_id = c.household_id
              LEFT JOIN (
                SELECT household_id,
                       sum(value_fen) FILTER (WHERE kind IN ('deposit', 'securities', 'commercial_insurance'))::bigint AS fin,
                       sum(value_fen) FILTER (WHERE kind = 'vehicle')::bigint AS veh, count(*) FILTER (WHERE kind = 'house') AS houses,
                       sum(value_fen) FILTER (WHERE kind = 'business')::bigint AS biz
                FROM property_items WHERE region_code LIKE ${`${COUNTY}%`}
                GROUP BY household_id) pr ON pr.household_id = c.household_id
              WHERE c.county_code = ${COUNTY} AND c.programme = 'dibao' AND c.status = 'approved' AND c.valid_until <= make_date(${year}, 12, 31)
            ) v
          ) w
        ) z
      ) y
    ) x`;
}

/** Generates N recipient households of one county, set-based. */
async function generate(db: import('../src/server/db/client.js').Db, n: number, year: number) {
  await db.execute(
    sql`CREATE TEMP TABLE bench_villages AS SELECT code, row_number() OVER (ORDER BY code) AS k FROM regions WHERE code LIKE ${`${COUNTY}%`} AND level = 5`,
  );
  await db.execute(sql`INSERT INTO households (id, region_code, address, hukou_type, housing_rating)
    SELECT g, v.code, '测试地址' || g, CASE WHEN g % 5 = 0 THEN 'urban' ELSE 'rural' END, (ARRAY['A','B','C','D'])[1 + g % 4]
    FROM generate_series(1, ${n}) g JOIN bench_villages v ON v.k = 1 + g % (SELECT count(*) FROM bench_villages)`);
  await db.execute(sql`INSERT INTO persons (id, id_number, name, sex, birth_date, hukou_local, labour_capacity, health, grave_illness, household_id, relation, region_code)
    SELECT h.id * 4 + m, lpad((h.id * 4 + m)::text, 18, '0'), '成员' || (h.id * 4 + m), CASE WHEN m % 2 = 0 THEN 'M' ELSE 'F' END,
           make_date((1940 + ((h.id * 7 + m * 13) % 80))::int, (1 + (h.id + m) % 12)::int, (1 + (h.id * 3 + m) % 28)::int), (h.id + m) % 23 <> 0,
           (ARRAY['full','partial','none'])[1 + (h.id + m) % 3], (ARRAY['healthy','chronic','healthy','disabled'])[1 + (h.id * m) % 4], (h.id + m) % 17 = 0,
           h.id, CASE WHEN m = 0 THEN 'head' ELSE 'child' END, h.region_code
    FROM households h CROSS JOIN LATERAL generate_series(0, h.id % 4) m`);
  await db.execute(sql`UPDATE households SET head_person_id = id * 4`);
  await db.execute(sql`INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level)
    SELECT p.id, p.region_code, 'CJ' || p.id, 2, 'physical', 1 + p.id % 4 FROM persons p WHERE p.id % 11 = 0`);
  await db.execute(sql`INSERT INTO income_items (household_id, region_code, kind, period, amount_fen)
    SELECT h.id, h.region_code, (ARRAY['wages','business_net','transfer_net','social_assistance','basic_pension'])[1 + (h.id + k) % 5],
           CASE WHEN k = 1 THEN 'annual' ELSE 'monthly' END, ((h.id * 7919 + k * 104729) % 120000)::bigint
    FROM households h CROSS JOIN generate_series(0, 1) k`);
  await db.execute(sql`INSERT INTO property_items (household_id, region_code, kind, value_fen)
    SELECT h.id, h.region_code, (ARRAY['deposit','vehicle','house','business'])[1 + h.id % 4], ((h.id * 104729) % 6000000)::bigint
    FROM households h WHERE h.id % 3 = 0`);
  await db.execute(sql`INSERT INTO cases (id, case_no, programme, household_id, region_code, workflow, status, applied_on, decided_on, decision,
                      dibao_kind, rural_class, monthly_amount_fen, valid_until, last_visit_rating, last_review_score, flags)
    SELECT h.id, 'DIBAO-B-' || h.id, 'dibao', h.id, h.region_code, ${JSON.stringify(defaultDibaoWorkflow)}::jsonb, 'approved',
           make_date(${year - 1}, 10, 1), make_date(${year - 1}, 10, 20), 'approved', h.hukou_type,
           CASE WHEN h.hukou_type = 'rural' THEN 1 + h.id % 4 END, 45000 * (1 + h.id % 3), make_date(${year}, (10 + h.id % 3)::int, 1),
           h.id % 11, CASE WHEN h.id % 7 = 0 THEN NULL ELSE (h.id * 37) % 101 END,
           CASE WHEN h.id % 29 = 0 THEN jsonb_build_object('shareStopped', jsonb_build_array(h.id * 4)) ELSE '{}'::jsonb END
    FROM households h`);
  await db.execute(sql`SELECT setval(pg_get_serial_sequence('cases', 'id'), ${n + 1})`);
  await db.execute(
    sql`INSERT INTO case_parameters (programme, key, region_code, effective_from, value) VALUES ('dibao', 'standard', ${COUNTY}, make_date(${year}, 1, 1), ${JSON.stringify(STANDARD)}::jsonb)`,
  );
  await db.execute(sql`ANALYZE`);
}

export async function dibaoQ4Bench(
  adminUrl: string,
  opts: { households: number; repeats?: number; log: (m: string) => void },
) {
  const year = 2026;
  const asOf = `${year}-11-15`;
  const url = await createPgDatabase(adminUrl, 'jz_bench_dibao');
  const database = await openDatabase({ url, poolSize: 2 });
  try {
    await prepareBenchDatabase(database, false);
    const t0 = performance.now();
    await generate(database.db, opts.households, year);
    opts.log(`generated ${opts.households} recipient households in ${round((performance.now() - t0) / 1000)} s`);
    const repeats = opts.repeats ?? 3;
    const system: number[] = [];
    const hand: number[] = [];
    let batchId = 0;
    let summary: unknown = null;
    for (let r = 0; r < repeats; r++) {
      const ts = performance.now();
      const b = await runBatchReview({ db: database.db, actor, locale: 'zh' }, { countyCode: COUNTY, year, asOf });
      system.push((performance.now() - ts) / 1000);
      batchId = b.id;
      summary = b.summary;
      await database.db.execute(sql`DROP TABLE IF EXISTS bench_reference`);
      const th = performance.now();
      await database.db.execute(reference(year, asOf));
      hand.push((performance.now() - th) / 1000);
      opts.log(`run ${r + 1}: system ${round(system[r]!)} s, hand-written ${round(hand[r]!)} s`);
    }
    const diff = await first<{ total: number; differ: number; ref: number }>(
      database.db,
      sql`SELECT (SELECT count(*) FROM batch_review_items WHERE batch_id = ${batchId})::int AS total,
                 (SELECT count(*) FROM bench_reference)::int AS ref,
                 (SELECT count(*) FROM batch_review_items i FULL JOIN bench_reference r ON r.case_id = i.case_id AND i.batch_id = ${batchId}
                  WHERE (i.batch_id = ${batchId} OR i.batch_id IS NULL) AND (r.case_id IS NULL OR i.case_id IS NULL OR r.outcome <> i.outcome OR r.amount <> i.new_amount_fen))::int AS differ`,
    );
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    return {
      households: opts.households,
      county: COUNTY,
      reviewed: diff!.total,
      referenceRows: diff!.ref,
      outcomesDiffering: diff!.differ,
      summary,
      systemSeconds: system.map(round),
      handWrittenSeconds: hand.map(round),
      medianSystemSeconds: round(med(system)),
      medianHandWrittenSeconds: round(med(hand)),
      ratio: round(med(system) / med(hand)),
      goalRatio: 2.0,
      system:
        'runBatchReview (src/server/modules/cases/batch.ts): INSERT … SELECT of the "3+1" rule + township summary + audit, one transaction',
      handWritten:
        'one CREATE TABLE … AS SELECT with pre-aggregated joins computing outcome and amount per household (bench/dibao-q4.ts)',
    };
  } finally {
    await database.close();
    if (!process.env.BENCH_KEEP) await dropPgDatabase(adminUrl, 'jz_bench_dibao');
  }
}
