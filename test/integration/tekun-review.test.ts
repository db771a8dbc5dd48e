import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, monthCst, todayCst } from '../../src/domain/calendar.js';
import { nextReviewDate } from '../../src/domain/programs/tekun/rules.js';
import { tekunCaseWorkflow } from '../../src/domain/programs/tekun/workflow.js';
import { first, rows } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MemberSpec, makeHousehold } from '../support/factories-cases.js';

/**
 * 特困 yearly review and termination over HTTP — POLICY.md §3: "Termination [arts.24–26]: death; regained labour
 * capacity; imprisonment; income/property no longer qualify; a capable supporter appears; voluntary exit — 7-day 公示,
 * stop from next month. Review yearly [E item 7]"; minors covered to 18, longer in school [C art.24; E].
 */
let t: TestApp;
let cw: Client; // township caseworker
let tr: Client; // township reviewer
let ca: Client; // county approver
let cb: Client; // county approver of another county
const today = todayCst();
const thisMonth = monthCst();
const nextMonth = addMonths(thisMonth, 1);

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-tekun-review-${process.pid}` });
  await seedPolicyParameters(t.database.db, R.city);
  await makeUser(t.database, { username: 'tr_cw', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'tr_tr', role: 'township_reviewer', regionCode: R.townA });
  await makeUser(t.database, { username: 'tr_ca', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'tr_cb', role: 'county_approver', regionCode: R.countyB });
  cw = await login(t.app, 'tr_cw');
  tr = await login(t.app, 'tr_tr');
  ca = await login(t.app, 'tr_ca');
  cb = await login(t.app, 'tr_cb');
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const ALL_SIX = {
  eating: true,
  dressing: true,
  transferring: true,
  toileting: true,
  walkingIndoors: true,
  bathing: true,
};
/** Two activities not achieved → 部分丧失; four → 完全丧失 [C arts.21–23]. */
const TWO_LOST = { ...ALL_SIX, eating: false, bathing: false };
const FOUR_LOST = { ...ALL_SIX, eating: false, dressing: false, toileting: false, bathing: false };
const REVIEW = (selfCare = TWO_LOST, supporters: unknown[] = []) => ({
  investigators: [{ name: '王复核' }, { name: '李复核' }],
  visitedOn: today,
  supporters,
  selfCare,
});

/** An approved 特困 recipient (case, enrollment) confirmed on `decidedOn`, due for review on `nextReview`. */
async function recipient(
  o: {
    member?: Partial<MemberSpec> & { studentStatus?: string };
    decidedOn?: string;
    nextReview?: string;
    careTier?: string;
    amount?: number;
  } = {},
) {
  const db = t.database.db;
  const { householdId, personIds } = await makeHousehold(db, {
    regionCode: R.villageA,
    members: [{ name: '供养对象', birthDate: '1948-05-06', labour: 'none', ...o.member }],
  });
  const personId = personIds[0]!;
  if (o.member?.studentStatus)
    await db.execute(sql`UPDATE persons SET student_status = ${o.member.studentStatus} WHERE id = ${personId}`);
  const decidedOn = o.decidedOn ?? addDays(today, -366);
  const amount = o.amount ?? 50000;
  const c = await first<{ id: number }>(
    db,
    sql`INSERT INTO cases (case_no, programme, household_id, applicant_person_id, region_code, workflow, status, applied_on, accepted_on, decided_on,
                           decision, care_tier, monthly_amount_fen, members_count, start_month, review_cadence_months, next_review_on, completed)
        VALUES (${`TEKUN-620802-R-${personId}`}, 'tekun', ${householdId}, ${personId}, ${R.villageA}, ${JSON.stringify(tekunCaseWorkflow)}::jsonb,
                'approved', ${addDays(decidedOn, -30)}::date, ${addDays(decidedOn, -29)}::date, ${decidedOn}::date, 'approved',
                ${o.careTier ?? 'partly_lost'}, ${amount}, 1, ${addMonths(decidedOn.slice(0, 7), 1)}, 12,
                ${o.nextReview ?? addDays(decidedOn, 365)}::date, '{}'::jsonb)
        RETURNING id`,
  );
  const id = Number(c!.id);
  const e = await first<{ id: number }>(
    db,
    sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen, case_ref)
        VALUES (${householdId}, ${personId}, ${R.villageA}, 'tekun', 'active', ${addMonths(decidedOn.slice(0, 7), 1)}, ${amount}, ${`TEKUN-620802-R-${personId}`})
        RETURNING id`,
  );
  await db.execute(sql`UPDATE cases SET enrollment_id = ${Number(e!.id)} WHERE id = ${id}`);
  return { id, householdId, personId };
}

