import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, monthCst, todayCst } from '../../src/domain/calendar.js';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { INVESTIGATION, makeHousehold, PNG, REVIEW, setStandard, upload } from '../support/factories-cases.js';

/** 低保 cases end to end over HTTP (issue 5): POLICY.md §2 [A arts.9–34] and S3–S7. */
let t: TestApp;
let cw: Client; // township caseworker (崆峒镇)
let tr: Client; // township reviewer
let ca: Client; // county approver (崆峒区)
let ca2: Client; // a second county approver
const today = todayCst();
const year = Number(today.slice(0, 4));

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-${process.pid}` });
  await makeUser(t.database, { username: 'cw', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'tr', role: 'township_reviewer', regionCode: R.townA });
  await makeUser(t.database, { username: 'ca', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'ca2', role: 'county_approver', regionCode: R.countyA });
  cw = await login(t.app, 'cw');
  tr = await login(t.app, 'tr');
  ca = await login(t.app, 'ca');
  ca2 = await login(t.app, 'ca2');
}, 300_000);
afterAll(async () => {
  await t?.close();
});

const poor = () =>
  makeHousehold(t.database.db, {
    regionCode: R.villageA,
    housingRating: 'C',
    members: [
      { name: '马建国', birthDate: '1958-03-02', labour: 'partial', graveIllness: true },
      { name: '马秀兰', birthDate: '1962-07-09', relation: 'spouse', labour: 'none' },
      { name: '马小龙', birthDate: '2014-01-20', relation: 'child', labour: 'none' },
    ],
    income: [
      { kind: 'wages', amountFen: 30_000 },
      { kind: 'social_assistance', amountFen: 20_000 },
    ],
  });

async function uploadAll(c: Client, caseId: number, kinds: string[]) {
  for (const k of kinds) expect((await upload(t.app, c, caseId, k)).statusCode).toBe(201);
}

async function step(c: Client, caseId: number, s: string, data: Record<string, unknown> = {}) {
  const cur = (await c.get(`/api/v1/cases/${caseId}`)).json();
  return c.post(`/api/v1/cases/${caseId}/steps/${s}`, { version: cur.version, data });
}

async function version(caseId: number) {
  return (await ca.get(`/api/v1/cases/${caseId}`)).json().version as number;
}

/** Lets the 7-day 公示 run out: the start date is moved back as if a week had passed. */
async function publicityElapsed(caseId: number) {
  await t.database.db.execute(
    sql`UPDATE cases SET flags = jsonb_set(flags, '{publicityStartOn}', to_jsonb(${addDays(today, -8)}::text)) WHERE id = ${caseId}`,
  );
}

/** Application → acceptance → investigation → review → assessment, with every material. */
async function throughAssessment(householdId: number, opts: { relatedToStaff?: boolean } = {}) {
  const res = await cw.post('/api/v1/cases', {
    householdId,
    appliedOn: addDays(today, -14),
    relatedToStaff: opts.relatedToStaff ?? false,
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as number;
  await uploadAll(cw, id, ['application_form', 'id_copies', 'income_declaration', 'verification_authorization']);
  expect((await step(cw, id, 'acceptance', { acceptedOn: addDays(today, -12) })).statusCode).toBe(200);
  await uploadAll(cw, id, ['household_visit_form', 'neighbour_visit_record', 'verification_report']);
  expect((await step(cw, id, 'investigation', INVESTIGATION(today))).statusCode).toBe(200);
  await uploadAll(tr, id, ['review_minutes']);
  expect((await step(tr, id, 'democratic_review', REVIEW(today))).statusCode).toBe(200);
  const a = await step(tr, id, 'assessment');
  expect(a.statusCode, a.body).toBe(200);
  return id;
}

async function throughPublicity(id: number) {
  const p = await tr.post(`/api/v1/cases/${id}/publicity`, {
    version: await version(id),
    startOn: today,
    place: '祁河村村务公开栏',
  });
  expect(p.statusCode, p.body).toBe(200);
  await publicityElapsed(id);
  await uploadAll(tr, id, ['publicity_record']);
  const r = await step(tr, id, 'publicity');
  expect(r.statusCode, r.body).toBe(200);
}

describe('application and acceptance (POLICY §2 [A arts.9–11])', () => {
  it('opens a case once: a double submission answers the same case', async () => {
    const { householdId } = await poor();
    const a = await cw.post('/api/v1/cases', { householdId });
    const b = await cw.post('/api/v1/cases', { householdId });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    expect(b.json().existing).toBe(true);
  });

  it('refuses steps out of order with what must happen first; lists all missing materials; one-time notice', async () => {
    const { householdId } = await poor();
    const id = (await cw.post('/api/v1/cases', { householdId })).json().id as number;
    const early = await step(cw, id, 'investigation', INVESTIGATION(today));
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('INVALID_STATE');
    expect(early.json().detail).toContain('受理');
    expect(early.json().mustFirst.map((s: { code: string }) => s.code)).toEqual(['acceptance']);

    await uploadAll(cw, id, ['application_form']);
    const missing = await step(cw, id, 'acceptance');
    expect(missing.statusCode).toBe(409);
    expect(missing.json().code).toBe('MATERIALS_MISSING');
    expect(missing.json().missing.map((m: { kind: string }) => m.kind)).toEqual([
      'id_copies',
      'income_declaration',
      'verification_authorization',
    ]);

    const n = await cw.post(`/api/v1/cases/${id}/one-time-notice`, { step: 'acceptance' });
    expect(n.statusCode).toBe(200);
    const notice = n.json().notices.find((x: { kind: string }) => x.kind === 'one_time');
    expect(notice.decision).toContain('共 3 项');
    expect(notice.decision).toContain('家庭经济状况核对授权书');
    expect(notice.basis[0].article).toBe('第十条');
  });

  it('checks the role of each step (wrong role → 403) and is idempotent on a repeated step', async () => {
    const { householdId } = await poor();
    const id = (await cw.post('/api/v1/cases', { householdId })).json().id as number;
    await uploadAll(cw, id, ['application_form', 'id_copies', 'income_declaration', 'verification_authorization']);
    expect((await step(ca, id, 'acceptance')).statusCode).toBe(403);
    const ok = await step(cw, id, 'acceptance');
    expect(ok.statusCode).toBe(200);
    const again = await cw.post(`/api/v1/cases/${id}/steps/acceptance`, { version: ok.json().version - 1, data: {} });
    expect(again.statusCode).toBe(200);
    expect(again.json().version).toBe(ok.json().version);
  });

  it('requires ≥2 investigators and a signed visit form [A art.15]', async () => {
    const { householdId } = await poor();
    const id = (await cw.post('/api/v1/cases', { householdId })).json().id as number;
    await uploadAll(cw, id, [
      'application_form',
      'id_copies',
      'income_declaration',
      'verification_authorization',
      'household_visit_form',
      'neighbour_visit_record',
      'verification_report',
    ]);
    await step(cw, id, 'acceptance');
    const bad = await step(cw, id, 'investigation', { ...INVESTIGATION(today), investigators: [{ name: '独自一人' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('data.investigators');
  });

  it('rejects an upload that is not what it claims', async () => {
    const { householdId } = await poor();
    const id = (await cw.post('/api/v1/cases', { householdId })).json().id as number;
    const fake = await upload(t.app, cw, id, 'application_form', 'application.pdf', PNG);
    expect(fake.statusCode).toBe(400);
    expect(fake.json().code).toBe('FILE_INVALID');
    const exe = await upload(t.app, cw, id, 'application_form', 'a.exe', Buffer.from('MZ....'));
    expect(exe.statusCode).toBe(400);
    const png = await upload(t.app, cw, id, 'id_copies', 'id.png', PNG);
    expect(png.statusCode).toBe(201);
    expect(png.json().sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('assessment, decision, payment (S5; [A arts.13–25])', () => {
  it('a missing standard is a clear configuration error, not a crash', async () => {
    const { householdId } = await poor();
    const res = await cw.post('/api/v1/cases', { householdId });
    const id = res.json().id as number;
    await uploadAll(cw, id, [
      'application_form',
      'id_copies',
      'income_declaration',
      'verification_authorization',
      'household_visit_form',
      'neighbour_visit_record',
      'verification_report',
    ]);
    await step(cw, id, 'acceptance');
    await step(cw, id, 'investigation', INVESTIGATION(today));
    await uploadAll(tr, id, ['review_minutes']);
    await step(tr, id, 'democratic_review', REVIEW(today));
    const a = await step(tr, id, 'assessment');
    expect(a.statusCode).toBe(409);
    expect(a.json().code).toBe('CONFIGURATION_MISSING');
    expect(a.json().detail).toContain('620802');
    await setStandard(t.database.db, R.countyA, year);
    const b = await step(tr, id, 'assessment');
    expect(b.statusCode).toBe(200);
  });

  it('takes a household from application to payment, with notice and enrollment', async () => {
    await setStandard(t.database.db, R.countyA, year);
    const { householdId } = await poor();
    const id = await throughAssessment(householdId);
    const c = (await tr.get(`/api/v1/cases/${id}`)).json();
    expect(c.assessment.eligible).toBe(true);
    expect(c.assessment.gates.map((g: { code: string }) => g.code)).toEqual(['hukou', 'income', 'property']);
    // 30000 counted / 3 = 10000 per capita; the 20000 of social assistance is excluded [A art.13].
    expect(c.assessment.breakdown.perCapitaFen).toBe(10_000);
    expect(c.assessment.breakdown.excludedIncomeFen).toBe(20_000);
    expect(c.assessment.explanation).toContain('民主评议得分 80');
    expect(c.assessment.parameters.assessment.surveyWeightPct).toBe(60);
    expect(c.ruralClass).toBeGreaterThanOrEqual(1);

    const early = await ca.post(`/api/v1/cases/${id}/decision`, { version: c.version, decision: 'approve' });
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('公示');

    const p = await tr.post(`/api/v1/cases/${id}/publicity`, {
      version: c.version,
      startOn: today,
      place: '村务公开栏',
    });
    expect(p.statusCode).toBe(200);
    await uploadAll(tr, id, ['publicity_record']);
    const tooEarly = await step(tr, id, 'publicity');
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().detail).toContain('7');
    await publicityElapsed(id);
    expect((await step(tr, id, 'publicity')).statusCode).toBe(200);

    const noForm = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(noForm.statusCode).toBe(409);
    expect(noForm.json().code).toBe('MATERIALS_MISSING');
    await uploadAll(ca, id, ['approval_form']);

    // Two approvers at once: one wins, the other gets 409.
    const v = await version(id);
    const [r1, r2] = await Promise.all([
      ca.post(`/api/v1/cases/${id}/decision`, { version: v, decision: 'approve' }),
      ca2.post(`/api/v1/cases/${id}/decision`, { version: v, decision: 'approve' }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const approved = (r1.statusCode === 200 ? r1 : r2).json();
    expect(approved.status).toBe('approved');
    expect(approved.monthlyAmountFen).toBeGreaterThan(0);

    const e = await first<{ start_month: string; monthly_amount_fen: number; status: string; rural_class: number }>(
      t.database.db,
      sql`SELECT start_month, monthly_amount_fen, status, rural_class FROM programme_enrollments WHERE household_id = ${householdId} AND programme = 'dibao'`,
    );
    expect(e).toMatchObject({
      start_month: addMonths(monthCst(), 1),
      status: 'active',
      monthly_amount_fen: approved.monthlyAmountFen,
      rural_class: approved.ruralClass,
    });

    const notice = approved.notices.find((n: { kind: string }) => n.kind === 'approval');
    const issued = await ca.post(`/api/v1/notices/${notice.id}/issue`, { version: notice.version });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json().docNo).toMatch(/^崆民低〔\d{4}〕\d+号$/);
  });

  it('rejects with a notice that states facts, reason and article; frozen after issue; delivery recorded', async () => {
    await setStandard(t.database.db, R.countyA, year);
    const { householdId } = await makeHousehold(t.database.db, {
      regionCode: R.villageA,
      members: [
        { name: '牛富贵', birthDate: '1980-01-01' },
        { name: '牛小花', birthDate: '1982-02-02', relation: 'spouse' },
      ],
      income: [{ kind: 'wages', amountFen: 300_000 }],
      property: [{ kind: 'deposit', valueFen: 10_000_000 }],
    });
    const id = await throughAssessment(householdId);
    const c = (await ca.get(`/api/v1/cases/${id}`)).json();
    expect(c.assessment.eligible).toBe(false);
    expect(c.assessment.explanation).toContain('不符合低保条件');
    await throughPublicity(id);
    await uploadAll(ca, id, ['approval_form']);
    const approve = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(approve.statusCode).toBe(409);
    const noReason = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    const rej = await ca.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'reject',
      reason: '家庭人均收入高于本地低保标准，且存款超过限额。',
    });
    expect(rej.statusCode).toBe(200);
    const n = rej.json().notices.find((x: { kind: string }) => x.kind === 'not_confirmed');
    expect(n.issuerName).toBe('崆峒区民政局');
    expect(n.facts).toContain('人均');
    expect(n.reasons).toContain('家庭人均收入高于');
    expect(n.basis.map((b: { article: string }) => b.article)).toEqual(
      expect.arrayContaining(['第十三条', '第十四条']),
    );
    expect(n.remedies).toContain('六十日');
    expect(n.remedies).toContain('六个月');

    const edited = await ca.patch(`/api/v1/notices/${n.id}`, {
      version: n.version,
      reasons: `${n.reasons}\n（经办人补充：已当面说明）`,
    });
    expect(edited.statusCode).toBe(200);
    const townIssue = await tr.post(`/api/v1/notices/${n.id}/issue`, { version: edited.json().version });
    expect(townIssue.statusCode).toBe(403);
    const issued = await ca.post(`/api/v1/notices/${n.id}/issue`, { version: edited.json().version });
    expect(issued.statusCode).toBe(200);
    const again = await ca.post(`/api/v1/notices/${n.id}/issue`, { version: edited.json().version });
    expect(again.json().docNo).toBe(issued.json().docNo);
    const frozen = await ca.patch(`/api/v1/notices/${n.id}`, { version: issued.json().version, reasons: '改' });
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().code).toBe('NOTICE_FROZEN');

    const file = await ca.get(`/api/v1/notices/${n.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(issued.json().sha256);
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('第十三条');
    expect(xml).toContain(issued.json().docNo);

    const receipt = await upload(
      t.app,
      ca,
      id,
      'notice_receipt',
      'receipt.jpg',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]),
    );
    expect(receipt.statusCode).toBe(201);
    const d = await ca.post(`/api/v1/notices/${n.id}/delivery`, {
      version: issued.json().version,
      method: 'in_person',
      deliveredOn: today,
      receiptMaterialId: receipt.json().id,
    });
    expect(d.statusCode).toBe(200);
    expect(d.json().deliveredOn).toBe(today);
  });

  it('township refusal after first review issues a township notice [A art.19; S7]', async () => {
    await setStandard(t.database.db, R.countyA, year);
    const { householdId } = await makeHousehold(t.database.db, {
      regionCode: R.villageA,
      members: [{ name: '外地人', birthDate: '1970-01-01', hukouLocal: false }],
    });
    const id = await throughAssessment(householdId);
    const r = await tr.post(`/api/v1/cases/${id}/reject`, { version: await version(id), reason: '户主非本地户籍' });
    expect(r.statusCode).toBe(200);
    const n = r.json().notices[0];
    expect(n.issuerLevel).toBe('township');
    expect(n.basis.map((b: { article: string }) => b.article)).toContain('第四条');
    const issued = await tr.post(`/api/v1/notices/${n.id}/issue`, { version: n.version });
    expect(issued.statusCode).toBe(200);
    expect(issued.json().docNo).toMatch(/^崆峒镇低〔\d{4}〕1号$/);
  });

  it('单独登记备案 needs the county home visit before the decision [A arts.11, 20]', async () => {
    await setStandard(t.database.db, R.countyA, year);
    const { householdId } = await poor();
    const id = await throughAssessment(householdId, { relatedToStaff: true });
    await throughPublicity(id);
    await uploadAll(ca, id, ['approval_form']);
    const d = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(d.statusCode).toBe(409);
    expect(d.json().detail).toContain('县级入户核查');
    await uploadAll(ca, id, ['county_visit_record']);
    expect(
      (await step(ca, id, 'county_visit', { visitedOn: today, visitors: ['县局甲', '县局乙'], findings: '情况属实' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' })).statusCode,
    ).toBe(200);
  });

  it('an objection in 公示 sends the case back to 民主评议 and 公示 runs again [A art.19]', async () => {
    await setStandard(t.database.db, R.countyA, year);
    const { householdId } = await poor();
    const id = await throughAssessment(householdId);
    await tr.post(`/api/v1/cases/${id}/publicity`, { version: await version(id), startOn: today, place: '村务公开栏' });
    const o = await tr.post(`/api/v1/cases/${id}/objections`, {
      version: await version(id),
      raisedBy: '村民甲',
      content: '该户有车',
      handling: 'democratic_review',
    });
    expect(o.statusCode).toBe(200);
    expect(o.json().currentStep).toBe('democratic_review');
    expect(o.json().timeline.map((e: { action: string }) => e.action)).toContain('publicity.objection');
    expect((await step(tr, id, 'democratic_review', REVIEW(today, 5, 5))).statusCode).toBe(200);
    expect((await step(tr, id, 'assessment')).statusCode).toBe(200);
    const c = (await tr.get(`/api/v1/cases/${id}`)).json();
    expect(c.currentStep).toBe('publicity');
    expect(c.stepData.filter((s: { step: string }) => s.step === 'democratic_review')).toHaveLength(2);
  });
});

describe('S4 no quota excuse, worklists, dynamic management (S3; [A arts.31–34])', () => {
  it('warns on budget overrun but approves; refers; shows in worklists', async () => {
    await setStandard(t.database.db, R.countyA, year);
    await ca.put('/api/v1/case-parameters', {
      programme: 'dibao',
      key: 'budget',
      regionCode: R.countyA,
      effectiveFrom: `${year}-01-01`,
      value: { annualFen: 100 },
    });
    const { householdId } = await poor();
    const id = await throughAssessment(householdId);
    const toReview = (await tr.get('/api/v1/cases?worklist=in_publicity')).json();
    expect(toReview.items.map((x: { id: number }) => x.id)).toContain(id);
    await throughPublicity(id);
    const toApprove = (await ca.get('/api/v1/cases?worklist=to_approve')).json();
    expect(toApprove.items.map((x: { id: number }) => x.id)).toContain(id);
    await uploadAll(ca, id, ['approval_form']);
    const ref = await tr.post(`/api/v1/cases/${id}/referrals`, {
      kind: 'temporary',
      reason: '等待审批期间先行临时救助',
    });
    expect(ref.statusCode).toBe(200);
    expect(ref.json().referrals).toHaveLength(1);
    const d = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(d.statusCode).toBe(200);
    expect(d.json().status).toBe('approved');
    expect(d.json().budgetWarning).toContain('S4');
    const b = (await ca.get(`/api/v1/dibao/budget?countyCode=${R.countyA}&year=${year}`)).json();
    expect(b.overrun).toBe(true);
    expect(b.note).toContain('不得以指标');
  });

  it('a registry change raises a review task; reassess and adjust with a 调整 notice; 3 refusals stop a share; exit with 渐退期', async () => {
    await setStandard(t.database.db, R.countyA, year);
    const { householdId, personIds } = await poor();
    const id = await throughAssessment(householdId);
    await throughPublicity(id);
    await uploadAll(ca, id, ['approval_form']);
    const approved = (
      await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' })
    ).json();

    await t.database.db.execute(
      sql`INSERT INTO income_items (household_id, region_code, kind, period, amount_fen) VALUES (${householdId}, ${R.villageA}, 'wages', 'monthly', 60000)`,
    );
    const tasks = (await ca.get('/api/v1/review-tasks')).json();
    expect(
      tasks.items.some(
        (x: { householdId: number; reason: string }) => x.householdId === householdId && x.reason === 'registry_change',
      ),
    ).toBe(true);

    const re = await ca.post(`/api/v1/cases/${id}/reassess`, { version: approved.version });
    expect(re.statusCode).toBe(200);
    expect(['reclass', 'amount_change', 'exit', 'continue']).toContain(re.json().proposedOutcome);

    for (const [i, d] of [addDays(today, -20), addDays(today, -10), today].entries()) {
      const w = await tr.post(`/api/v1/cases/${id}/work-refusals`, {
        personId: personIds[0],
        refusedOn: d,
        offer: `公益岗位${i}`,
      });
      expect(w.statusCode).toBe(200);
      expect(w.json().shareStops).toBe(i === 2);
    }
    const re2 = (await ca.post(`/api/v1/cases/${id}/reassess`, { version: await version(id) })).json();
    expect(re2.assessment.breakdown.benefitMembers).toBe(2);
    if (re2.proposedOutcome === 'reclass' || re2.proposedOutcome === 'amount_change') {
      const adj = await ca.post(`/api/v1/cases/${id}/review-result`, { version: re2.version });
      expect(adj.statusCode).toBe(200);
      expect(adj.json().notices.some((n: { kind: string }) => n.kind === 'adjustment')).toBe(true);
    }
    const badTaper = await ca.post(`/api/v1/cases/${id}/exit`, {
      version: await version(id),
      reason: 'death',
      taperMonths: 3,
      facts: 'x',
    });
    expect(badTaper.statusCode).toBe(400);
    // A member receives the living subsidy, which rests on the household's 低保 (POLICY.md §4 D2).
    const living = await first<{ id: number }>(
      t.database.db,
      sql`INSERT INTO cases (case_no, programme, household_id, applicant_person_id, region_code, status, applied_on, workflow)
          SELECT 'SUB-' || ${id}, 'disability_living', household_id, ${personIds[1]!}, region_code, 'approved', applied_on, workflow
          FROM cases WHERE id = ${id} RETURNING id`,
    );
    const ex = await ca.post(`/api/v1/cases/${id}/exit`, {
      version: await version(id),
      reason: 'income_above_line',
      taperMonths: 6,
      facts: '户主之子就业，月工资 3000 元',
    });
    expect(ex.statusCode).toBe(200);
    expect(ex.json().status).toBe('exited');
    const e = await rows<{ end_month: string; status: string }>(
      t.database.db,
      sql`SELECT end_month, status FROM programme_enrollments WHERE household_id = ${householdId} ORDER BY id DESC LIMIT 1`,
    );
    expect(e[0]).toMatchObject({ end_month: addMonths(monthCst(), 6), status: 'active' });
    expect(ex.json().notices.some((n: { kind: string }) => n.kind === 'termination')).toBe(true);
    // The exit raised a review of that living subsidy; the 低保 case's own tasks are closed, the subsidy's stays open.
    const subTasks = await rows<{ reason: string; detail: { source: string; event: string } }>(
      t.database.db,
      sql`SELECT reason, detail FROM review_tasks WHERE case_id = ${living!.id} AND status = 'open'`,
    );
    expect(subTasks).toEqual([
      { reason: 'programme_change', detail: expect.objectContaining({ source: 'dibao', event: 'exit' }) },
    ]);
    const dibaoOpen = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM review_tasks WHERE case_id = ${id} AND status = 'open'`,
    );
    expect(Number(dibaoOpen!.n)).toBe(0);
  });

  it('a negative amount cannot be configured; non-cooperation ends the procedure [A art.29]', async () => {
    const bad = await ca.put('/api/v1/case-parameters', {
      programme: 'dibao',
      key: 'standard',
      regionCode: R.countyA,
      effectiveFrom: `${year}-01-01`,
      value: { urbanMonthlyFen: -5, ruralMonthlyFen: 50000, classAmountsFen: { 1: 1, 2: 1, 3: 1, 4: 1 } },
    });
    expect(bad.statusCode).toBe(400);
    const { householdId } = await poor();
    const id = (await cw.post('/api/v1/cases', { householdId })).json().id as number;
    const end = await cw.post(`/api/v1/cases/${id}/end`, { version: await version(id), reason: '拒不配合入户调查' });
    expect(end.statusCode).toBe(200);
    expect(end.json().status).toBe('ended');
    const after = await step(cw, id, 'acceptance');
    expect(after.statusCode).toBe(409);
  });

  it('workflow is configuration: 民主评议 only on objection for a region', async () => {
    const put = await ca.put('/api/v1/workflows', {
      programme: 'dibao',
      regionCode: R.countyA,
      effectiveFrom: '2020-01-01',
      preset: 'dibao-2021-national',
    });
    expect(put.statusCode).toBe(200);
    const { householdId } = await poor();
    const c = (await cw.post('/api/v1/cases', { householdId })).json();
    expect(c.workflow.code).toBe('dibao-2021-national');
    expect(c.steps.find((s: { code: string }) => s.code === 'democratic_review').applies).toBe(false);
    await ca.put('/api/v1/workflows', {
      programme: 'dibao',
      regionCode: R.countyA,
      effectiveFrom: '2020-01-01',
      preset: 'dibao-2021-3plus1',
    });
  });

  it('the completeness report lists townships worst first', async () => {
    const r = await ca.get(`/api/v1/archive/completeness?groupBy=township&regionCode=${R.countyA}`);
    expect(r.statusCode).toBe(200);
    const items = r.json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items[0].regionCode).toBe(R.townA);
    expect(items[0].required).toBeGreaterThan(0);
    expect(items[0].missingByKind.notice_receipt).toBeGreaterThan(0);
  });
});
