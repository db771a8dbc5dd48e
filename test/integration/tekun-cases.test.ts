import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, monthCst, todayCst } from '../../src/domain/calendar.js';
import { pickRecheckSample } from '../../src/domain/programs/tekun/workflow.js';
import { first, rows } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { makeHousehold, upload } from '../support/factories-cases.js';

/** 特困 cases on the shared case engine, end to end over HTTP: POLICY.md §3 [C arts.4–9, 13–18, 21–23]. */
let t: TestApp;
let cw: Client; // township caseworker
let tr: Client; // township reviewer
let ca: Client; // county approver
let cb: Client; // county approver of another county
const today = todayCst();

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-tekun-${process.pid}` });
  await seedPolicyParameters(t.database.db, R.city);
  await makeUser(t.database, { username: 'tk_cw', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'tk_tr', role: 'township_reviewer', regionCode: R.townA });
  await makeUser(t.database, { username: 'tk_ca', role: 'county_approver', regionCode: R.countyA });
  cw = await login(t.app, 'tk_cw');
  tr = await login(t.app, 'tk_tr');
  await makeUser(t.database, { username: 'tk_cb', role: 'county_approver', regionCode: R.countyB });
  ca = await login(t.app, 'tk_ca');
  cb = await login(t.app, 'tk_cb');
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
/** Four of the six activities not achieved → 完全丧失生活自理能力 [C arts.21–23]. */
const FOUR_LOST = { ...ALL_SIX, eating: false, dressing: false, toileting: false, bathing: false };

const INVESTIGATION = (selfCare = FOUR_LOST) => ({
  investigators: [{ name: '王调查' }, { name: '李调查' }],
  visitedOn: today,
  supporters: [],
  selfCare,
});

async function uploadAll(c: Client, caseId: number, kinds: string[]) {
  for (const k of kinds) expect((await upload(t.app, c, caseId, k)).statusCode).toBe(201);
}
async function version(caseId: number) {
  return (await ca.get(`/api/v1/cases/${caseId}`)).json().version as number;
}
async function step(c: Client, caseId: number, s: string, data: Record<string, unknown> = {}) {
  return c.post(`/api/v1/cases/${caseId}/steps/${s}`, { version: await version(caseId), data });
}

/** A person living alone, aged 78, no income, no property (the three conditions hold). */
const elderAlone = () =>
  makeHousehold(t.database.db, {
    regionCode: R.villageA,
    members: [{ name: '马老汉', birthDate: '1948-05-06', labour: 'none' }],
  });

async function open(householdId: number, personId: number) {
  const res = await cw.post('/api/v1/cases', {
    programme: 'tekun',
    householdId,
    applicantPersonId: personId,
    appliedOn: addDays(today, -10),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
}

async function throughPublicity(id: number, selfCare = FOUR_LOST) {
  await uploadAll(cw, id, ['application_form', 'id_copies', 'circumstances_declaration', 'verification_authorization']);
  const acc = await step(cw, id, 'acceptance', { acceptedOn: addDays(today, -9) });
  expect(acc.statusCode, acc.body).toBe(200);
  await uploadAll(tr, id, ['investigation_form', 'self_care_assessment']);
  const inv = await step(tr, id, 'investigation', INVESTIGATION(selfCare));
  expect(inv.statusCode, inv.body).toBe(200);
  const p = await tr.post(`/api/v1/cases/${id}/publicity`, {
    version: await version(id),
    startOn: today,
    place: '祁河村村务公开栏',
  });
  expect(p.statusCode, p.body).toBe(200);
  await t.database.db.execute(
    sql`UPDATE cases SET flags = jsonb_set(flags, '{publicityStartOn}', to_jsonb(${addDays(today, -8)}::text)) WHERE id = ${id}`,
  );
  await uploadAll(tr, id, ['publicity_record']);
  const done = await step(tr, id, 'publicity');
  expect(done.statusCode, done.body).toBe(200);
  return done.json();
}

describe('特困 inclusion (POLICY §3 [C arts.4–9, 13–18, 21–23])', () => {
  it('runs application → investigation (three conditions, care tier) → 公示 → county re-check and decision → enrollment, 低保 excluded', async () => {
    const { householdId, personIds } = await elderAlone();
    const personId = personIds[0]!;
    // The household receives 低保 today: 特困 for the same person must exclude him from it (§3).
    await t.database.db.execute(sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen)
      VALUES (${householdId}, ${R.villageA}, 'dibao', 'rural', 1, 'active', ${monthCst()}, 50000)`);
    const id = await open(householdId, personId);
    const again = await cw.post('/api/v1/cases', { programme: 'tekun', householdId, applicantPersonId: personId });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(id);
    expect(again.json().existing).toBe(true);

    const view = await throughPublicity(id);
    expect(view.assessment.eligible).toBe(true);
    expect(view.careTier).toBe('completely_lost');
    expect(view.assessment.explanation).toContain('符合特困人员认定条件');
    expect(view.assessment.explanation).toContain('完全丧失生活自理能力');
    expect(view.assessment.gates.map((g: { code: string }) => g.code)).toEqual(
      expect.arrayContaining(['T1.labour_capacity', 'T2.no_living_source', 'T3.supporters', 'T5.care_tier']),
    );
    expect(view.recheck).not.toBeNull();
    expect(view.currentStep).toBe('decision');
    // The amount is the support standard (basic living) + the care standard of the tier.
    const params = view.assessment.parameters.tekun;
    const basic = Math.ceil((params.dibaoStandardRuralFen * params.basicLivingPermille) / 1000);
    const amount = basic + params.careStandardFen.completely_lost;
    expect(view.monthlyAmountFen).toBe(amount);

    await uploadAll(ca, id, ['approval_form']);
    const recheck = view.recheck.sampled
      ? { recheck: { checkedOn: today, findings: '县级入户抽查：独居，无收入，情况属实。', confirmed: true } }
      : {};
    if (view.recheck.sampled) {
      const without = await ca.post(`/api/v1/cases/${id}/decision`, {
        version: await version(id),
        decision: 'approve',
      });
      expect(without.statusCode).toBe(409);
      expect(without.json().recheckRequired).toBe(true);
    }
    const forbidden = await tr.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'approve',
      ...recheck,
    });
    expect(forbidden.statusCode).toBe(403);
    const ok = await ca.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'approve',
      ...recheck,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const c = ok.json();
    expect(c.status).toBe('approved');
    expect(c.notices.map((n: { kind: string }) => n.kind)).toContain('approval');
    const startMonth = addMonths(today.slice(0, 7), 1);
    const e = await first<{ programme: string; person_id: number; monthly_amount_fen: number; start_month: string }>(
      t.database.db,
      sql`SELECT programme, person_id, monthly_amount_fen, start_month FROM programme_enrollments WHERE id = (SELECT enrollment_id FROM cases WHERE id = ${id})`,
    );
    expect(e).toMatchObject({ programme: 'tekun', start_month: startMonth });
    expect(Number(e!.person_id)).toBe(personId);
    expect(Number(e!.monthly_amount_fen)).toBe(amount);
    const x = await rows<{ person_id: number; from_month: string }>(
      t.database.db,
      sql`SELECT person_id, from_month FROM dibao_member_exclusions WHERE household_id = ${householdId}`,
    );
    expect(x.map((r) => [Number(r.person_id), r.from_month])).toEqual([[personId, startMonth]]);
    const task = await first<{ reason: string }>(
      t.database.db,
      sql`SELECT reason FROM review_tasks WHERE household_id = ${householdId} AND status = 'open'`,
    );
    expect(task?.reason).toBe('tekun_member');
    const audit = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'case' AND entity_id = ${String(id)} AND action = 'case.decision.approve'`,
    );
    expect(Number(audit?.n)).toBe(1);
  });

  it('answers an out-of-order step with 409 naming what must come first; the wrong role 403', async () => {
    const { householdId, personIds } = await elderAlone();
    const id = await open(householdId, personIds[0]!);
    const early = await step(tr, id, 'investigation', INVESTIGATION());
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('INVALID_STATE');
    expect(early.json().mustFirst.map((s: { code: string }) => s.code)).toEqual(['acceptance']);
    const decide = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(decide.statusCode).toBe(409);
    expect(decide.json().mustFirst.map((s: { code: string }) => s.code)).toEqual([
      'acceptance',
      'investigation',
      'publicity',
    ]);
    await uploadAll(cw, id, [
      'application_form',
      'id_copies',
      'circumstances_declaration',
      'verification_authorization',
    ]);
    expect((await step(cw, id, 'acceptance')).statusCode).toBe(200);
    await uploadAll(cw, id, ['investigation_form', 'self_care_assessment']);
    const wrongRole = await step(cw, id, 'investigation', INVESTIGATION());
    expect(wrongRole.statusCode).toBe(403);
    const noPerson = await cw.post('/api/v1/cases', { programme: 'tekun', householdId });
    expect(noPerson.statusCode).toBe(400);
    // Another county sees nothing of the case (404, no existence leak) and cannot decide it.
    expect((await cb.get(`/api/v1/cases/${id}`)).statusCode).toBe(404);
    const foreign = await cb.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'reject',
      reason: 'x',
    });
    expect(foreign.statusCode).toBe(404);
  });
});

describe('特困 refusal with its notice (S7; [C arts.5, 17])', () => {
  it('a 45-year-old able to work is refused; the issued .docx states the reason and the article', async () => {
    const { householdId, personIds } = await makeHousehold(t.database.db, {
      regionCode: R.villageA,
      members: [{ name: '牛壮年', birthDate: '1981-03-03' }],
    });
    const id = await open(householdId, personIds[0]!);
    const view = await throughPublicity(id, ALL_SIX);
    expect(view.assessment.eligible).toBe(false);
    expect(view.careTier).toBe('self_care');
    await uploadAll(ca, id, ['approval_form']);
    const recheck = view.recheck.sampled
      ? { recheck: { checkedOn: today, findings: '县级抽查：本人具有劳动能力。', confirmed: true } }
      : {};
    const approve = await ca.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'approve',
      ...recheck,
    });
    expect(approve.statusCode).toBe(409);
    const rej = await ca.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'reject',
      reason: '申请人未满60周岁且无重度残疾，具有劳动能力。',
      ...recheck,
    });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(rej.json().status).toBe('rejected');
    const n = rej.json().notices.find((x: { kind: string }) => x.kind === 'not_confirmed');
    expect(n.title).toBe('不予认定特困人员告知书');
    expect(n.addressee).toBe('牛壮年');
    expect(n.reasons).toContain('具有劳动能力');
    expect(n.basis.map((b: { article: string }) => b.article)).toContain('第五条');
    const issued = await ca.post(`/api/v1/notices/${n.id}/issue`, { version: n.version });
    expect(issued.statusCode, issued.body).toBe(200);
    const file = await ca.get(`/api/v1/notices/${n.id}/file`);
    expect(file.statusCode).toBe(200);
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('申请人未满60周岁且无重度残疾，具有劳动能力。');
    expect(xml).toContain('特困人员认定办法');
    expect(xml).toContain('第五条');
    const enr = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM programme_enrollments WHERE person_id = ${personIds[0]!} AND programme = 'tekun'`,
    );
    expect(Number(enr?.n)).toBe(0);
  });
});

