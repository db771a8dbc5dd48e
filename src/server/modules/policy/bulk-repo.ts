/**
 * Set-based evaluation of the disability two subsidies (POLICY.md §4) and the 特困 conditions (POLICY.md §3) for
 * every person of a region, in one SQL statement. The pure rules (src/domain/programs/) are the specification:
 * every expression below mirrors a clause there, and test/integration/policy-bulk.test.ts checks that both agree
 * on thousands of generated households. Three-valued logic is SQL's own: NULL = undetermined (a fact is missing).
 *
 * Parameters differ per county, so they come in as a VALUES list with one row per (county, scenario): scenario 0 is
 * the parameters in force, scenario 1 a what-if variant. The registry's joins are done once, into one flat row of
 * facts per person; each scenario is an evaluation of the same decision expressions over that row.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { NursingTableEntry } from '../../../domain/parameters/catalogue.js';
import { type Db, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface CountyParams {
  countyCode: string;
  scenario: 0 | 1;
  livingStd: number;
  livingProv: number;
  class34: number | null;
  nursingStd: number;
  nursingProv: number;
  cityPct: number;
  nursingTable: NursingTableEntry[];
  elderlyAge: number;
  /** max(minor_age, minor_cover_until_age): below it a person has no labour capacity by age. */
  minorBelow: number;
  minorCoverUntil: number;
  dibaoUrban: number;
  dibaoRural: number;
  propertyLimit: number;
  supporterIncome: number;
  supporterProperty: number;
  permille: number;
  tkProvPct: number;
  tkCityPct: number;
}

const LIVING_OTHER = sql`('elderly_living_allowance', 'work_disability_living_allowance', 'retiree_living_allowance')`;
const NURSING_OTHER = sql`('elderly_nursing_allowance', 'work_disability_nursing_allowance', 'retiree_nursing_allowance')`;

function prmValues(params: CountyParams[], county: SQL): SQL {
  return sql.join(
    params.map(
      (
        p,
      ) => sql`(${p.countyCode}::${county}, ${p.scenario}::int, ${p.livingStd}::bigint, ${p.livingProv}::bigint, ${p.class34}::bigint,
        ${p.nursingStd}::bigint, ${p.nursingProv}::bigint, ${p.cityPct}::int, ${p.elderlyAge}::int, ${p.minorBelow}::int,
        ${p.minorCoverUntil}::int, ${p.dibaoUrban}::bigint, ${p.dibaoRural}::bigint, ${p.propertyLimit}::bigint,
        ${p.supporterIncome}::bigint, ${p.supporterProperty}::bigint, ${p.permille}::bigint, ${p.tkProvPct}::int, ${p.tkCityPct}::int,
        ${textArray(p.nursingTable.map((e) => `${e.type}:${e.level}`))},
        ${textArray(p.nursingTable.filter((e) => e.requiresLongTermCare).map((e) => `${e.type}:${e.level}`))})`,
    ),
    sql`, `,
  );
}

const textArray = (xs: string[]) =>
  xs.length
    ? sql`ARRAY[${sql.join(
        xs.map((x) => sql`${x}::text`),
        sql`, `,
      )}]`
    : sql`ARRAY[]::text[]`;

/**
 * A legal supporter's incapacity (POLICY.md §3, T3) under the limits of parameter row `p`: 特困, 60+ on 低保, 70+ or
 * severely disabled with income and property under the limits, or without civil capacity / missing / imprisoned with
 * property under the limit. Over `s0` (the supporter row with its age).
 */
function supporterIncapacity(p: string): SQL {
  const P = sql.raw(p);
  return sql`(s0.is_tekun
               OR (s0.is_dibao AND s0.age >= 60)
               OR (CASE WHEN s0.age >= 70 THEN (s0.annual_income_fen < ${P}.sup_income AND s0.property_fen <= ${P}.sup_prop)
                        ELSE false END)
               OR (CASE WHEN s0.disability_level IS NOT NULL AND (s0.disability_level <= 2 OR (s0.disability_type IN ('intellectual', 'mental') AND s0.disability_level = 3))
                        THEN (s0.annual_income_fen < ${P}.sup_income AND s0.property_fen <= ${P}.sup_prop)
                        ELSE false END)
               OR (CASE WHEN s0.lacks_civil_capacity OR s0.declared_missing OR s0.imprisoned
                        THEN (s0.property_fen <= ${P}.sup_prop)
                        ELSE false END))`;
}

