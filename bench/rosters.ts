/**
 * Roster benchmark (issue 7 "Performance"): rosters for every monthly programme of every county for one month at
 * N households on PostgreSQL, through the system's generateRoster (one set-based INSERT … SELECT per roster, plus
 * totals and audit), against ONE hand-written SQL statement producing the same lines for all counties and
 * programmes, in the same run. Goal: ratio ≤ 1.5 and ≤ 15 s.
 *
 * Data: the database must hold the `jiuzhu seed` registry (src/server/seed); `ensureSeeded` seeds it if empty.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Database, first, openDatabase, rows } from '../src/server/db/client.js';
import { seedPolicyParameters } from '../src/server/modules/policy/service.js';
import { generateRoster, generateRosters } from '../src/server/modules/rosters/service.js';
import type { Actor } from '../src/server/platform/context.js';
import { seedHouseholds } from '../src/server/seed/service.js';
import { prepareBenchDatabase } from './db.js';

export const PAYING = ['dibao', 'tekun', 'disability_living', 'disability_nursing'] as const;

export const benchActor = (permissions: string[]): Actor => ({
  id: null,
  username: 'bench',
  role: 'admin',
  regionCode: '',
  scope: { regionCode: '' },
  permissions: new Set(permissions),
});

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Bench data: the `jiuzhu seed` generator (src/server/seed) when it succeeds; otherwise (it currently fails at 1M
 * households with duplicate ID numbers) a set-based SQL generator with the same shape: households spread over
 * 平凉市's villages, 1–5 members (mean ≈ 2.6), payment accounts (3 % missing), 低保 ≈ 8 % of households,
 * 特困 ≈ 1 %, the two disability subsidies for ≈ 3 % / 2 % of persons.
 */
export async function ensureSeeded(
  database: Database,
  households: number,
  seed: number,
  log: (m: string) => void,
  sqlSeed = false,
) {
  await prepareBenchDatabase(database, false);
  const have = await first<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM households`);
  if (Number(have?.n ?? 0) >= households) return Number(have!.n);
  if (!sqlSeed) {
    log(`seeding ${households} households (jiuzhu seed generator)`);
    try {
      const r = await seedHouseholds(database, benchActor([]), {
        households,
        seed,
        regionCode: '6208',
        withEnrollments: true,
      });
      return r.households;
    } catch (e) {
      log(`jiuzhu seed failed (${(e as Error).message}); using the SQL generator`);
    }
  }
  log(`seeding ${households} households (SQL generator)`);
  await database.db.execute(sql`TRUNCATE households, persons, household_memberships, programme_enrollments, households_history,
    persons_history, programme_enrollments_history RESTART IDENTITY CASCADE`);
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`SET CONSTRAINTS ALL DEFERRED`);
    await tx.execute(sql`CREATE TEMP TABLE v ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY code) - 1 AS i, code FROM regions WHERE level = 5 AND code LIKE '6208%'`);
    await tx.execute(sql`CREATE TEMP TABLE hh ON COMMIT DROP AS
      SELECT g::bigint AS id, 1 + (g::bigint * 7919 % 100) / 30 + CASE WHEN g % 7 = 0 THEN 1 ELSE 0 END AS k FROM generate_series(1, ${households}) g`);
    await tx.execute(sql`CREATE TEMP TABLE hp ON COMMIT DROP AS
      SELECT id, k, (sum(k) OVER (ORDER BY id) - k + 1)::bigint AS head FROM hh`);
    await tx.execute(sql`INSERT INTO households (id, region_code, address, hukou_type, head_person_id, bank_name, bank_account, bank_account_holder)
      SELECT hp.id, v.code, '第' || hp.id || '号', CASE WHEN hp.id % 3 = 0 THEN 'urban' ELSE 'rural' END, hp.head,
             '农村信用社', CASE WHEN hp.id % 33 = 0 THEN NULL ELSE '6229' || lpad(hp.id::text, 15, '0') END, '户主' || hp.id
      FROM hp JOIN v ON v.i = hp.id % (SELECT count(*) FROM v)`);
    await tx.execute(sql`INSERT INTO persons (id, id_number, name, sex, birth_date, household_id, relation, region_code, phone)
      SELECT p, left(h.region_code, 6) || to_char(date '1940-01-01' + (p % 25000)::int, 'YYYYMMDD') || lpad(((p / 25000) % 1000)::text, 3, '0') || '0',
             '张' || chr(19968 + (p % 500)::int) || chr(19968 + (p % 777)::int), CASE WHEN p % 2 = 0 THEN 'F' ELSE 'M' END,
             date '1940-01-01' + (p % 25000)::int, hp.id, CASE WHEN p = hp.head THEN 'head' ELSE 'child' END, h.region_code,
             CASE WHEN p % 4 = 0 THEN '139' || lpad((p % 100000000)::text, 8, '0') END
      FROM hp JOIN households h ON h.id = hp.id CROSS JOIN LATERAL generate_series(hp.head, hp.head + hp.k - 1) p`);
    await tx.execute(sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen)
      SELECT h.id, NULL, h.region_code, 'dibao', h.hukou_type, CASE WHEN h.hukou_type = 'rural' THEN 1 + h.id % 4 END, 'active', '2025-01', 20000 + (h.id % 5) * 10000
      FROM households h WHERE h.id % 12 = 1
      UNION ALL
      SELECT h.id, h.head_person_id, h.region_code, 'tekun', NULL, NULL, 'active', '2025-03', 65000 FROM households h WHERE h.id % 100 = 7
      UNION ALL
      SELECT p.household_id, p.id, p.region_code, 'disability_living', NULL, NULL, 'active', '2025-02', 10000 FROM persons p WHERE p.id % 33 = 5
      UNION ALL
      SELECT p.household_id, p.id, p.region_code, 'disability_nursing', NULL, NULL, 'active', '2025-02', 10000 FROM persons p WHERE p.id % 50 = 9`);
    await tx.execute(sql`SELECT setval(pg_get_serial_sequence('households', 'id'), (SELECT max(id) FROM households)),
                                setval(pg_get_serial_sequence('persons', 'id'), (SELECT max(id) FROM persons))`);
  });
  await database.db.execute(sql`VACUUM ANALYZE households`);
  await database.db.execute(sql`VACUUM ANALYZE persons`);
  return households;
}

