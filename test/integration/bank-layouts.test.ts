import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

/** Bank file layouts: create / new version / disable, validation, preview, and real file round trips (issue 7). */
let t: TestApp;
let approver: Client;
let admin: Client;
let approverB: Client;
let caseworker: Client;
let hh: MadeHousehold[] = [];
let rosterId = 0;

const ACC = ['6228480402564890018', '6217853100001234567'];

async function approvedRoster(c: Client, county: string, month: string, programme = 'dibao') {
  const g = await c.post('/api/v1/rosters', { countyCode: county, month, programme });
  if (g.statusCode !== 201) throw new Error(g.body);
  let v = g.json().version;
  for (const step of ['check', 'approve']) {
    const s = await c.post(`/api/v1/rosters/${g.json().id}/${step}`, { version: v });
    if (s.statusCode !== 200) throw new Error(s.body);
    v = s.json().version;
  }
  return g.json().id as number;
}

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'l_approver', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'l_admin', role: 'admin', regionCode: R.city });
  await makeUser(t.database, { username: 'l_approver_b', role: 'county_approver', regionCode: R.countyB });
  await makeUser(t.database, { username: 'l_caseworker', role: 'caseworker', regionCode: R.townA });
  approver = await login(t.app, 'l_approver');
  admin = await login(t.app, 'l_admin');
  approverB = await login(t.app, 'l_approver_b');
  caseworker = await login(t.app, 'l_caseworker');
  hh = [
    await makeHousehold(t.database.db, {
      regionCode: R.villageA,
      names: ['张建国'],
      bank: { name: '农村信用社', account: ACC[0]!, holder: '张建国' },
      enrollments: [{ programme: 'dibao', amountFen: 45000 }],
    }),
    await makeHousehold(t.database.db, {
      regionCode: R.villageA,
      names: ['欧阳秀英'],
      bank: { name: '农业银行', account: ACC[1]!, holder: '欧阳秀英' },
      enrollments: [{ programme: 'dibao', amountFen: 123456 }],
    }),
  ];
  rosterId = await approvedRoster(approver, R.countyA, '2026-10');
});
afterAll(() => t.close());

const csvGbk = {
  code: 'kt_csv_gbk',
  name: '崆峒 农信 CSV（GBK，金额为分）',
  bankName: '农村信用社',
  format: 'csv',
  encoding: 'gbk',
  header: true,
  columns: [
    { field: 'account', header: '收款账号' },
    { field: 'holder', header: '收款户名' },
    { field: 'amount_fen', header: '金额（分）' },
    { field: 'month', header: '所属月份' },
    { field: 'remark', header: '用途' },
  ],
};

const fixed = {
  code: 'kt_fixed',
  name: '崆峒 定长（GBK）',
  format: 'fixed',
  encoding: 'gbk',
  header: false,
  columns: [
    { field: 'seq', width: 5, align: 'right', pad: '0' },
    { field: 'account', width: 22 },
    { field: 'holder', width: 12 },
    { field: 'amount_yuan', width: 12, align: 'right', pad: ' ' },
    { field: 'county_code', width: 6 },
  ],
};

const xlsx = {
  code: 'kt_xlsx',
  name: '崆峒 农行模板（xlsx）',
  format: 'xlsx',
  encoding: 'utf-8',
  header: true,
  columns: [
    { field: 'name', header: '姓名' },
    { field: 'account', header: '卡号' },
    { field: 'amount_yuan', header: '金额（元）' },
    { field: 'id_number', header: '身份证号' },
  ],
};

async function download(code: string) {
  return t.app.inject({
    method: 'GET',
    url: `/api/v1/rosters/${rosterId}/bank-file?layout=${code}`,
    headers: { cookie: approver.cookie },
  });
}