type InRegion = (col: SQL) => SQL;

/** A region inside the scope implies the scope filter; writing both makes the planner multiply two correlated
 * selectivities (a one-county region is then estimated at a few hundred persons, and planned with nested loops). */
function regionFilter(scope: Scope, regionCode: string): InRegion {
  return (col: SQL) =>
    regionCode.startsWith(scope.regionCode)
      ? sql`${col} LIKE ${`${regionCode}%`}`
      : sql`${inScope(col, scope)} AND ${col} LIKE ${`${regionCode}%`}`;
}

/** The registry's aggregates the person facts are built from (no parameters): hh, inc, prop, dib, dibp, tk, bf. */
function registryCtes(d: SQL, inRegion: InRegion): SQL {
  return sql`
    hh AS (SELECT household_id, count(*)::bigint AS n FROM persons WHERE ${inRegion(sql`region_code`)} AND household_id IS NOT NULL GROUP BY household_id),
    inc AS NOT MATERIALIZED (SELECT household_id, person_id,
                   sum(CASE WHEN period = 'monthly' THEN amount_fen ELSE (amount_fen + 6) / 12 END)::bigint AS m
            FROM income_items WHERE ${inRegion(sql`region_code`)} AND kind IN ('wages', 'business_net', 'property_net', 'transfer_net')
            GROUP BY household_id, person_id),
    prop AS NOT MATERIALIZED (SELECT household_id, person_id, sum(value_fen)::bigint AS v FROM property_items WHERE ${inRegion(sql`region_code`)} GROUP BY household_id, person_id),
    dib AS (SELECT DISTINCT ON (household_id) id, household_id, dibao_kind, rural_class FROM programme_enrollments
            WHERE ${inRegion(sql`region_code`)} AND programme = 'dibao' AND status = 'active' AND person_id IS NULL ORDER BY household_id, id),
    dibp AS (SELECT DISTINCT ON (person_id) id, person_id, household_id, dibao_kind, rural_class FROM programme_enrollments
             WHERE ${inRegion(sql`region_code`)} AND programme = 'dibao' AND status = 'active' AND person_id IS NOT NULL ORDER BY person_id, id),
    tk AS (SELECT DISTINCT person_id FROM programme_enrollments
           WHERE ${inRegion(sql`region_code`)} AND programme = 'tekun' AND status = 'active' AND person_id IS NOT NULL),
    bf AS (SELECT person_id,
                  bool_or(kind = 'work_injury_nursing_fee') AS wi,
                  bool_or(kind = 'orphan_basic_living') AS orphan,
                  bool_or(kind IN ('orphan_basic_living', 'de_facto_unsupported_child')) AS child_scheme,
                  max(monthly_amount_fen) FILTER (WHERE kind IN ${LIVING_OTHER}) AS liv_other,
                  coalesce(bool_or(kind IN ${LIVING_OTHER} AND monthly_amount_fen IS NULL), false) AS liv_other_unknown,
                  max(monthly_amount_fen) FILTER (WHERE kind IN ${NURSING_OTHER}) AS nur_other,
                  coalesce(bool_or(kind IN ${NURSING_OTHER} AND monthly_amount_fen IS NULL), false) AS nur_other_unknown
           FROM person_benefit_facts
           WHERE ${inRegion(sql`region_code`)} AND valid_from <= ${d} AND (valid_to IS NULL OR valid_to > ${d})
           GROUP BY person_id)`;
}