/** The hand-written reference: every county and monthly programme's regular lines in one INSERT … SELECT. */
const REFERENCE_ROSTER_ID = sql`e.county_code::bigint * 10 + array_position(ARRAY['dibao', 'tekun', 'disability_living', 'disability_nursing'], e.programme)`;
const REFERENCE = (month: string, into: 'roster_lines' | 'copy') => sql`
  INSERT INTO ${sql.raw(into === 'copy' ? 'bench_roster_lines_ref' : 'roster_lines')} (roster_id, kind, for_month, dibao_kind, rural_class, bank_name, bank_account_holder,
    ${sql.raw(into === 'copy' ? 'county_code, programme,' : '')} line_no, enrollment_id, household_id, person_id, payee_person_id,
    payee_name, payee_id_number, region_code, township_code, covered_persons, bank_account, amount_fen, province_fen, city_fen,
    county_fen, legal_basis, error_code)
  SELECT ${REFERENCE_ROSTER_ID},
         'regular', ${month}, e.dibao_kind, e.rural_class, h.bank_name, h.bank_account_holder,
         ${into === 'copy' ? sql`e.county_code, e.programme,` : sql``}
         row_number() OVER (PARTITION BY e.county_code, e.programme ORDER BY e.region_code, e.household_id, e.id)::int,
         e.id, e.household_id, e.person_id, coalesce(e.person_id, h.head_person_id), pp.name, pp.id_number, e.region_code,
         left(e.region_code, 9),
         CASE WHEN e.person_id IS NULL THEN (SELECT count(*)::int FROM persons x WHERE x.household_id = e.household_id AND x.death_date IS NULL) ELSE 1 END,
         h.bank_account, sp.amt, sp.prov, sp.city, sp.amt - sp.prov - sp.city,
         s.legal_basis,
         CASE WHEN e.monthly_amount_fen IS NULL THEN 'missing_amount'
              WHEN coalesce(e.person_id, h.head_person_id) IS NULL THEN 'missing_payee'
              WHEN pp.death_date IS NOT NULL AND pp.death_date < ${`${month}-01`}::date THEN 'payee_deceased'
              WHEN h.status <> 'active' THEN 'household_dissolved'
              WHEN coalesce(btrim(h.bank_account), '') = '' THEN 'missing_bank_account'
              WHEN btrim(h.bank_account) !~ '^[0-9]{8,30}$' THEN 'invalid_bank_account'
              WHEN coalesce(btrim(h.bank_name), '') = '' THEN 'missing_bank_name' END
  FROM programme_enrollments e
  JOIN roster_programme_settings s ON s.programme = e.programme AND s.region_code = ''
  JOIN households h ON h.id = e.household_id
  LEFT JOIN persons pp ON pp.id = coalesce(e.person_id, h.head_person_id)
  -- The split with the seed's policy parameters typed in: 低保 80/10/10 %, 特困 all county, living subsidy 70 of 100
  -- province (all county for a rural class 3–4 低保 household), nursing 80 of 100 province; local share all county.
  CROSS JOIN LATERAL (SELECT coalesce(e.monthly_amount_fen, 0)::bigint AS amt,
    e.programme = 'disability_living' AND ((e.dibao_kind = 'rural' AND e.rural_class >= 3) OR EXISTS (
      SELECT 1 FROM programme_enrollments d WHERE d.household_id = e.household_id AND d.programme = 'dibao'
        AND d.dibao_kind = 'rural' AND d.rural_class >= 3 AND d.status = 'active'
        AND d.start_month <= ${month} AND (d.end_month IS NULL OR d.end_month >= ${month}))) AS county_only) a
  CROSS JOIN LATERAL (SELECT a.amt,
    CASE WHEN a.county_only THEN 0 WHEN e.programme = 'dibao' THEN a.amt * 80 / 100
         WHEN e.programme = 'disability_living' THEN a.amt * 7000 / 10000
         WHEN e.programme = 'disability_nursing' THEN a.amt * 8000 / 10000 ELSE 0 END AS prov,
    CASE WHEN a.county_only THEN 0 WHEN e.programme = 'dibao' THEN a.amt * 10 / 100 ELSE 0 END AS city) sp
  WHERE e.programme IN ('dibao', 'tekun', 'disability_living', 'disability_nursing') AND e.status = 'active'
    AND e.start_month <= ${month} AND (e.end_month IS NULL OR e.end_month >= ${month})`;

