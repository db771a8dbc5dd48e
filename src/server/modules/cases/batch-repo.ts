/**
 * The Q4 validity-expiry batch review (S3) as set-based SQL: the "3+1" rule of src/domain/programs/dibao/rules.ts
 * compiled to one INSERT … SELECT over every recipient household of a county whose validity ends by the year end.
 * The pure rule is the specification; test/integration/cases-batch.test.ts checks that both agree household by household.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Rounding } from '../../../domain/money.js';
import type { AssessmentParameters, DibaoStandard } from '../../../domain/programs/dibao/parameters.js';
import { COUNTED_INCOME, FINANCIAL_PROPERTY } from '../../../domain/programs/dibao/rules.js';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';
import { flagSubsidyReviews } from './recipients-repo.js';

const list = (s: ReadonlySet<string>) =>
  sql.join(
    [...s].map((k) => sql`${k}`),
    sql`, `,
  );

/** roundFen (src/domain/money.ts) for non-negative bigint fen in SQL. */
export function roundSql(x: SQL, rule: Rounding): SQL {
  switch (rule) {
    case 'fen':
      return x;
    case 'jiao_up':
      return sql`((${x} + 9) / 10) * 10`;
    case 'yuan_up':
      return sql`((${x} + 99) / 100) * 100`;
    case 'yuan_down':
      return sql`((${x}) / 100) * 100`;
    case 'yuan_half_up':
      return sql`((${x} + 50) / 100) * 100`;
  }
}