/** The parameter-independent columns of the flat facts row of person `p` (joins: `registryJoins`). */
function factsColumns(d: SQL): SQL {
  return sql`p.id AS person_id, p.household_id, p.county_code,
             (p.death_date IS NULL OR p.death_date > ${d}) AS alive,
             date_part('year', age(${d}, p.birth_date))::int AS age,
             coalesce(p.student_status IN ('primary', 'junior', 'senior', 'vocational'), false) AS student,
             h.hukou_type,
             (p.death_date IS NULL OR p.death_date > ${d}) AND p.hukou_local
               AND coalesce(c.generation = 2 AND (c.expires_on IS NULL OR c.expires_on >= ${d}), false)
               AND NOT (coalesce(bf.wi, false) OR tk.person_id IS NOT NULL) AS base_ok,
             coalesce(bf.orphan, false) AS orphan,
             coalesce(bf.child_scheme, false) AS child_scheme,
             bf.liv_other, coalesce(bf.liv_other_unknown, false) AS liv_other_unknown,
             bf.nur_other, coalesce(bf.nur_other_unknown, false) AS nur_other_unknown,
             dd.id AS dib_id, coalesce(dd.dibao_kind, h.hukou_type) AS dkind, dd.rural_class,
             coalesce(dd.id IS NOT NULL AND coalesce(dd.dibao_kind, h.hukou_type) = 'rural' AND dd.rural_class >= 3, false) AS class34_family,
             c.disability_type AS dtype, c.disability_level AS dlevel, c.needs_long_term_care,
             coalesce(c.disability_level IS NOT NULL AND (
               (c.disability_type IN ('intellectual', 'mental') AND c.disability_level <= 3)
               OR (c.disability_type = 'physical' AND c.disability_level <= 2)
               OR (c.disability_type = 'visual' AND c.disability_level = 1)), false) AS severe,
             coalesce(io.m, 0) + coalesce(ish.m, 0) / hh.n AS income,
             coalesce(po.v, 0) + coalesce(psh.v, 0) / hh.n AS property`;
}

function registryJoins(): SQL {
  return sql`FROM persons p
      JOIN households h ON h.id = p.household_id
      JOIN hh ON hh.household_id = p.household_id
      LEFT JOIN disability_certs c ON c.person_id = p.id
      LEFT JOIN inc io ON io.household_id = p.household_id AND io.person_id = p.id
      LEFT JOIN inc ish ON ish.household_id = p.household_id AND ish.person_id IS NULL
      LEFT JOIN prop po ON po.household_id = p.household_id AND po.person_id = p.id
      LEFT JOIN prop psh ON psh.household_id = p.household_id AND psh.person_id IS NULL
      LEFT JOIN dib ON dib.household_id = p.household_id
      LEFT JOIN dibp ON dibp.person_id = p.id AND dibp.household_id = p.household_id
      CROSS JOIN LATERAL (SELECT CASE WHEN dibp.id IS NOT NULL AND (dib.id IS NULL OR dibp.id < dib.id) THEN dibp.id ELSE dib.id END AS id,
                                 CASE WHEN dibp.id IS NOT NULL AND (dib.id IS NULL OR dibp.id < dib.id) THEN dibp.dibao_kind ELSE dib.dibao_kind END AS dibao_kind,
                                 CASE WHEN dibp.id IS NOT NULL AND (dib.id IS NULL OR dibp.id < dib.id) THEN dibp.rural_class ELSE dib.rural_class END AS rural_class) dd
      LEFT JOIN tk ON tk.person_id = p.id
      LEFT JOIN bf ON bf.person_id = p.id`;
}

/** The columns a fact snapshot stores (policy_person_facts, migration 0012), in `factsColumns` order. */
const SNAPSHOT_COLUMN_NAMES = [
  'person_id',
  'household_id',
  'county_code',
  'alive',
  'age',
  'student',
  'hukou_type',
  'base_ok',
  'orphan',
  'child_scheme',
  'liv_other',
  'liv_other_unknown',
  'nur_other',
  'nur_other_unknown',
  'dib_id',
  'dkind',
  'rural_class',
  'class34_family',
  'dtype',
  'dlevel',
  'needs_long_term_care',
  'severe',
  'income',
  'property',
];
const SNAPSHOT_COLUMNS = sql.raw(SNAPSHOT_COLUMN_NAMES.join(', '));
const SNAPSHOT_COLUMNS_F0 = sql.raw(SNAPSHOT_COLUMN_NAMES.map((c) => `f0.${c}`).join(', '));