/**
 * The hand-written statement, timed. `roster_lines`: into the system's own table, with its foreign key and its
 * frozen-roster statement trigger, under 28 draft rosters of its own (month 2099-12, ids county × 10 + programme) —
 * what the system pays for too. `copy`: into a constraint-free copy of the table (LIKE … INCLUDING INDEXES), as the
 * first sessions measured; also what the line-by-line comparison reads.
 */
async function reference(database: Database, month: string, into: 'roster_lines' | 'copy') {
  if (into === 'copy') {
    await database.db.execute(sql`DROP TABLE IF EXISTS bench_roster_lines_ref`);
    await database.db.execute(
      sql`CREATE TABLE bench_roster_lines_ref (LIKE roster_lines INCLUDING DEFAULTS INCLUDING INDEXES)`,
    );
    await database.db.execute(
      sql`ALTER TABLE bench_roster_lines_ref ADD COLUMN county_code char(6), ADD COLUMN programme text`,
    );
  } else {
    await database.db.execute(sql`DELETE FROM rosters WHERE month = '2099-12'`);
    await database.db.execute(sql`INSERT INTO rosters (id, kind, month, county_code, region_code, programme)
      SELECT c.code::bigint * 10 + p.i, 'regular', '2099-12', c.code, c.code, p.programme
      FROM (SELECT DISTINCT county_code AS code FROM programme_enrollments) c
      CROSS JOIN unnest(ARRAY['dibao', 'tekun', 'disability_living', 'disability_nursing']) WITH ORDINALITY AS p(programme, i)`);
  }
  const t = performance.now();
  await database.db.execute(REFERENCE(month, into));
  const seconds = (performance.now() - t) / 1000;
  if (into === 'roster_lines') await database.db.execute(sql`DELETE FROM rosters WHERE month = '2099-12'`);
  return seconds;
}

