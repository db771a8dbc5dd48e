import { sql } from 'drizzle-orm';
import { addDays, addMonths, todayCst } from '../../domain/calendar.js';
import { tekunCaseWorkflow } from '../../domain/programs/tekun/workflow.js';
import type { Config } from '../config.js';
import { decideCase } from '../modules/cases/decision.js';
import { completeStep, openCase } from '../modules/cases/service.js';
import { demoIdNumbers, demoSeedKit } from './demo-kit.js';
import { type Database, type Db, first } from './client.js';

const idNumber = demoIdNumbers(700);

interface DemoPerson {
  name: string;
  birth: string;
  hukou: 'urban' | 'rural';
  cert?: { type: string; level: number; longTermCare?: boolean };
  dibao?: { kind: 'urban' | 'rural'; ruralClass?: number };
  tekun?: boolean;
  benefit?: { kind: string; fen: number };
}

/** One person living alone, with the certificate, enrollments and other benefits the rules read. */
async function person(db: Db, village: string, p: DemoPerson) {
  const h = await first<{ id: number }>(
    db,
    sql`INSERT INTO households (region_code, address, hukou_type, housing_rating, change_reason)
        VALUES (${village}, ${`${p.name}家（演示）`}, ${p.hukou}, 'B', '两项补贴演示数据') RETURNING id`,
  );
  const hid = Number(h!.id);
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO persons (id_number, name, sex, birth_date, hukou_region_code, hukou_local, labour_capacity, health, grave_illness, household_id, relation, region_code)
        VALUES (${idNumber(village.slice(0, 6), p.birth)}, ${p.name}, 'M', ${p.birth}::date, ${village}, true, ${p.cert ? 'none' : 'partial'},
                ${p.cert ? 'disabled' : 'healthy'}, false, ${hid}, 'head', ${village})
        RETURNING id`,
  );
  const pid = Number(r!.id);
  await db.execute(sql`UPDATE households SET head_person_id = ${pid} WHERE id = ${hid}`);
  if (p.cert)
    await db.execute(sql`INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level, issued_on, needs_long_term_care)
      VALUES (${pid}, ${village}, ${`6208${String(pid).padStart(14, '0')}`}, 2, ${p.cert.type}, ${p.cert.level}, '2020-05-01', ${p.cert.longTermCare ?? false})`);
  if (p.dibao)
    await db.execute(sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen, change_reason)
      VALUES (${hid}, ${village}, 'dibao', ${p.dibao.kind}, ${p.dibao.ruralClass ?? null}, 'active', '2025-01', 53000, '两项补贴演示数据')`);
  if (p.tekun)
    await db.execute(sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen, change_reason)
      VALUES (${hid}, ${pid}, ${village}, 'tekun', 'active', '2025-01', 98900, '两项补贴演示数据')`);
  if (p.benefit)
    await db.execute(sql`INSERT INTO person_benefit_facts (person_id, region_code, kind, monthly_amount_fen, valid_from, source)
      VALUES (${pid}, ${village}, ${p.benefit.kind}, ${p.benefit.fen}, '2025-01-01', '演示数据')`);
  return { hid, pid };
}

export async function seedDemoSubsidyCases(database: Database, config: Config): Promise<number | null> {
  const db = database.db;
  const any = await first(
    db,
    sql`SELECT 1 FROM cases WHERE programme IN ('disability_living', 'disability_nursing') LIMIT 1`,
  );
  if (any) return null;
  const county = await first<{ code: string }>(
    db,
    sql`SELECT code FROM regions WHERE level = 3 AND code LIKE ${`${config.regionRoot}%`} AND retired_in IS NULL ORDER BY code LIMIT 1`,
  );
  if (!county) return null;
  const village = await first<{ code: string }>(
    db,
    sql`SELECT v.code FROM regions v JOIN regions t ON t.code = v.parent_code
        WHERE t.parent_code = ${county.code} AND t.level = 4 AND v.level = 5
        ORDER BY (substr(t.code, 7, 1) = '1') DESC, t.code, v.code LIMIT 1`,
  );
  if (!village) return null;
  const today = todayCst();
  const {
    ctx,
    upload: up,
    version: v,
    issueAll,
  } = demoSeedKit(db, config, county.code, [
    'cases.read',
    'disability.apply',
    'disability.review',
    'disability.approve',
    'tekun.apply',
    'notices.issue',
    'archive.upload',
  ]);

  async function accepted(programme: 'disability_living' | 'disability_nursing', p: DemoPerson) {
    const { hid, pid } = await person(db, village!.code, p);
    const r = await openCase(ctx, { programme, householdId: hid, applicantPersonId: pid, relatedToStaff: false });
    const id = r.view.id;
    await up(id, [
      'application_form',
      'disability_cert_copy',
      'id_copies',
      ...(programme === 'disability_living' ? ['dibao_proof'] : []),
    ]);
    await completeStep(ctx, id, 'acceptance', { version: await v(id), data: {} });
    return id;
  }
  async function reviewed(programme: 'disability_living' | 'disability_nursing', p: DemoPerson, opinion: string) {
    const id = await accepted(programme, p);
    await up(id, ['township_review_form']);
    await completeStep(ctx, id, 'township_review', { version: await v(id), data: { opinion } });
    await up(id, ['approval_form']);
    return id;
  }

  // 1. Nursing subsidy approved: physical level 1 → 100 元 (province 80 + county 20), paid from next month.
  const approved = await reviewed(
    'disability_nursing',
    { name: '王建军', birth: '1968-09-12', hukou: 'rural', cert: { type: 'physical', level: 1 } },
    '肢体一级，持第二代残疾人证，情况属实。',
  );
  await decideCase(ctx, approved, { version: await v(approved), decision: 'approve' });
  await issueAll(approved);
  // 2. Refused: the applicant is in 特困 support — neither subsidy (POLICY.md §4), notice issued.
  const excluded = await reviewed(
    'disability_nursing',
    { name: '刘福海', birth: '1950-02-20', hukou: 'rural', cert: { type: 'visual', level: 1 }, tekun: true },
    '申请人已纳入特困人员救助供养。',
  );
  await decideCase(ctx, excluded, {
    version: await v(excluded),
    decision: 'reject',
    reason: '申请人已纳入特困人员救助供养，不享受残疾人两项补贴。',
  });
  await issueAll(excluded);
  // 3. Living subsidy assessed payable (rural class 1 低保 family), waiting for the county.
  await reviewed(
    'disability_living',
    {
      name: '张秀珍',
      birth: '1979-11-03',
      hukou: 'rural',
      cert: { type: 'hearing', level: 2 },
      dibao: { kind: 'rural', ruralClass: 1 },
    },
    '农村一类低保家庭，听力二级残疾。',
  );
  // 4. 择高: an elderly nursing allowance of 150 元 is higher than the nursing subsidy.
  await reviewed(
    'disability_nursing',
    {
      name: '赵德明',
      birth: '1942-07-07',
      hukou: 'urban',
      cert: { type: 'intellectual', level: 1 },
      benefit: { kind: 'elderly_nursing_allowance', fen: 15000 },
    },
    '已领取高龄护理补贴，需择高。',
  );
  // 5. Rural class 3 family where the county has set no class 3–4 standard: coverage gap.
  await reviewed(
    'disability_living',
    {
      name: '马小梅',
      birth: '1990-04-18',
      hukou: 'rural',
      cert: { type: 'physical', level: 3 },
      dibao: { kind: 'rural', ruralClass: 3 },
    },
    '农村三类低保家庭。',
  );
  // 6. Accepted, waiting for the township's first review.
  await accepted('disability_living', {
    name: '李春生',
    birth: '1985-01-30',
    hukou: 'urban',
    cert: { type: 'mental', level: 2, longTermCare: true },
    dibao: { kind: 'urban' },
  });

  // 7. A nursing subsidy approved, whose certificate has since expired (残联 recorded it): the registry change raises a
  // review task on the case (复核任务), and the review proposes the stop (POLICY.md §4 D1).
  const lapsed = await reviewed(
    'disability_nursing',
    { name: '孙玉兰', birth: '1958-05-21', hukou: 'rural', cert: { type: 'mental', level: 1, longTermCare: true } },
    '精神一级，需长期照护，情况属实。',
  );
  await decideCase(ctx, lapsed, { version: await v(lapsed), decision: 'approve' });
  await issueAll(lapsed);
  await db.execute(sql`UPDATE disability_certs SET expires_on = ${addDays(today, -10)}::date, version = version + 1,
      change_reason = '残联通报：残疾人证有效期已满，未换领'
    WHERE person_id = (SELECT applicant_person_id FROM cases WHERE id = ${lapsed})`);

  // A 特困 recipient confirmed 13 months ago, due for the yearly review (POLICY.md §3 [E item 7]).
  const { hid, pid } = await person(db, village.code, { name: '杨老汉', birth: '1941-03-15', hukou: 'rural' });
  const decided = addDays(today, -395);
  const start = addMonths(decided.slice(0, 7), 1);
  const c = await first<{ id: number }>(
    db,
    sql`INSERT INTO cases (case_no, programme, household_id, applicant_person_id, region_code, workflow, status, applied_on, accepted_on, decided_on,
                           decision, care_tier, monthly_amount_fen, members_count, start_month, review_cadence_months, next_review_on, completed)
        VALUES (${`TEKUN-${county.code}-${decided.slice(0, 4)}-R001`}, 'tekun', ${hid}, ${pid}, ${village.code}, ${JSON.stringify(tekunCaseWorkflow)}::jsonb,
                'approved', ${addDays(decided, -30)}::date, ${addDays(decided, -29)}::date, ${decided}::date, 'approved', 'partly_lost', 98900, 1,
                ${start}, 12, ${addDays(decided, 365)}::date,
                ${JSON.stringify({ acceptance: addDays(decided, -29), investigation: addDays(decided, -20), publicity: addDays(decided, -10), decision: decided })}::jsonb)
        RETURNING id`,
  );
  const e = await first<{ id: number }>(
    db,
    sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen, case_ref, change_reason)
        VALUES (${hid}, ${pid}, ${village.code}, 'tekun', 'active', ${start}, 98900, ${`TEKUN-${county.code}-${decided.slice(0, 4)}-R001`}, '特困演示数据')
        RETURNING id`,
  );
  await db.execute(sql`UPDATE cases SET enrollment_id = ${Number(e!.id)} WHERE id = ${Number(c!.id)}`);
  const n = await first<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM cases WHERE programme IN ('disability_living', 'disability_nursing')`,
  );
  return Number(n!.n);
}
