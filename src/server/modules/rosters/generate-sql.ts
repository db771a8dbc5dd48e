import { type SQL, sql } from 'drizzle-orm';

/**
 * The set-based generation of a roster's lines (one INSERT … SELECT; docs/rosters.md §Generation).
 *
 * - Regular lines: entitlements of the county and programme active in the month
 *   (start_month ≤ M ≤ end_month, status active) — [A arts.21,25]: paid monthly from the month after approval,
 *   which the case module expresses as start_month.
 * - Adjustments (补发 back_pay / 扣减 recovery): for every month F of the look-back window with a frozen
 *   (approved or later) regular roster, what the entitlement says today for F minus what the frozen rosters paid
 *   for F (held lines were not paid). An entitlement that is no longer active and has no end_month ends with
 *   the month in which the change was recorded ([C art.26]: stop from the next month).
 * - 停发 stop lines (amount 0): entitlements paid in the previous month's frozen roster that are not payable now.
 * Errors are computed in the same statement (missing bank account, missing amount, deceased payee …).
 *
 * Funding split (province / city / county) of each line, as of the month the money is for (its first day): from the
 * effective-dated policy parameters (src/domain/parameters) — 低保/特困 `funding_percent`, the two disability
 * subsidies' province share in fen of the standard (70 of 100 / 80 of 100 [seed]) with the local rest split by
 * `local_share_city_percent`, a class 3–4 rural 低保 household's living subsidy all county [seed]. Only a programme
 * without such parameters in force (临时/医疗救助) falls back to `roster_programme_settings`. The county takes the
 * rounding remainder, so the three parts always add up to the amount. Frozen with the line on approval.
 */
export interface GenerateParams {
  /** The rosters (draft, regular) to fill: each names its county and programme; all of the same month. */
  rosterIds: number[];
  month: string;
  prevMonth: string;
  lookbackMonth: string;
}

const yuan = (x: SQL) => sql`to_char((${x})::numeric / 100, 'FM999999999990.00')`;

/** End month of an entitlement as it stands today (see above). */
const effectiveEnd = sql`CASE WHEN e.status = 'active' THEN e.end_month
  ELSE least(coalesce(e.end_month, '9999-12'), to_char(e.valid_from AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')) END`;

/** The rosters to fill with their fallback funding settings and legal basis (one row per roster). */
export function targetsSql(rosterIds: number[]): SQL {
  const ids = sql`ARRAY[${sql.join(
    rosterIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::bigint[]`;
  return sql`
      SELECT r.id AS target_id, r.county_code, r.programme, st.province_bp, st.city_bp, st.legal_basis
      FROM rosters r CROSS JOIN LATERAL (
        SELECT province_bp, city_bp, legal_basis FROM roster_programme_settings s
        WHERE s.programme = r.programme AND r.county_code LIKE s.region_code || '%'
        ORDER BY length(s.region_code) DESC LIMIT 1) st
      WHERE r.id = ANY(${ids})`;
}

/**
 * One statement for one roster or for many (a whole city's month: every county × programme), so bulk generation is
 * as set-based as a single roster. The rosters are those of the temporary table `roster_gen_target` (filled from
 * `targetsSql` by the caller, in the same transaction).
 */