/**
 * The common table expressions every bulk statement shares: the parameter rows (`prm`, the nursing table as two
 * arrays of `type:level` keys — listed, and needing long-term care), then ONE flat row of
 * parameter-independent facts per person of the region (`facts`: alive, age, 户籍, certificate, dibao kind/class,
 * 特困 enrollment, orphan / work-injury / other-benefit flags, per-person income and property) and the supporters'
 * incapacity per (person, scenario) (`sup`, the only joined fact that depends on parameters). A scenario is then
 * an evaluation of `decisionSql` over `facts` — the joins are done once however many scenarios are evaluated.
 *
 * `source: 'snapshot'` reads the flat rows from the fact snapshot of `asOf` (policy_person_facts) instead of joining
 * the registry: the same columns, written earlier by `snapshotInsertSql` from the same expressions.
 */
function baseCtes(
  scope: Scope,
  regionCode: string,
  asOf: string,
  params: CountyParams[],
  opts: { materialized?: boolean; source?: 'live' | 'snapshot' } = {},
): SQL {
  const d = sql`${asOf}::date`;
  const inRegion = regionFilter(scope, regionCode);
  const supCols = sql`sp.person_id IS NOT NULL AS has_sup, sp.cap0, sp.unk0, sp.cap1, sp.unk1`;
  // Over a snapshot the parameter rows carry the county code in the column's own type (char(6)), so that joins to
  // them use the table's statistics (a cast to text hides them: the planner then guessed 1/200 of the persons and
  // sorted 580,000 rows on disk to group them). The live statement keeps text (its plans were tuned with it).
  const county = opts.source === 'snapshot' ? sql.raw('char(6)') : sql.raw('text');
  const facts =
    opts.source === 'snapshot'
      ? sql`SELECT ${SNAPSHOT_COLUMNS_F0}, ${supCols}
      FROM policy_person_facts f0
      LEFT JOIN sup sp ON sp.person_id = f0.person_id
      WHERE f0.as_of = ${d} AND ${inRegion(sql`f0.region_code`)}`
      : sql`SELECT ${factsColumns(d)},
             ${supCols}
      ${registryJoins()}
      LEFT JOIN sup sp ON sp.person_id = p.id
      WHERE ${inRegion(sql`p.region_code`)}`;
  return sql`
    prm(county_code, scen, living_std, living_prov, class34, nursing_std, nursing_prov, city_pct, elderly_age, minor_below,
        minor_cover, dibao_urban, dibao_rural, prop_limit, sup_income, sup_prop, permille, tk_prov_pct, tk_city_pct,
        ntab_keys, ntab_care)
      AS (VALUES ${prmValues(params, county)}),${opts.source === 'snapshot' ? sql`` : sql`${registryCtes(d, inRegion)},`}
    -- Supporters' incapacity depends on the scenario's limits: both scenarios side by side, one row per person, so
    -- that it joins the facts by person id (a join to the parameter rows first would be mis-estimated).
    sup AS (SELECT s.person_id,
                   bool_or(NOT s.incap0) AS cap0, bool_or(s.incap0 IS NULL) AS unk0,
                   bool_or(NOT s.incap1) AS cap1, bool_or(s.incap1 IS NULL) AS unk1
            FROM (SELECT date_part('year', age(${d}, ls.birth_date))::int AS age, ls.*
                  FROM legal_supporters ls WHERE ${inRegion(sql`ls.region_code`)}) s0
            JOIN prm pa ON pa.county_code = s0.county_code AND pa.scen = 0
            LEFT JOIN prm pb ON pb.county_code = s0.county_code AND pb.scen = 1
            CROSS JOIN LATERAL (SELECT s0.person_id, ${supporterIncapacity('pa')} AS incap0, ${supporterIncapacity('pb')} AS incap1) s
            GROUP BY s.person_id),
    facts AS ${opts.materialized ? sql`MATERIALIZED ` : sql``}(
      ${facts})`;
}

