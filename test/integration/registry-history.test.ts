import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayCst } from '../../src/domain/calendar.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { backdate, createHousehold, idFor } from './registry-fixtures.js';

let t: TestApp;
let cw: Client;
let cwB: Client;
const base = '/api/v1/registry';
let h: { id: number; headPersonId: number; members: Array<{ id: number; relation: string; version: number }> };
let incomeId: number;
const today = todayCst();

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'cw', role: 'caseworker', regionCode: R.townA, displayName: '王经办' });
  await makeUser(t.database, { username: 'cwb', role: 'caseworker', regionCode: R.townB });
  cw = await login(t.app, 'cw');
  cwB = await login(t.app, 'cwb');
  // Registered 30 days ago: the household, three members, an income item and a certificate.
  h = await createHousehold(cw);
  const inc = await cw.post(`${base}/households/${h.id}/income-items`, {
    kind: 'wages',
    period: 'monthly',
    amountFen: 150000,
  });
  incomeId = inc.json().id;
  const child = h.members.find((m) => m.relation === 'child')!;
  await cw.put(`${base}/persons/${child.id}/disability-cert`, {
    certNo: 'C-1',
    generation: 2,
    type: 'physical',
    level: 3,
  });
  await backdate(t.database, 30);
  // Changed today: address, housing rating, income amount, a new member, the certificate level; one member leaves.
  await cw.patch(`${base}/households/${h.id}`, {
    address: '新址 8 号',
    housing: { rating: 'D' },
    version: 1,
    reason: '危房鉴定',
  });
  await cw.patch(`${base}/income-items/${incomeId}`, { amountFen: 90000, version: 1, reason: '务工减少' });
  await cw.post(`${base}/households/${h.id}/members`, {
    person: { idNumber: idFor('2024-02-02', 'F'), name: '张新生' },
    relation: 'grandchild',
  });
  await cw.put(`${base}/persons/${child.id}/disability-cert`, {
    certNo: 'C-1',
    generation: 2,
    type: 'physical',
    level: 1,
    version: 1,
    reason: '复评',
  });
  const spouse = h.members.find((m) => m.relation === 'spouse')!;
  await cw.post(`${base}/persons/${spouse.id}/leave`, { reason: '死亡', version: spouse.version });
});
afterAll(() => t.close());

describe('as-of views', () => {
  it('shows the household as it was on a past date', async () => {
    const past = addDays(today, -10);
    const res = await cw.get(`${base}/households/${h.id}?asOf=${past}`);
    expect(res.statusCode, res.body).toBe(200);
    const then = res.json();
    expect(then.asOf).toBe(past);
    expect(then.address).toBe('崆峒镇祁河村一社 12 号');
    expect(then.housing.rating).toBe('B');
    expect(then.members).toHaveLength(3);
    expect(then.members.map((m: { name: string }) => m.name)).not.toContain('张新生');
    expect(then.members.map((m: { name: string }) => m.name)).toContain('李秀英');
    expect(then.incomeItems[0].amountFen).toBe(150000);
    const child = then.members.find((m: { relation: string }) => m.relation === 'child');
    expect(child.disabilityCert.level).toBe(3);
  });

  it('shows today’s values as of today, and nothing before registration', async () => {
    const now = (await cw.get(`${base}/households/${h.id}?asOf=${today}`)).json();
    expect(now.address).toBe('新址 8 号');
    expect(now.housing.rating).toBe('D');
    expect(now.incomeItems[0].amountFen).toBe(90000);
    expect(now.members.map((m: { name: string }) => m.name)).toContain('张新生');
    expect(now.members.map((m: { name: string }) => m.name)).not.toContain('李秀英');
    const before = await cw.get(`${base}/households/${h.id}?asOf=${addDays(today, -40)}`);
    expect(before.statusCode).toBe(404);
    expect(before.json().detail).toContain('尚未登记');
    const future = await cw.get(`${base}/households/${h.id}?asOf=${addDays(today, 3)}`);
    expect(future.statusCode).toBe(400);
    const bad = await cw.get(`${base}/households/${h.id}?asOf=2024-13-45`);
    expect(bad.statusCode).toBe(400);
  });

  it('answers 404 to another county, as of any date', async () => {
    expect((await cwB.get(`${base}/households/${h.id}?asOf=${addDays(today, -10)}`)).statusCode).toBe(404);
    expect((await cwB.get(`${base}/households/${h.id}/history`)).statusCode).toBe(404);
  });
});

