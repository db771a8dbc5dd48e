import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthCst } from '../../src/domain/calendar.js';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { createHousehold, idFor, villagesOfCountyA } from './registry-fixtures.js';

let t: TestApp;
const c: Record<string, Client> = {};
const base = '/api/v1/registry';
const fullIds: string[] = [];
let dibaoHousehold: { id: number; headPersonId: number };
let dangerous: { id: number };
let otherTown: { id: number };

beforeAll(async () => {
  t = await startTestApp();
  const users: Array<[string, string, string]> = [
    ['cw', 'caseworker', R.townA],
    ['appr', 'county_approver', R.countyA],
    ['sup', 'supervisor', R.countyA],
    ['housing', 'dept_housing', R.countyA],
    ['disab', 'dept_disability', R.countyA],
    ['med', 'dept_medical', R.countyA],
    ['cityadm', 'supervisor', R.city],
    ['cwb', 'caseworker', R.townB],
  ];
  for (const [u, role, region] of users) {
    await makeUser(t.database, { username: u, role, regionCode: region });
    c[u] = await login(t.app, u);
  }
  const { otherTownVillage } = await villagesOfCountyA(t.database);
  // Six households of three members in township A; one in another township; one dangerous; one on dibao.
  for (let i = 0; i < 6; i++) {
    const h = await createHousehold(c.cw!, { address: `祁河村 ${i} 号`, hukouType: i % 2 ? 'urban' : 'rural' }, [
      { idNumber: idFor(`19${50 + i}-03-0${i + 1}`, 'M'), name: `王${'甲乙丙丁戊己'[i]}`, relation: 'head' },
      { idNumber: idFor(`19${55 + i}-05-0${i + 1}`, 'F'), name: `刘${'甲乙丙丁戊己'[i]}`, relation: 'spouse' },
      { idNumber: idFor(`20${10 + i}-07-0${i + 1}`, 'M'), name: `王小${'甲乙丙丁戊己'[i]}`, relation: 'child' },
    ]);
    if (i === 0) dibaoHousehold = h;
    if (i === 1) dangerous = h;
  }
  otherTown = await createHousehold(c.appr!, { regionCode: otherTownVillage, address: '另一个镇 1 号' }, [
    { idNumber: idFor('1940-01-01', 'M'), name: '王老汉', relation: 'head' },
  ]);
  await c.cw!.patch(`${base}/households/${dangerous.id}`, {
    housing: { rating: 'D', appraisedOn: '2025-06-01', appraisalBody: '崆峒区住建局' },
    version: 1,
  });
  const child = (await c.cw!.get(`${base}/households/${dibaoHousehold.id}`))
    .json()
    .members.find((m: { relation: string }) => m.relation === 'child');
  await c.cw!.put(`${base}/persons/${child.id}/disability-cert`, {
    certNo: 'D-01',
    generation: 2,
    type: 'intellectual',
    level: 2,
    needsLongTermCare: true,
  });
  await t.database.db.execute(sql`INSERT INTO programme_enrollments (household_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen)
    VALUES (${dibaoHousehold.id}, ${R.villageA}, 'dibao', 'rural', 2, 'active', '2025-01', 45000)`);
  // A county B household that must never show up for county A, and vice versa.
  await createHousehold(c.cwb!, { regionCode: R.villageB, address: '西王村 1 号' }, [
    { idNumber: idFor('1960-01-01', 'M'), name: '王乙B', relation: 'head' },
  ]);
  for (const r of await rows<{ id_number: string }>(t.database.db, sql`SELECT id_number FROM persons`))
    fullIds.push(r.id_number);
});
afterAll(() => t.close());