describe('bank layouts — create, validate, preview', () => {
  it('refuses a layout with an unknown field, a too narrow column and duplicate titles, naming each column', async () => {
    const res = await approver.post('/api/v1/rosters/bank-layouts', {
      ...fixed,
      code: 'bad_one',
      header: true,
      columns: [
        { field: 'acount', header: '账号', width: 22 },
        { field: 'account', header: '账号', width: 12 },
        { field: 'amount_fen', header: '金额', width: 10, pad: '0' },
        { field: 'holder', header: '户名', width: 8, align: 'right', pad: '0' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('BANK_LAYOUT_INVALID');
    const byField = Object.fromEntries(
      (body.errors as { field: string; code: string; message: string }[]).map((e) => [`${e.field}:${e.code}`, e]),
    );
    expect(byField['columns[0].field:unknown_field']!.message).toContain('第 1 列：未知字段「acount」');
    expect(byField['columns[1].width:width_too_small']!.message).toContain('第 2 列（账号）：宽度 12 小于');
    expect(byField['columns[1].header:duplicate_title']!.message).toContain('与第 1 列重复');
    expect(byField['columns[2].pad:pad_needs_right']).toBeDefined();
    expect(byField['columns[3].pad:pad_not_numeric']).toBeDefined();
    expect(await first(t.database.db, sql`SELECT 1 FROM bank_layouts WHERE code = 'bad_one'`)).toBeUndefined();
  });

  it('refuses xlsx in GBK, a layout without account or amount, a bad code and unknown keys', async () => {
    const r1 = await approver.post('/api/v1/rosters/bank-layouts', { ...xlsx, code: 'x_gbk', encoding: 'gbk' });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().errors.map((e: { field: string }) => e.field)).toContain('encoding');
    const r2 = await approver.post('/api/v1/rosters/bank-layouts', {
      ...csvGbk,
      code: 'no_money',
      columns: [{ field: 'holder', header: '户名' }],
    });
    expect(
      r2
        .json()
        .errors.map((e: { code: string }) => e.code)
        .sort(),
    ).toEqual(['missing_account', 'missing_amount']);
    const r3 = await approver.post('/api/v1/rosters/bank-layouts', { ...csvGbk, code: 'Bad Code' });
    expect(r3.statusCode).toBe(400);
    expect(r3.json().errors[0].field).toBe('code');
    const r4 = await approver.post('/api/v1/rosters/bank-layouts', { ...csvGbk, code: 'extra', colour: 'red' });
    expect(r4.statusCode).toBe(400);
    const r5 = await approver.post('/api/v1/rosters/bank-layouts', {
      ...fixed,
      code: 'no_width',
      columns: [{ field: 'account' }],
    });
    expect(r5.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toContain(
      'columns[0].width:required',
    );
  });

  it('previews three sample lines exactly as the generator writes them, or the problems', async () => {
    const ok = await approver.post('/api/v1/rosters/bank-layouts/preview', fixed);
    expect(ok.statusCode).toBe(200);
    const p = ok.json();
    expect(p.problems).toEqual([]);
    expect(p.lines).toHaveLength(3);
    expect(p.byteLengths).toEqual([57, 57, 57]);
    expect(p.lines[0]).toMatch(/^00001/);
    expect(p.lines[1]).toContain('欧阳秀英    '); // 8 GBK bytes + 4 spaces = 12
    const x = await approver.post('/api/v1/rosters/bank-layouts/preview', xlsx);
    expect(x.json().rows[0]).toEqual(['姓名', '卡号', '金额（元）', '身份证号']);
    expect(x.json().rows).toHaveLength(4);
    expect(x.json().rows[1][2]).toBe(450);
    const bad = await approver.post('/api/v1/rosters/bank-layouts/preview', {
      ...fixed,
      columns: [{ field: 'account', width: 10 }],
    });
    expect(bad.statusCode).toBe(200);
    expect(bad.json().problems.map((e: { code: string }) => e.code)).toContain('width_too_small');
    expect(bad.json().lines).toEqual([]);
  });

  it('creates layouts in the creator’s area (audited) and lists them with the shipped ones', async () => {
    for (const l of [csvGbk, fixed, xlsx]) {
      const res = await approver.post('/api/v1/rosters/bank-layouts', l);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        code: l.code,
        version: 1,
        status: 'active',
        regionCode: R.countyA,
        manageable: true,
      });
    }
    const dup = await approver.post('/api/v1/rosters/bank-layouts', csvGbk);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('code');
    const list = (await approver.get('/api/v1/rosters/bank-layouts')).json().items as {
      code: string;
      manageable: boolean;
    }[];
    expect(list.map((l) => l.code)).toEqual(
      expect.arrayContaining(['generic_csv', 'kt_csv_gbk', 'kt_fixed', 'kt_xlsx']),
    );
    expect(list.find((l) => l.code === 'generic_csv')!.manageable).toBe(false);
    const audit = await rows<{ action: string }>(
      t.database.db,
      sql`SELECT action FROM audit_log WHERE entity_type = 'bank_layout' ORDER BY seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['bank_layout.create', 'bank_layout.create', 'bank_layout.create']);
  });
});

describe('bank files honour every option — round trips', () => {
  it('CSV in GBK with header, amount in fen, the chosen columns and order', async () => {
    const res = await download('kt_csv_gbk');
    expect(res.statusCode).toBe(200);
    const raw = res.rawPayload;
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(raw)).toThrow(); // really GBK
    const recs = parse(iconv.decode(raw, 'gbk'), { skip_empty_lines: true }) as string[][];
    expect(recs[0]).toEqual(['收款账号', '收款户名', '金额（分）', '所属月份', '用途']);
    expect(recs.slice(1)).toEqual([
      [ACC[0], '张建国', '45000', '2026-10', '2026-10最低生活保障金'],
      [ACC[1], '欧阳秀英', '123456', '2026-10', '2026-10最低生活保障金'],
    ]);
  });

  it('fixed width in GBK: widths in bytes, zero padding right-aligned, no header, amount in 元', async () => {
    const res = await download('kt_fixed');
    expect(res.statusCode).toBe(200);
    const lines = res.rawPayload.toString('latin1').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    const cut = (line: string, widths: number[]) => {
      const bytes = Buffer.from(line, 'latin1');
      let at = 0;
      return widths.map((w) => {
        const s = iconv.decode(bytes.subarray(at, at + w), 'gbk');
        at += w;
        return s;
      });
    };
    for (const l of lines) expect(Buffer.from(l, 'latin1').length).toBe(5 + 22 + 12 + 12 + 6);
    expect(cut(lines[0]!, [5, 22, 12, 12, 6])).toEqual([
      '00001',
      ACC[0]!.padEnd(22),
      '张建国      ',
      '      450.00',
      R.countyA,
    ]);
    expect(cut(lines[1]!, [5, 22, 12, 12, 6])).toEqual([
      '00002',
      ACC[1]!.padEnd(22),
      '欧阳秀英    ',
      '     1234.56',
      R.countyA,
    ]);
  });

  it('xlsx with header, accounts and ID numbers as text, amount as a number in 元', async () => {
    const res = await download('kt_xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const vals = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(vals(1)).toEqual(['姓名', '卡号', '金额（元）', '身份证号']);
    expect(vals(2)).toEqual(['张建国', ACC[0], 450, hh[0]!.idNumbers[0]]);
    expect(vals(3)).toEqual(['欧阳秀英', ACC[1], 1234.56, hh[1]!.idNumbers[0]]);
    expect(ws.getCell('B2').numFmt).toBe('@');
    expect(ws.rowCount).toBe(3);
  });

  it('records the exact layout version each file used', async () => {
    const files = await rows<{ layout_code: string; layout_version: number; payments: number; total_fen: string }>(
      t.database.db,
      sql`SELECT layout_code, layout_version, payments, total_fen::text FROM bank_files WHERE roster_id = ${rosterId} ORDER BY id`,
    );
    expect(files.map((f) => [f.layout_code, Number(f.layout_version), Number(f.payments), f.total_fen])).toEqual([
      ['kt_csv_gbk', 1, 2, '168456'],
      ['kt_fixed', 1, 2, '168456'],
      ['kt_xlsx', 1, 2, '168456'],
    ]);
  });

  it('refuses a file whose data does not fit a fixed column instead of cutting it (409, nothing recorded)', async () => {
    const narrow = await approver.post('/api/v1/rosters/bank-layouts', {
      ...fixed,
      code: 'kt_narrow',
      encoding: 'utf-8',
      columns: [
        { field: 'account', width: 19 },
        { field: 'holder', width: 9 },
        { field: 'amount_fen', width: 8, align: 'right', pad: '0' },
      ],
    });
    expect(narrow.statusCode).toBe(201);
    const res = await download('kt_narrow');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('BANK_FILE_DATA_UNFIT');
    expect(res.json().problems).toEqual([
      expect.objectContaining({ seq: 2, field: 'holder', message: expect.stringContaining('超过列宽 9') }),
    ]);
    expect(await first(t.database.db, sql`SELECT 1 FROM bank_files WHERE layout_code = 'kt_narrow'`)).toBeUndefined();
  });
});

describe('versions and disabling', () => {
  it('a change is a new version; the version a bank file used stays exactly as it was', async () => {
    const cur = (await approver.get('/api/v1/rosters/bank-layouts'))
      .json()
      .items.find((l: { code: string }) => l.code === 'kt_csv_gbk');
    expect(cur.bankFiles).toBe(1);
    const before = await first<{ columns: unknown }>(
      t.database.db,
      sql`SELECT columns FROM bank_layouts WHERE id = ${cur.id}`,
    );
    const { code: _c, ...input } = csvGbk;
    const res = await approver.post(`/api/v1/rosters/bank-layouts/${cur.id}/versions`, {
      ...input,
      encoding: 'utf-8',
      columns: [...csvGbk.columns.slice(0, 2), { field: 'amount_yuan', header: '金额（元）' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'kt_csv_gbk', version: 2, status: 'active', encoding: 'utf-8' });
    const old = await first<{ status: string; columns: unknown; encoding: string }>(
      t.database.db,
      sql`SELECT status, columns, encoding FROM bank_layouts WHERE id = ${cur.id}`,
    );
    expect(old).toEqual({ status: 'superseded', columns: before!.columns, encoding: 'gbk' });
    // the old version is the current one no more: a second change from it is refused
    const stale = await approver.post(`/api/v1/rosters/bank-layouts/${cur.id}/versions`, input);
    expect(stale.statusCode).toBe(409);
    // the database itself refuses rewriting a layout row
    await expect(
      t.database.db.execute(sql`UPDATE bank_layouts SET columns = '[]'::jsonb WHERE id = ${cur.id}`),
    ).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM bank_layouts WHERE id = ${cur.id}`)).rejects.toThrow();
    // the next file uses version 2 (UTF-8, amount in 元); the first file's record still says version 1
    const file = await download('kt_csv_gbk');
    expect(file.rawPayload.toString('utf8').split('\r\n')[1]).toBe(`${ACC[0]},张建国,450.00`);
    const used = await rows<{ layout_version: number }>(
      t.database.db,
      sql`SELECT layout_version FROM bank_files WHERE layout_code = 'kt_csv_gbk' ORDER BY id`,
    );
    expect(used.map((u) => Number(u.layout_version))).toEqual([1, 2]);
    // the roster's file record lists each file with the version it used, newest first, and no account
    const rec = await approver.get(`/api/v1/rosters/${rosterId}/bank-files`);
    expect(rec.statusCode).toBe(200);
    const items = rec.json().items as {
      layoutCode: string;
      layoutVersion: number;
      payments: number;
      totalFen: number;
    }[];
    expect(items.filter((f) => f.layoutCode === 'kt_csv_gbk').map((f) => f.layoutVersion)).toEqual([2, 1]);
    expect(items[0]).toMatchObject({ payments: 2, totalFen: 168456, createdBy: 'l_approver' });
    expect(rec.body).not.toContain(ACC[0]);
    expect((await approverB.get(`/api/v1/rosters/${rosterId}/bank-files`)).statusCode).toBe(404);
    const audit = await first<{ diff: { version: number[] } }>(
      t.database.db,
      sql`SELECT diff FROM audit_log WHERE action = 'bank_layout.version' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit!.diff.version).toEqual([1, 2]);
  });

  it('a disabled layout is not offered and produces no file; enabling brings it back', async () => {
    const cur = (await approver.get('/api/v1/rosters/bank-layouts'))
      .json()
      .items.find((l: { code: string }) => l.code === 'kt_fixed');
    const d = await approver.post(`/api/v1/rosters/bank-layouts/${cur.id}/disable`);
    expect(d.statusCode).toBe(200);
    expect(d.json().status).toBe('disabled');
    const active = (await approver.get('/api/v1/rosters/bank-layouts'))
      .json()
      .items.map((l: { code: string }) => l.code);
    expect(active).not.toContain('kt_fixed');
    const all = (await approver.get('/api/v1/rosters/bank-layouts?includeDisabled=true')).json().items;
    expect(all.find((l: { code: string }) => l.code === 'kt_fixed').status).toBe('disabled');
    const f = await download('kt_fixed');
    expect(f.statusCode).toBe(400);
    expect(f.json().errors[0]).toMatchObject({ field: 'layout', code: 'unknown_layout' });
    expect((await approver.post(`/api/v1/rosters/bank-layouts/${cur.id}/enable`)).json().status).toBe('active');
    expect((await download('kt_fixed')).statusCode).toBe(200);
  });

  it('a city administrator’s layout serves the counties of the city but only the city manages it', async () => {
    const res = await admin.post('/api/v1/rosters/bank-layouts', { ...csvGbk, code: 'city_csv', name: '市级统一 CSV' });
    expect(res.statusCode).toBe(201);
    expect(res.json().regionCode).toBe(R.city);
    const seen = (await approver.get('/api/v1/rosters/bank-layouts'))
      .json()
      .items.find((l: { code: string }) => l.code === 'city_csv');
    expect(seen.manageable).toBe(false);
    expect((await approver.post(`/api/v1/rosters/bank-layouts/${seen.id}/disable`)).statusCode).toBe(404);
    expect((await download('city_csv')).statusCode).toBe(200);
  });
});

describe('region isolation and permissions', () => {
  it('another county neither sees, changes, disables nor uses county A’s layouts', async () => {
    const listB = (await approverB.get('/api/v1/rosters/bank-layouts?includeDisabled=true'))
      .json()
      .items.map((l: { code: string }) => l.code);
    expect(listB).toContain('generic_csv');
    expect(listB).toContain('city_csv');
    expect(listB.filter((c: string) => c.startsWith('kt_'))).toEqual([]);
    const a = await first<{ id: number }>(
      t.database.db,
      sql`SELECT id FROM bank_layouts WHERE code = 'kt_xlsx' AND status = 'active'`,
    );
    const { code: _c, ...input } = xlsx;
    expect((await approverB.post(`/api/v1/rosters/bank-layouts/${a!.id}/versions`, input)).statusCode).toBe(404);
    expect((await approverB.post(`/api/v1/rosters/bank-layouts/${a!.id}/disable`)).statusCode).toBe(404);
    // county B's own roster cannot be written with county A's layout
    await makeHousehold(t.database.db, {
      regionCode: R.villageB,
      names: ['泾川领取人'],
      enrollments: [{ programme: 'dibao', amountFen: 30000 }],
    });
    const rb = await approvedRoster(approverB, R.countyB, '2026-10');
    const f = await t.app.inject({
      method: 'GET',
      url: `/api/v1/rosters/${rb}/bank-file?layout=kt_xlsx`,
      headers: { cookie: approverB.cookie },
    });
    expect(f.statusCode).toBe(400);
    expect(f.json().errors[0].code).toBe('unknown_layout');
  });

  it('a caseworker may not manage layouts (403); the shipped layouts are read-only (404)', async () => {
    expect((await caseworker.post('/api/v1/rosters/bank-layouts', { ...csvGbk, code: 'cw_csv' })).statusCode).toBe(403);
    expect((await caseworker.post('/api/v1/rosters/bank-layouts/preview', fixed)).statusCode).toBe(403);
    const shipped = await first<{ id: number }>(
      t.database.db,
      sql`SELECT id FROM bank_layouts WHERE code = 'generic_csv'`,
    );
    expect((await approver.post(`/api/v1/rosters/bank-layouts/${shipped!.id}/disable`)).statusCode).toBe(404);
    expect((await approver.post('/api/v1/rosters/bank-layouts/abc/disable')).statusCode).toBe(400);
  });
});