/**
 * The fact snapshot of one county as of `asOf`: the live facts rows (without supporters), written into
 * policy_person_facts in one INSERT … SELECT. The caller deletes the previous rows of (county, asOf) first.
 */
export function snapshotInsertSql(countyCode: string, asOf: string): SQL {
  const d = sql`${asOf}::date`;
  const inRegion: InRegion = (col) => sql`${col} LIKE ${`${countyCode}%`}`;
  return sql`
    WITH ${registryCtes(d, inRegion)}
    INSERT INTO policy_person_facts (as_of, region_code, ${SNAPSHOT_COLUMNS})
    SELECT ${d}, p.region_code, ${factsColumns(d)}
    ${registryJoins()}
    WHERE ${inRegion(sql`p.region_code`)}`;
}

/**
 * One scenario's decision for the facts row `f`, with that scenario's parameter row `p`
 * (aliases in the enclosing FROM; the supporters' aggregate of both scenarios is in `f`): a LATERAL subquery (flattened by the planner) whose
 * columns are the decision. D1–D8 and T1–T3 as in the pure rules.
 */
function decisionSql(p: string): SQL {
  const P = sql.raw(p);
  const key = sql`(f.dtype || ':' || f.dlevel)`;
  const cap = sql`CASE WHEN ${P}.scen = 0 THEN f.cap0 ELSE f.cap1 END`;
  const unk = sql`CASE WHEN ${P}.scen = 0 THEN f.unk0 ELSE f.unk1 END`;
  return sql`(SELECT g.living_eligible, g.living_fen, g.coverage_gap,
         CASE WHEN g.living_fen = 0 OR f.class34_family THEN 0 ELSE least(${P}.living_prov, g.living_fen) END AS living_province_fen,
         CASE WHEN g.living_fen = 0 OR f.class34_family THEN 0 ELSE (g.living_fen - least(${P}.living_prov, g.living_fen)) * ${P}.city_pct / 100 END AS living_city_fen,
         g.nursing_eligible, g.nursing_fen,
         CASE WHEN g.nursing_fen = 0 THEN 0 ELSE least(${P}.nursing_prov, g.nursing_fen) END AS nursing_province_fen,
         CASE WHEN g.nursing_fen = 0 THEN 0 ELSE (g.nursing_fen - least(${P}.nursing_prov, g.nursing_fen)) * ${P}.city_pct / 100 END AS nursing_city_fen,
         g.c1 AS tekun_c1, g.c2 AS tekun_c2, g.c3 AS tekun_c3, g.tekun_eligible, g.tekun_fen,
         g.tekun_fen * ${P}.tk_prov_pct / 100 AS tekun_province_fen, g.tekun_fen * ${P}.tk_city_pct / 100 AS tekun_city_fen
    FROM (SELECT e.*,
                 CASE WHEN e.living_eligible IS TRUE AND NOT coalesce(f.liv_other >= e.lstd, false) THEN e.lstd ELSE 0 END AS living_fen,
                 CASE WHEN e.nursing_eligible IS TRUE AND NOT coalesce(f.nur_other >= ${P}.nursing_std, false) THEN ${P}.nursing_std ELSE 0 END AS nursing_fen,
                 CASE WHEN e.tekun_eligible IS TRUE THEN (e.dibao_std * ${P}.permille + 999) / 1000 ELSE 0 END AS tekun_fen
          FROM (SELECT d2.*,
                       CASE WHEN (f.base_ok AND NOT f.orphan AND d2.dibao_ok) IS TRUE AND f.liv_other_unknown THEN NULL
                            ELSE f.base_ok AND NOT f.orphan AND d2.dibao_ok END AS living_eligible,
                       CASE WHEN (f.base_ok AND d2.severity_ok) IS TRUE AND f.nur_other_unknown THEN NULL
                            ELSE f.base_ok AND d2.severity_ok END AS nursing_eligible,
                       coalesce(f.base_ok AND NOT f.orphan, false) AND f.class34_family AND coalesce(${P}.class34, 0) <= 0 AS coverage_gap,
                       f.alive AND d2.c1 AND d2.c2 AND d2.c3 AND NOT (f.age < ${P}.minor_cover AND f.child_scheme) AS tekun_eligible
                FROM (SELECT d1.*,
                             CASE WHEN f.dib_id IS NULL THEN false WHEN f.dkind = 'urban' THEN true WHEN f.rural_class IS NULL THEN NULL
                                  WHEN f.rural_class <= 2 THEN true WHEN coalesce(${P}.class34, 0) > 0 THEN true ELSE false END AS dibao_ok,
                             CASE WHEN f.dib_id IS NULL THEN 0 WHEN f.dkind = 'urban' OR f.rural_class <= 2 THEN ${P}.living_std
                                  WHEN f.rural_class >= 3 AND coalesce(${P}.class34, 0) > 0 THEN ${P}.class34 ELSE 0 END AS lstd,
                             CASE WHEN f.dlevel IS NULL THEN NULL WHEN NOT coalesce(${key} = ANY(${P}.ntab_keys), false) THEN false
                                  WHEN coalesce(${key} = ANY(${P}.ntab_care), false) AND NOT f.needs_long_term_care THEN false
                                  ELSE true END AS severity_ok,
                             (f.age >= ${P}.elderly_age OR f.age < ${P}.minor_below OR f.severe OR f.student) AS c1,
                             (f.income < d1.dibao_std AND f.property <= ${P}.prop_limit) AS c2,
                             CASE WHEN NOT f.has_sup THEN NULL WHEN ${cap} THEN false
                                  WHEN ${unk} THEN NULL ELSE true END AS c3
                      FROM (SELECT CASE WHEN f.hukou_type = 'urban' THEN ${P}.dibao_urban ELSE ${P}.dibao_rural END AS dibao_std) d1) d2) e) g)`;
}

