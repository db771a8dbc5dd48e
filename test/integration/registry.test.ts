import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { createHousehold, householdBody, idFor, villagesOfCountyA, withWrongCheck } from './registry-fixtures.js';

let t: TestApp;
let cw: Client; // caseworker of township A
let approver: Client; // county approver of county A
let supervisor: Client; // read-only, no pii.reveal
let cwB: Client; // caseworker of county B's township

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'cw', role: 'caseworker', regionCode: R.townA, displayName: '王经办' });
  await makeUser(t.database, { username: 'appr', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'sup', role: 'supervisor', regionCode: R.countyA });
  await makeUser(t.database, { username: 'cwb', role: 'caseworker', regionCode: R.townB });
  cw = await login(t.app, 'cw');
  approver = await login(t.app, 'appr');
  supervisor = await login(t.app, 'sup');
  cwB = await login(t.app, 'cwb');
});
afterAll(() => t.close());

const base = '/api/v1/registry';

describe('households', () => {
  it('creates a household with head and members; sex and birth date derived; ID numbers masked; audited', async () => {
    const head = idFor('1968-04-12', 'M');
    const body = householdBody({}, [
      { idNumber: head, name: '赵大山', relation: 'head', sex: 'M', birthDate: '1968-04-12' },
      { idNumber: idFor('1971-02-03', 'F'), name: '钱桂兰', relation: 'spouse' },
    ]);
    const res = await cw.post(`${base}/households`, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const h = res.json();
    expect(h.members).toHaveLength(2);
    expect(h.headName).toBe('赵大山');
    expect(h.regionPath).toContain('崆峒镇');
    const spouse = h.members.find((m: { relation: string }) => m.relation === 'spouse');
    expect(spouse.sex).toBe('F');
    expect(spouse.birthDate).toBe('1971-02-03');
    expect(h.members[0].idNumberMasked).toBe(`${head.slice(0, 6)}********${head.slice(14)}`);
    expect(res.body).not.toContain(head);
    expect(h.memberships).toHaveLength(2);
    const audit = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'household.create' AND entity_id = ${String(h.id)}`,
    );
    expect(audit!.n).toBe(1);
    const person = await first<{ region_code: string; changed_by: number; change_reason: string }>(
      t.database.db,
      sql`SELECT region_code, changed_by, change_reason FROM persons WHERE id = ${h.headPersonId}`,
    );
    expect(person).toMatchObject({ region_code: R.villageA, change_reason: '新建家庭户' });
  });

  it('refuses bad ID numbers, impossible dates and sex/birth mismatches naming the member field', async () => {
    const good = idFor('1980-01-01', 'M');
    const bad = await cw.post(
      `${base}/households`,
      householdBody({}, [
        { idNumber: withWrongCheck(good), name: '甲', relation: 'head' },
        { idNumber: '62080219490231123X', name: '乙', relation: 'spouse' },
        { idNumber: idFor('1985-06-01', 'F'), name: '丙', relation: 'child', sex: 'M' },
        { idNumber: idFor('1990-06-01', 'M'), name: '丁', relation: 'child', birthDate: '1990-06-02' },
      ]),
    );
    expect(bad.statusCode).toBe(400);
    const errors = bad.json().errors as Array<{ field: string; code: string; message: string }>;
    expect(errors.find((e) => e.field === 'members[0].idNumber')?.code).toBe('id_check_char');
    expect(errors.find((e) => e.field === 'members[1].idNumber')?.code).toBe('id_birth_date');
    expect(errors.find((e) => e.field === 'members[2].sex')?.message).toContain('号码显示为女');
    expect(errors.find((e) => e.field === 'members[3].birthDate')?.message).toContain('1990-06-01');
    const count = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM persons WHERE name IN ('甲', '乙', '丙', '丁')`,
    );
    expect(count!.n).toBe(0);
  });

  it('needs exactly one head and refuses unknown fields', async () => {
    const noHead = await cw.post(
      `${base}/households`,
      householdBody({}, [{ idNumber: idFor('1980-01-01', 'M'), name: '甲', relation: 'spouse' }]),
    );
    expect(noHead.statusCode).toBe(400);
    expect(noHead.json().errors[0].code).toBe('no_head');
    const unknown = await cw.post(`${base}/households`, { ...householdBody(), isPoor: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ field: 'isPoor', code: 'unknown_field' });
  });

  it('refuses an unknown village (400) and a village outside the scope (403)', async () => {
    const unknown = await cw.post(`${base}/households`, householdBody({ regionCode: '620802101999' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'REGION_NOT_FOUND', errors: [{ field: 'regionCode' }] });
    const outside = await cw.post(`${base}/households`, householdBody({ regionCode: R.villageB }));
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const town = await cw.post(`${base}/households`, householdBody({ regionCode: R.townA }));
    expect(town.statusCode).toBe(400);
  });

  it('answers 409 for an ID number already registered, naming the household only inside the scope', async () => {
    const h = await createHousehold(cw);
    const taken = (await t.database.db.execute(
      sql`SELECT id_number FROM persons WHERE id = ${h.headPersonId}`,
    )) as unknown as {
      rows: Array<{ id_number: string }>;
    };
    const idNumber = taken.rows[0]!.id_number;
    const dup = await cw.post(`${base}/households`, householdBody({}, [{ idNumber, name: '重复', relation: 'head' }]));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0]).toMatchObject({ field: 'members[0].idNumber', code: 'duplicate' });
    expect(dup.json().errors[0].message).toContain(`家庭户 #${h.id}`);
    const dupB = await cwB.post(
      `${base}/households`,
      householdBody({ regionCode: R.villageB }, [{ idNumber, name: '重复', relation: 'head' }]),
    );
    expect(dupB.statusCode).toBe(409);
    expect(dupB.json().errors[0].message).toContain('已在其他地区登记');
    expect(dupB.body).not.toContain(`#${h.id}`);
    expect(dupB.body).not.toContain(idNumber);
    const same = idFor('1990-01-01', 'M');
    const twice = await cw.post(
      `${base}/households`,
      householdBody({}, [
        { idNumber: same, name: '甲', relation: 'head' },
        { idNumber: same.toLowerCase(), name: '乙', relation: 'child' },
      ]),
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0]).toMatchObject({ field: 'members[1].idNumber', code: 'duplicate_in_request' });
  });

  it('stores SQL and HTML strings verbatim', async () => {
    const address = `'); DROP TABLE persons; -- <script>alert("x")</script>`;
    const name = `<b>O'Brien</b>`;
    const h = await createHousehold(cw, { address }, [{ idNumber: idFor('1975-07-07', 'M'), name, relation: 'head' }]);
    const res = await cw.get(`${base}/households/${h.id}`);
    expect(res.json().address).toBe(address);
    expect(res.json().members[0].name).toBe(name);
    expect((await first<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM persons`))!.n).toBeGreaterThan(
      0,
    );
  });

  it('edits with optimistic concurrency: If-Match or version, 409 when stale, 428 when missing', async () => {
    const h = await createHousehold(cw);
    const missing = await cw.patch(`${base}/households/${h.id}`, { address: '新地址' });
    expect(missing.statusCode).toBe(428);
    const ok = await cw.patch(
      `${base}/households/${h.id}`,
      { address: '新地址 1 号', reason: '门牌整顿' },
      { 'if-match': '"1"' },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ address: '新地址 1 号', changeReason: '门牌整顿', version: 2 });
    const stale = await cw.patch(`${base}/households/${h.id}`, { address: '另一个地址', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    const history = await rows<{ address: string; valid_to: string }>(
      t.database.db,
      sql`SELECT address, valid_to FROM households_history WHERE id = ${h.id}`,
    );
    expect(history.map((x) => x.address)).toContain('崆峒镇祁河村一社 12 号');
  });

  it('lets exactly one of two simultaneous edits at the same version win', async () => {
    const h = await createHousehold(cw);
    const [a, b] = await Promise.all([
      cw.patch(`${base}/households/${h.id}`, { address: '甲改', version: 1 }),
      approver.patch(`${base}/households/${h.id}`, { address: '乙改', version: 1 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const now = (await cw.get(`${base}/households/${h.id}`)).json();
    expect(now.version).toBe(2);
    expect(now.address).toBe(a.statusCode === 200 ? '甲改' : '乙改');
  });

  it('moves a household to another village and its persons follow set-based', async () => {
    const { village1, otherTownVillage } = await villagesOfCountyA(t.database);
    const h = await createHousehold(approver);
    const res = await approver.patch(`${base}/households/${h.id}`, { regionCode: otherTownVillage, version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().members.every((m: { regionCode: string }) => m.regionCode === otherTownVillage)).toBe(true);
    const stray = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM persons WHERE household_id = ${h.id} AND region_code <> ${otherTownVillage}`,
    );
    expect(stray!.n).toBe(0);
    // The township caseworker no longer sees it (another township): 404.
    expect((await cw.get(`${base}/households/${h.id}`)).statusCode).toBe(404);
    expect(village1).toMatch(/^620802101/);
  });

  it('changes the head: the former head takes the given relation', async () => {
    const h = await createHousehold(cw);
    const spouse = h.members.find((m: { relation: string }) => m.relation === 'spouse');
    const noRel = await cw.patch(`${base}/households/${h.id}`, { headPersonId: spouse.id, version: 1 });
    expect(noRel.statusCode).toBe(400);
    const res = await cw.patch(`${base}/households/${h.id}`, {
      headPersonId: spouse.id,
      formerHeadRelation: 'spouse',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().headPersonId).toBe(spouse.id);
    expect(res.json().members.filter((m: { relation: string }) => m.relation === 'head')).toHaveLength(1);
  });
});

