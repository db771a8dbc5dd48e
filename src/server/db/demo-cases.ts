import { sql } from 'drizzle-orm';
import { addDays, todayCst } from '../../domain/calendar.js';
import { defaultDibaoWorkflow } from '../../domain/programs/dibao/workflow.js';
import type { Config } from '../config.js';
import { decideCase } from '../modules/cases/decision.js';
import { startPublicity } from '../modules/cases/procedure.js';
import { completeStep, openCase } from '../modules/cases/service.js';
import { demoIdNumbers, demoSeedKit } from './demo-kit.js';
import { type Database, type Db, first } from './client.js';

const STANDARD = {
  urbanMonthlyFen: 79_000,
  ruralMonthlyFen: 53_000,
  classAmountsFen: { 1: 53_000, 2: 47_000, 3: 21_000, 4: 13_000 },
};

const idNumber = demoIdNumbers(900);

interface DemoMember {
  name: string;
  birth: string;
  labour: 'full' | 'partial' | 'none';
  grave?: boolean;
}

async function household(
  db: Db,
  village: string,
  hukou: 'urban' | 'rural',
  rating: string,
  members: DemoMember[],
  income: Array<[string, number]>,
  property: Array<[string, number]> = [],
) {
  const h = await first<{ id: number }>(
    db,
    sql`INSERT INTO households (region_code, address, hukou_type, housing_rating, change_reason) VALUES (${village}, ${`${members[0]!.name}家（演示）`}, ${hukou}, ${rating}, '低保演示数据') RETURNING id`,
  );
  const hid = Number(h!.id);
  const ids: number[] = [];
  for (const [i, m] of members.entries()) {
    const p = await first<{ id: number }>(
      db,
      sql`INSERT INTO persons (id_number, name, sex, birth_date, hukou_region_code, hukou_local, labour_capacity, health, grave_illness, household_id, relation, region_code)
          VALUES (${idNumber(village.slice(0, 6), m.birth)}, ${m.name}, ${i % 2 ? 'F' : 'M'}, ${m.birth}::date, ${village}, true, ${m.labour},
                  ${m.grave ? 'grave_illness' : 'healthy'}, ${m.grave ?? false}, ${hid}, ${i === 0 ? 'head' : i === 1 ? 'spouse' : 'child'}, ${village})
          RETURNING id`,
    );
    ids.push(Number(p!.id));
  }
  await db.execute(sql`UPDATE households SET head_person_id = ${ids[0]!} WHERE id = ${hid}`);
  for (const [kind, fen] of income)
    await db.execute(
      sql`INSERT INTO income_items (household_id, region_code, kind, period, amount_fen, verified) VALUES (${hid}, ${village}, ${kind}, 'monthly', ${fen}, true)`,
    );
  for (const [kind, fen] of property)
    await db.execute(
      sql`INSERT INTO property_items (household_id, region_code, kind, value_fen) VALUES (${hid}, ${village}, ${kind}, ${fen})`,
    );
  return hid;
}

