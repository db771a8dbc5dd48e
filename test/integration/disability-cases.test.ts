import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, todayCst } from '../../src/domain/calendar.js';
import { first, rows } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type Programme, type SubsidyPerson, subsidyKit } from '../support/subsidy-kit.js';

/**
 * Disability two-subsidy applications (残疾人两项补贴) on the shared case engine, end to end over HTTP:
 * POLICY.md §4 [K; seed] — township acceptance with the certificate, first review (the pure rules as of the
 * application date), county decision, enrolment from the month after; 择高 and the exclusions refuse with a notice.
 */
let t: TestApp;
let cw: Client; // township caseworker
let tr: Client; // township reviewer
let ca: Client; // county approver
let cb: Client; // county approver of another county
let dl: Client; // 残联 liaison of county A
const today = todayCst();
const nextMonth = addMonths(today.slice(0, 7), 1);

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-disability-${process.pid}` });
  await seedPolicyParameters(t.database.db, R.city);
  await makeUser(t.database, { username: 'ds_cw', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'ds_tr', role: 'township_reviewer', regionCode: R.townA });
  await makeUser(t.database, { username: 'ds_ca', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'ds_cb', role: 'county_approver', regionCode: R.countyB });
  await makeUser(t.database, { username: 'ds_dl', role: 'dept_disability', regionCode: R.countyA });
  cw = await login(t.app, 'ds_cw');
  tr = await login(t.app, 'ds_tr');
  ca = await login(t.app, 'ds_ca');
  cb = await login(t.app, 'ds_cb');
  dl = await login(t.app, 'ds_dl');
  kit = subsidyKit(t, { cw, tr, ca });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

let kit: ReturnType<typeof subsidyKit>;
const person = (p: SubsidyPerson) => kit.person(p);
const version = (caseId: number) => kit.version(caseId);
const step = (c: Client, caseId: number, s: string, data: Record<string, unknown> = {}) => kit.step(c, caseId, s, data);
const uploadAll = (c: Client, caseId: number, kinds: string[]) => kit.uploadAll(c, caseId, kinds);
const open = (programme: Programme, householdId: number, personId: number) =>
  kit.open(programme, householdId, personId);
const throughReview = (programme: Programme, householdId: number, personId: number) =>
  kit.throughReview(programme, householdId, personId);

describe('subsidy assessment and decision — POLICY.md §4 [K; seed] (table)', () => {
  const cases: Array<{
    name: string;
    programme: Programme;
    p: SubsidyPerson;
    payable: boolean;
    amount?: number;
    funding?: { provinceFen: number; cityFen: number; countyFen: number };
    refusal?: { clause: string; cite: string };
  }> = [
    {
      name: 'living: urban 低保 family → 100 元, province 70 + county 30 [§4 seed]',
      programme: 'disability_living',
      p: { dibao: { kind: 'urban' }, cert: { type: 'hearing', level: 3 } },
      payable: true,
      amount: 10000,
      funding: { provinceFen: 7000, cityFen: 0, countyFen: 3000 },
    },
    {
      name: 'living: rural class 2 → 100 元 [§4 seed]',
      programme: 'disability_living',
      p: { dibao: { kind: 'rural', ruralClass: 2 }, cert: { type: 'visual', level: 4 } },
      payable: true,
      amount: 10000,
      funding: { provinceFen: 7000, cityFen: 0, countyFen: 3000 },
    },
    {
      name: 'living: rural class 3 where the county set no standard → coverage gap, refused [§4 seed]',
      programme: 'disability_living',
      p: { dibao: { kind: 'rural', ruralClass: 3 } },
      payable: false,
      refusal: { clause: 'D2.dibao_family', cite: 'POLICY.md §4 [seed]' },
    },
    {
      name: 'living: not a 低保 family → refused [§4 seed]',
      programme: 'disability_living',
      p: {},
      payable: false,
      refusal: { clause: 'D2.dibao_family', cite: '城市低保和农村一二类低保家庭' },
    },
    {
      name: 'living: orphan on the orphan basic-living guarantee → no living subsidy [§4 seed]',
      programme: 'disability_living',
      p: {
        dibao: { kind: 'urban' },
        birthDate: '2015-02-02',
        benefits: [{ kind: 'orphan_basic_living', fen: 150000 }],
      },
      payable: false,
      refusal: { clause: 'D5.orphan', cite: '孤儿基本生活保障' },
    },
    {
      name: 'nursing: physical level 1 → 100 元, province 80 + county 20, no 低保 condition [§4 seed]',
      programme: 'disability_nursing',
      p: { cert: { type: 'physical', level: 1 } },
      payable: true,
      amount: 10000,
      funding: { provinceFen: 8000, cityFen: 0, countyFen: 2000 },
    },
    {
      name: 'nursing: orphan with intellectual level 1 → nursing still paid [§4 seed; J]',
      programme: 'disability_nursing',
      p: {
        cert: { type: 'intellectual', level: 1 },
        birthDate: '2015-02-02',
        benefits: [{ kind: 'orphan_basic_living', fen: 150000 }],
      },
      payable: true,
      amount: 10000,
      funding: { provinceFen: 8000, cityFen: 0, countyFen: 2000 },
    },
    {
      name: 'nursing: physical level 2 is not in the seed table → refused [§4 seed]',
      programme: 'disability_nursing',
      p: { cert: { type: 'physical', level: 2 } },
      payable: false,
      refusal: { clause: 'D3.severity', cite: '类别等级表可配置' },
    },
    {
      name: 'nursing: in 特困 support → neither subsidy [§4 seed]',
      programme: 'disability_nursing',
      p: { tekun: true },
      payable: false,
      refusal: { clause: 'D7.exclusion', cite: '纳入特困人员供养保障的残疾人不享受两项补贴' },
    },
    {
      name: 'nursing: work-injury insurance nursing fee → neither subsidy [§4 seed]',
      programme: 'disability_nursing',
      p: { benefits: [{ kind: 'work_injury_nursing_fee', fen: 200000 }] },
      payable: false,
      refusal: { clause: 'D7.exclusion', cite: '领取工伤保险生活护理费' },
    },
    {
      name: 'nursing: 择高 — an elderly nursing allowance of 150 元 is higher → not paid [§4 seed]',
      programme: 'disability_nursing',
      p: { birthDate: '1945-01-01', benefits: [{ kind: 'elderly_nursing_allowance', fen: 15000 }] },
      payable: false,
      refusal: { clause: 'D6.choose_higher', cite: '择高申领' },
    },
    {
      name: 'nursing: 1st-generation certificate → refused until exchanged [§4 seed]',
      programme: 'disability_nursing',
      p: { cert: { type: 'physical', level: 1, generation: 1 } },
      payable: false,
      refusal: { clause: 'D1.certificate', cite: '第二代残疾人证' },
    },
  ];

  it.each(cases)('$name', async (x) => {
    const { householdId, personId } = await person(x.p);
    const view = await throughReview(x.programme, householdId, personId);
    expect(view.assessment.as_of).toBe(view.appliedOn);
    expect(view.assessment.eligible).toBe(x.payable);
    expect(view.assessedEligible).toBe(x.payable);
    const id = view.id as number;
    if (x.payable) {
      expect(view.monthlyAmountFen).toBe(x.amount);
      expect(view.assessment.breakdown.funding).toEqual(x.funding);
      expect(view.assessment.explanation).toContain('省级');
      const ok = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().status).toBe('approved');
      // Reviewed yearly on current registry facts (POLICY.md §4 [K]).
      expect(ok.json().nextReviewOn).toBe(`${addMonths(today.slice(0, 7), 12)}-01`);
      const approval = ok.json().notices.find((n: { kind: string }) => n.kind === 'approval');
      expect(approval.decision).toContain(`自 ${nextMonth} 起`);
      const e = await first<{
        programme: string;
        person_id: number;
        monthly_amount_fen: number;
        start_month: string;
        status: string;
      }>(
        t.database.db,
        sql`SELECT programme, person_id, monthly_amount_fen, start_month, status FROM programme_enrollments WHERE id = (SELECT enrollment_id FROM cases WHERE id = ${id})`,
      );
      expect(e).toMatchObject({ programme: x.programme, start_month: nextMonth, status: 'active' });
      expect(Number(e!.person_id)).toBe(personId);
      expect(Number(e!.monthly_amount_fen)).toBe(x.amount);
    } else {
      const gate = view.assessment.gates.find((g: { code: string }) => g.code === x.refusal!.clause);
      expect(gate.passed).toBe(false);
      expect(gate.citation).toContain(x.refusal!.cite);
      const approve = await ca.post(`/api/v1/cases/${id}/decision`, {
        version: await version(id),
        decision: 'approve',
      });
      expect(approve.statusCode).toBe(409);
      expect(approve.json().detail).toContain(x.refusal!.cite);
      const rej = await ca.post(`/api/v1/cases/${id}/decision`, {
        version: await version(id),
        decision: 'reject',
        reason: '经审核不符合发放条件。',
      });
      expect(rej.statusCode, rej.body).toBe(200);
      const n = rej.json().notices.find((k: { kind: string }) => k.kind === 'not_confirmed');
      expect(n.reasons).toContain(x.refusal!.cite);
      expect(n.remedies).toContain('六十日内');
      const enr = await first<{ n: number }>(
        t.database.db,
        sql`SELECT count(*)::int AS n FROM programme_enrollments WHERE person_id = ${personId} AND programme = ${x.programme}`,
      );
      expect(Number(enr?.n)).toBe(0);
    }
  });
});

describe('refusal notice and procedure rules', () => {
  it('an exclusion (特困) refusal issues a .docx with the facts, the clause, its citation and the remedies', async () => {
    const { householdId, personId } = await person({ tekun: true });
    const view = await throughReview('disability_nursing', householdId, personId);
    const id = view.id as number;
    const rej = await ca.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'reject',
      reason: '申请人已纳入特困人员救助供养。',
    });
    expect(rej.statusCode, rej.body).toBe(200);
    const n = rej.json().notices.find((k: { kind: string }) => k.kind === 'not_confirmed');
    expect(n.title).toBe('不予审定重度残疾人护理补贴告知书');
    expect(n.addressee).toBe('残疾申请人');
    expect(n.basis.map((b: { article: string }) => b.article).join()).toContain('纳入特困人员供养保障');
    const issued = await ca.post(`/api/v1/notices/${n.id}/issue`, { version: n.version });
    expect(issued.statusCode, issued.body).toBe(200);
    const file = await ca.get(`/api/v1/notices/${n.id}/file`);
    expect(file.statusCode).toBe(200);
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(file.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('申请人已纳入特困人员救助供养。');
    expect(xml).toContain('已纳入特困人员供养');
    expect(xml).toContain('国发〔2015〕52号');
    expect(xml).toContain('行政复议');
    const audit = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'case' AND entity_id = ${String(id)} AND action = 'case.decision.reject'`,
    );
    expect(Number(audit?.n)).toBe(1);
  });

  it('the township refuses at first review with a township notice', async () => {
    const { householdId, personId } = await person({});
    const view = await throughReview('disability_living', householdId, personId);
    const id = view.id as number;
    // The review is done; the township can no longer refuse at its step (the case is at the county).
    const late = await tr.post(`/api/v1/cases/${id}/reject`, { version: await version(id), reason: 'x' });
    expect(late.statusCode).toBe(409);
    const { householdId: h2, personId: p2 } = await person({});
    const id2 = await open('disability_living', h2, p2);
    await uploadAll(cw, id2, ['application_form', 'disability_cert_copy', 'id_copies', 'dibao_proof']);
    expect((await step(cw, id2, 'acceptance')).statusCode).toBe(200);
    const rej = await tr.post(`/api/v1/cases/${id2}/reject`, {
      version: await version(id2),
      reason: '家庭未享受低保，不属于困难残疾人生活补贴对象。',
    });
    expect(rej.statusCode, rej.body).toBe(200);
    const n = rej.json().notices[0];
    expect(n.issuerLevel).toBe('township');
    expect(n.title).toBe('困难残疾人生活补贴初审不予通过告知书');
  });

  it('answers out of order 409, wrong role 403, another county 404, bad input 400 naming the field', async () => {
    const { householdId, personId } = await person({ cert: { type: 'mental', level: 2, longTermCare: true } });
    const noPerson = await cw.post('/api/v1/cases', { programme: 'disability_nursing', householdId });
    expect(noPerson.statusCode).toBe(400);
    expect(noPerson.json().errors[0].field).toBe('applicantPersonId');
    const badProgramme = await cw.post('/api/v1/cases', { programme: 'pension', householdId });
    expect(badProgramme.statusCode).toBe(400);
    expect(badProgramme.json().errors[0].field).toBe('programme');
    const id = await open('disability_nursing', householdId, personId);
    const again = await cw.post('/api/v1/cases', {
      programme: 'disability_nursing',
      householdId,
      applicantPersonId: personId,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(id);
    const early = await step(tr, id, 'township_review', { opinion: '提前初审' });
    expect(early.statusCode).toBe(409);
    expect(early.json().mustFirst.map((s: { code: string }) => s.code)).toEqual(['acceptance']);
    const decide = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(decide.statusCode).toBe(409);
    expect(decide.json().mustFirst.map((s: { code: string }) => s.code)).toEqual(['acceptance', 'township_review']);
    await uploadAll(cw, id, ['application_form', 'disability_cert_copy', 'id_copies']);
    expect((await step(cw, id, 'acceptance')).statusCode).toBe(200);
    await uploadAll(cw, id, ['township_review_form']);
    expect((await step(cw, id, 'township_review', { opinion: '经办人越权初审' })).statusCode).toBe(403);
    const noOpinion = await step(tr, id, 'township_review', {});
    expect(noOpinion.statusCode).toBe(400);
    expect(noOpinion.json().errors[0].field).toBe('data.opinion');
    const ok = await step(tr, id, 'township_review', { opinion: '二级精神残疾，需长期照护。' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().assessment.eligible).toBe(true);
    const wrongRole = await tr.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'approve',
    });
    expect(wrongRole.statusCode).toBe(403);
    expect((await cb.get(`/api/v1/cases/${id}`)).statusCode).toBe(404);
    const foreign = await cb.post(`/api/v1/cases/${id}/decision`, {
      version: await version(id),
      decision: 'reject',
      reason: 'x',
    });
    expect(foreign.statusCode).toBe(404);
    await uploadAll(ca, id, ['approval_form']);
    const stale = await ca.post(`/api/v1/cases/${id}/decision`, { version: 1, decision: 'approve' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const approved = await ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    // Enrolled: a new application for the same subsidy is refused.
    const twice = await cw.post('/api/v1/cases', {
      programme: 'disability_nursing',
      householdId,
      applicantPersonId: personId,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('INVALID_STATE');
  });

  it('a fact the rule needs is missing: the first review answers 409 naming the fact and rule, nothing stored', async () => {
    // A rural 低保 family without its class (D2), and an elderly allowance without its amount (D6 择高).
    const cases: Array<[Programme, SubsidyPerson, string]> = [
      ['disability_living', { dibao: { kind: 'rural' } }, 'D2'],
      [
        'disability_nursing',
        { birthDate: '1945-01-01', benefits: [{ kind: 'elderly_nursing_allowance', fen: null }] },
        'D6',
      ],
    ];
    for (const [programme, p, rule] of cases) {
      const { householdId, personId } = await person(p);
      const id = await open(programme, householdId, personId);
      await uploadAll(cw, id, [
        'application_form',
        'disability_cert_copy',
        'id_copies',
        ...(programme === 'disability_living' ? ['dibao_proof'] : []),
      ]);
      expect((await step(cw, id, 'acceptance')).statusCode).toBe(200);
      await uploadAll(tr, id, ['township_review_form']);
      const res = await step(tr, id, 'township_review', { opinion: '初审' });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().code).toBe('INVALID_STATE');
      expect(res.json().missingFacts.map((m: { rule: string }) => m.rule)).toEqual([rule]);
      expect(res.json().detail).toContain(`规则 ${rule}`);
      const c = (await ca.get(`/api/v1/cases/${id}`)).json();
      expect(c.assessment).toBeNull();
      expect(c.currentStep).toBe('township_review');
    }
  });

  it('the 残联 liaison reads subsidy cases of its county only — no 低保 or 特困 case', async () => {
    const { householdId, personId } = await person({});
    const id = await open('disability_nursing', householdId, personId);
    const seen = await dl.get(`/api/v1/cases/${id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    const dibao = await cw.post('/api/v1/cases', { householdId });
    expect(dibao.statusCode).toBe(201);
    expect((await dl.get(`/api/v1/cases/${dibao.json().id}`)).statusCode).toBe(404);
    const list = await dl.get('/api/v1/cases?limit=200');
    expect(list.statusCode).toBe(200);
    const programmes = new Set(list.json().items.map((c: { programme: string }) => c.programme));
    expect([...programmes].every((p) => String(p).startsWith('disability_'))).toBe(true);
    expect(list.json().items.some((c: { id: number }) => c.id === id)).toBe(true);
    expect(
      (await dl.post(`/api/v1/cases/${id}/decision`, { version: 1, decision: 'reject', reason: 'x' })).statusCode,
    ).toBe(403);
    const filtered = await ca.get('/api/v1/cases?programme=disability_nursing&limit=200');
    expect(filtered.json().items.every((c: { programme: string }) => c.programme === 'disability_nursing')).toBe(true);
  });

  it('the archive completeness report filters by programme and covers every programme without a filter', async () => {
    const byProgramme = async (q: string) => {
      const r = await ca.get(`/api/v1/archive/completeness?groupBy=county&regionCode=${R.countyA}${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as Array<{ cases: number }>).reduce((n, x) => n + x.cases, 0);
    };
    const nursing = await byProgramme('&programme=disability_nursing');
    const living = await byProgramme('&programme=disability_living');
    const dibao = await byProgramme('&programme=dibao');
    const all = await byProgramme('');
    expect(nursing).toBeGreaterThan(0);
    expect(living).toBeGreaterThan(0);
    expect(all).toBe(nursing + living + dibao);
    const db = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(DISTINCT case_id)::int AS n FROM case_material_requirements r JOIN cases c ON c.id = r.case_id WHERE c.programme = 'disability_nursing'`,
    );
    expect(nursing).toBe(Number(db[0]!.n));
    const bad = await ca.get('/api/v1/archive/completeness?programme=pension');
    expect(bad.statusCode).toBe(400);
  });
});

describe('local time limits as configuration — POLICY.md §4 [K] (the limits are [configurable default])', () => {
  it('a county replaces the subsidy procedure with its own limits; new cases keep the definition in force when opened', async () => {
    const { disabilityNursingWorkflow } = await import('../../src/domain/programs/disability/workflow.js');
    const { addWorkingDays } = await import('../../src/domain/calendar.js');
    const { householdId: h0, personId: p0 } = await person({});
    const before = await open('disability_nursing', h0, p0);
    const preset = await ca.put('/api/v1/workflows', {
      programme: 'disability_nursing',
      regionCode: R.countyA,
      effectiveFrom: today,
      preset: 'dibao-2021-national',
    });
    expect(preset.statusCode).toBe(400);
    expect(preset.json().errors[0].field).toBe('preset');
    const wrong = await ca.put('/api/v1/workflows', {
      programme: 'disability_nursing',
      regionCode: R.countyA,
      effectiveFrom: today,
      definition: { ...disabilityNursingWorkflow, programme: 'disability_living' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('definition.programme');
    const local = {
      ...disabilityNursingWorkflow,
      code: 'disability_nursing-620802',
      steps: disabilityNursingWorkflow.steps.map((s) =>
        s.code === 'township_review' ? { ...s, timeLimit: { ...s.timeLimit!, workingDays: 5 } } : s,
      ),
    };
    const put = await ca.put('/api/v1/workflows', {
      programme: 'disability_nursing',
      regionCode: R.countyA,
      effectiveFrom: today,
      definition: local,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(
      (
        await cb.put('/api/v1/workflows', {
          programme: 'disability_nursing',
          regionCode: R.countyA,
          effectiveFrom: today,
          definition: local,
        })
      ).statusCode,
    ).toBe(403);
    const { householdId, personId } = await person({});
    const id = await open('disability_nursing', householdId, personId);
    await uploadAll(cw, id, ['application_form', 'disability_cert_copy', 'id_copies']);
    const acc = await step(cw, id, 'acceptance');
    expect(acc.json().workflow.code).toBe('disability_nursing-620802');
    const review = acc.json().steps.find((s: { code: string }) => s.code === 'township_review');
    const from = acc.json().steps[0].completedOn as string;
    const days: Array<{ day: string; kind: string }> = [];
    for (const y of new Set([from.slice(0, 4), String(Number(from.slice(0, 4)) + 1)]))
      days.push(...(await ca.get(`/api/v1/calendar?regionCode=${R.countyA}&year=${y}`)).json().items);
    const cal = {
      holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)),
      workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)),
    };
    expect(review.dueOn).toBe(addWorkingDays(from, 5, cal));
    expect(review.dueOn).not.toBe(addWorkingDays(from, 15, cal));
    // The case opened before keeps the shipped definition.
    expect((await ca.get(`/api/v1/cases/${before}`)).json().workflow.code).toBe(disabilityNursingWorkflow.code);
  });
});