/** The parameter row of a scenario (all scenarios when `scen` is omitted) for facts row `f`. */
function scenarioJoins(p: string, scen?: number): SQL {
  const P = sql.raw(p);
  const scenCond = scen === undefined ? sql`` : sql` AND ${P}.scen = ${scen}::int`;
  return sql`JOIN prm ${P} ON ${P}.county_code = f.county_code${scenCond}`;
}

/**
 * The per-person decision rows (one per person and scenario): eligibility (true / false / NULL), monthly amounts
 * and the funding split of each subsidy, the coverage-gap flag, the three 特困 conditions and the 特困 amount.
 */
export function personDecisionsSql(scope: Scope, regionCode: string, asOf: string, params: CountyParams[]): SQL {
  return sql`
    WITH ${baseCtes(scope, regionCode, asOf, params)}
    SELECT f.person_id, f.household_id, f.county_code, p.scen, r.*
    FROM facts f
    ${scenarioJoins('p')}
    CROSS JOIN LATERAL ${decisionSql('p')} r`;
}

export interface PersonDecisionRow {
  person_id: number;
  household_id: number;
  county_code: string;
  scen: number;
  living_eligible: boolean | null;
  living_fen: number;
  coverage_gap: boolean;
  living_province_fen: number;
  living_city_fen: number;
  nursing_eligible: boolean | null;
  nursing_fen: number;
  nursing_province_fen: number;
  nursing_city_fen: number;
  tekun_c1: boolean;
  tekun_c2: boolean;
  tekun_c3: boolean | null;
  tekun_eligible: boolean | null;
  tekun_fen: number;
  tekun_province_fen: number;
  tekun_city_fen: number;
}

export function personDecisions(db: Db, scope: Scope, regionCode: string, asOf: string, params: CountyParams[]) {
  return rows<PersonDecisionRow>(
    db,
    sql`${personDecisionsSql(scope, regionCode, asOf, params)} ORDER BY person_id, scen`,
  );
}