export async function rosterBench(
  url: string,
  opts: {
    households: number;
    seed: number;
    month: string;
    log: (m: string) => void;
    sqlSeed?: boolean;
    rounds?: number;
  },
) {
  const database = await openDatabase({ url, poolSize: 4 });
  try {
    const households = await ensureSeeded(database, opts.households, opts.seed, opts.log, opts.sqlSeed);
    // The deployment's policy parameters (funding splits as of the roster month come from them).
    await seedPolicyParameters(database.db, '6208');
    await database.db.execute(sql`TRUNCATE roster_lines, bank_returns, rosters RESTART IDENTITY CASCADE`);
    await database.db.execute(sql`VACUUM ANALYZE programme_enrollments`);
    await database.db.execute(sql`ANALYZE households`);
    await database.db.execute(sql`ANALYZE persons`);
    await database.db.execute(sql`CHECKPOINT`);
    const counties = (
      await rows<{ code: string }>(
        database.db,
        sql`SELECT DISTINCT county_code AS code FROM programme_enrollments ORDER BY 1`,
      )
    ).map((r) => r.code);
    // warm the caches the same way for both sides
    await reference(database, opts.month, 'copy');
    opts.log('reference statement (warm-up) done');
    const ctx = { db: database.db, actor: benchActor(['roster.generate']), locale: 'zh' as const };
    // Rounds of (hand-written, system) interleaved, so that both see the same machine; best and median of each.
    const refRuns: number[] = [];
    const copyRuns: number[] = [];
    const systemRuns: number[] = [];
    let lines = 0;
    for (let run = 0; run < (opts.rounds ?? 3); run++) {
      await database.db.execute(sql`TRUNCATE roster_lines, bank_returns, rosters RESTART IDENTITY CASCADE`);
      refRuns.push(await reference(database, opts.month, 'roster_lines'));
      copyRuns.push(await reference(database, opts.month, 'copy'));
      opts.log(
        `hand-written statement: ${refRuns[run]!.toFixed(2)} s into roster_lines, ${copyRuns[run]!.toFixed(2)} s into a constraint-free copy`,
      );
      await database.db.execute(sql`TRUNCATE roster_lines, bank_returns, rosters RESTART IDENTITY CASCADE`);
      const t = performance.now();
      const bulk = await generateRosters(ctx, { month: opts.month, countyCodes: counties, programmes: [...PAYING] });
      lines = bulk.created.reduce((s, r) => s + r.lineCount, 0);
      systemRuns.push((performance.now() - t) / 1000);
      opts.log(
        `system (generateRosters: ${bulk.created.length} rosters): ${systemRuns[run]!.toFixed(2)} s, ${lines} lines`,
      );
    }
    const systemSeconds = Math.min(...systemRuns);
    // The per-roster path (API: one county × programme per call) on the same data, for comparison.
    await database.db.execute(sql`TRUNCATE roster_lines, bank_returns, rosters RESTART IDENTITY CASCADE`);
    const t2 = performance.now();
    for (const county of counties)
      for (const programme of PAYING) await generateRoster(ctx, { countyCode: county, month: opts.month, programme });
    const perRosterSeconds = (performance.now() - t2) / 1000;
    opts.log(`per-roster generateRoster × ${counties.length * PAYING.length}: ${perRosterSeconds.toFixed(2)} s`);
    // The reference's lines again, for the comparison below (not timed).
    await reference(database, opts.month, 'copy');
    // The same lines: every (county, programme, line_no, enrollment, amount split, payee, error) on both sides.
    const [diff] = await rows<{ only_system: number; only_ref: number; ref_lines: number }>(
      database.db,
      sql`WITH s AS (SELECT r.county_code, r.programme, l.line_no, l.enrollment_id, l.household_id, l.payee_person_id, l.covered_persons,
                            l.bank_account, l.amount_fen, l.province_fen, l.city_fen, l.county_fen, l.legal_basis, l.error_code
                     FROM roster_lines l JOIN rosters r ON r.id = l.roster_id),
               f AS (SELECT county_code, programme, line_no, enrollment_id, household_id, payee_person_id, covered_persons,
                            bank_account, amount_fen, province_fen, city_fen, county_fen, legal_basis, error_code FROM bench_roster_lines_ref)
          SELECT (SELECT count(*) FROM (SELECT * FROM s EXCEPT ALL SELECT * FROM f) a)::int AS only_system,
                 (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM s) b)::int AS only_ref,
                 (SELECT count(*) FROM f)::int AS ref_lines`,
    );
    const [byProg] = await rows<{ j: Record<string, number> }>(
      database.db,
      sql`SELECT json_object_agg(programme, n) AS j FROM (SELECT programme, count(*)::int AS n FROM roster_lines l JOIN rosters r ON r.id = l.roster_id GROUP BY programme) x`,
    );
    await database.db.execute(sql`DROP TABLE IF EXISTS bench_roster_lines_ref`);
    const refBest = Math.min(...refRuns);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      households,
      month: opts.month,
      counties: counties.length,
      programmes: [...PAYING],
      rosters: counties.length * PAYING.length,
      lines,
      linesByProgramme: byProg?.j ?? {},
      systemSeconds: round(systemSeconds),
      systemRuns: systemRuns.map(round),
      perRosterSeconds: round(perRosterSeconds),
      perRosterRatio: round(perRosterSeconds / refBest),
      referenceSeconds: refRuns.map(round),
      referenceIntoCopySeconds: copyRuns.map(round),
      ratioToConstraintFreeCopy: round(systemSeconds / Math.min(...copyRuns)),
      ratio: round(systemSeconds / refBest),
      medianRatio: round(med(systemRuns) / med(refRuns)),
      sameLines: diff!.only_system === 0 && diff!.only_ref === 0 && diff!.ref_lines === lines,
      difference: diff,
      goals: { ratio: 1.5, maxSeconds: 15 },
      reference:
        'one INSERT … SELECT for all counties and programmes (bench/rosters.ts REFERENCE) into roster_lines (same foreign key and trigger as the system); also timed into a constraint-free copy',
      system:
        'generateRoster (src/server/modules/rosters/service.ts) per county × programme: lock, INSERT … SELECT with adjustments, totals, audit',
    };
  } finally {
    await database.close();
  }
}
