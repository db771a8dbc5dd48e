import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Client, R, type TestApp } from './app.js';
import { makeHousehold, upload } from './factories-cases.js';

export type Programme = 'disability_living' | 'disability_nursing';
export interface SubsidyPerson {
  hukouType?: 'urban' | 'rural';
  cert?: { type: string; level: number; generation?: 1 | 2; longTermCare?: boolean } | null;
  dibao?: { kind: 'urban' | 'rural'; ruralClass?: number } | null;
  tekun?: boolean;
  benefits?: Array<{ kind: string; fen: number | null }>;
  birthDate?: string;
  hukouLocal?: boolean;
}

/**
 * Disability two-subsidy cases over HTTP (POLICY.md §4): a registry household with one disabled person as real rows
 * (certificate, 低保/特困 enrollments, other benefits), then acceptance, the township's first review (which runs the
 * rules) and the county's decision, by the township caseworker `cw`, reviewer `tr` and county approver `ca`, in
 * `village` (test region A by default).
 */
export function subsidyKit(t: TestApp, c: { cw: Client; tr: Client; ca: Client }, opts: { village?: string } = {}) {
  const village = opts.village ?? R.villageA;
  async function person(p: SubsidyPerson) {
    const db = t.database.db;
    const { householdId, personIds } = await makeHousehold(db, {
      regionCode: village,
      hukouType: p.hukouType ?? p.dibao?.kind ?? 'rural',
      members: [{ name: '残疾申请人', birthDate: p.birthDate ?? '1975-04-04', hukouLocal: p.hukouLocal }],
    });
    const personId = personIds[0]!;
    const cert = p.cert === undefined ? { type: 'physical', level: 1 } : p.cert;
    if (cert)
      await db.execute(sql`INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level, needs_long_term_care)
        VALUES (${personId}, ${village}, ${`DC${personId}`}, ${cert.generation ?? 2}, ${cert.type}, ${cert.level}, ${cert.longTermCare ?? false})`);
    if (p.dibao)
      await db.execute(sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen)
        VALUES (${householdId}, ${village}, 'dibao', ${p.dibao.kind}, ${p.dibao.ruralClass ?? null}, 'active', '2024-01', 50000)`);
    if (p.tekun)
      await db.execute(sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, status, start_month, monthly_amount_fen)
        VALUES (${householdId}, ${personId}, ${village}, 'tekun', 'active', '2024-01', 90000)`);
    for (const b of p.benefits ?? [])
      await db.execute(sql`INSERT INTO person_benefit_facts (person_id, region_code, kind, monthly_amount_fen, valid_from)
        VALUES (${personId}, ${village}, ${b.kind}, ${b.fen}, '2024-01-01')`);
    return { householdId, personId };
  }

  async function version(caseId: number) {
    return (await c.ca.get(`/api/v1/cases/${caseId}`)).json().version as number;
  }
  async function step(by: Client, caseId: number, s: string, data: Record<string, unknown> = {}) {
    return by.post(`/api/v1/cases/${caseId}/steps/${s}`, { version: await version(caseId), data });
  }
  async function uploadAll(by: Client, caseId: number, kinds: string[]) {
    for (const k of kinds) expect((await upload(t.app, by, caseId, k)).statusCode).toBe(201);
  }
  async function open(programme: Programme, householdId: number, personId: number) {
    const res = await c.cw.post('/api/v1/cases', { programme, householdId, applicantPersonId: personId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  }
  /** Acceptance with the certificate, then the township's first review, which runs the rules. */
  async function throughReview(programme: Programme, householdId: number, personId: number) {
    const id = await open(programme, householdId, personId);
    await uploadAll(c.cw, id, [
      'application_form',
      'disability_cert_copy',
      'id_copies',
      ...(programme === 'disability_living' ? ['dibao_proof'] : []),
    ]);
    const acc = await step(c.cw, id, 'acceptance');
    expect(acc.statusCode, acc.body).toBe(200);
    await uploadAll(c.tr, id, ['township_review_form']);
    const rev = await step(c.tr, id, 'township_review', { opinion: '经核对残疾人证与低保登记，情况属实。' });
    expect(rev.statusCode, rev.body).toBe(200);
    await uploadAll(c.ca, id, ['approval_form']);
    return rev.json();
  }
  /** A payable applicant through to the county's approval: the subsidy is paid from next month. */
  async function approved(programme: Programme, p: SubsidyPerson) {
    const who = await person(p);
    const view = await throughReview(programme, who.householdId, who.personId);
    const id = view.id as number;
    const ok = await c.ca.post(`/api/v1/cases/${id}/decision`, { version: await version(id), decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    return { ...who, caseId: id };
  }
  return { person, version, step, uploadAll, open, throughReview, approved };
}