async function version(caseId: number) {
  return (await ca.get(`/api/v1/cases/${caseId}`)).json().version as number;
}
async function review(c: Client, id: number, body = REVIEW()) {
  return c.post(`/api/v1/cases/${id}/tekun-review`, { version: await version(id), ...body });
}
async function enrollments(personId: number) {
  return rows<{ status: string; start_month: string; end_month: string | null; monthly_amount_fen: number }>(
    t.database.db,
    sql`SELECT status, start_month, end_month, monthly_amount_fen FROM programme_enrollments WHERE person_id = ${personId} AND programme = 'tekun' ORDER BY id`,
  );
}

describe('yearly review worklist and outcomes — POLICY.md §3 [E item 7; C arts.21–23]', () => {
  it('lists recipients a year after approval or the last review, not those reviewed recently', async () => {
    const due = await recipient({ nextReview: addDays(today, -3) });
    const notDue = await recipient({ decidedOn: addDays(today, -100) });
    const list = await ca.get('/api/v1/cases?worklist=tekun_review&limit=200');
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((c: { id: number }) => c.id);
    expect(ids).toContain(due.id);
    expect(ids).not.toContain(notDue.id);
    expect(list.json().items.every((c: { programme: string }) => c.programme === 'tekun')).toBe(true);
  });

  it('a worsened self-care assessment adjusts the care tier and amount from next month, then the next review continues', async () => {
    const r = await recipient({ nextReview: addDays(today, -1), careTier: 'partly_lost', amount: 1 });
    const res = await review(tr, r.id, REVIEW(FOUR_LOST));
    expect(res.statusCode, res.body).toBe(200);
    const proposal = res.json().review;
    expect(proposal.outcome).toBe('adjust');
    expect(proposal.careTier).toBe('completely_lost');
    expect(proposal.reasons).toEqual([]);
    const prm = res.json().assessment.parameters.tekun;
    const amount =
      Math.ceil((prm.dibaoStandardRuralFen * prm.basicLivingPermille) / 1000) + prm.careStandardFen.completely_lost;
    expect(proposal.monthlyAmountFen).toBe(amount);
    expect(res.json().assessment.explanation).toContain('完全丧失生活自理能力');
    // The outcome is the review's, not the caller's choice; the township reviewer cannot apply it.
    const wrong = await ca.post(`/api/v1/cases/${r.id}/tekun-review/apply`, {
      version: await version(r.id),
      outcome: 'continue',
    });
    expect(wrong.statusCode).toBe(409);
    const township = await tr.post(`/api/v1/cases/${r.id}/tekun-review/apply`, {
      version: await version(r.id),
      outcome: 'adjust',
    });
    expect(township.statusCode).toBe(403);
    const ok = await ca.post(`/api/v1/cases/${r.id}/tekun-review/apply`, {
      version: await version(r.id),
      outcome: 'adjust',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const c = ok.json();
    expect(c.careTier).toBe('completely_lost');
    expect(c.monthlyAmountFen).toBe(amount);
    expect(c.nextReviewOn).toBe(nextReviewDate(today));
    const adj = c.notices.find((n: { kind: string }) => n.kind === 'adjustment');
    expect(adj.title).toBe('特困人员救助供养调整告知书');
    expect(adj.decision).toContain(`自 ${nextMonth} 起`);
    const e = await enrollments(r.personId);
    expect(e.map((x) => [x.status, x.start_month, x.end_month, Number(x.monthly_amount_fen)])).toEqual([
      ['ended', expect.any(String), thisMonth, 1],
      ['active', nextMonth, null, amount],
    ]);
    expect(c.timeline.map((x: { action: string }) => x.action)).toEqual(
      expect.arrayContaining(['tekun.review', 'tekun.review.adjust']),
    );
    // Applied once: a second apply needs a new review.
    const again = await ca.post(`/api/v1/cases/${r.id}/tekun-review/apply`, {
      version: await version(r.id),
      outcome: 'adjust',
    });
    expect(again.statusCode).toBe(409);
    const second = await review(ca, r.id, REVIEW(FOUR_LOST));
    expect(second.json().review.outcome).toBe('continue');
    const cont = await ca.post(`/api/v1/cases/${r.id}/tekun-review/apply`, {
      version: await version(r.id),
      outcome: 'continue',
    });
    expect(cont.statusCode, cont.body).toBe(200);
    expect((await enrollments(r.personId)).length).toBe(2);
    const audit = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'case' AND entity_id = ${String(r.id)} AND action LIKE 'case.tekun_review%'`,
    );
    expect(Number(audit?.n)).toBe(4);
  });
});

describe('termination reasons found by the review — POLICY.md §3 [C arts.9, 24–26] (table)', () => {
  // 19 years and about a month old today; about 16 years 11 months old when confirmed 800 days ago.
  const born18 = addDays(today, -(19 * 365 + 40));
  const cases: Array<{
    name: string;
    setup?: Parameters<typeof recipient>[0];
    change?: (x: { householdId: number; personId: number }) => Promise<void>;
    supporters?: unknown[];
    want: string[];
  }> = [
    {
      name: 'death [C art.24]',
      change: async (x) => {
        await t.database.db.execute(
          sql`UPDATE persons SET death_date = ${addDays(today, -5)}::date WHERE id = ${x.personId}`,
        );
      },
      want: ['death'],
    },
    {
      name: 'a minor admitted at 16, now 19 and not in school [C art.24; E]',
      setup: { member: { birthDate: born18, labour: 'none' }, decidedOn: addDays(today, -800) },
      want: ['adult_not_in_school'],
    },
    {
      name: 'a minor admitted at 16, now 19 in secondary vocational school: continues [C art.24]',
      setup: {
        member: { birthDate: born18, labour: 'none', studentStatus: 'vocational' },
        decidedOn: addDays(today, -800),
      },
      want: [],
    },
    {
      name: 'aged 45 with no disability: has labour capacity [C arts.5, 24]',
      setup: { member: { birthDate: `${Number(today.slice(0, 4)) - 45}-03-03`, labour: 'full' } },
      want: ['regained_labour_capacity'],
    },
    {
      name: 'income above the 低保标准 [C arts.6, 24]',
      change: async (x) => {
        await t.database.db.execute(
          sql`INSERT INTO income_items (household_id, person_id, region_code, kind, period, amount_fen) VALUES (${x.householdId}, ${x.personId}, ${R.villageA}, 'wages', 'monthly', 200000)`,
        );
      },
      want: ['income_or_property'],
    },
    {
      name: 'a supporter able to support [C arts.8, 24]',
      supporters: [
        {
          name: '供养对象之子',
          relation: 'child',
          birthDate: '1980-01-01',
          annualIncomeFen: 12_000_000,
          propertyFen: 0,
        },
      ],
      want: ['capable_supporter'],
    },
    {
      name: 'moved to another county [C art.25]',
      change: async (x) => {
        await t.database.db.execute(sql`UPDATE households SET region_code = ${R.villageB} WHERE id = ${x.householdId}`);
      },
      want: ['moved_out'],
    },
  ];
  it.each(cases)('$name', async (x) => {
    const r = await recipient({ nextReview: addDays(today, -1), ...x.setup });
    await x.change?.(r);
    const res = await review(tr, r.id, REVIEW(TWO_LOST, x.supporters ?? []));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().review.reasons).toEqual(x.want);
    expect(res.json().review.outcome).toBe(x.want.length ? 'terminate' : 'adjust');
    if (x.want.length) {
      const apply = await ca.post(`/api/v1/cases/${r.id}/tekun-review/apply`, {
        version: await version(r.id),
        outcome: 'continue',
      });
      expect(apply.statusCode).toBe(409);
      expect(apply.json().reasons).toEqual(x.want);
    }
  });
});

describe('termination with its notice — POLICY.md §3 [C arts.24–26]', () => {
  it('a death stops support from next month without 公示; the issued .docx states reason, article and remedies', async () => {
    const r = await recipient();
    await t.database.db.execute(
      sql`UPDATE persons SET death_date = ${addDays(today, -2)}::date WHERE id = ${r.personId}`,
    );
    const task = await first<{ reason: string }>(
      t.database.db,
      sql`SELECT reason FROM review_tasks WHERE case_id = ${r.id} AND status = 'open'`,
    );
    expect(task?.reason).toBe('death');
    const township = await tr.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      reason: 'death',
      facts: 'x',
    });
    expect(township.statusCode).toBe(403);
    const res = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      reason: 'death',
      facts: `供养对象于 ${addDays(today, -2)} 病故，村委会出具证明。`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.status).toBe('exited');
    expect(c.nextReviewOn).toBeNull();
    const e = await enrollments(r.personId);
    expect(e.map((x) => [x.status, x.end_month])).toEqual([['ended', thisMonth]]);
    const ev = c.timeline.find((x: { action: string }) => x.action === 'case.terminate');
    expect(ev.detail).toMatchObject({ reason: 'death', lastMonth: thisMonth, stopsFrom: nextMonth });
    const n = c.notices.find((x: { kind: string }) => x.kind === 'termination');
    expect(n.title).toBe('终止特困人员救助供养告知书');
    expect(n.issuerLevel).toBe('county');
    expect(n.basis.map((b: { article: string }) => b.article).join()).toContain('第二十四条');
    expect(n.basis.map((b: { article: string }) => b.article).join()).toContain('第二十六条');
    const issued = await ca.post(`/api/v1/notices/${n.id}/issue`, { version: n.version });
    expect(issued.statusCode, issued.body).toBe(200);
    const file = await ca.get(`/api/v1/notices/${n.id}/file`);
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('病故');
    expect(xml).toContain('死亡或者被宣告死亡');
    expect(xml).toContain('特困人员认定办法');
    expect(xml).toContain('行政复议');
    expect(xml).toContain(`自 ${nextMonth} 起停止`);
    const open = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM review_tasks WHERE case_id = ${r.id} AND status = 'open'`,
    );
    expect(Number(open?.n)).toBe(0);
    // Terminated: no second termination, no review.
    const twice = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      reason: 'death',
      facts: 'x',
    });
    expect(twice.statusCode).toBe(409);
    expect((await review(ca, r.id)).statusCode).toBe(409);
  });

  it('other reasons need the 7-day 公示 without objections first; the review explanation is quoted', async () => {
    const r = await recipient();
    await t.database.db.execute(
      sql`INSERT INTO income_items (household_id, person_id, region_code, kind, period, amount_fen) VALUES (${r.householdId}, ${r.personId}, ${R.villageA}, 'wages', 'monthly', 200000)`,
    );
    expect((await review(tr, r.id)).json().review.reasons).toEqual(['income_or_property']);
    const body = (publicity?: Record<string, unknown>) => ({
      reason: 'income_or_property',
      facts: '复核发现本人有稳定工资收入每月 2000 元。',
      ...(publicity ? { publicity } : {}),
    });
    const none = await ca.post(`/api/v1/cases/${r.id}/terminate`, { version: await version(r.id), ...body() });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('publicity');
    const short = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      ...body({ startOn: addDays(today, -3), place: '村务公开栏' }),
    });
    expect(short.statusCode).toBe(409);
    expect(short.json().detail).toContain('未满');
    const objected = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      ...body({ startOn: addDays(today, -8), place: '村务公开栏', objections: '邻居反映收入已中断' }),
    });
    expect(objected.statusCode).toBe(409);
    const future = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      ...body({ startOn: addDays(today, 1), place: '村务公开栏' }),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('publicity.startOn');
    const ok = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      ...body({ startOn: addDays(today, -8), place: '村务公开栏' }),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const n = ok.json().notices.find((x: { kind: string }) => x.kind === 'termination');
    expect(n.reasons).toContain('收入和财产状况不再符合规定');
    expect(n.reasons).toContain('复核说明');
    expect(n.basis.map((b: { article: string }) => b.article).join()).toContain('第六条');
  });

  it('a person taken out of a 低保 household when 特困 began counts in it again: exclusion ended, 低保 review raised', async () => {
    const db = t.database.db;
    const withDibao = async () => {
      const r = await recipient();
      // The household also has 低保; when 特困 began the recipient was taken out of its guarantee (0009).
      await db.execute(sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, status, start_month, monthly_amount_fen)
        VALUES (${r.householdId}, ${R.villageA}, 'dibao', 'rural', 'active', '2024-01', 40000)`);
      await db.execute(sql`INSERT INTO dibao_member_exclusions (household_id, person_id, region_code, tekun_case_id, from_month, reason)
        VALUES (${r.householdId}, ${r.personId}, ${R.villageA}, ${r.id}, '2024-02', '认定为特困人员')`);
      return r;
    };
    const exclusion = (personId: number) =>
      first<{ until_month: string | null; end_reason: string | null }>(
        db,
        sql`SELECT until_month, end_reason FROM dibao_member_exclusions WHERE person_id = ${personId}`,
      );
    const tasks = (householdId: number) =>
      rows<{ reason: string; detail: { fromMonth: string; personId: number } }>(
        db,
        sql`SELECT reason, detail FROM review_tasks WHERE household_id = ${householdId} AND status = 'open' ORDER BY id`,
      );

    const r = await withDibao();
    await db.execute(
      sql`INSERT INTO income_items (household_id, person_id, region_code, kind, period, amount_fen) VALUES (${r.householdId}, ${r.personId}, ${R.villageA}, 'wages', 'monthly', 200000)`,
    );
    const ok = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      reason: 'income_or_property',
      facts: '复核发现本人有稳定工资收入每月 2000 元。',
      publicity: { startOn: addDays(today, -8), place: '村务公开栏' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await exclusion(r.personId)).toMatchObject({
      until_month: thisMonth,
      end_reason: expect.stringContaining('终止特困供养'),
    });
    const open = (await tasks(r.householdId)).filter((x) => x.reason === 'tekun_member_ended');
    expect(open).toHaveLength(1);
    expect(open[0]!.detail).toMatchObject({ personId: r.personId, fromMonth: nextMonth });
    const ev = ok.json().timeline.find((x: { action: string }) => x.action === 'case.terminate');
    expect(ev.detail.dibaoReviewHouseholds).toEqual([r.householdId]);

    // A death ends the exclusion too, but raises no "counts again" review.
    const d = await withDibao();
    await db.execute(sql`UPDATE persons SET death_date = ${addDays(today, -1)}::date WHERE id = ${d.personId}`);
    const dead = await ca.post(`/api/v1/cases/${d.id}/terminate`, {
      version: await version(d.id),
      reason: 'death',
      facts: '供养对象病故。',
    });
    expect(dead.statusCode, dead.body).toBe(200);
    expect((await exclusion(d.personId))?.until_month).toBe(thisMonth);
    expect((await tasks(d.householdId)).some((x) => x.reason === 'tekun_member_ended')).toBe(false);
  });

  it('bad input 400 naming the field, wrong role 403, another county 404, a 低保 case 409', async () => {
    const r = await recipient();
    const future = await review(tr, r.id, { ...REVIEW(), visitedOn: addDays(today, 2) });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('visitedOn');
    const { selfCare: _s, ...noSelfCare } = REVIEW();
    const missing = await tr.post(`/api/v1/cases/${r.id}/tekun-review`, {
      version: await version(r.id),
      ...noSelfCare,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('selfCare');
    const reason = await ca.post(`/api/v1/cases/${r.id}/terminate`, {
      version: await version(r.id),
      reason: 'bankrupt',
      facts: 'x',
    });
    expect(reason.statusCode).toBe(400);
    expect(reason.json().errors[0].field).toBe('reason');
    expect((await review(cw, r.id)).statusCode).toBe(403);
    expect((await review(cb, r.id)).statusCode).toBe(404);
    const foreign = await cb.post(`/api/v1/cases/${r.id}/terminate`, { version: 1, reason: 'death', facts: 'x' });
    expect(foreign.statusCode).toBe(404);
    const { householdId } = await makeHousehold(t.database.db, {
      regionCode: R.villageA,
      members: [{ name: '低保申请人', birthDate: '1950-01-01' }],
    });
    const dibao = await cw.post('/api/v1/cases', { householdId });
    const d = await ca.post(`/api/v1/cases/${dibao.json().id}/tekun-review`, { version: 1, ...REVIEW() });
    expect(d.statusCode).toBe(409);
    const stale = await ca.post(`/api/v1/cases/${r.id}/tekun-review`, { version: 99, ...REVIEW() });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
  });
});