describe('county random re-checks ≥ 30% ([C art.16])', () => {
  it('draws deterministically per case id and keeps the county share at or above 30%', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { householdId, personIds } = await elderAlone();
      const id = await open(householdId, personIds[0]!);
      await throughPublicity(id);
      ids.push(id);
    }
    const recs = await rows<{
      case_id: number;
      seed: number;
      drawn: boolean;
      quota_top_up: boolean;
      sampled: boolean;
      county_cases: number;
      county_sampled: number;
    }>(
      t.database.db,
      sql`SELECT case_id, seed, drawn, quota_top_up, sampled, county_cases, county_sampled FROM case_rechecks
          WHERE county_code = ${R.countyA} ORDER BY county_cases`,
    );
    expect(recs.length).toBeGreaterThanOrEqual(5);
    for (const r of recs) {
      // The draw is reproducible from the case id alone.
      const slots = Array.from({ length: 100 }, (_, i) => i);
      expect(r.drawn).toBe(pickRecheckSample(slots, Number(r.case_id), 30).includes(0));
      expect(Number(r.seed)).toBe(Number(r.case_id));
      expect(r.sampled).toBe(r.drawn || r.quota_top_up);
      // After every draw the county has re-checked at least 30% of its cases.
      expect(Number(r.county_sampled) * 100).toBeGreaterThanOrEqual(Number(r.county_cases) * 30);
    }
    const sampled = recs.filter((r) => r.sampled).length;
    expect(sampled * 100).toBeGreaterThanOrEqual(recs.length * 30);
    // The case view shows the draw.
    const v = (await ca.get(`/api/v1/cases/${ids[0]}`)).json();
    expect(typeof v.recheck.sampled).toBe('boolean');
  });
});