describe('members, moves and dissolution', () => {
  it('adds a member, moves a person between households with the stays recorded, and removes one', async () => {
    const a = await createHousehold(cw);
    const b = await createHousehold(cw, { address: '二社 3 号' });
    const added = await cw.post(`${base}/households/${a.id}/members`, {
      person: { idNumber: idFor('2015-03-03', 'F'), name: '张小花', studentStatus: 'primary' },
      relation: 'child',
      reason: '出生登记',
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().members).toHaveLength(4);
    const child = added.json().members.find((m: { name: string }) => m.name === '张小花');
    const headMove = await cw.post(`${base}/persons/${a.headPersonId}/move`, {
      toHouseholdId: b.id,
      relation: 'other',
    });
    expect(headMove.statusCode).toBe(409);
    const moved = await cw.post(`${base}/persons/${child.id}/move`, {
      toHouseholdId: b.id,
      relation: 'grandchild',
      movedOn: '2025-01-01',
      reason: '随祖父母生活',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().members.map((m: { id: number }) => m.id)).toContain(child.id);
    const stays = await rows<{
      household_id: number;
      left_on: string | null;
      leave_reason: string | null;
      joined_on: string;
    }>(
      t.database.db,
      sql`SELECT household_id, left_on, leave_reason, joined_on FROM household_memberships WHERE person_id = ${child.id} ORDER BY id`,
    );
    expect(stays).toHaveLength(2);
    expect(stays[0]).toMatchObject({ household_id: a.id, left_on: '2025-01-01', leave_reason: '随祖父母生活' });
    expect(stays[1]).toMatchObject({ household_id: b.id, left_on: null, joined_on: '2025-01-01' });
    const detailA = (await cw.get(`${base}/households/${a.id}`)).json();
    expect(detailA.members.map((m: { id: number }) => m.id)).not.toContain(child.id);
    expect(detailA.memberships.find((m: { personId: number }) => m.personId === child.id).leftOn).toBe('2025-01-01');

    const person = (await cw.get(`${base}/persons/${child.id}`)).json();
    const left = await cw.post(`${base}/persons/${child.id}/leave`, { reason: '户口迁出', version: person.version });
    expect(left.statusCode, left.body).toBe(200);
    expect((await cw.get(`${base}/persons/${child.id}`)).json()).toMatchObject({ householdId: null, relation: null });
    // Moving back in by personId (add member with an existing person).
    const back = await cw.post(`${base}/households/${a.id}/members`, { personId: child.id, relation: 'child' });
    expect(back.statusCode, back.body).toBe(200);
    expect(
      (await first<{ n: number }>(
        t.database.db,
        sql`SELECT count(*)::int AS n FROM household_memberships WHERE person_id = ${child.id}`,
      ))!.n,
    ).toBe(3);
  });

  it('a new member whose ID number is already registered names that person in the area only, to be taken in by personId', async () => {
    const a = await createHousehold(cw);
    const b = await createHousehold(cw, { address: '三社 8 号' });
    const idNumber = idFor('2012-07-07', 'M');
    const added = await cw.post(`${base}/households/${b.id}/members`, {
      person: { idNumber, name: '李小军' },
      relation: 'child',
    });
    expect(added.statusCode, added.body).toBe(200);
    const boy = added.json().members.find((m: { name: string }) => m.name === '李小军');
    // The same ID number as a "new" member of household a: 409, and the existing person is named (in the area).
    const dup = await cw.post(`${base}/households/${a.id}/members`, {
      person: { idNumber, name: '李小军' },
      relation: 'grandchild',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      code: 'DUPLICATE',
      existingPersons: [{ field: 'person.idNumber', personId: boy.id, householdId: b.id }],
    });
    // Outside the area: "already registered elsewhere", no person or household named.
    const hB = await createHousehold(cwB, { regionCode: R.villageB, address: '西王村一社 1 号' }, [
      { idNumber: idFor('1966-05-05', 'M'), name: '王大明', relation: 'head' },
    ]);
    const dupB = await cwB.post(`${base}/households/${hB.id}/members`, {
      person: { idNumber, name: '李小军' },
      relation: 'child',
    });
    expect(dupB.statusCode).toBe(409);
    expect(dupB.json().existingPersons).toEqual([]);
    // Nothing names the person (the request id is random hex and may contain the digits by chance).
    expect(dupB.body).not.toMatch(new RegExp(`"(id|personId)":\\s*${boy.id}\\b`));
    expect(dupB.body).not.toContain(boy.name);
    // Taken in by personId: a recorded move from b to a.
    const taken = await cw.post(`${base}/households/${a.id}/members`, {
      personId: boy.id,
      relation: 'grandchild',
      reason: '随祖父母生活',
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json().members.map((m: { id: number }) => m.id)).toContain(boy.id);
  });

  it('dissolves a household: members leave, the household cannot be edited afterwards', async () => {
    const h = await createHousehold(cw);
    const res = await cw.post(`${base}/households/${h.id}/dissolve`, {
      reason: '户主死亡，其他成员并入他户',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'dissolved', members: [] });
    expect(res.json().memberships.every((m: { leftOn: string | null }) => m.leftOn !== null)).toBe(true);
    const again = await cw.patch(`${base}/households/${h.id}`, { address: 'x', version: res.json().version });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INVALID_STATE');
  });
});

describe('persons', () => {
  it('edits a person with sex and birth date cross-checked, and keeps history', async () => {
    const h = await createHousehold(cw);
    const p = h.members[0];
    const mismatch = await cw.patch(`${base}/persons/${p.id}`, { birthDate: '1968-04-13', version: p.version });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().errors[0].field).toBe('birthDate');
    const res = await cw.patch(`${base}/persons/${p.id}`, {
      health: 'grave_illness',
      labourCapacity: 'none',
      version: p.version,
      reason: '确诊重病',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      health: 'grave_illness',
      graveIllness: true,
      labourCapacity: 'none',
      version: p.version + 1,
    });
    const death = await cw.patch(`${base}/persons/${p.id}`, { deathDate: '1960-01-01', version: p.version + 1 });
    expect(death.statusCode).toBe(400);
    expect(death.json().errors[0]).toMatchObject({ field: 'deathDate', code: 'before_birth' });
  });

  it('reveals a full ID number only to roles with pii.reveal, with an audit row', async () => {
    const h = await createHousehold(cw);
    const p = h.members[0];
    const full = (await first<{ id_number: string }>(
      t.database.db,
      sql`SELECT id_number FROM persons WHERE id = ${p.id}`,
    ))!.id_number;
    const detail = await cw.get(`${base}/persons/${p.id}`);
    expect(detail.body).not.toContain(full);
    expect((await supervisor.post(`${base}/persons/${p.id}/reveal-id`, {})).statusCode).toBe(403);
    const res = await cw.post(`${base}/persons/${p.id}/reveal-id`, { reason: '核对身份' });
    expect(res.statusCode).toBe(200);
    expect(res.json().idNumber).toBe(full);
    const audit = await rows<{ actor_username: string }>(
      t.database.db,
      sql`SELECT actor_username FROM audit_log WHERE action = 'person.reveal_id' AND entity_type = 'person' AND entity_id = ${String(p.id)}`,
    );
    expect(audit.map((a) => a.actor_username)).toEqual(['cw']);
    expect((await cwB.post(`${base}/persons/${p.id}/reveal-id`, {})).statusCode).toBe(404);
  });

  it('corrects an ID number as a separate operation for the county approver', async () => {
    const h = await createHousehold(cw);
    const p = h.members[1];
    const newId = idFor('1970-10-30', 'F');
    expect(
      (
        await cw.post(`${base}/persons/${p.id}/correct-id`, {
          newIdNumber: newId,
          reason: '录入错误',
          version: p.version,
        })
      ).statusCode,
    ).toBe(403);
    const wrong = await approver.post(`${base}/persons/${p.id}/correct-id`, {
      newIdNumber: withWrongCheck(newId),
      reason: '录入错误',
      version: p.version,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'newIdNumber', code: 'id_check_char' });
    const res = await approver.post(`${base}/persons/${p.id}/correct-id`, {
      newIdNumber: newId,
      reason: '户籍核对发现录入错误',
      version: p.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      birthDate: '1970-10-30',
      sex: 'F',
      idNumberMasked: `${newId.slice(0, 6)}********${newId.slice(14)}`,
    });
    const audit = await first<{ diff: { idNumber: string[] } }>(
      t.database.db,
      sql`SELECT diff FROM audit_log WHERE action = 'person.correct_id' AND entity_id = ${String(p.id)}`,
    );
    expect(audit!.diff.idNumber[1]).toContain('********');
  });
});

describe('disability certificates, income and property', () => {
  it('upserts a certificate: 2nd generation needs a level, 1st generation may lack one; unknown type is a field error', async () => {
    const h = await createHousehold(cw);
    const p = h.members[2];
    const noLevel = await cw.put(`${base}/persons/${p.id}/disability-cert`, {
      certNo: '62080220080115101342',
      generation: 2,
      type: 'intellectual',
    });
    expect(noLevel.statusCode).toBe(400);
    expect(noLevel.json().errors[0].field).toBe('level');
    const badType = await cw.put(`${base}/persons/${p.id}/disability-cert`, {
      certNo: 'X1',
      generation: 2,
      type: 'psychic',
      level: 2,
    });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().errors[0].field).toBe('type');
    const gen1 = await cw.put(`${base}/persons/${p.id}/disability-cert`, {
      certNo: 'OLD-1',
      generation: 1,
      type: 'physical',
    });
    expect(gen1.statusCode, gen1.body).toBe(200);
    expect(gen1.json()).toMatchObject({ generation: 1, level: null, version: 1 });
    const noVersion = await cw.put(`${base}/persons/${p.id}/disability-cert`, {
      certNo: 'NEW-2',
      generation: 2,
      type: 'intellectual',
      level: 2,
    });
    expect(noVersion.statusCode).toBe(428);
    const gen2 = await cw.put(`${base}/persons/${p.id}/disability-cert`, {
      certNo: 'NEW-2',
      generation: 2,
      type: 'intellectual',
      level: 2,
      needsLongTermCare: true,
      careSince: '2020-01-01',
      version: 1,
    });
    expect(gen2.statusCode, gen2.body).toBe(200);
    expect(gen2.json()).toMatchObject({ generation: 2, level: 2, version: 2, needsLongTermCare: true });
    const detail = (await cw.get(`${base}/households/${h.id}`)).json();
    expect(detail.members.find((m: { id: number }) => m.id === p.id).disabilityCert.certNo).toBe('NEW-2');
    const del = await cw.delete(
      `${base}/persons/${p.id}/disability-cert?version=2&reason=${encodeURIComponent('证件注销')}`,
    );
    expect(del.statusCode, del.body).toBe(200);
    const hist = await rows<{ changed_by: number; change_reason: string }>(
      t.database.db,
      sql`SELECT changed_by, change_reason FROM disability_certs_history WHERE person_id = ${p.id} ORDER BY hist_seq DESC LIMIT 1`,
    );
    expect(hist[0]!.change_reason).toBe('证件注销');
  });

  it('records income items in fen: negative or fractional amounts refused; edit and delete keep history', async () => {
    const h = await createHousehold(cw);
    const neg = await cw.post(`${base}/households/${h.id}/income-items`, {
      kind: 'wages',
      period: 'monthly',
      amountFen: -100,
    });
    expect(neg.statusCode).toBe(400);
    expect(neg.json().errors[0].field).toBe('amountFen');
    const frac = await cw.post(`${base}/households/${h.id}/income-items`, {
      kind: 'wages',
      period: 'monthly',
      amountFen: 12.5,
    });
    expect(frac.statusCode).toBe(400);
    const text = await cw.post(`${base}/households/${h.id}/income-items`, {
      kind: 'wages',
      period: 'monthly',
      amountFen: '1200',
    });
    expect(text.statusCode).toBe(400);
    const badKind = await cw.post(`${base}/households/${h.id}/income-items`, {
      kind: 'lottery',
      period: 'monthly',
      amountFen: 1,
    });
    expect(badKind.json().errors[0].field).toBe('kind');
    const notMember = await cw.post(`${base}/households/${h.id}/income-items`, {
      kind: 'wages',
      period: 'monthly',
      amountFen: 1,
      personId: 999999,
    });
    expect(notMember.statusCode).toBe(400);
    const ok = await cw.post(`${base}/households/${h.id}/income-items`, {
      personId: h.headPersonId,
      kind: 'wages',
      period: 'monthly',
      amountFen: 180000,
      source: '务工证明',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const item = ok.json();
    const upd = await cw.patch(`${base}/income-items/${item.id}`, {
      amountFen: 200000,
      verified: true,
      version: 1,
      reason: '信息核对',
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json()).toMatchObject({ amountFen: 200000, verified: true, version: 2 });
    expect((await cw.patch(`${base}/income-items/${item.id}`, { amountFen: 1, version: 1 })).statusCode).toBe(409);
    expect((await cw.delete(`${base}/income-items/${item.id}`)).statusCode).toBe(428);
    expect((await cw.delete(`${base}/income-items/${item.id}?version=2`)).statusCode).toBe(200);
    expect((await cw.get(`${base}/households/${h.id}`)).json().incomeItems).toEqual([]);
    const hist = await rows<{ amount_fen: number }>(
      t.database.db,
      sql`SELECT amount_fen FROM income_items_history WHERE id = ${item.id} ORDER BY hist_seq`,
    );
    expect(hist.map((x) => x.amount_fen)).toEqual([180000, 200000, 200000]);
  });

  it('records property items: a vehicle needs its type; house with area', async () => {
    const h = await createHousehold(cw);
    const car = await cw.post(`${base}/households/${h.id}/property-items`, { kind: 'vehicle', valueFen: 3000000 });
    expect(car.statusCode).toBe(400);
    expect(car.json().errors[0].field).toBe('vehicleType');
    const ok = await cw.post(`${base}/households/${h.id}/property-items`, {
      kind: 'vehicle',
      vehicleType: '农用三轮车',
      valueFen: 800000,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const house = await cw.post(`${base}/households/${h.id}/property-items`, {
      kind: 'house',
      areaSqm: 86.5,
      valueFen: 20000000,
      description: '县城商品房',
    });
    expect(house.statusCode).toBe(201);
    expect(house.json().areaSqm).toBe(86.5);
    const upd = await cw.patch(
      `${base}/property-items/${house.json().id}`,
      { valueFen: 18000000 },
      { 'if-match': '"1"' },
    );
    expect(upd.json()).toMatchObject({ valueFen: 18000000, areaSqm: 86.5, version: 2 });
  });

  it('keeps the payment account masked everywhere; revealing it is audited', async () => {
    const h = await createHousehold(cw);
    const account = '6228480012345671234';
    const res = await cw.put(`${base}/households/${h.id}/payment-account`, {
      bankName: '农业银行',
      account,
      holder: '张建国',
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().paymentAccount.accountMasked).toBe('6228***********1234');
    expect(res.body).not.toContain(account);
    const hist = await cw.get(`${base}/households/${h.id}/history`);
    expect(hist.body).not.toContain(account);
    const audit = await rows<{ diff: unknown }>(
      t.database.db,
      sql`SELECT diff FROM audit_log WHERE action = 'household.payment_account'`,
    );
    expect(JSON.stringify(audit)).not.toContain(account);
    const reveal = await cw.post(`${base}/households/${h.id}/reveal-account`, {});
    expect(reveal.json().account).toBe(account);
    expect((await supervisor.post(`${base}/households/${h.id}/reveal-account`, {})).statusCode).toBe(403);
    const n = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'household.reveal_account'`,
    );
    expect(n!.n).toBe(1);
  });
});