export interface CountySummaryRow {
  county_code: string;
  persons: number;
  living_persons: number;
  living_fen: number;
  living_province_fen: number;
  living_city_fen: number;
  living_undetermined: number;
  coverage_gap: number;
  nursing_persons: number;
  nursing_fen: number;
  nursing_province_fen: number;
  nursing_city_fen: number;
  nursing_undetermined: number;
  tekun_c1: number;
  tekun_c2: number;
  tekun_c3: number;
  tekun_c3_unknown: number;
  tekun_eligible: number;
  tekun_candidates: number;
  tekun_fen: number;
}

/** Bulk evaluation summed per county (scenario 0). */
export function countySummaries(db: Db, scope: Scope, regionCode: string, asOf: string, params: CountyParams[]) {
  return rows<CountySummaryRow>(
    db,
    sql`SELECT county_code, count(*)::bigint AS persons,
          count(*) FILTER (WHERE living_fen > 0)::bigint AS living_persons, coalesce(sum(living_fen), 0)::bigint AS living_fen,
          coalesce(sum(living_province_fen), 0)::bigint AS living_province_fen, coalesce(sum(living_city_fen), 0)::bigint AS living_city_fen,
          count(*) FILTER (WHERE living_eligible IS NULL)::bigint AS living_undetermined, count(*) FILTER (WHERE coverage_gap)::bigint AS coverage_gap,
          count(*) FILTER (WHERE nursing_fen > 0)::bigint AS nursing_persons, coalesce(sum(nursing_fen), 0)::bigint AS nursing_fen,
          coalesce(sum(nursing_province_fen), 0)::bigint AS nursing_province_fen, coalesce(sum(nursing_city_fen), 0)::bigint AS nursing_city_fen,
          count(*) FILTER (WHERE nursing_eligible IS NULL)::bigint AS nursing_undetermined,
          count(*) FILTER (WHERE tekun_c1)::bigint AS tekun_c1, count(*) FILTER (WHERE tekun_c2)::bigint AS tekun_c2,
          count(*) FILTER (WHERE tekun_c3)::bigint AS tekun_c3, count(*) FILTER (WHERE tekun_c3 IS NULL)::bigint AS tekun_c3_unknown,
          count(*) FILTER (WHERE tekun_eligible)::bigint AS tekun_eligible,
          count(*) FILTER (WHERE tekun_c1 AND tekun_c2 AND tekun_c3 IS NULL)::bigint AS tekun_candidates,
          coalesce(sum(tekun_fen), 0)::bigint AS tekun_fen
        FROM (${personDecisionsSql(scope, regionCode, asOf, params)}) x
        GROUP BY county_code ORDER BY county_code`,
  );
}

export interface CoverageCountRow {
  county_code: string;
  living_eligible: number;
  living_paid: number;
  living_eligible_not_paid: number;
  living_paid_not_eligible: number;
  nursing_eligible: number;
  nursing_paid: number;
  nursing_eligible_not_paid: number;
  nursing_paid_not_eligible: number;
  coverage_gap: number;
}

