import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, monthCst, todayCst } from '../../src/domain/calendar.js';
import { first, rows } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { subsidyKit } from '../support/subsidy-kit.js';

/**
 * A paid disability subsidy under review (POLICY.md §4 [K; seed]): registry changes raise a review task on the
 * subsidy case; the review re-assesses on today's registry facts and proposes continue / adjust / stop with the §4
 * clause no longer met; stopping ends the enrolment (a death at the month of death) with a 停发 notice.
 */
let t: TestApp;
let cw: Client;
let tr: Client;
let ca: Client;
let cb: Client;
let kit: ReturnType<typeof subsidyKit>;
const thisMonth = monthCst();
const nextMonth = addMonths(thisMonth, 1);

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-subsidy-review-${process.pid}` });
  await seedPolicyParameters(t.database.db, R.city);
  await makeUser(t.database, { username: 'sr_cw', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'sr_tr', role: 'township_reviewer', regionCode: R.townA });
  await makeUser(t.database, { username: 'sr_ca', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'sr_cb', role: 'county_approver', regionCode: R.countyB });
  cw = await login(t.app, 'sr_cw');
  tr = await login(t.app, 'sr_tr');
  ca = await login(t.app, 'sr_ca');
  cb = await login(t.app, 'sr_cb');
  kit = subsidyKit(t, { cw, tr, ca });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const openTasks = (caseId: number) =>
  rows<{ reason: string; detail: Record<string, unknown> }>(
    t.database.db,
    sql`SELECT reason, detail FROM review_tasks WHERE case_id = ${caseId} AND status = 'open' ORDER BY id`,
  );
const enrollments = (personId: number, programme: string) =>
  rows<{ status: string; start_month: string; end_month: string | null; monthly_amount_fen: number }>(
    t.database.db,
    sql`SELECT status, start_month, end_month, monthly_amount_fen::int AS monthly_amount_fen FROM programme_enrollments
        WHERE person_id = ${personId} AND programme = ${programme} ORDER BY id`,
  );
async function review(caseId: number, by = tr) {
  return by.post(`/api/v1/cases/${caseId}/subsidy-review`, { version: await kit.version(caseId) });
}
async function personVersion(personId: number) {
  return (await cw.get(`/api/v1/registry/persons/${personId}`)).json().version as number;
}

describe('registry changes raise a review task on the subsidy case — POLICY.md §4 [K]', () => {
  it('certificate level, 户籍 and death reach the recipient’s own case; income does not', async () => {
    const a = await kit.approved('disability_nursing', { cert: { type: 'intellectual', level: 1 } });
    expect(await openTasks(a.caseId)).toEqual([]);
    // Income goes to 低保, not to the subsidies.
    await t.database.db.execute(sql`INSERT INTO income_items (household_id, region_code, kind, period, amount_fen)
      VALUES (${a.householdId}, ${R.villageA}, 'wages', 'monthly', 100000)`);
    expect(await openTasks(a.caseId)).toEqual([]);
    // The certificate re-assessed to level 3 (through the registry API).
    const cert = await cw.put(`/api/v1/registry/persons/${a.personId}/disability-cert`, {
      certNo: `DC${a.personId}`,
      generation: 2,
      type: 'intellectual',
      level: 3,
      reason: '残联重新评定等级',
      version: 1,
    });
    expect(cert.statusCode, cert.body).toBe(200);
    const tasks = await openTasks(a.caseId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ reason: 'registry_change', detail: { table: 'disability_certs', op: 'UPDATE' } });
    expect(Number(tasks[0]!.detail.personId)).toBe(a.personId);
    // The list names the case, its programme and whose it is; filtered by programme.
    const listed = (await ca.get('/api/v1/review-tasks?programme=disability_nursing')).json().items;
    expect(listed).toContainEqual(
      expect.objectContaining({
        caseId: a.caseId,
        programme: 'disability_nursing',
        personName: '残疾申请人',
        reason: 'registry_change',
      }),
    );
    expect(listed[0].caseNo).toMatch(/^DISABILITY_NURSING-/);
    expect(
      (await ca.get('/api/v1/review-tasks?programme=dibao'))
        .json()
        .items.some((x: { caseId: number }) => x.caseId === a.caseId),
    ).toBe(false);
    expect(
      (await cb.get('/api/v1/review-tasks')).json().items.some((x: { caseId: number }) => x.caseId === a.caseId),
    ).toBe(false);
    // Reviewed: the task closes. A change of nothing §4 reads (the certificate's number) raises none; 户籍 does.
    await t.database.db.execute(sql`UPDATE review_tasks SET status = 'done' WHERE case_id = ${a.caseId}`);
    await t.database.db.execute(
      sql`UPDATE disability_certs SET cert_no = cert_no || 'X' WHERE person_id = ${a.personId}`,
    );
    expect(await openTasks(a.caseId)).toEqual([]);
    const hukou = await cw.patch(`/api/v1/registry/persons/${a.personId}`, {
      hukouLocal: false,
      reason: '户口迁出',
      version: await personVersion(a.personId),
    });
    expect(hukou.statusCode, hukou.body).toBe(200);
    const after = await openTasks(a.caseId);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ reason: 'registry_change', detail: { table: 'persons', op: 'UPDATE' } });
  });

  it('a household with 低保 and a member’s subsidy gets one task per case', async () => {
    const a = await kit.approved('disability_nursing', { dibao: { kind: 'urban' } });
    const dibaoCase = await first<{ id: number }>(
      t.database.db,
      sql`INSERT INTO cases (case_no, programme, household_id, region_code, status, applied_on, workflow)
          SELECT 'DB-SR-' || ${a.householdId}, 'dibao', ${a.householdId}, ${R.villageA}, 'approved', ${todayCst()}::date, workflow
          FROM cases WHERE id = ${a.caseId} RETURNING id`,
    );
    const v = await personVersion(a.personId);
    const dead = await cw.patch(`/api/v1/registry/persons/${a.personId}`, {
      deathDate: todayCst(),
      reason: '死亡',
      version: v,
    });
    expect(dead.statusCode, dead.body).toBe(200);
    expect((await openTasks(a.caseId)).map((x) => x.reason)).toEqual(['death']);
    expect((await openTasks(Number(dibaoCase!.id))).map((x) => x.reason)).toEqual(['death']);
  });
});

describe('review and its outcome — POLICY.md §4 [K; seed] (table)', () => {
  it.each([
    {
      name: 'D3 level re-assessed to 3 → stop, severity',
      programme: 'disability_nursing' as const,
      change: (p: number) =>
        sql`UPDATE disability_certs SET disability_level = 3, version = version + 1 WHERE person_id = ${p}`,
      reasons: ['severity'],
      cite: 'D3',
    },
    {
      name: 'D2 the household left 低保 → stop the living subsidy, dibao_family',
      programme: 'disability_living' as const,
      change: (p: number) =>
        sql`UPDATE programme_enrollments SET status = 'ended', end_month = ${thisMonth}, version = version + 1
            WHERE programme = 'dibao' AND household_id = (SELECT household_id FROM persons WHERE id = ${p})`,
      reasons: ['dibao_family'],
      cite: 'D2',
    },
    {
      name: 'D1 certificate expired → stop, certificate',
      programme: 'disability_nursing' as const,
      change: (p: number) =>
        sql`UPDATE disability_certs SET expires_on = '2025-01-31', version = version + 1 WHERE person_id = ${p}`,
      reasons: ['certificate'],
      cite: 'D1',
    },
    {
      name: 'D7 taken into 特困 → stop, exclusion',
      programme: 'disability_nursing' as const,
      change: (p: number) =>
        sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen)
            SELECT household_id, id, region_code, 'tekun', 'active', ${thisMonth}, 90000 FROM persons WHERE id = ${p}`,
      reasons: ['exclusion'],
      cite: 'D7',
    },
    {
      name: 'nothing changed → continue',
      programme: 'disability_living' as const,
      change: null,
      reasons: [],
      cite: null,
    },
  ])('$name', async (x) => {
    const a = await kit.approved(x.programme, { dibao: { kind: 'urban' }, cert: { type: 'mental', level: 1 } });
    if (x.change) await t.database.db.execute(x.change(a.personId));
    const res = await review(a.caseId);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json().review;
    expect(r.outcome).toBe(x.reasons.length ? 'stop' : 'continue');
    expect(r.reasons).toEqual(x.reasons);
    expect(res.json().assessment.as_of).toBe(todayCst());
    expect(res.json().assessment.explanation).toContain(`复核（${todayCst()}`);
    if (x.cite) {
      const gate = res.json().assessment.gates.find((g: { passed: boolean }) => !g.passed);
      expect(gate.code.startsWith(x.cite)).toBe(true);
      expect(gate.citation).toContain('POLICY.md §4');
      // A stop cannot be applied as a review result; it goes through the stop with its reason.
      const apply = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-review/apply`, {
        version: await kit.version(a.caseId),
        outcome: 'continue',
      });
      expect(apply.statusCode).toBe(409);
      expect(apply.json().detail).toContain('请办理停发');
      const stop = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
        version: await kit.version(a.caseId),
        reason: x.reasons[0],
        facts: '复核发现补贴对象情况变化。',
      });
      expect(stop.statusCode, stop.body).toBe(200);
      expect(stop.json().status).toBe('exited');
      const n = stop.json().notices.find((k: { kind: string }) => k.kind === 'termination');
      expect(n.decision).toContain(`自 ${nextMonth} 起停发`);
      expect(n.reasons).toContain('POLICY.md §4');
      expect(n.reasons).toContain('复核说明');
      expect(await enrollments(a.personId, x.programme)).toEqual([
        expect.objectContaining({ status: 'ended', end_month: thisMonth }),
      ]);
    } else {
      const apply = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-review/apply`, {
        version: await kit.version(a.caseId),
        outcome: 'continue',
      });
      expect(apply.statusCode, apply.body).toBe(200);
      expect(apply.json().nextReviewOn).toBe(`${addMonths(thisMonth, 12)}-01`);
      expect(await enrollments(a.personId, x.programme)).toEqual([
        expect.objectContaining({ status: 'active', end_month: null }),
      ]);
    }
    const audit = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'case' AND entity_id = ${String(a.caseId)} AND action = 'case.subsidy_review'`,
    );
    expect(Number(audit!.n)).toBe(1);
  });

  it('a re-class of the household to rural class 3 adjusts the living subsidy to the county standard from next month', async () => {
    await t.database.db.execute(sql`INSERT INTO policy_parameters (programme, region_code, key, value, effective_from, source_document, source_article)
      VALUES ('disability', ${R.countyA}, 'living_rural_class34_fen', '5000'::jsonb, '2024-01-01', '县民政局关于农村三四类低保家庭困难残疾人生活补贴标准的通知', '第一条')`);
    const a = await kit.approved('disability_living', { dibao: { kind: 'rural', ruralClass: 2 } });
    await t.database.db.execute(sql`UPDATE programme_enrollments SET rural_class = 3, version = version + 1
      WHERE programme = 'dibao' AND household_id = ${a.householdId}`);
    const res = await review(a.caseId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().review).toMatchObject({
      outcome: 'adjust',
      monthlyAmountFen: 5000,
      funding: { provinceFen: 0, cityFen: 0, countyFen: 5000 },
      previous: { monthlyAmountFen: 10000 },
    });
    const wrong = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-review/apply`, {
      version: await kit.version(a.caseId),
      outcome: 'continue',
    });
    expect(wrong.statusCode).toBe(409);
    const ok = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-review/apply`, {
      version: await kit.version(a.caseId),
      outcome: 'adjust',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().monthlyAmountFen).toBe(5000);
    const n = ok.json().notices.find((k: { kind: string }) => k.kind === 'adjustment');
    expect(n.title).toBe('困难残疾人生活补贴调整告知书');
    expect(n.decision).toContain(`自 ${nextMonth} 起执行`);
    const e = await enrollments(a.personId, 'disability_living');
    expect(e.map((x) => [x.status, x.end_month, x.monthly_amount_fen])).toEqual([
      ['ended', thisMonth, 10000],
      ['active', null, 5000],
    ]);
    expect(e[1]!.start_month).toBe(nextMonth);
    // Applied once: a second apply needs a new review.
    const again = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-review/apply`, {
      version: await kit.version(a.caseId),
      outcome: 'adjust',
    });
    expect(again.statusCode).toBe(409);
  });
});