/** The per-household outcome query (SELECT list: the columns of batch_review_items after batch_id). */
export function batchOutcomeQuery(
  countyCode: string,
  yearEnd: string,
  asOf: string,
  p: AssessmentParameters,
  s: DibaoStandard,
): SQL {
  const sc = p.scoring;
  const c = p.classCutoffs;
  return sql`
    WITH base AS (
      SELECT c.id AS case_id, c.household_id, c.region_code, c.rural_class AS old_class, coalesce(c.monthly_amount_fen, 0) AS old_amount,
             coalesce(c.last_visit_rating, 0) AS visit, c.last_review_score AS review, h.hukou_type, h.housing_rating, h.head_person_id,
             coalesce(c.flags -> 'shareStopped', '[]'::jsonb) AS stopped
      FROM cases c JOIN households h ON h.id = c.household_id
      WHERE c.county_code = ${countyCode} AND c.programme = 'dibao' AND c.status = 'approved' AND c.valid_until <= ${yearEnd}::date
    ),
    mem AS (
      SELECT b.case_id,
             count(p.id)::int AS size,
             count(p.id) FILTER (WHERE NOT b.stopped @> to_jsonb(p.id))::int AS benefit,
             count(p.id) FILTER (WHERE extract(year FROM age(${asOf}::date, p.birth_date)) < 16 OR extract(year FROM age(${asOf}::date, p.birth_date)) >= 60
                                   OR p.labour_capacity IN ('none', 'partial'))::int AS dependents,
             coalesce(bool_or(p.grave_illness OR coalesce(d.disability_level <= 2, false)), false) AS severe,
             coalesce(bool_or(p.health IN ('chronic', 'disabled') OR coalesce(d.disability_level >= 3, false)), false) AS moderate,
             coalesce(bool_or(p.id = b.head_person_id), false) AS has_head,
             coalesce(bool_or(p.id = b.head_person_id AND p.hukou_local), false) AS head_local,
             coalesce((array_agg(p.hukou_local ORDER BY p.id))[1], false) AS first_local
      FROM base b
      LEFT JOIN persons p ON p.household_id = b.household_id AND (p.death_date IS NULL OR p.death_date > ${asOf}::date)
      LEFT JOIN disability_certs d ON d.person_id = p.id
      GROUP BY b.case_id
    ),
    inc AS (
      SELECT b.case_id,
             coalesce(sum(CASE WHEN i.period = 'annual' THEN (i.amount_fen + 6) / 12 ELSE i.amount_fen END) FILTER (WHERE i.kind IN (${list(COUNTED_INCOME)})), 0)::bigint AS counted
      FROM base b LEFT JOIN income_items i ON i.household_id = b.household_id
      GROUP BY b.case_id
    ),
    prop AS (
      SELECT b.case_id,
             coalesce(sum(pi.value_fen) FILTER (WHERE pi.kind IN (${list(FINANCIAL_PROPERTY)})), 0)::bigint AS fin,
             coalesce(sum(pi.value_fen) FILTER (WHERE pi.kind = 'vehicle'), 0)::bigint AS veh,
             count(pi.id) FILTER (WHERE pi.kind = 'house')::int AS houses,
             coalesce(sum(pi.value_fen) FILTER (WHERE pi.kind = 'business'), 0)::bigint AS biz
      FROM base b LEFT JOIN property_items pi ON pi.household_id = b.household_id
      GROUP BY b.case_id
    ),
    calc AS (
      SELECT b.*, m.size, m.benefit, m.dependents, m.severe, m.moderate,
             CASE WHEN m.has_head THEN m.head_local ELSE m.first_local END AS gate_hukou,
             CASE WHEN b.hukou_type = 'urban' THEN ${s.urbanMonthlyFen}::bigint ELSE ${s.ruralMonthlyFen}::bigint END AS std,
             CASE WHEN m.size > 0 THEN i.counted / m.size ELSE i.counted END AS pci,
             pr.fin, pr.veh, pr.houses, pr.biz
      FROM base b JOIN mem m USING (case_id) JOIN inc i USING (case_id) JOIN prop pr USING (case_id)
    ),
    gated AS (
      SELECT calc.*,
             (size > 0 AND pci < std) AS gate_income,
             (fin <= ${p.property.financialPerCapitaMaxMonths}::bigint * std * greatest(size, 1) AND veh <= ${p.property.vehicleMaxFen}::bigint
              AND houses <= ${p.property.maxHouses} AND biz <= ${p.property.businessMaxFen}::bigint) AS gate_property,
             (CASE WHEN size > 0 THEN (${sc.dependency} * dependents) / size ELSE 0 END
              + CASE WHEN severe THEN ${sc.illnessSevere} WHEN moderate THEN ${sc.illnessModerate} ELSE 0 END
              + CASE WHEN housing_rating IN ('C', 'D') THEN ${sc.housingDangerous} WHEN housing_rating = 'B' THEN ${sc.housingWeak} ELSE 0 END
              + CASE WHEN std > 0 THEN (${sc.incomeGap} * greatest(0, std - pci)) / std ELSE 0 END
              + (${sc.visitRating} * least(10, greatest(0, visit))) / 10)::int AS survey
      FROM calc
    ),
    scored AS (
      SELECT gated.*, (gate_hukou AND gate_income AND gate_property) AS eligible,
             (CASE WHEN review IS NULL THEN survey ELSE (survey * ${p.surveyWeightPct} + least(100, greatest(0, review)) * ${p.reviewWeightPct}) / 100 END)::int AS combined
      FROM gated
    ),
    classed AS (
      SELECT scored.*,
             CASE WHEN eligible AND hukou_type = 'rural' THEN
               CASE WHEN combined >= ${c.class1} THEN 1 WHEN combined >= ${c.class2} THEN 2 WHEN combined >= ${c.class3} THEN 3 ELSE 4 END
             END AS new_class
      FROM scored
    ),
    amounted AS (
      SELECT classed.*,
             CASE WHEN NOT eligible THEN 0::bigint
                  WHEN hukou_type = 'urban' THEN ${roundSql(sql`((std - pci) * benefit)`, p.rounding)}
                  ELSE ${roundSql(
                    sql`((CASE new_class WHEN 1 THEN ${s.classAmountsFen[1]}::bigint WHEN 2 THEN ${s.classAmountsFen[2]}::bigint WHEN 3 THEN ${s.classAmountsFen[3]}::bigint ELSE ${s.classAmountsFen[4]}::bigint END) * benefit)`,
                    p.rounding,
                  )}
             END AS new_amount
      FROM classed
    )
    SELECT case_id, household_id, region_code, size AS members_count, pci AS per_capita_fen, survey AS survey_score, combined AS combined_score,
           gate_hukou, gate_income, gate_property, old_class, new_class, old_amount AS old_amount_fen, new_amount AS new_amount_fen,
           CASE WHEN NOT eligible THEN 'exit'
                WHEN old_class IS DISTINCT FROM new_class THEN 'reclass'
                WHEN old_amount <> new_amount THEN 'amount_change'
                ELSE 'continue' END AS outcome
    FROM amounted`;
}