export function generateLinesSql(p: GenerateParams): SQL {
  return sql`
    WITH target AS (SELECT * FROM roster_gen_target),
    frozen AS (
      SELECT t.target_id, r.id, r.month FROM target t
      JOIN rosters r ON r.county_code = t.county_code AND r.programme = t.programme AND r.kind = 'regular'
        AND r.status IN ('approved', 'sent', 'reconciled') AND r.month < ${p.month} AND r.month >= ${p.lookbackMonth}),
    paid AS (
      SELECT f.target_id, l.enrollment_id, l.for_month, sum(l.amount_fen) AS paid_fen
      FROM roster_lines l JOIN frozen f ON f.id = l.roster_id
      WHERE l.enrollment_id IS NOT NULL AND NOT l.held
      GROUP BY f.target_id, l.enrollment_id, l.for_month),
    due AS (
      SELECT t.target_id, e.id AS enrollment_id, f.month AS for_month, e.monthly_amount_fen AS due_fen
      FROM target t
      JOIN (SELECT DISTINCT target_id, month FROM frozen) f ON f.target_id = t.target_id
      JOIN programme_enrollments e ON e.county_code = t.county_code AND e.programme = t.programme
        AND e.start_month <= f.month AND (${effectiveEnd} IS NULL OR f.month <= ${effectiveEnd})
      WHERE e.monthly_amount_fen IS NOT NULL),
    adj AS (
      SELECT coalesce(d.target_id, pd.target_id) AS target_id,
             coalesce(d.enrollment_id, pd.enrollment_id) AS enrollment_id, coalesce(d.for_month, pd.for_month) AS for_month,
             coalesce(d.due_fen, 0) AS due_fen, coalesce(pd.paid_fen, 0) AS paid_fen
      FROM due d FULL JOIN paid pd ON pd.target_id = d.target_id AND pd.enrollment_id = d.enrollment_id AND pd.for_month = d.for_month
      WHERE coalesce(d.due_fen, 0) <> coalesce(pd.paid_fen, 0)),
    months AS (
      SELECT target_id, ${p.month}::text AS for_month FROM target UNION SELECT target_id, month FROM frozen),
    prm AS (
      SELECT DISTINCT ON (m.target_id, m.for_month, pp.key) m.target_id, m.for_month, pp.key, pp.value
      FROM months m JOIN target t ON t.target_id = m.target_id
      JOIN policy_parameters pp
        ON pp.programme = CASE WHEN t.programme IN ('disability_living', 'disability_nursing') THEN 'disability' ELSE t.programme END
       AND pp.key IN ('funding_percent', 'living_standard_fen', 'living_province_share_fen', 'nursing_standard_fen',
                      'nursing_province_share_fen', 'local_share_city_percent')
       AND t.county_code LIKE pp.region_code || '%'
       AND pp.effective_from <= (m.for_month || '-01')::date
       AND (pp.effective_to IS NULL OR (m.for_month || '-01')::date < pp.effective_to)
      ORDER BY m.target_id, m.for_month, pp.key, length(pp.region_code) DESC),
    pv AS (SELECT target_id, for_month, jsonb_object_agg(key, value) AS o FROM prm GROUP BY target_id, for_month),
    split AS MATERIALIZED (
      SELECT m.target_id, m.for_month,
             CASE md.mode WHEN 'percent' THEN (x.fp->>'province')::bigint WHEN 'share' THEN least(x.share, x.std)
                          ELSE t.province_bp END AS prov_num,
             CASE md.mode WHEN 'percent' THEN 100 WHEN 'share' THEN x.std ELSE 10000 END::bigint AS prov_den,
             CASE md.mode WHEN 'percent' THEN (x.fp->>'city')::bigint WHEN 'share' THEN x.city_pct
                          ELSE t.city_bp END AS city_num,
             CASE md.mode WHEN 'percent' THEN 100 WHEN 'share' THEN 100 ELSE 10000 END::bigint AS city_den,
             md.mode = 'share' AS city_of_local
      FROM months m JOIN target t ON t.target_id = m.target_id
      LEFT JOIN pv ON pv.target_id = m.target_id AND pv.for_month = m.for_month
      CROSS JOIN LATERAL (SELECT
        CASE t.programme WHEN 'disability_living' THEN (pv.o->>'living_standard_fen')::bigint
                         WHEN 'disability_nursing' THEN (pv.o->>'nursing_standard_fen')::bigint END AS std,
        CASE t.programme WHEN 'disability_living' THEN (pv.o->>'living_province_share_fen')::bigint
                         WHEN 'disability_nursing' THEN (pv.o->>'nursing_province_share_fen')::bigint END AS share,
        CASE WHEN t.programme IN ('dibao', 'tekun') THEN pv.o->'funding_percent' END AS fp,
        coalesce((pv.o->>'local_share_city_percent')::bigint, 0) AS city_pct) x
      CROSS JOIN LATERAL (SELECT CASE WHEN x.fp IS NOT NULL THEN 'percent'
                                      WHEN x.std > 0 AND x.share IS NOT NULL THEN 'share'
                                      ELSE 'setting' END AS mode) md),
    base AS (
      SELECT t.target_id, e.id AS enrollment_id, 'regular'::text AS kind, ${p.month}::text AS for_month, e.monthly_amount_fen AS amount_fen,
             NULL::text AS reason, 0 AS kind_order
      FROM target t JOIN programme_enrollments e ON e.county_code = t.county_code AND e.programme = t.programme
      WHERE e.status = 'active' AND e.start_month <= ${p.month} AND (e.end_month IS NULL OR e.end_month >= ${p.month})
      UNION ALL
      SELECT a.target_id, a.enrollment_id, CASE WHEN a.due_fen > a.paid_fen THEN 'back_pay' ELSE 'recovery' END, a.for_month,
             a.due_fen - a.paid_fen,
             CASE WHEN a.due_fen > a.paid_fen THEN '补发' ELSE '扣减' END || ' ' || a.for_month || '：应发 ' || ${yuan(sql`a.due_fen`)}
               || ' 元，已发 ' || ${yuan(sql`a.paid_fen`)} || ' 元' || coalesce('；' || e.change_reason, ''),
             1
      FROM adj a JOIN programme_enrollments e ON e.id = a.enrollment_id
      UNION ALL
      SELECT DISTINCT f.target_id, l.enrollment_id, 'stop', ${p.month}, 0::bigint,
             '停发：自 ' || ${p.month} || ' 起不再发放' || coalesce('；' || e.change_reason, ''), 2
      FROM roster_lines l JOIN frozen f ON f.id = l.roster_id AND f.month = ${p.prevMonth}
      JOIN programme_enrollments e ON e.id = l.enrollment_id
      WHERE l.kind = 'regular' AND NOT (e.status = 'active' AND e.start_month <= ${p.month}
            AND (e.end_month IS NULL OR e.end_month >= ${p.month}))),
    full_lines AS (
      SELECT b.*, e.household_id, e.person_id, e.region_code, e.dibao_kind, e.rural_class,
             coalesce(e.person_id, h.head_person_id) AS payee_person_id,
             h.bank_name, h.bank_account, h.bank_account_holder, h.status AS household_status,
             pp.name AS payee_name, pp.id_number AS payee_id_number, pp.death_date AS payee_death,
             CASE WHEN e.person_id IS NULL
                  THEN (SELECT count(*)::int FROM persons x WHERE x.household_id = e.household_id AND x.death_date IS NULL)
                  ELSE 1 END AS covered_persons,
             -- [seed] 农村三、四类低保家庭的生活补贴由县区财政自筹
             (e.programme = 'disability_living' AND ((e.dibao_kind = 'rural' AND e.rural_class >= 3) OR EXISTS (
               SELECT 1 FROM programme_enrollments d WHERE d.household_id = e.household_id AND d.programme = 'dibao'
                 AND d.dibao_kind = 'rural' AND d.rural_class >= 3 AND d.status = 'active'
                 AND d.start_month <= b.for_month AND (d.end_month IS NULL OR d.end_month >= b.for_month)))) AS county_only
      FROM base b
      JOIN programme_enrollments e ON e.id = b.enrollment_id
      JOIN households h ON h.id = e.household_id
      LEFT JOIN persons pp ON pp.id = coalesce(e.person_id, h.head_person_id))
    INSERT INTO roster_lines (roster_id, line_no, kind, for_month, enrollment_id, household_id, person_id, payee_person_id,
      payee_name, payee_id_number, region_code, township_code, covered_persons, dibao_kind, rural_class, bank_name,
      bank_account, bank_account_holder, amount_fen, province_fen, city_fen, county_fen, legal_basis, reason,
      error_code, error_message)
    SELECT fl.target_id,
           row_number() OVER (PARTITION BY fl.target_id ORDER BY fl.region_code, fl.household_id, fl.kind_order, fl.for_month, fl.enrollment_id)::int,
           fl.kind, fl.for_month, fl.enrollment_id, fl.household_id, fl.person_id, fl.payee_person_id,
           fl.payee_name, fl.payee_id_number, fl.region_code, left(fl.region_code, 9), fl.covered_persons,
           fl.dibao_kind, fl.rural_class, fl.bank_name, fl.bank_account, fl.bank_account_holder,
           sh.amount, sh.province, sh.city, sh.amount - sh.province - sh.city,
           t.legal_basis, fl.reason, err.code,
           CASE err.code
             WHEN 'missing_amount' THEN '待遇金额未核定'
             WHEN 'missing_payee' THEN '未指定领取人（户主）'
             WHEN 'payee_deceased' THEN '领取人已死亡，请变更户主或领取人'
             WHEN 'household_dissolved' THEN '家庭已注销'
             WHEN 'missing_bank_account' THEN '缺少发放银行账号'
             WHEN 'invalid_bank_account' THEN '银行账号格式不正确（应为8–30位数字）'
             WHEN 'missing_bank_name' THEN '缺少开户银行'
           END
    FROM full_lines fl JOIN target t ON t.target_id = fl.target_id
    -- A lookup per line (a handful of distinct keys, memoised), not a join: joined on (target, month) the planner
    -- estimates a few rows for the whole month and plans nested loops over 200,000 lines.
    CROSS JOIN LATERAL (SELECT * FROM split x WHERE x.target_id = fl.target_id AND x.for_month = fl.for_month OFFSET 0) sp
    -- bigint (the adjustment branch's sum() is numeric): integer division floors each part to the fen
    CROSS JOIN LATERAL (SELECT coalesce(fl.amount_fen, 0)::bigint AS amount) am
    CROSS JOIN LATERAL (SELECT am.amount,
      CASE WHEN fl.county_only THEN 0 ELSE am.amount * sp.prov_num / sp.prov_den END AS province) a
    CROSS JOIN LATERAL (SELECT a.amount, a.province,
      CASE WHEN fl.county_only THEN 0
           WHEN sp.city_of_local THEN (a.amount - a.province) * sp.city_num / sp.city_den
           ELSE a.amount * sp.city_num / sp.city_den END AS city) sh
    CROSS JOIN LATERAL (SELECT CASE
      WHEN fl.kind = 'regular' AND fl.amount_fen IS NULL THEN 'missing_amount'
      WHEN fl.kind NOT IN ('regular', 'back_pay') THEN NULL
      WHEN fl.payee_person_id IS NULL THEN 'missing_payee'
      WHEN fl.payee_death IS NOT NULL AND fl.payee_death < (${p.month} || '-01')::date THEN 'payee_deceased'
      WHEN fl.household_status <> 'active' THEN 'household_dissolved'
      WHEN coalesce(btrim(fl.bank_account), '') = '' THEN 'missing_bank_account'
      WHEN btrim(fl.bank_account) !~ '^[0-9]{8,30}$' THEN 'invalid_bank_account'
      WHEN coalesce(btrim(fl.bank_name), '') = '' THEN 'missing_bank_name'
    END AS code) AS err`;
}