describe('stopping', () => {
  it('a death recorded months ago: paid to the month of death, the notice says what is recovered; the task closes', async () => {
    const a = await kit.approved('disability_nursing', {});
    const died = `${addMonths(thisMonth, -2)}-10`;
    // Not yet recorded: the stop for death is refused, naming the field.
    const early = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'death',
      facts: '村委会报告补贴对象已死亡。',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors[0]).toMatchObject({ field: 'reason', code: 'death_not_recorded' });
    await t.database.db.execute(
      sql`UPDATE persons SET death_date = ${died}::date, version = version + 1 WHERE id = ${a.personId}`,
    );
    expect((await openTasks(a.caseId)).map((x) => x.reason)).toEqual(['death']);
    const stop = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'death',
      facts: `补贴对象于 ${died} 死亡（火化证明）。`,
    });
    expect(stop.statusCode, stop.body).toBe(200);
    const lastMonth = died.slice(0, 7);
    expect(await enrollments(a.personId, 'disability_nursing')).toEqual([
      expect.objectContaining({ status: 'ended', end_month: lastMonth }),
    ]);
    const n = stop.json().notices.find((k: { kind: string }) => k.kind === 'termination');
    expect(n.title).toBe('重度残疾人护理补贴停发告知书');
    expect(n.decision).toContain(`补贴发放至 ${lastMonth}`);
    expect(n.decision).toContain(`${addMonths(lastMonth, 1)} 至 ${thisMonth} 已发放的补贴，在下月发放名册中扣减`);
    expect(await openTasks(a.caseId)).toEqual([]);
  });

  it('a reason no review found is refused; the recipient’s own request needs none', async () => {
    const a = await kit.approved('disability_nursing', {});
    const bad = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'hukou',
      facts: '听说户口迁走了。',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'reason', code: 'not_found_by_review' });
    expect(bad.json().errors[0].message).toContain('请先复核');
    const own = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'voluntary',
      facts: '本人书面申请停止领取。',
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(await enrollments(a.personId, 'disability_nursing')).toEqual([
      expect.objectContaining({ status: 'ended', end_month: thisMonth }),
    ]);
    // Closed: no more reviews or stops.
    const after = await review(a.caseId);
    expect(after.statusCode).toBe(409);
  });
});