export async function seedDemoCases(database: Database, config: Config): Promise<number | null> {
  const db = database.db;
  const any = await first(db, sql`SELECT 1 FROM cases LIMIT 1`);
  if (any) return null;
  const county = await first<{ code: string }>(
    db,
    sql`SELECT code FROM regions WHERE level = 3 AND code LIKE ${`${config.regionRoot}%`} AND retired_in IS NULL ORDER BY code LIMIT 1`,
  );
  if (!county) return null;
  const town = await first<{ code: string }>(
    db,
    sql`SELECT code FROM regions WHERE parent_code = ${county.code} AND level = 4 ORDER BY (substr(code, 7, 1) = '1') DESC, code LIMIT 1`,
  );
  const village =
    town &&
    (await first<{ code: string }>(
      db,
      sql`SELECT code FROM regions WHERE parent_code = ${town.code} AND level = 5 ORDER BY code LIMIT 1`,
    ));
  if (!town || !village) return null;
  const today = todayCst();
  const year = Number(today.slice(0, 4));
  await db.execute(sql`INSERT INTO case_parameters (programme, key, region_code, effective_from, value, citation)
    SELECT 'dibao', 'standard', code, make_date(${year}, 1, 1), ${JSON.stringify(STANDARD)}::jsonb, '演示：县级人民政府公布的当年低保标准'
    FROM regions WHERE level = 3 AND code LIKE ${`${config.regionRoot}%`} AND retired_in IS NULL
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`INSERT INTO case_parameters (programme, key, region_code, effective_from, value, citation)
    VALUES ('dibao', 'budget', ${county.code}, make_date(${year}, 1, 1), '{"annualFen": 600000000}'::jsonb, '演示：县级低保年度预算') ON CONFLICT DO NOTHING`);

  const {
    ctx,
    upload: up,
    version: v,
    issueAll,
  } = demoSeedKit(db, config, county.code, [
    'dibao.apply',
    'dibao.investigate',
    'dibao.review',
    'dibao.approve',
    'notices.issue',
    'archive.upload',
  ]);
  const step = async (id: number, s: string, data: Record<string, unknown> = {}) =>
    completeStep(ctx, id, s, { version: await v(id), data });
  const investigation = {
    investigators: [{ name: '王经办' }, { name: '刘干部' }],
    visitForm: {
      visitedOn: today,
      signedByApplicant: true,
      signedByInvestigators: true,
      hardshipRating: 7,
      notes: '房屋漏雨，户主长期患病',
    },
    neighbourVisits: [{ name: '邻居赵大伯', relation: '邻居', statement: '该户确实困难，无稳定收入' }],
    verification: { requestedOn: today, resultOn: today, result: 'consistent', note: '信息核对无异常' },
  };
  const review = {
    heldOn: today,
    participants: ['乡镇干部甲', '驻村干部乙', '村支书', '村民代表一', '村民代表二', '村民代表三', '村民代表四'].map(
      (n, i) => ({ name: n, role: i < 3 ? '干部' : '村民代表' }),
    ),
    votesFor: 6,
    votesAgainst: 1,
    abstentions: 0,
    minutes: '经评议，多数代表认为该户符合条件',
  };

  async function toAssessed(hid: number) {
    const r = await openCase(ctx, {
      programme: 'dibao',
      householdId: hid,
      appliedOn: addDays(today, -20),
      relatedToStaff: false,
    });
    const id = r.view.id;
    await up(id, ['application_form', 'id_copies', 'income_declaration', 'verification_authorization']);
    await step(id, 'acceptance', { acceptedOn: addDays(today, -19) });
    await up(id, ['household_visit_form', 'neighbour_visit_record', 'verification_report']);
    await step(id, 'investigation', investigation);
    await up(id, ['review_minutes']);
    await step(id, 'democratic_review', review);
    await step(id, 'assessment');
    return id;
  }
  async function toDecision(id: number) {
    await startPublicity(ctx, id, { version: await v(id), startOn: today, place: '村务公开栏（演示）' });
    await db.execute(
      sql`UPDATE cases SET flags = jsonb_set(flags, '{publicityStartOn}', to_jsonb(${addDays(today, -8)}::text)) WHERE id = ${id}`,
    );
    await up(id, ['publicity_record']);
    await step(id, 'publicity');
    await up(id, ['approval_form']);
  }

  // 1. Approved: application → payment, approval notice issued.
  const poor = await household(
    db,
    village.code,
    'rural',
    'C',
    [
      { name: '马建国', birth: '1956-03-02', labour: 'partial', grave: true },
      { name: '马秀兰', birth: '1960-07-09', labour: 'none' },
      { name: '马小龙', birth: '2013-01-20', labour: 'none' },
    ],
    [
      ['wages', 30_000],
      ['social_assistance', 20_000],
    ],
  );
  const approved = await toAssessed(poor);
  await toDecision(approved);
  await decideCase(ctx, approved, { version: await v(approved), decision: 'approve' });
  await issueAll(approved);
  // 2. Rejected: income and deposits above the limits, 不予确认 notice issued.
  const rich = await household(
    db,
    village.code,
    'rural',
    'A',
    [
      { name: '牛富贵', birth: '1978-01-01', labour: 'full' },
      { name: '牛小花', birth: '1980-02-02', labour: 'full' },
    ],
    [['wages', 320_000]],
    [['deposit', 12_000_000]],
  );
  const rejected = await toAssessed(rich);
  await toDecision(rejected);
  await decideCase(ctx, rejected, {
    version: await v(rejected),
    decision: 'reject',
    reason: '家庭人均收入高于本地低保标准，且存款超过本地财产限额。',
  });
  await issueAll(rejected);
  // 3. In 公示; 4. under investigation; 5. missing materials.
  const inPublicity = await toAssessed(
    await household(
      db,
      village.code,
      'rural',
      'D',
      [{ name: '杨桂英', birth: '1948-05-05', labour: 'none' }],
      [['transfer_net', 15_000]],
    ),
  );
  await startPublicity(ctx, inPublicity, {
    version: await v(inPublicity),
    startOn: today,
    place: '村务公开栏（演示）',
  });
  const investigating = (
    await openCase(ctx, {
      programme: 'dibao',
      householdId: await household(
        db,
        village.code,
        'urban',
        'B',
        [
          { name: '李卫东', birth: '1970-10-10', labour: 'partial' },
          { name: '李娜', birth: '2008-04-04', labour: 'none' },
        ],
        [['wages', 60_000]],
      ),
      appliedOn: addDays(today, -6),
      relatedToStaff: true,
      relationNote: '申请人系村委会委员的兄弟',
    })
  ).view.id;
  await up(investigating, ['application_form', 'id_copies', 'income_declaration', 'verification_authorization']);
  await step(investigating, 'acceptance', { acceptedOn: addDays(today, -5) });
  const missing = (
    await openCase(ctx, {
      programme: 'dibao',
      householdId: await household(
        db,
        village.code,
        'rural',
        'B',
        [{ name: '张老汉', birth: '1944-12-12', labour: 'none' }],
        [],
      ),
      relatedToStaff: false,
    })
  ).view.id;
  await up(missing, ['application_form']);

  // 6. Recipients of earlier years whose validity ends this year (Q4 batch review), some with archive gaps.
  for (let i = 0; i < 12; i++) {
    const hid = await household(
      db,
      village.code,
      i % 4 === 0 ? 'urban' : 'rural',
      ['A', 'B', 'C', 'D'][i % 4]!,
      [
        { name: `在保户${i + 1}`, birth: `19${50 + i}-06-15`, labour: i % 3 === 0 ? 'full' : 'none' },
        { name: `在保户${i + 1}配偶`, birth: `19${52 + i}-03-10`, labour: 'partial' },
      ],
      [['wages', 20_000 + i * 15_000]],
    );
    const c = await first<{ id: number }>(
      db,
      sql`INSERT INTO cases (case_no, programme, household_id, region_code, workflow, status, applied_on, accepted_on, decided_on, decision, dibao_kind, rural_class,
                             monthly_amount_fen, members_count, start_month, valid_until, review_cadence_months, next_review_on, last_visit_rating, last_review_score, completed)
          VALUES (${`DIBAO-${county.code}-${year - 1}-D${String(i + 1).padStart(3, '0')}`}, 'dibao', ${hid}, ${village.code}, ${JSON.stringify(defaultDibaoWorkflow)}::jsonb,
                  'approved', make_date(${year - 1}, 11, 2), make_date(${year - 1}, 11, 3), make_date(${year - 1}, 11, 28), 'approved',
                  ${i % 4 === 0 ? 'urban' : 'rural'}, ${i % 4 === 0 ? null : 1 + (i % 4)}, ${90_000 - i * 3_000}, 2, ${`${year - 1}-12`},
                  make_date(${year}, 11, 30), 12, make_date(${year}, 11, 28), ${5 + (i % 5)}, ${60 + i * 3}, '{}'::jsonb)
          RETURNING id`,
    );
    const caseId = Number(c!.id);
    await db.execute(sql`INSERT INTO case_material_requirements (case_id, kind, step, name_zh, region_code)
      SELECT ${caseId}, m->>'kind', s->>'code', m->>'nameZh', ${village.code}
      FROM jsonb_array_elements(${JSON.stringify(defaultDibaoWorkflow.steps.filter((s) => (s.when ?? 'always') === 'always'))}::jsonb) s,
           jsonb_array_elements(s->'materials') m
      ON CONFLICT DO NOTHING`);
    if (i % 3 !== 0)
      await up(
        caseId,
        [
          'application_form',
          'id_copies',
          'household_visit_form',
          'review_minutes',
          'publicity_record',
          'approval_form',
        ].slice(0, 2 + (i % 5)),
      );
    await db.execute(sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen, case_ref, change_reason)
      SELECT household_id, region_code, 'dibao', dibao_kind, rural_class, 'active', start_month, monthly_amount_fen, case_no, '低保演示数据' FROM cases WHERE id = ${caseId}`);
  }
  const n = await first<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM cases`);
  return Number(n!.n);
}
