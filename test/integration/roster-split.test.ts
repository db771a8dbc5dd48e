import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/server/db/client.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

/**
 * The funding split of roster lines comes from the effective-dated policy parameters as of the month the money is
 * for (issue 7 item 4): a parameter change from a later date changes the next month's split, never an approved
 * roster, and a back-payment for an earlier month is split as of that month.
 */
let t: TestApp;
let approver: Client;
let dibaoHh: MadeHousehold;

type Split = [string, string, number, number, number, number];
async function splits(rosterId: number): Promise<Split[]> {
  return (
    await rows<{
      payee_name: string;
      kind: string;
      amount_fen: string;
      province_fen: string;
      city_fen: string;
      county_fen: string;
    }>(
      t.database.db,
      sql`SELECT payee_name, kind, amount_fen::text, province_fen::text, city_fen::text, county_fen::text
          FROM roster_lines WHERE roster_id = ${rosterId} ORDER BY line_no`,
    )
  ).map((l) => [
    l.payee_name,
    l.kind,
    Number(l.amount_fen),
    Number(l.province_fen),
    Number(l.city_fen),
    Number(l.county_fen),
  ]);
}

async function generate(programme: string, month: string) {
  const res = await approver.post('/api/v1/rosters', { countyCode: R.countyA, month, programme });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number; version: number; provinceFen: number; cityFen: number; countyFen: number };
}

async function approve(r: { id: number; version: number }) {
  let v = r.version;
  for (const step of ['check', 'approve']) {
    const s = await approver.post(`/api/v1/rosters/${r.id}/${step}`, { version: v });
    expect(s.statusCode, s.body).toBe(200);
    v = s.json().version;
  }
}

const param = (programme: string, key: string, value: unknown) => ({
  programme,
  regionCode: R.countyA,
  key,
  value,
  effectiveFrom: '2026-11-01',
  sourceDocument: '崆峒区财政局 民政局关于调整社会救助资金分担比例的通知',
  sourceArticle: '第三条',
});

beforeAll(async () => {
  t = await startTestApp();
  await seedPolicyParameters(t.database.db, R.city);
  await makeUser(t.database, { username: 's_approver', role: 'county_approver', regionCode: R.countyA });
  approver = await login(t.app, 's_approver');
  const db = t.database.db;
  dibaoHh = await makeHousehold(db, {
    regionCode: R.villageA,
    names: ['分担甲'],
    enrollments: [{ programme: 'dibao', amountFen: 45001, ruralClass: 2 }],
  });
  await makeHousehold(db, {
    regionCode: R.villageA,
    names: ['分担乙', '分担乙子'],
    enrollments: [
      { programme: 'dibao', amountFen: 60000, ruralClass: 2 },
      { programme: 'disability_living', amountFen: 10000, member: 1 },
    ],
  });
  await makeHousehold(db, {
    regionCode: R.villageA,
    names: ['分担丙', '分担丙女'],
    enrollments: [
      { programme: 'dibao', amountFen: 20000, ruralClass: 3 },
      { programme: 'disability_living', amountFen: 5000, member: 1 },
    ],
  });
  await makeHousehold(db, {
    regionCode: R.villageA,
    names: ['分担丁'],
    enrollments: [
      { programme: 'tekun', amountFen: 90000, member: 0 },
      { programme: 'temporary', amountFen: 33333 },
    ],
  });
}, 120_000);
afterAll(() => t.close());

let octDibao = { id: 0, version: 0 };
let octLiving = { id: 0, version: 0 };

describe('funding split from the policy parameters in force in the roster month', () => {
  it('splits 低保 by dibao.funding_percent (80/10/10), the county taking the remainder', async () => {
    octDibao = await generate('dibao', '2026-10');
    const s = await splits(octDibao.id);
    expect(s.find((l) => l[0] === '分担甲')).toEqual(['分担甲', 'regular', 45001, 36000, 4500, 4501]);
    await approve(octDibao);
  });

  it('splits the living subsidy 70 of 100 元 province / 30 local [seed], and a class 3–4 family’s all county', async () => {
    octLiving = await generate('disability_living', '2026-10');
    expect(await splits(octLiving.id)).toEqual([
      ['分担乙子', 'regular', 10000, 7000, 0, 3000],
      ['分担丙女', 'regular', 5000, 0, 0, 5000],
    ]);
  });

  it('splits 特困 by tekun.funding_percent and falls back to the roster setting only where no parameter exists', async () => {
    const tekun = await generate('tekun', '2026-10');
    expect((await splits(tekun.id))[0]).toEqual(['分担丁', 'regular', 90000, 0, 0, 90000]); // seed: county 100%
    const temp = await generate('temporary', '2026-10');
    expect((await splits(temp.id))[0]).toEqual(['分担丁', 'regular', 33333, 0, 16666, 16667]); // setting 0/50/50
  });

  it('a parameter change from November changes November’s split, not the approved October roster', async () => {
    const before = await splits(octDibao.id);
    for (const p of [
      param('dibao', 'funding_percent', { province: 60, city: 20, county: 20 }),
      param('disability', 'local_share_city_percent', 50),
    ]) {
      const res = await approver.post('/api/v1/parameters', p);
      expect(res.statusCode, res.body).toBe(201);
    }
    // a correction of 分担甲's amount for the whole period: November pays 50,000 and back-pays October's difference
    await t.database.db.execute(
      sql`UPDATE programme_enrollments SET monthly_amount_fen = 50000, change_reason = '收入核减，更正金额'
          WHERE id = ${dibaoHh.enrollmentIds[0]!}`,
    );
    const nov = await generate('dibao', '2026-11');
    const s = await splits(nov.id);
    expect(s.filter((l) => l[0] === '分担甲')).toEqual([
      ['分担甲', 'regular', 50000, 30000, 10000, 10000], // November: 60/20/20
      ['分担甲', 'back_pay', 4999, 3999, 499, 501], // for October: split as in October (80/10/10)
    ]);
    expect(s.find((l) => l[0] === '分担乙')).toEqual(['分担乙', 'regular', 60000, 36000, 12000, 12000]);
    // the approved October roster is frozen as it was
    expect(await splits(octDibao.id)).toEqual(before);
    const oct = (await approver.get(`/api/v1/rosters/${octDibao.id}`)).json();
    expect([oct.provinceFen, oct.cityFen, oct.countyFen]).toEqual([
      before.reduce((a, l) => a + l[3], 0),
      before.reduce((a, l) => a + l[4], 0),
      before.reduce((a, l) => a + l[5], 0),
    ]);
  });

  it('the local share of the living subsidy follows the new city percentage from November only', async () => {
    const nov = await generate('disability_living', '2026-11');
    expect(await splits(nov.id)).toEqual([
      ['分担乙子', 'regular', 10000, 7000, 1500, 1500],
      ['分担丙女', 'regular', 5000, 0, 0, 5000],
    ]);
    // re-generating the October draft keeps October's parameters
    const again = await approver.post(`/api/v1/rosters/${octLiving.id}/regenerate`, { version: octLiving.version });
    expect(again.statusCode, again.body).toBe(200);
    expect(await splits(octLiving.id)).toEqual([
      ['分担乙子', 'regular', 10000, 7000, 0, 3000],
      ['分担丙女', 'regular', 5000, 0, 0, 5000],
    ]);
  });
});