describe('roles, area and bad input', () => {
  it('caseworker 403, another county 404, a 低保 case 409, a stale version 409, an unknown reason 400', async () => {
    const a = await kit.approved('disability_nursing', {});
    expect((await review(a.caseId, cw)).statusCode).toBe(403);
    expect((await review(a.caseId, cb)).statusCode).toBe(404);
    const stale = await tr.post(`/api/v1/cases/${a.caseId}/subsidy-review`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    const unknown = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'bored',
      facts: 'x',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('reason');
    const noFacts = await ca.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'voluntary',
      facts: '  ',
    });
    expect(noFacts.statusCode).toBe(400);
    expect(noFacts.json().errors[0].field).toBe('facts');
    // The township reviewer may review but not stop.
    const trStop = await tr.post(`/api/v1/cases/${a.caseId}/subsidy-stop`, {
      version: await kit.version(a.caseId),
      reason: 'voluntary',
      facts: '本人申请。',
    });
    expect(trStop.statusCode).toBe(403);
    const { householdId } = await kit.person({ dibao: { kind: 'urban' } });
    const dibao = await cw.post('/api/v1/cases', { programme: 'dibao', householdId });
    expect(dibao.statusCode, dibao.body).toBe(201);
    const onDibao = await tr.post(`/api/v1/cases/${dibao.json().id}/subsidy-review`, { version: dibao.json().version });
    expect(onDibao.statusCode).toBe(409);
    expect(onDibao.json().detail).toContain('两项补贴');
    expect(await enrollments(a.personId, 'disability_nursing')).toEqual([
      expect.objectContaining({ status: 'active' }),
    ]);
  });
});