describe('history timeline', () => {
  it('lists each change with when, who, why and what changed, newest first', async () => {
    const res = await cw.get(`${base}/households/${h.id}/history`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<{
      at: string;
      entity: string;
      action: string;
      reason: string | null;
      changedByName: string | null;
      changes: Record<string, [unknown, unknown]>;
      label: string;
    }>;
    const sorted = [...items].sort((a, b) => b.at.localeCompare(a.at));
    expect(items.map((i) => i.at)).toEqual(sorted.map((i) => i.at));
    const addr = items.find((i) => i.entity === 'household' && i.changes.address);
    expect(addr).toMatchObject({ action: 'update', reason: '危房鉴定', changedByName: '王经办' });
    expect(addr!.changes.address).toEqual(['崆峒镇祁河村一社 12 号', '新址 8 号']);
    expect(addr!.changes.housing_rating).toEqual(['B', 'D']);
    const income = items.find((i) => i.entity === 'income_item' && i.action === 'update');
    expect(income!.changes.amount_fen).toEqual([150000, 90000]);
    expect(income!.reason).toBe('务工减少');
    const cert = items.find((i) => i.entity === 'disability_cert' && i.action === 'update');
    expect(cert!.changes.disability_level).toEqual([3, 1]);
    const left = items.find((i) => i.entity === 'person' && i.label === '李秀英' && i.action === 'update');
    expect(left!.reason).toBe('死亡');
    expect(left!.changes.household_id).toEqual([h.id, null]);
    const created = items.filter((i) => i.action === 'create' && i.entity === 'person');
    expect(created.map((c) => c.label)).toEqual(expect.arrayContaining(['张建国', '李秀英', '张小军', '张新生']));
    // ID numbers appear masked in the changes of a creation.
    const idChange = created[0]!.changes.id_number as [unknown, string];
    expect(idChange[1]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(items.some((i) => i.entity === 'membership' && i.action === 'delete' && i.reason === '死亡')).toBe(true);
  });

  it('records deletions with who and why', async () => {
    const del = await cw.delete(`${base}/income-items/${incomeId}?version=2&reason=${encodeURIComponent('重复录入')}`);
    expect(del.statusCode, del.body).toBe(200);
    const items = (await cw.get(`${base}/households/${h.id}/history`)).json().items;
    const d = items.find(
      (i: { entity: string; action: string }) => i.entity === 'income_item' && i.action === 'delete',
    );
    expect(d).toMatchObject({ reason: '重复录入', changedByName: '王经办' });
    const n = await t.database.db.execute(sql`SELECT count(*)::int AS n FROM income_items WHERE id = ${incomeId}`);
    expect((n as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
  });
});

describe('a member who moves to another county', () => {
  it('keeps their county A past in A’s timeline and brings nothing of county B into it', async () => {
    await makeUser(t.database, { username: 'cityappr', role: 'county_approver', regionCode: R.city });
    const city = await login(t.app, 'cityappr');
    const target = await createHousehold(cwB, { regionCode: R.villageB, address: '西王村 5 号' }, [
      { idNumber: idFor('1950-01-01', 'M'), name: '外县户主', relation: 'head' },
    ]);
    const child = h.members.find((m) => m.relation === 'child')!;
    const moved = await city.post(`${base}/persons/${child.id}/move`, {
      toHouseholdId: target.id,
      relation: 'grandchild',
      reason: '投靠亲属',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const p = (await cwB.get(`${base}/persons/${child.id}`)).json();
    expect(p.regionCode).toBe(R.villageB);
    const upd = await cwB.patch(`${base}/persons/${child.id}`, {
      phone: '13912345678',
      version: p.version,
      reason: '外县更新电话',
    });
    expect(upd.statusCode, upd.body).toBe(200);
    const res = await cw.get(`${base}/households/${h.id}/history`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('13912345678');
    expect(res.body).not.toContain('外县更新电话');
    expect(res.body).not.toContain(R.villageB);
    // The certificate followed the person to county B: its county B version is not shown in A either.
    expect((await cw.get(`${base}/persons/${child.id}`)).statusCode).toBe(404);
    // County A still sees the past: as of ten days ago the child was a member.
    const then = (await cw.get(`${base}/households/${h.id}?asOf=${addDays(today, -10)}`)).json();
    expect(then.members.map((m: { id: number }) => m.id)).toContain(child.id);
  });
});