/** Coverage: eligible people by subsidy against who is paid (active person-level enrollments). */
export function coverageCounts(db: Db, scope: Scope, regionCode: string, asOf: string, params: CountyParams[]) {
  return rows<CoverageCountRow>(
    db,
    sql`WITH paid AS (
          SELECT person_id, bool_or(programme = 'disability_living') AS pl, bool_or(programme = 'disability_nursing') AS pn
          FROM programme_enrollments
          WHERE ${inScope(sql`region_code`, scope)} AND region_code LIKE ${`${regionCode}%`} AND status = 'active'
            AND programme IN ('disability_living', 'disability_nursing') AND person_id IS NOT NULL
          GROUP BY person_id)
        SELECT x.county_code,
          count(*) FILTER (WHERE x.living_eligible)::bigint AS living_eligible,
          count(*) FILTER (WHERE paid.pl)::bigint AS living_paid,
          count(*) FILTER (WHERE x.living_eligible AND NOT coalesce(paid.pl, false))::bigint AS living_eligible_not_paid,
          count(*) FILTER (WHERE paid.pl AND x.living_eligible IS FALSE)::bigint AS living_paid_not_eligible,
          count(*) FILTER (WHERE x.nursing_eligible)::bigint AS nursing_eligible,
          count(*) FILTER (WHERE paid.pn)::bigint AS nursing_paid,
          count(*) FILTER (WHERE x.nursing_eligible AND NOT coalesce(paid.pn, false))::bigint AS nursing_eligible_not_paid,
          count(*) FILTER (WHERE paid.pn AND x.nursing_eligible IS FALSE)::bigint AS nursing_paid_not_eligible,
          count(*) FILTER (WHERE x.coverage_gap)::bigint AS coverage_gap
        FROM (${personDecisionsSql(scope, regionCode, asOf, params)}) x
        LEFT JOIN paid ON paid.person_id = x.person_id
        GROUP BY x.county_code ORDER BY x.county_code`,
  );
}

export interface WhatIfRow {
  county_code: string;
  gainers: number;
  losers: number;
  b_total: number;
  b_province: number;
  b_city: number;
  a_total: number;
  a_province: number;
  a_city: number;
}

/**
 * Baseline (scenario 0) against the variant (scenario 1) in ONE pass over the flat facts: every person row carries
 * both scenarios' decisions side by side (two LATERAL evaluations with the two parameter rows), summed per county —
 * who gains, who loses, and the costs. Every county in `params` needs both a scenario 0 and a scenario 1 row (a
 * county the change does not touch passes its baseline as scenario 1).
 */
export function whatIfCounts(
  db: Db,
  scope: Scope,
  regionCode: string,
  asOf: string,
  params: CountyParams[],
  source: 'live' | 'snapshot' = 'live',
) {
  return rows<WhatIfRow>(db, whatIfSql(scope, regionCode, asOf, params, source));
}

export function whatIfSql(
  scope: Scope,
  regionCode: string,
  asOf: string,
  params: CountyParams[],
  source: 'live' | 'snapshot' = 'live',
): SQL {
  const tot = (r: string, k: '' | 'province_' | 'city_') =>
    sql.raw(`${r}.living_${k}fen + ${r}.nursing_${k}fen + ${r}.tekun_${k}fen`);
  return sql`WITH ${baseCtes(scope, regionCode, asOf, params, { materialized: source === 'live', source })},
        pp AS (
          SELECT f.county_code, ${tot('r0', '')} AS b, ${tot('r1', '')} AS a,
                 ${tot('r0', 'province_')} AS bp, ${tot('r1', 'province_')} AS ap,
                 ${tot('r0', 'city_')} AS bc, ${tot('r1', 'city_')} AS ac
          FROM facts f
          ${scenarioJoins('p0', 0)}
          ${scenarioJoins('p1', 1)}
          CROSS JOIN LATERAL ${decisionSql('p0')} r0
          CROSS JOIN LATERAL ${decisionSql('p1')} r1
          -- Only these can be paid anything in any scenario: both subsidies need base_ok (alive, local 户籍, a valid
          -- 2nd-generation certificate, …) and 特困 needs condition 3, which is undetermined without supporters.
          -- Both facts are parameter-independent; everyone else is 0 → 0 and changes no count or sum.
          WHERE f.base_ok IS TRUE OR f.has_sup)
        SELECT county_code, count(*) FILTER (WHERE a > b)::bigint AS gainers, count(*) FILTER (WHERE a < b)::bigint AS losers,
               coalesce(sum(b), 0)::bigint AS b_total, coalesce(sum(bp), 0)::bigint AS b_province, coalesce(sum(bc), 0)::bigint AS b_city,
               coalesce(sum(a), 0)::bigint AS a_total, coalesce(sum(ap), 0)::bigint AS a_province, coalesce(sum(ac), 0)::bigint AS a_city
        FROM pp GROUP BY county_code ORDER BY county_code`;
}