const items = async (cl: Client, q: string) => {
  const res = await cl.get(`${base}/persons?${q}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<Record<string, unknown>>;
};

describe('person search', () => {
  it('finds by exact ID number (any case of x), masked', async () => {
    const full = (await first<{ id_number: string }>(
      t.database.db,
      sql`SELECT id_number FROM persons WHERE name = '刘丙'`,
    ))!.id_number;
    const res = await c.cw!.get(`${base}/persons?idNumber=${full.toLowerCase()}`);
    expect(res.json().items.map((p: { name: string }) => p.name)).toEqual(['刘丙']);
    expect(res.body).not.toContain(full);
    // County B cannot find county A's person by number.
    expect((await items(c.cwb!, `idNumber=${full}`)).length).toBe(0);
  });

  it('finds by Chinese name prefix, region subtree, age band, hukou, housing rating, disability and programme', async () => {
    const wang = await items(c.cw!, `name=${encodeURIComponent('王小')}`);
    expect(wang.map((p) => p.name).sort()).toEqual(['王小丁', '王小丙', '王小己', '王小戊', '王小甲', '王小乙'].sort());
    const county = await items(c.appr!, `name=${encodeURIComponent('王')}&regionCode=${R.countyA}&limit=200`);
    expect(county.map((p) => p.name)).toContain('王老汉');
    expect(county.map((p) => p.name)).not.toContain('王乙B');
    const township = await items(c.appr!, `name=${encodeURIComponent('王')}&regionCode=${R.townA}&limit=200`);
    expect(township.map((p) => p.name)).not.toContain('王老汉');
    const old = await items(c.appr!, 'ageMin=80');
    expect(old.map((p) => p.name)).toEqual(['王老汉']);
    const kids = await items(c.cw!, 'ageMax=17');
    expect(kids.every((p) => (p.age as number) <= 17)).toBe(true);
    expect(kids.length).toBeGreaterThan(0);
    const urban = await items(c.cw!, 'hukouType=urban&limit=200');
    expect(urban).toHaveLength(9);
    const d = await items(c.cw!, 'housingRating=D');
    expect(d.map((p) => p.householdId)).toEqual([dangerous.id, dangerous.id, dangerous.id]);
    const dis = await items(c.cw!, 'disabilityType=intellectual&disabilityLevel=2');
    expect(dis.map((p) => p.name)).toEqual(['王小甲']);
    const none = await items(c.cw!, 'disabilityType=intellectual&disabilityLevel=1');
    expect(none).toEqual([]);
    const dibao = await items(c.cw!, 'programme=dibao');
    expect(dibao.map((p) => p.householdId)).toEqual([dibaoHousehold.id, dibaoHousehold.id, dibaoHousehold.id]);
    expect(dibao[0]!.programmes).toEqual(['dibao']);
    const bad = await c.cw!.get(`${base}/persons?ageMin=50&ageMax=20`);
    expect(bad.statusCode).toBe(400);
  });

  it('pages with a keyset cursor without overlap or gaps', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await c.cw!.get(`${base}/persons?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json();
      seen.push(...body.items.map((p: { id: number }) => p.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(18);
    expect(new Set(seen).size).toBe(18);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(pages).toBe(5);
    expect((await c.cw!.get(`${base}/persons?cursor=garbage`)).statusCode).toBe(400);
    // A name-prefix search pages in name order.
    const names: string[] = [];
    cursor = null;
    pages = 0;
    do {
      const res = await c.cw!.get(
        `${base}/persons?name=${encodeURIComponent('王')}&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = res.json();
      names.push(...body.items.map((p: { name: string }) => p.name));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(12);
    expect(names).toEqual([...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)));
  });

  it('refuses a region filter outside the scope with 404', async () => {
    expect((await c.cw!.get(`${base}/persons?regionCode=${R.countyB}`)).statusCode).toBe(404);
    // An ancestor filter is allowed and still limited to the scope.
    const city = await items(c.cw!, `regionCode=${R.city}&limit=200`);
    expect(city.every((p) => String(p.regionCode).startsWith(R.townA))).toBe(true);
  });

  it('lists households with head name masked ID and member count', async () => {
    const res = await c.cw!.get(`${base}/households?headName=${encodeURIComponent('王')}&limit=3`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(3);
    expect(body.items[0].memberCount).toBe(3);
    expect(body.items[0].headIdNumberMasked).toMatch(/^\d{6}\*{8}/);
    expect(body.nextCursor).not.toBeNull();
  });
});

describe('department liaison lists', () => {
  it('housing sees dangerous households with the dibao class; not the person search', async () => {
    await t.database.db.execute(sql`UPDATE households SET housing_rating = 'C' WHERE id = ${dibaoHousehold.id}`);
    const res = await c.housing!.get(`${base}/dangerous-housing`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json().items;
    expect(list.map((x: { householdId: number }) => x.householdId).sort()).toEqual(
      [dibaoHousehold.id, dangerous.id].sort(),
    );
    const dib = list.find((x: { householdId: number }) => x.householdId === dibaoHousehold.id);
    expect(dib).toMatchObject({ rating: 'C', dibaoKind: 'rural', dibaoClass: 2, headName: '王甲' });
    expect((await c.housing!.get(`${base}/persons`)).statusCode).toBe(403);
    expect((await c.housing!.get(`${base}/dangerous-housing?regionCode=${R.countyB}`)).statusCode).toBe(404);
  });

  it('disability sees certificate holders (masked); medical sees dibao members (masked)', async () => {
    const dis = await c.disab!.get(`${base}/disabled-persons`);
    expect(dis.statusCode).toBe(200);
    expect(dis.json().items.map((x: { name: string }) => x.name)).toEqual(['王小甲']);
    expect(dis.json().items[0].idNumberMasked).toContain('********');
    const med = await c.med!.get(`${base}/assistance-members`);
    expect(med.statusCode).toBe(200);
    expect(
      med
        .json()
        .items.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual(['刘甲', '王小甲', '王甲'].sort());
    for (const id of fullIds) {
      expect(dis.body).not.toContain(id);
      expect(med.body).not.toContain(id);
    }
    expect((await c.med!.get(`${base}/disabled-persons`)).statusCode).toBe(403);
  });
});

describe('dashboard figures', () => {
  it('counts households, persons, recipients, changes and children within the scope', async () => {
    const res = await c.appr!.get(`${base}/stats`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ regionCode: R.countyA, households: 7, persons: 19 });
    expect(s.recipients).toEqual([{ programme: 'dibao', households: 1, persons: 3 }]);
    // 7 households + 19 persons registered, 2 household changes (PATCH and the rating set in SQL), 1 new certificate.
    expect(s.changesThisMonth).toBe(29);
    expect(s.trend).toHaveLength(12);
    expect(s.trend[11].month).toBe(monthCst());
    const townA = s.children.find((x: { regionCode: string }) => x.regionCode === R.townA);
    expect(townA).toMatchObject({ households: 6, persons: 18, dibaoHouseholds: 1 });
    const city = (await c.cityadm!.get(`${base}/stats`)).json();
    expect(city.households).toBe(8);
    expect(city.children.find((x: { regionCode: string }) => x.regionCode === R.countyB).households).toBe(1);
    const town = (await c.cw!.get(`${base}/stats?regionCode=${R.townA}`)).json();
    expect(town.children.every((x: { regionCode: string }) => x.regionCode.length === 12)).toBe(true);
    expect((await c.cw!.get(`${base}/stats?regionCode=${R.countyB}`)).statusCode).toBe(404);
  });
});

describe('export', () => {
  async function workbookRows(buf: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const out: string[][] = [];
    ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    return out;
  }

  it('exports a filtered search to xlsx with masked ID numbers and an audit row', async () => {
    const res = await c.cw!.get(`${base}/export?format=xlsx&name=${encodeURIComponent('王')}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const data = await workbookRows(res.rawPayload);
    expect(data[0]).toContain('身份证号码');
    expect(data).toHaveLength(1 + 12);
    const idCol = data[0]!.indexOf('身份证号码');
    expect(data.slice(1).every((r) => /^\d{6}\*{8}[\dX]{4}$/.test(r[idCol]!))).toBe(true);
    expect(
      data
        .slice(1)
        .map((r) => r[data[0]!.indexOf('姓名')])
        .sort(),
    ).toContain('王小甲');
    const audit = await first<{
      diff: { rows: number; filter: { name: string }; revealedIdNumbers: boolean };
      actor_username: string;
    }>(
      t.database.db,
      sql`SELECT diff, actor_username FROM audit_log WHERE action = 'registry.export' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({
      actor_username: 'cw',
      diff: { rows: 12, filter: { name: '王' }, revealedIdNumbers: false },
    });
  });

  it('exports csv in UTF-8 with BOM; reveal=true only with pii.reveal, audited with the row count', async () => {
    const res = await c.cw!.get(`${base}/export?format=csv&programme=dibao&reveal=true`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.rawPayload.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    const revealed = lines.slice(1).map((l) => l.split(',')[7]!);
    for (const id of revealed) expect(fullIds).toContain(id);
    const audit = await first<{ diff: { rows: number } }>(
      t.database.db,
      sql`SELECT diff FROM audit_log WHERE action = 'registry.export_reveal' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit!.diff.rows).toBe(3);
    expect((await c.sup!.get(`${base}/export?format=csv&reveal=true`)).statusCode).toBe(403);
    const sup = await c.sup!.get(`${base}/export?format=csv`);
    expect(sup.statusCode).toBe(200);
    expect(sup.rawPayload.toString('utf8').trim().split('\r\n')).toHaveLength(1 + 19);
    for (const id of fullIds) expect(sup.body).not.toContain(id);
    expect((await c.housing!.get(`${base}/export?format=csv`)).statusCode).toBe(403);
    expect((await c.cw!.get(`${base}/export?format=pdf`)).statusCode).toBe(400);
  });

  it('neutralises formula-like text in csv cells', async () => {
    await t.database.db.execute(
      sql`UPDATE households SET address = '=HYPERLINK("http://x")' WHERE id = ${otherTown.id}`,
    );
    const res = await c.appr!.get(`${base}/export?format=csv&name=${encodeURIComponent('王老汉')}`);
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