export async function insertBatch(
  db: Db,
  b: { regionCode: string; year: number; asOf: string; parameters: unknown; by: number | null },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO batch_reviews (programme, region_code, year, as_of, parameters, created_by)
        VALUES ('dibao', ${b.regionCode}, ${b.year}, ${b.asOf}::date, ${JSON.stringify(b.parameters)}::jsonb, ${b.by}) RETURNING id`,
  );
  return Number(r!.id);
}

/**
 * Fills the batch's items. The outcome query runs as CREATE TEMP TABLE … AS (PostgreSQL may run its SELECT in
 * parallel, which it never does for INSERT … SELECT), then the rows are appended to batch_review_items.
 */
export async function fillBatchItems(db: Db, batchId: number, outcome: SQL) {
  await db.execute(sql`CREATE TEMP TABLE batch_outcome_tmp ON COMMIT DROP AS ${outcome}`);
  await db.execute(sql`INSERT INTO batch_review_items (batch_id, case_id, household_id, region_code, members_count, per_capita_fen, survey_score,
      combined_score, gate_hukou, gate_income, gate_property, old_class, new_class, old_amount_fen, new_amount_fen, outcome)
    SELECT ${batchId}::bigint, o.* FROM batch_outcome_tmp o`);
  await db.execute(sql`DROP TABLE batch_outcome_tmp`);
}

export async function townshipSummary(db: Db, batchId: number) {
  return rows<{
    township_code: string;
    township_name: string | null;
    total: number;
    continue: number;
    reclass: number;
    amount_change: number;
    exit: number;
  }>(
    db,
    sql`SELECT g.township_code, (SELECT r.name FROM regions r WHERE r.code = g.township_code) AS township_name, g.total, g."continue", g.reclass, g.amount_change, g.exit
        FROM (SELECT left(i.region_code, 9) AS township_code,
               count(*)::int AS total,
               count(*) FILTER (WHERE outcome = 'continue')::int AS "continue",
               count(*) FILTER (WHERE outcome = 'reclass')::int AS reclass,
               count(*) FILTER (WHERE outcome = 'amount_change')::int AS amount_change,
               count(*) FILTER (WHERE outcome = 'exit')::int AS exit
        FROM batch_review_items i WHERE i.batch_id = ${batchId} GROUP BY 1) g ORDER BY 1`,
  );
}

export async function saveSummary(db: Db, batchId: number, summary: unknown) {
  await db.execute(sql`UPDATE batch_reviews SET summary = ${JSON.stringify(summary)}::jsonb WHERE id = ${batchId}`);
}

export async function findBatch(db: Db, id: number, scope: Scope, lock = false) {
  return first<{
    id: number;
    region_code: string;
    year: number;
    as_of: string;
    status: string;
    summary: Record<string, unknown>;
    parameters: Record<string, unknown>;
  }>(
    db,
    sql`SELECT id, region_code, year, to_char(as_of, 'YYYY-MM-DD') AS as_of, status, summary, parameters FROM batch_reviews b
        WHERE b.id = ${id} AND (${inScope(sql`b.region_code`, scope)} OR ${scope.regionCode} = '' )${lock ? sql` FOR UPDATE` : sql``}`,
  );
}

export async function batchItems(
  db: Db,
  batchId: number,
  scope: Scope,
  f: { outcome?: string; after?: number; limit: number },
) {
  return rows<Record<string, unknown> & { case_id: number }>(
    db,
    sql`SELECT case_id, household_id, region_code, members_count, per_capita_fen, survey_score, combined_score, gate_hukou, gate_income, gate_property,
               old_class, new_class, old_amount_fen, new_amount_fen, outcome
        FROM batch_review_items i
        WHERE i.batch_id = ${batchId} AND ${inScope(sql`i.region_code`, scope)}
          ${f.outcome ? sql`AND i.outcome = ${f.outcome}` : sql``} ${f.after ? sql`AND i.case_id > ${f.after}` : sql``}
        ORDER BY i.case_id LIMIT ${f.limit + 1}`,
  );
}

/**
 * Applies a proposed batch set-based: continue → validity extended; re-class / amount change → case and enrollment
 * updated from next month with a 调整 notice draft; exit → case exited, enrollment ended this month, 停发 notice draft.
 */
export async function applyBatch(
  db: Db,
  b: {
    id: number;
    thisMonth: string;
    nextMonth: string;
    validityMonths: number;
    by: number | null;
    issuerName: string;
    issuerCode: string;
    prefix: string;
    remedies: string;
  },
) {
  await db.execute(sql`UPDATE cases c SET valid_until = (date_trunc('month', c.valid_until) + make_interval(months => ${b.validityMonths + 1}::int) - interval '1 day')::date,
      version = c.version + 1, updated_at = now()
    FROM batch_review_items i WHERE i.batch_id = ${b.id} AND i.case_id = c.id AND i.outcome <> 'exit'`);
  await db.execute(sql`UPDATE programme_enrollments e SET status = 'ended', end_month = ${b.thisMonth}, changed_by = ${b.by},
      change_reason = 'Q4 有效期届满复核', version = e.version + 1
    FROM batch_review_items i JOIN cases c ON c.id = i.case_id
    WHERE i.batch_id = ${b.id} AND i.outcome IN ('reclass', 'amount_change', 'exit') AND e.household_id = c.household_id
      AND e.programme = 'dibao' AND e.status = 'active'`);
  await db.execute(sql`WITH ins AS (
      INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen, case_ref, changed_by, change_reason)
      SELECT c.household_id, c.region_code, 'dibao', c.dibao_kind, i.new_class, 'active', ${b.nextMonth}::text, i.new_amount_fen, c.case_no, ${b.by}::bigint, 'Q4 有效期届满复核调整'
      FROM batch_review_items i JOIN cases c ON c.id = i.case_id
      WHERE i.batch_id = ${b.id} AND i.outcome IN ('reclass', 'amount_change')
      RETURNING id, case_ref)
    UPDATE cases c SET enrollment_id = ins.id FROM ins WHERE c.case_no = ins.case_ref`);
  await db.execute(sql`UPDATE cases c SET rural_class = i.new_class, monthly_amount_fen = i.new_amount_fen
    FROM batch_review_items i WHERE i.batch_id = ${b.id} AND i.case_id = c.id AND i.outcome IN ('reclass', 'amount_change')`);
  await db.execute(sql`UPDATE cases c SET status = 'exited', decision_reason = 'ineligible', version = c.version + 1, updated_at = now()
    FROM batch_review_items i WHERE i.batch_id = ${b.id} AND i.case_id = c.id AND i.outcome = 'exit'`);
  // Exits and re-classes reach the members' living subsidies (POLICY.md §4 D2), flagged in the same set-based way.
  await flagSubsidyReviews(db, {
    households: sql`SELECT c.household_id FROM batch_review_items i JOIN cases c ON c.id = i.case_id
                    WHERE i.batch_id = ${b.id} AND i.outcome IN ('reclass', 'exit')`,
    detail: { source: 'dibao', event: 'batch_review', batchId: b.id },
  });
  // Notices (S7): drafts for every adjusted or exited household, issued by the county.
  await db.execute(sql`INSERT INTO notices (case_id, region_code, kind, issuer_level, issuer_code, issuer_name, doc_prefix, addressee, title, decision, facts, reasons, basis, remedies, created_by)
    SELECT c.id, c.region_code,
           CASE WHEN i.outcome = 'exit' THEN 'termination' ELSE 'adjustment' END, 'county', ${b.issuerCode}::text, ${b.issuerName}::text, ${b.prefix}::text,
           coalesce((SELECT p.name FROM persons p JOIN households h ON h.head_person_id = p.id WHERE h.id = c.household_id), '低保对象'),
           CASE WHEN i.outcome = 'exit' THEN '最低生活保障停发（退出）告知书' ELSE '最低生活保障调整告知书' END,
           CASE WHEN i.outcome = 'exit' THEN '你户最低生活保障金发放至 ' || ${b.thisMonth}::text || '，此后停发，退出最低生活保障。'
                ELSE '自 ' || ${b.nextMonth}::text || ' 起，你户月保障金由 ' || to_char(i.old_amount_fen / 100.0, 'FM999999990.00') || ' 元调整为 '
                     || to_char(i.new_amount_fen / 100.0, 'FM999999990.00') || ' 元' || coalesce('（农村' || substr('一二三四', i.new_class, 1) || '类）', '') || '。' END,
           '有效期届满复核（案件编号 ' || c.case_no || '）：家庭 ' || i.members_count || ' 人，人均月收入 ' || to_char(i.per_capita_fen / 100.0, 'FM999999990.00') || ' 元。',
           CASE WHEN i.outcome = 'exit' THEN '经复核不再符合最低生活保障条件：'
                  || concat_ws('；', CASE WHEN NOT i.gate_hukou THEN '户主非本地户籍' END, CASE WHEN NOT i.gate_income THEN '家庭人均收入不低于低保标准' END,
                               CASE WHEN NOT i.gate_property THEN '家庭财产超过本地限额' END) || '。'
                ELSE '经复核，综合评估得分 ' || i.combined_score || ' 分（入户调查 ' || i.survey_score || ' 分），家庭经济状况发生变化。' END,
           CASE WHEN i.outcome = 'exit'
                THEN '[{"document":"最低生活保障审核确认办法","article":"第三十二条"},{"document":"讲话（S3）","article":"有效期届满复核，该退出的退出"}]'::jsonb
                ELSE '[{"document":"最低生活保障审核确认办法","article":"第三十一条、第三十二条"},{"document":"讲话（S3）","article":"有效期届满复核，该调档的调档"}]'::jsonb END,
           ${b.remedies}::text, ${b.by}::bigint
    FROM batch_review_items i JOIN cases c ON c.id = i.case_id
    WHERE i.batch_id = ${b.id} AND i.outcome IN ('reclass', 'amount_change', 'exit')`);
  await db.execute(sql`INSERT INTO case_events (case_id, region_code, action, detail, actor_id)
    SELECT i.case_id, i.region_code, 'batch_review.' || i.outcome, jsonb_build_object('batchId', ${b.id}::bigint, 'newAmountFen', i.new_amount_fen, 'newClass', i.new_class), ${b.by}::bigint
    FROM batch_review_items i WHERE i.batch_id = ${b.id}`);
  await db.execute(sql`UPDATE batch_reviews SET status = 'applied', applied_at = now() WHERE id = ${b.id}`);
}
