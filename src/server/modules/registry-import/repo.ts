import { type SQL, sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { copyLine } from '../../db/copy.js';
import type { Scope } from '../../platform/scope.js';
import { LEDGER_INCOME_SOURCE } from '../../seed/writer.js';
import type { ColumnKey } from './columns.js';
import type { CellError, StagedRow } from './validate.js';

/** SQL only: the staging table, the set-based checks across rows and against the registry, and the merge. */

export const STAGING_COLUMNS = [
  'job_id',
  'row_no',
  'household_no',
  'region_code',
  'address',
  'hukou_type',
  'relation',
  'name',
  'id_number',
  'sex',
  'birth_date',
  'ethnicity',
  'phone',
  'hukou_local',
  'education',
  'student_status',
  'health',
  'labour_capacity',
  'cert_no',
  'cert_generation',
  'disability_type',
  'disability_level',
  'needs_care',
  'wages_fen',
  'business_fen',
  'property_fen',
  'transfer_fen',
  'housing_structure',
  'housing_rating',
  'housing_appraised_on',
  'housing_appraisal_body',
  'bank_name',
  'bank_account',
  'hh_sig',
] as const;
export const ERROR_COLUMNS = ['job_id', 'row_no', 'col', 'message'] as const;

export function stagingLine(jobId: number, r: StagedRow): string {
  return copyLine([
    jobId,
    r.rowNo,
    r.householdNo,
    r.regionCode,
    r.address,
    r.hukouType,
    r.relation,
    r.name,
    r.idNumber,
    r.sex,
    r.birthDate,
    r.ethnicity,
    r.phone,
    r.hukouLocal,
    r.education,
    r.studentStatus,
    r.health,
    r.labourCapacity,
    r.certNo,
    r.certGeneration,
    r.disabilityType,
    r.disabilityLevel,
    r.needsCare,
    r.wagesFen,
    r.businessFen,
    r.propertyFen,
    r.transferFen,
    r.housingStructure,
    r.housingRating,
    r.housingAppraisedOn,
    r.housingAppraisalBody,
    r.bankName,
    r.bankAccount,
    r.hhSig,
  ]);
}

export function errorLines(jobId: number, rowNo: number, errors: CellError[]): string {
  let s = '';
  for (const e of errors) s += copyLine([jobId, rowNo, e.col, e.message]);
  return s;
}

/** Deletes the scratch rows of a job (after it ends, or of an interrupted job before a rerun). */
export async function clearStaging(db: Db, jobId: number): Promise<void> {
  await db.execute(sql`DELETE FROM import_staging WHERE job_id = ${jobId}`);
  await db.execute(sql`DELETE FROM import_household_keys WHERE job_id = ${jobId}`);
}

export async function clearErrors(db: Db, jobId: number): Promise<void> {
  await db.execute(sql`DELETE FROM import_row_errors WHERE job_id = ${jobId}`);
}

/** Lock key space of running imports (pg_advisory_lock(IMPORT_LOCK, jobId)), held by the process running the job. */
export const IMPORT_LOCK = 4242100;

export async function runningImportJobs(db: Db): Promise<number[]> {
  const r = await rows<{ id: number }>(
    db,
    sql`SELECT id FROM jobs WHERE kind = 'registry.import' AND status IN ('queued', 'running')`,
  );
  return r.map((x) => Number(x.id));
}

/**
 * Imports that were interrupted (kill -9, power loss) are marked failed and their scratch rows deleted. Nothing of
 * theirs reached the registry (that happens in one transaction), so the same file can simply be imported again.
 */
export async function reapImports(db: Db, jobIds: number[]): Promise<void> {
  if (jobIds.length === 0) return;
  const ids = sql.join(
    jobIds.map((id) => sql`${id}::bigint`),
    sql`, `,
  );
  await db.execute(sql`
    UPDATE jobs SET status = 'failed', finished_at = now(),
           error = jsonb_build_object('code', 'INTERRUPTED', 'detail', '导入过程被中断（进程退出），未写入任何台账数据，请重新导入')
    WHERE id IN (${ids}) AND status IN ('queued', 'running')`);
  await db.execute(sql`DELETE FROM import_staging WHERE job_id IN (${ids})`);
  await db.execute(sql`DELETE FROM import_row_errors WHERE job_id IN (${ids})`);
  await db.execute(sql`DELETE FROM import_household_keys WHERE job_id IN (${ids})`);
}

type Cols = Map<ColumnKey, number>;

/**
 * Checks across rows and against the database, each one INSERT … SELECT into import_row_errors:
 * village codes (exist, current, village level, inside the import's region), 户编号 used outside the region,
 * duplicate ID numbers in the file, ID numbers registered in another household, one head per household,
 * household columns that disagree with the head's row, and members of a household whose head row is bad.
 */
export async function checkAcrossRows(
  tx: Db,
  jobId: number,
  region: string,
  actorScope: Scope,
  cols: Cols,
): Promise<void> {
  const c = (k: ColumnKey) => cols.get(k)!;
  const prefix = `${region}%`;
  // Fresh statistics for the planner: the staging table was just filled (hash joins instead of nested loops).
  await tx.execute(sql`ANALYZE import_staging`);
  await tx.execute(sql`ANALYZE import_row_errors`);
  await tx.execute(sql`
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT s.job_id, s.row_no, ${c('regionCode')}::int,
           CASE WHEN r.code IS NULL THEN '村（社区）代码：' || s.region_code || ' 不存在，请核对统计用区划代码'
                WHEN r.retired_in IS NOT NULL THEN '村（社区）代码：' || s.region_code || '（' || r.name || '）已在 ' || r.retired_in || ' 版区划中撤销'
                WHEN r.level <> 5 THEN '村（社区）代码：' || s.region_code || ' 不是村（社区）级代码'
                ELSE '村（社区）代码：' || s.region_code || '（' || r.name || '）不在本次导入的区划 ' || ${region} || ' 范围内' END
    FROM import_staging s LEFT JOIN regions r ON r.code = s.region_code
    WHERE s.job_id = ${jobId} AND s.region_code IS NOT NULL
      AND (r.code IS NULL OR r.retired_in IS NOT NULL OR r.level <> 5 OR s.region_code NOT LIKE ${prefix})`);
  await tx.execute(sql`
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT s.job_id, s.row_no, ${c('householdNo')}::int, '户编号：' || s.household_no || ' 已被本次导入区划以外的户使用'
    FROM import_staging s JOIN households h ON h.household_no = s.household_no
    WHERE s.job_id = ${jobId} AND h.region_code NOT LIKE ${prefix}`);
  await tx.execute(sql`
    WITH dup AS (
      SELECT id_number, min(row_no) AS first_row FROM import_staging
      WHERE job_id = ${jobId} AND id_number IS NOT NULL GROUP BY id_number HAVING count(*) > 1)
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT s.job_id, s.row_no, ${c('idNumber')}::int, '公民身份号码：与第 ' || d.first_row || ' 行重复，同一人在文件中只能出现一次'
    FROM import_staging s JOIN dup d ON d.id_number = s.id_number
    WHERE s.job_id = ${jobId} AND s.row_no <> d.first_row`);
  await tx.execute(sql`
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT s.job_id, s.row_no, ${c('idNumber')}::int,
           CASE WHEN p.region_code LIKE ${`${actorScope.regionCode}%`}
                THEN '公民身份号码：此人已登记在户 ' || coalesce(h.household_no, '（系统内编号 ' || h.id || '）') || '，同一人只能属于一户；如需迁户请在系统中办理'
                ELSE '公民身份号码：此人已在您辖区以外登记，请联系上级民政部门核实' END
    FROM import_staging s JOIN persons p ON p.id_number = s.id_number LEFT JOIN households h ON h.id = p.household_id
    WHERE s.job_id = ${jobId}
      AND ((p.household_id IS NOT NULL AND h.household_no IS DISTINCT FROM s.household_no)
           OR (p.household_id IS NULL AND p.region_code NOT LIKE ${prefix}))`);
  await tx.execute(sql`
    WITH hh AS (
      SELECT household_no, count(*) FILTER (WHERE relation = 'head') AS heads, min(row_no) FILTER (WHERE relation = 'head') AS head_row
      FROM import_staging WHERE job_id = ${jobId} AND household_no IS NOT NULL GROUP BY household_no)
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT s.job_id, s.row_no, ${c('relation')}::int,
           CASE WHEN hh.heads = 0 THEN '与户主关系：户编号 ' || s.household_no || ' 没有户主行，每户须有且只有一名户主'
                ELSE '与户主关系：户编号 ' || s.household_no || ' 已在第 ' || hh.head_row || ' 行有户主，每户只能有一名户主' END
    FROM import_staging s JOIN hh ON hh.household_no = s.household_no
    WHERE s.job_id = ${jobId} AND (hh.heads = 0 OR (s.relation = 'head' AND s.row_no <> hh.head_row))`);
  const householdCols: Array<[ColumnKey, string, SQL]> = [
    ['regionCode', '村（社区）代码', sql`region_code`],
    ['address', '家庭住址', sql`address`],
    ['hukouType', '户籍性质', sql`hukou_type`],
    ['housingStructure', '住房结构', sql`housing_structure`],
    ['housingRating', '住房安全等级', sql`housing_rating`],
    ['housingAppraisedOn', '鉴定日期', sql`housing_appraised_on::text`],
    ['housingAppraisalBody', '鉴定机构', sql`housing_appraisal_body`],
    ['bankName', '开户银行', sql`bank_name`],
    ['bankAccount', '银行账号', sql`bank_account`],
  ];
  const valuesList = sql.join(
    householdCols.map(
      ([k, header, col]) =>
        sql`(${c(k)}::int, ${header}, (s.${col})::text IS DISTINCT FROM (h.${col})::text,
             CASE ${k === 'hukouType' ? sql`h.hukou_type WHEN 'urban' THEN '城镇' WHEN 'rural' THEN '农村'` : sql`WHEN true THEN (h.${col})::text`} END)`,
    ),
    sql`, `,
  );
  await tx.execute(sql`
    WITH heads AS MATERIALIZED (
      SELECT DISTINCT ON (household_no) household_no, row_no, hh_sig FROM import_staging
      WHERE job_id = ${jobId} AND relation = 'head' AND household_no IS NOT NULL ORDER BY household_no, row_no),
    pairs AS MATERIALIZED (
      SELECT s.row_no AS member_row, h.row_no AS head_row FROM import_staging s JOIN heads h ON h.household_no = s.household_no
      WHERE s.job_id = ${jobId} AND s.hh_sig <> h.hh_sig AND s.row_no <> h.row_no),
    both_rows AS MATERIALIZED (
      SELECT p.head_row, s.* FROM pairs p JOIN import_staging s ON s.job_id = ${jobId} AND s.row_no = p.member_row),
    head_rows AS MATERIALIZED (
      SELECT h.* FROM import_staging h WHERE h.job_id = ${jobId} AND h.row_no IN (SELECT head_row FROM pairs))
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT ${jobId}::bigint, s.row_no, x.col, x.header || '：与户主行（第 ' || h.row_no || ' 行）填写的「' || coalesce(x.head_value, '空') || '」不一致，同户各行的户信息须相同'
    FROM both_rows s JOIN head_rows h ON h.row_no = s.head_row
    CROSS JOIN LATERAL (VALUES ${valuesList}) AS x(col, header, differs, head_value)
    WHERE x.differs
      AND NOT EXISTS (SELECT 1 FROM import_row_errors e WHERE e.job_id = ${jobId} AND e.row_no = s.row_no AND e.col = x.col)`);
  await tx.execute(sql`
    WITH heads AS (
      SELECT DISTINCT ON (household_no) household_no, row_no FROM import_staging
      WHERE job_id = ${jobId} AND relation = 'head' AND household_no IS NOT NULL ORDER BY household_no, row_no),
    bad AS (
      SELECT h.household_no, h.row_no FROM heads h
      WHERE EXISTS (SELECT 1 FROM import_row_errors e WHERE e.job_id = ${jobId} AND e.row_no = h.row_no))
    INSERT INTO import_row_errors (job_id, row_no, col, message)
    SELECT s.job_id, s.row_no, NULL, '户主行（第 ' || b.row_no || ' 行）有错误，本户其他成员未导入；请改正户主行后重新导入'
    FROM import_staging s JOIN bad b ON b.household_no = s.household_no
    WHERE s.job_id = ${jobId} AND s.row_no <> b.row_no
      AND NOT EXISTS (SELECT 1 FROM import_row_errors e WHERE e.job_id = s.job_id AND e.row_no = s.row_no)`);
  await tx.execute(sql`
    UPDATE import_staging s SET ok = false
    FROM (SELECT DISTINCT row_no FROM import_row_errors WHERE job_id = ${jobId}) e
    WHERE s.job_id = ${jobId} AND s.row_no = e.row_no`);
}

export async function errorSummary(db: Db, jobId: number): Promise<{ rows: number; cells: number }> {
  const r = await first<{ rows: number; cells: number }>(
    db,
    sql`SELECT count(DISTINCT row_no) AS rows, count(*) AS cells FROM import_row_errors WHERE job_id = ${jobId}`,
  );
  return { rows: Number(r?.rows ?? 0), cells: Number(r?.cells ?? 0) };
}

export interface RowErrorRecord {
  row_no: number;
  col: number | null;
  message: string;
}

/** Errors in row order, from `afterRow` on (keyset pages for the error workbook and the report). */
export async function errorsPage(db: Db, jobId: number, afterRow: number, limit: number): Promise<RowErrorRecord[]> {
  return rows<RowErrorRecord>(
    db,
    sql`SELECT row_no, col, message FROM import_row_errors
        WHERE job_id = ${jobId} AND row_no > ${afterRow} AND row_no <= (
          SELECT coalesce(max(row_no), ${afterRow}) FROM (
            SELECT DISTINCT row_no FROM import_row_errors WHERE job_id = ${jobId} AND row_no > ${afterRow} ORDER BY row_no LIMIT ${limit}) x)
        ORDER BY row_no, col NULLS LAST`,
  );
}

export interface MergeCounts {
  households: { inserted: number; updated: number };
  persons: { inserted: number; updated: number };
  disabilityCerts: { inserted: number; updated: number };
  incomeItems: { inserted: number; updated: number; deleted: number };
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Writes the valid rows (ok) of a job into the registry, set-based. Unchanged rows are not touched (every UPDATE
 * compares with IS DISTINCT FROM), so a repeated import reports 0 updates and the history triggers only fire for
 * real changes. New households get their id and their head's person id before the insert.
 */
export async function mergeValidRows(
  tx: Db,
  jobId: number,
  actorId: number | null,
  reason: string,
  today: string,
): Promise<MergeCounts> {
  await tx.execute(sql`
    INSERT INTO import_household_keys (job_id, household_no, household_id, head_person_id, new_household)
    SELECT s.job_id, s.household_no,
           coalesce(h.id, nextval(pg_get_serial_sequence('households', 'id'))),
           coalesce(p.id, nextval(pg_get_serial_sequence('persons', 'id'))),
           h.id IS NULL
    FROM import_staging s
    LEFT JOIN households h ON h.household_no = s.household_no
    LEFT JOIN persons p ON p.id_number = s.id_number
    WHERE s.job_id = ${jobId} AND s.ok AND s.relation = 'head'`);

  const [hIns] = await rows<{ n: number }>(
    tx,
    sql`WITH ins AS (
          INSERT INTO households (id, household_no, region_code, address, hukou_type, head_person_id, formed_on,
                                  housing_structure, housing_rating, housing_appraised_on, housing_appraisal_body,
                                  bank_name, bank_account, bank_account_holder, changed_by, change_reason)
          SELECT k.household_id, s.household_no, s.region_code, s.address, s.hukou_type, k.head_person_id, ${today}::date,
                 s.housing_structure, s.housing_rating, s.housing_appraised_on, s.housing_appraisal_body,
                 s.bank_name, s.bank_account, CASE WHEN s.bank_account IS NOT NULL THEN s.name END, ${actorId}::bigint, ${reason}
          FROM import_staging s JOIN import_household_keys k ON k.job_id = s.job_id AND k.household_no = s.household_no
          WHERE s.job_id = ${jobId} AND s.ok AND s.relation = 'head' AND k.new_household
          RETURNING 1)
        SELECT count(*) AS n FROM ins`,
  );
  const [hUpd] = await rows<{ n: number }>(
    tx,
    sql`WITH upd AS (
          UPDATE households h SET
            region_code = s.region_code, address = s.address, hukou_type = s.hukou_type, head_person_id = k.head_person_id,
            housing_structure = s.housing_structure, housing_rating = s.housing_rating,
            housing_appraised_on = s.housing_appraised_on, housing_appraisal_body = s.housing_appraisal_body,
            bank_name = s.bank_name, bank_account = s.bank_account,
            bank_account_holder = CASE WHEN s.bank_account IS NOT NULL THEN coalesce(h.bank_account_holder, s.name) END,
            version = h.version + 1, changed_by = ${actorId}::bigint, change_reason = ${reason}
          FROM import_staging s JOIN import_household_keys k ON k.job_id = s.job_id AND k.household_no = s.household_no
          WHERE s.job_id = ${jobId} AND s.ok AND s.relation = 'head' AND NOT k.new_household AND h.id = k.household_id
            AND (h.region_code, h.address, h.hukou_type, h.head_person_id, h.housing_structure, h.housing_rating,
                 h.housing_appraised_on, h.housing_appraisal_body, h.bank_name, h.bank_account)
                IS DISTINCT FROM
                (s.region_code, s.address, s.hukou_type, k.head_person_id, s.housing_structure, s.housing_rating,
                 s.housing_appraised_on, s.housing_appraisal_body, s.bank_name, s.bank_account)
          RETURNING 1)
        SELECT count(*) AS n FROM upd`,
  );

  // Existing persons first, new ones last: the two statements below only concern persons registered before this
  // import, so on a first import (an empty registry) they join nothing instead of every staged row with every
  // person just inserted. Same outcome either way (a person inserted here would compare equal).
  // Persons registered without a household (e.g. entered in the UI) who now join one get an open membership.
  await tx.execute(sql`
    INSERT INTO household_memberships (person_id, household_id, relation, region_code, joined_on, created_by)
    SELECT p.id, k.household_id, s.relation, s.region_code, ${today}::date, ${actorId}::bigint
    FROM import_staging s JOIN persons p ON p.id_number = s.id_number
    JOIN import_household_keys k ON k.job_id = s.job_id AND k.household_no = s.household_no
    WHERE s.job_id = ${jobId} AND s.ok AND p.household_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM household_memberships m WHERE m.person_id = p.id AND m.left_on IS NULL)`);
  const [pUpd] = await rows<{ n: number }>(
    tx,
    sql`WITH upd AS (
          UPDATE persons p SET
            name = s.name, sex = s.sex, birth_date = s.birth_date, ethnicity = s.ethnicity, phone = s.phone,
            hukou_region_code = s.region_code, hukou_local = coalesce(s.hukou_local, true), education = s.education,
            student_status = coalesce(s.student_status, 'none'), health = s.health,
            grave_illness = coalesce(s.health = 'grave_illness', false), labour_capacity = s.labour_capacity,
            household_id = k.household_id, relation = s.relation, region_code = s.region_code,
            version = p.version + 1, changed_by = ${actorId}::bigint, change_reason = ${reason}
          FROM import_staging s JOIN import_household_keys k ON k.job_id = s.job_id AND k.household_no = s.household_no
          WHERE s.job_id = ${jobId} AND s.ok AND p.id_number = s.id_number
            AND (p.name, p.sex, p.birth_date, p.ethnicity, p.phone, p.hukou_region_code, p.hukou_local, p.education,
                 p.student_status, p.health, p.grave_illness, p.labour_capacity, p.household_id, p.relation, p.region_code)
                IS DISTINCT FROM
                (s.name, s.sex, s.birth_date, s.ethnicity, s.phone, s.region_code, coalesce(s.hukou_local, true), s.education,
                 coalesce(s.student_status, 'none'), s.health, coalesce(s.health = 'grave_illness', false), s.labour_capacity,
                 k.household_id, s.relation, s.region_code)
          RETURNING 1)
        SELECT count(*) AS n FROM upd`,
  );

  // New persons (the head keeps the id reserved above) and their open membership, in one statement.
  const [pIns] = await rows<{ n: number }>(
    tx,
    sql`WITH ins AS (
          INSERT INTO persons (id, id_number, name, sex, birth_date, ethnicity, phone, hukou_region_code, hukou_local,
                               education, student_status, health, grave_illness, labour_capacity, household_id, relation,
                               region_code, changed_by, change_reason)
          SELECT CASE WHEN s.relation = 'head' THEN k.head_person_id ELSE nextval(pg_get_serial_sequence('persons', 'id')) END,
                 s.id_number, s.name, s.sex, s.birth_date, s.ethnicity, s.phone, s.region_code, coalesce(s.hukou_local, true),
                 s.education, coalesce(s.student_status, 'none'), s.health, coalesce(s.health = 'grave_illness', false),
                 s.labour_capacity, k.household_id, s.relation, s.region_code, ${actorId}::bigint, ${reason}
          FROM import_staging s JOIN import_household_keys k ON k.job_id = s.job_id AND k.household_no = s.household_no
          WHERE s.job_id = ${jobId} AND s.ok AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id_number = s.id_number)
          RETURNING id, household_id, relation, region_code),
        mem AS (
          INSERT INTO household_memberships (person_id, household_id, relation, region_code, joined_on, created_by)
          SELECT id, household_id, relation, region_code, ${today}::date, ${actorId}::bigint FROM ins
          RETURNING 1)
        SELECT (SELECT count(*) FROM ins) AS n, (SELECT count(*) FROM mem) AS m`,
  );

  // 残疾人证: one per person; a blank certificate cell never deletes one (revocation is done in the registry).
  const [dc] = await rows<{ ins: number; upd: number }>(
    tx,
    sql`WITH up AS (
          INSERT INTO disability_certs AS d (person_id, region_code, cert_no, generation, disability_type, disability_level,
                                             needs_long_term_care, changed_by, change_reason)
          SELECT p.id, s.region_code, s.cert_no, s.cert_generation, s.disability_type, s.disability_level,
                 coalesce(s.needs_care, false), ${actorId}::bigint, ${reason}
          FROM import_staging s JOIN persons p ON p.id_number = s.id_number
          WHERE s.job_id = ${jobId} AND s.ok AND s.cert_no IS NOT NULL
          ON CONFLICT (person_id) DO UPDATE SET
            region_code = EXCLUDED.region_code, cert_no = EXCLUDED.cert_no, generation = EXCLUDED.generation,
            disability_type = EXCLUDED.disability_type, disability_level = EXCLUDED.disability_level,
            needs_long_term_care = EXCLUDED.needs_long_term_care, version = d.version + 1,
            changed_by = EXCLUDED.changed_by, change_reason = EXCLUDED.change_reason
          WHERE (d.region_code, d.cert_no, d.generation, d.disability_type, d.disability_level, d.needs_long_term_care)
                IS DISTINCT FROM
                (EXCLUDED.region_code, EXCLUDED.cert_no, EXCLUDED.generation, EXCLUDED.disability_type,
                 EXCLUDED.disability_level, EXCLUDED.needs_long_term_care)
          RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted) AS ins, count(*) FILTER (WHERE NOT inserted) AS upd FROM up`,
  );

  // Monthly incomes by class, one ledger item per person and kind; a blank or 0 cell removes the ledger item.
  const incomeValues = sql`(VALUES ('wages', s.wages_fen), ('business_net', s.business_fen), ('property_net', s.property_fen), ('transfer_net', s.transfer_fen))`;
  const [inc] = await rows<{ ins: number; upd: number }>(
    tx,
    sql`WITH up AS (
          INSERT INTO income_items AS i (household_id, person_id, region_code, kind, period, amount_fen, verified, source,
                                         changed_by, change_reason)
          SELECT p.household_id, p.id, s.region_code, v.kind, 'monthly', v.fen, false, ${LEDGER_INCOME_SOURCE}, ${actorId}::bigint, ${reason}
          FROM import_staging s JOIN persons p ON p.id_number = s.id_number
          CROSS JOIN LATERAL ${incomeValues} AS v(kind, fen)
          WHERE s.job_id = ${jobId} AND s.ok AND v.fen > 0
          ON CONFLICT (person_id, kind) WHERE source = '台账导入' DO UPDATE SET
            household_id = EXCLUDED.household_id, region_code = EXCLUDED.region_code, period = 'monthly',
            amount_fen = EXCLUDED.amount_fen, version = i.version + 1, changed_by = EXCLUDED.changed_by,
            change_reason = EXCLUDED.change_reason
          WHERE (i.household_id, i.region_code, i.period, i.amount_fen)
                IS DISTINCT FROM (EXCLUDED.household_id, EXCLUDED.region_code, 'monthly', EXCLUDED.amount_fen)
          RETURNING (xmax = 0) AS inserted)
        SELECT count(*) FILTER (WHERE inserted) AS ins, count(*) FILTER (WHERE NOT inserted) AS upd FROM up`,
  );
  const [incDel] = await rows<{ n: number }>(
    tx,
    sql`WITH del AS (
          DELETE FROM income_items i
          USING (SELECT p.id AS person_id, v.kind
                 FROM import_staging s JOIN persons p ON p.id_number = s.id_number
                 CROSS JOIN LATERAL ${incomeValues} AS v(kind, fen)
                 WHERE s.job_id = ${jobId} AND s.ok AND v.fen IS NULL) gone
          WHERE i.person_id = gone.person_id AND i.kind = gone.kind AND i.source = ${LEDGER_INCOME_SOURCE}
          RETURNING 1)
        SELECT count(*) AS n FROM del`,
  );
  return {
    households: { inserted: n(hIns?.n), updated: n(hUpd?.n) },
    persons: { inserted: n(pIns?.n), updated: n(pUpd?.n) },
    disabilityCerts: { inserted: n(dc?.ins), updated: n(dc?.upd) },
    incomeItems: { inserted: n(inc?.ins), updated: n(inc?.upd), deleted: n(incDel?.n) },
  };
}
