import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

let t: TestApp;
let approver: Client;
let finance: Client;
let approverB: Client;
let hh: MadeHousehold[] = [];

function upload(c: Client, url: string, filename: string, content: Buffer | string) {
  const boundary = '----jzroster';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    typeof content === 'string' ? Buffer.from(content) : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return c.request('POST', url, body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  await makeUser(t.database, { username: 'k_approver', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'k_finance', role: 'dept_finance', regionCode: R.countyA });
  await makeUser(t.database, { username: 'b_approver', role: 'county_approver', regionCode: R.countyB });
  approver = await login(t.app, 'k_approver');
  finance = await login(t.app, 'k_finance');
  approverB = await login(t.app, 'b_approver');
  hh = [
    await makeHousehold(db, {
      regionCode: R.villageA,
      names: ['张建国', '张小明'],
      enrollments: [
        { programme: 'dibao', amountFen: 45000 },
        { programme: 'disability_living', amountFen: 10000, member: 1 },
      ],
    }),
    await makeHousehold(db, {
      regionCode: R.villageA,
      names: ['李秀英'],
      enrollments: [{ programme: 'dibao', amountFen: 30000 }],
    }),
    await makeHousehold(db, {
      regionCode: R.villageA,
      names: ['王有福', '王芳', '王强'],
      bank: { name: '农村信用社', account: null },
      enrollments: [{ programme: 'dibao', amountFen: 60000 }],
    }),
    // not yet started, ended, suspended: no regular line in 2026-10
    await makeHousehold(db, {
      regionCode: R.villageA,
      names: ['赵未来'],
      enrollments: [{ programme: 'dibao', amountFen: 20000, startMonth: '2026-12' }],
    }),
    await makeHousehold(db, {
      regionCode: R.villageA,
      names: ['钱已停'],
      enrollments: [{ programme: 'dibao', amountFen: 20000, endMonth: '2026-09', status: 'ended' }],
    }),
    await makeHousehold(db, {
      regionCode: R.villageB,
      names: ['孙外县'],
      enrollments: [{ programme: 'dibao', amountFen: 50000 }],
    }),
  ];
});
afterAll(() => t.close());

let rosterId = 0;
let version = 0;

describe('roster generation', () => {
  it('generates the county-month-programme roster set-based, with funding split, legal basis and listed errors', async () => {
    const res = await approver.post('/api/v1/rosters', { countyCode: R.countyA, month: '2026-10', programme: 'dibao' });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    rosterId = r.id;
    version = r.version;
    expect(r.status).toBe('draft');
    expect(r.lineCount).toBe(3);
    expect(r.totalFen).toBe(45000 + 30000 + 60000);
    expect(r.provinceFen + r.cityFen + r.countyFen).toBe(r.totalFen);
    expect(r.provinceFen).toBe(Math.trunc((135000 * 8000) / 10000));
    expect(r.errorCount).toBe(1);
    const lines = (await approver.get(`/api/v1/rosters/${rosterId}/lines`)).json().items;
    expect(lines).toHaveLength(3);
    const wang = lines.find((l: { payeeName: string }) => l.payeeName === '王有福');
    expect(wang.errorCode).toBe('missing_bank_account');
    expect(wang.coveredPersons).toBe(3);
    const zhang = lines.find((l: { payeeName: string }) => l.payeeName === '张建国');
    expect(zhang.legalBasis).toContain('[A arts.21,23,25]');
    // account and ID number masked in every view
    expect(zhang.bankAccount).toMatch(/^\*+\d{4}$/);
    expect(zhang.bankAccount).not.toContain(hh[0]!.account!.slice(0, 8));
    expect(zhang.payeeIdNumber).toContain('********');
  });

  it('refuses a second generation of the same county-month-programme (409) and answers one of two parallel calls 409', async () => {
    const again = await approver.post('/api/v1/rosters', {
      countyCode: R.countyA,
      month: '2026-10',
      programme: 'dibao',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ROSTER_EXISTS');
    const body = { countyCode: R.countyA, month: '2026-10', programme: 'disability_living' };
    const [a, b] = await Promise.all([approver.post('/api/v1/rosters', body), approver.post('/api/v1/rosters', body)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const n = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM rosters WHERE programme = 'disability_living' AND month = '2026-10'`,
    );
    expect(n!.n).toBe(1);
  });

  it('answers a county outside the scope 404 (for another county and an unknown code alike), a non-paying programme 400, a bad month 400', async () => {
    expect(
      (await approverB.post('/api/v1/rosters', { countyCode: R.countyA, month: '2026-10', programme: 'tekun' }))
        .statusCode,
    ).toBe(404);
    expect((await approverB.get(`/api/v1/rosters/${rosterId}`)).statusCode).toBe(404);
    expect(
      (await approver.post('/api/v1/rosters', { countyCode: '620899', month: '2026-10', programme: 'tekun' }))
        .statusCode,
    ).toBe(404);
    const np = await approver.post('/api/v1/rosters', {
      countyCode: R.countyA,
      month: '2026-10',
      programme: 'low_income_edge',
    });
    expect(np.statusCode).toBe(400);
    expect(np.json().code).toBe('PROGRAMME_NOT_PAID');
    const bad = await approver.post('/api/v1/rosters', { countyCode: R.countyA, month: '2026-13', programme: 'dibao' });
    expect(bad.statusCode).toBe(400);
  });

  it('re-generates a draft idempotently', async () => {
    const before = (await approver.get(`/api/v1/rosters/${rosterId}/lines`)).json().items;
    const res = await approver.post(`/api/v1/rosters/${rosterId}/regenerate`, { version });
    expect(res.statusCode).toBe(200);
    version = res.json().version;
    const after = (await approver.get(`/api/v1/rosters/${rosterId}/lines`)).json().items;
    expect(after).toEqual(before);
    const stale = await approver.post(`/api/v1/rosters/${rosterId}/regenerate`, { version: version - 1 });
    expect(stale.statusCode).toBe(409);
  });

  it('refuses check/approval while errors are unresolved and lists them', async () => {
    const res = await approver.post(`/api/v1/rosters/${rosterId}/check`, { version });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ROSTER_HAS_ERRORS');
    expect(res.json().errors).toEqual([expect.objectContaining({ code: 'missing_bank_account', payeeName: '王有福' })]);
    const skip = await approver.post(`/api/v1/rosters/${rosterId}/approve`, { version });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().code).toBe('INVALID_STATE');
  });

  it('after the account is fixed and the draft re-generated, checks, approves and freezes', async () => {
    await t.database.db.execute(
      sql`UPDATE households SET bank_account = '6229000011112222333', change_reason = '补录账号' WHERE id = ${hh[2]!.householdId}`,
    );
    let res = await approver.post(`/api/v1/rosters/${rosterId}/regenerate`, { version });
    expect(res.json().errorCount).toBe(0);
    res = await approver.post(`/api/v1/rosters/${rosterId}/check`, { version: res.json().version });
    expect(res.statusCode).toBe(200);
    res = await approver.post(`/api/v1/rosters/${rosterId}/approve`, { version: res.json().version });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('approved');
    version = res.json().version;
    expect((await approver.post(`/api/v1/rosters/${rosterId}/regenerate`, { version })).json().code).toBe(
      'ROSTER_FROZEN',
    );
    // the database refuses to change a frozen line
    await expect(
      t.database.db.execute(
        sql`UPDATE roster_lines SET amount_fen = 1, province_fen = 1, city_fen = 0, county_fen = 0 WHERE roster_id = ${rosterId}`,
      ),
    ).rejects.toThrow();
  });

  it('a registry edit after approval leaves the roster unchanged and shows up as next month adjustments', async () => {
    const before = (await approver.get(`/api/v1/rosters/${rosterId}/lines`)).json().items;
    // correction: 李秀英's amount was 350 for the whole period; 张建国's entitlement ended with September (paid in October)
    await t.database.db.execute(
      sql`UPDATE programme_enrollments SET monthly_amount_fen = 35000, change_reason = '复核更正：补差' WHERE id = ${hh[1]!.enrollmentIds[0]!}`,
    );
    await t.database.db.execute(
      sql`UPDATE programme_enrollments SET status = 'ended', end_month = '2026-09', change_reason = '收入超标，停保' WHERE id = ${hh[0]!.enrollmentIds[0]!}`,
    );
    await t.database.db.execute(
      sql`UPDATE households SET bank_account = '6229999999999999999' WHERE id = ${hh[1]!.householdId}`,
    );
    const after = (await approver.get(`/api/v1/rosters/${rosterId}/lines`)).json().items;
    expect(after).toEqual(before);
    const nov = await approver.post('/api/v1/rosters', { countyCode: R.countyA, month: '2026-11', programme: 'dibao' });
    expect(nov.statusCode).toBe(201);
    const lines = (await approver.get(`/api/v1/rosters/${nov.json().id}/lines`)).json().items as Array<{
      kind: string;
      payeeName: string;
      amountFen: number;
      forMonth: string;
      reason: string | null;
      errorCode: string | null;
    }>;
    const li = lines.filter((l) => l.payeeName === '李秀英');
    expect(li.map((l) => [l.kind, l.forMonth, l.amountFen])).toEqual([
      ['regular', '2026-11', 35000],
      ['back_pay', '2026-10', 5000],
    ]);
    expect(li[1]!.reason).toContain('复核更正');
    const zh = lines.filter((l) => l.payeeName === '张建国');
    expect(zh.map((l) => [l.kind, l.forMonth, l.amountFen])).toEqual([
      ['recovery', '2026-10', -45000],
      ['stop', '2026-11', 0],
    ]);
    expect(zh[0]!.reason).toContain('收入超标');
    // the recovery exceeds what the household gets this month: flagged, must be held before approval
    expect(zh[0]!.errorCode).toBe('recovery_exceeds_payment');
    expect(nov.json().adjustmentCount).toBe(3);
  });
});

describe('bank file and bank return', () => {
  it('produces the bank file in each layout with full accounts only there, and audits the download', async () => {
    const csv = await approver.get(`/api/v1/rosters/${rosterId}/bank-file?layout=generic_csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(hh[0]!.account!);
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(csv.body).toContain('450.00');
    const fixed = await approver.get(`/api/v1/rosters/${rosterId}/bank-file?layout=rcc_fixed`);
    expect(fixed.statusCode).toBe(200);
    const text = iconv.decode(fixed.rawPayload, 'gbk');
    const rowsFixed = text.split('\r\n').filter(Boolean);
    expect(rowsFixed).toHaveLength(3);
    expect(new Set(rowsFixed.map((r) => iconv.encode(r, 'gbk').length))).toEqual(new Set([70]));
    const xlsx = await approver.get(`/api/v1/rosters/${rosterId}/bank-file?layout=abc_xlsx`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const audits = await rows(
      t.database.db,
      sql`SELECT 1 FROM audit_log WHERE action = 'roster.bank_file.download' AND entity_id = ${String(rosterId)}`,
    );
    expect(audits).toHaveLength(3);
    expect((await finance.get(`/api/v1/rosters/${rosterId}/bank-file`)).statusCode).toBe(403);
    expect((await approver.get(`/api/v1/rosters/${rosterId}/bank-file?layout=nope`)).statusCode).toBe(400);
  });

  const returnFile = (month: string, county: string, lines: string[][], total?: string) => {
    const sum = lines.reduce((s, l) => s + Math.round(Number(l[3]) * 100), 0);
    return [
      `批次,${rosterId},月份,${month},区县,${county},总笔数,${lines.length},总金额,${total ?? (sum / 100).toFixed(2)}`,
      '序号,账号,户名,金额,结果,失败原因',
      ...lines.map((l) => l.join(',')),
    ].join('\r\n');
  };

  it('rejects a return file for another month, county or with wrong totals, applying nothing', async () => {
    const sent = await approver.post(`/api/v1/rosters/${rosterId}/send`, { version });
    expect(sent.statusCode).toBe(200);
    version = sent.json().version;
    const ok = [['1', hh[0]!.account!, '张建国', '450.00', '成功', '']];
    for (const [file, kind] of [
      [returnFile('2026-09', R.countyA, ok), 'wrong_month'],
      [returnFile('2026-10', R.countyB, ok), 'wrong_county'],
      [returnFile('2026-10', R.countyA, ok, '999.00'), 'wrong_total'],
    ] as const) {
      const res = await upload(approver, `/api/v1/rosters/${rosterId}/bank-return`, 'return.csv', file);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('BANK_RETURN_REJECTED');
      expect(res.json().problems.map((p: { kind: string }) => p.kind)).toContain(kind);
    }
    const paid = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM roster_lines WHERE roster_id = ${rosterId} AND pay_status <> 'pending'`,
    );
    expect(paid!.n).toBe(0);
  });

  it('imports a return with a failure and an unknown account: failure listed and re-issued, unknown reported and not applied', async () => {
    const file = returnFile('2026-10', R.countyA, [
      ['1', hh[0]!.account!, '张建国', '450.00', '成功', ''],
      ['2', '6229000011112222333', '王有福', '600.00', '成功', ''],
      ['3', hh[1]!.account!, '李秀英', '300.00', '失败', '账户已销户'],
      ['4', '6229123412341234', '不认识', '100.00', '成功', ''],
    ]);
    const gbk = iconv.encode(file, 'gbk');
    const res = await upload(approver, `/api/v1/rosters/${rosterId}/bank-return`, 'return.csv', gbk);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.paidCount).toBe(2);
    expect(r.failedCount).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'unknown_account', row: 6 })]);
    expect(r.failedLines).toEqual([
      expect.objectContaining({ payeeName: '李秀英', amountFen: 30000, reason: '账户已销户' }),
    ]);
    const re = (await approver.get(`/api/v1/rosters/${r.reissueRosterId}`)).json();
    expect(re.kind).toBe('reissue');
    expect(re.parentRosterId).toBe(rosterId);
    expect(re.totalFen).toBe(30000);
    const reLines = (await approver.get(`/api/v1/rosters/${r.reissueRosterId}/lines`)).json().items;
    expect(reLines).toHaveLength(1);
    expect(reLines[0].bankAccount).toMatch(/9999$/); // the household's current (corrected) account
    // the original roster's amounts are untouched; only outcomes are recorded
    const orig = (await approver.get(`/api/v1/rosters/${rosterId}`)).json();
    expect(orig.totalFen).toBe(135000);
    const rec = await approver.post(`/api/v1/rosters/${rosterId}/reconcile`, { version: orig.version });
    expect(rec.statusCode).toBe(200);
    expect(rec.json().status).toBe('reconciled');
  });
});

describe('finance ledger', () => {
  it('totals and lines come from the frozen roster and agree with it', async () => {
    const res = await finance.get('/api/v1/ledger?month=2026-10');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    const dibao = items.find((i: { programme: string }) => i.programme === 'dibao');
    expect(dibao.totalFen).toBe(135000);
    expect(dibao.rosterId).toBe(rosterId);
    // draft rosters (2026-11) are not in the ledger
    expect((await finance.get('/api/v1/ledger?month=2026-11')).json().items).toEqual([]);
    const csv = await finance.get(
      `/api/v1/ledger/export?countyCode=${R.countyA}&month=2026-10&programme=dibao&format=csv`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(hh[0]!.idNumbers[0]!);
    expect(csv.body).toContain('合计');
    const xlsx = await finance.get(`/api/v1/ledger/export?countyCode=${R.countyA}&month=2026-10`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await approverB.get(`/api/v1/ledger/export?countyCode=${R.countyA}&month=2026-10`)).statusCode).toBe(404);
  });

  it('checks an external ledger (GBK, other column order, title and total rows) clean, and lists every difference', async () => {
    const external = (amountLi: string, extra?: string) =>
      [
        '崆峒区2026年10月低保资金发放台帐',
        '',
        '姓名,发放金额（元）,备注,身份证号码,发放月份,项目',
        `张建国,450.00,,${hh[0]!.idNumbers[0]},2026年10月,农村低保`,
        `李秀英,${amountLi},,${hh[1]!.idNumbers[0]},2026年10月,农村低保`,
        `王有福,600,,${hh[2]!.idNumbers[0]},2026年10月,农村低保`,
        ...(extra ? [extra] : []),
        '合计,1350.00,,,,',
      ].join('\r\n');
    let res = await upload(
      finance,
      `/api/v1/ledger/check?countyCode=${R.countyA}&month=2026-10&programme=dibao`,
      'taizhang.csv',
      iconv.encode(external('300.00'), 'gbk'),
    );
    expect(res.statusCode).toBe(200);
    let r = res.json();
    expect(r.encoding).toBe('gb18030');
    expect(r.headerRow).toBe(3);
    expect(r.rowsRead).toBe(3);
    expect(r.clean).toBe(true);
    expect(r.rowsSkipped).toEqual([expect.objectContaining({ reason: '合计行' })]);
    res = await upload(
      finance,
      `/api/v1/ledger/check?countyCode=${R.countyA}&month=2026-10&programme=dibao`,
      'taizhang.csv',
      iconv.encode(external('310.00', `钱多多,100.00,,${hh[4]!.idNumbers[0]},2026-10,低保`), 'gbk'),
    );
    r = res.json();
    expect(r.clean).toBe(false);
    expect(r.differences).toHaveLength(2);
    expect(r.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'amount_differs',
          name: '李秀英',
          month: '2026-10',
          systemFen: 30000,
          fileFen: 31000,
        }),
        expect.objectContaining({ kind: 'missing_in_system', month: '2026-10', fileFen: 10000 }),
      ]),
    );
    const noHeader = await upload(finance, `/api/v1/ledger/check?countyCode=${R.countyA}`, 'x.csv', 'a,b\n1,2\n');
    expect(noHeader.statusCode).toBe(400);
  });
});

describe('monthly update tracking', () => {
  it('lists counties with last changes, confirmation and rosters; late ones with reasons', async () => {
    const res = await approver.get('/api/v1/monthly-updates?month=2026-10');
    expect(res.statusCode).toBe(200);
    const a = res.json().items.find((i: { countyCode: string }) => i.countyCode === R.countyA);
    expect(a.rosters).toEqual(expect.arrayContaining([{ programme: 'dibao', status: 'reconciled' }]));
    expect(a.lastRegistryChangeAt).not.toBeNull();
    expect(a.late).toBe(true); // past the deadline and never confirmed
    expect(a.reasons).toContain('本月低保、特困信息未确认更新');
    const conf = await approver.post('/api/v1/monthly-updates/confirm', { countyCode: R.countyA, month: '2026-10' });
    expect(conf.statusCode).toBe(200);
    expect(conf.json().reasons).toEqual(['本月信息在截止日之后才确认更新']);
    await makeUser(t.database, { username: 'city_sup', role: 'supervisor', regionCode: R.city });
    const sup = await login(t.app, 'city_sup');
    const late = (await sup.get('/api/v1/monthly-updates/late?month=2026-10')).json();
    const codes = late.items.map((i: { countyCode: string }) => i.countyCode);
    expect(codes).toContain(R.countyB); // no roster, no confirmation
    expect(codes.length).toBeGreaterThanOrEqual(7);
    expect((await approverB.get(`/api/v1/monthly-updates?regionCode=${R.countyA}`)).statusCode).toBe(404);
  });
});

describe('bulk generation (a city month, one statement)', () => {
  it('creates every missing county × programme roster, skips existing ones, and gives the same lines as per-roster generation', async () => {
    const { generateRosters } = await import('../../src/server/modules/rosters/service.js');
    const actor = {
      id: null,
      username: 'cli:test',
      role: 'admin',
      regionCode: R.city,
      scope: { regionCode: R.city },
      permissions: new Set(['roster.generate']),
    };
    const ctx = { db: t.database.db, actor, locale: 'zh' as const };
    const res = await generateRosters(ctx, {
      month: '2026-12',
      countyCodes: [R.countyA, R.countyB],
      programmes: ['dibao', 'disability_living'],
    });
    expect(res.created).toHaveLength(4);
    const a = res.created.find((r) => r.countyCode === R.countyA && r.programme === 'dibao')!;
    const b = res.created.find((r) => r.countyCode === R.countyB && r.programme === 'dibao')!;
    expect(b.lineCount).toBe(1);
    expect(b.totalFen).toBe(50000);
    const before = (await approver.get(`/api/v1/rosters/${a.id}/lines`)).json().items;
    expect(before.length).toBe(a.lineCount);
    // re-generating that roster alone gives exactly the same lines
    const re = await approver.post(`/api/v1/rosters/${a.id}/regenerate`, { version: a.version });
    expect(re.statusCode).toBe(200);
    expect((await approver.get(`/api/v1/rosters/${a.id}/lines`)).json().items).toEqual(before);
    const again = await generateRosters(ctx, { month: '2026-12', countyCodes: [R.countyA], programmes: ['dibao'] });
    expect(again.created).toEqual([]);
    expect(again.skipped).toEqual([{ countyCode: R.countyA, programme: 'dibao', rosterId: a.id }]);
    const audits = await rows(
      t.database.db,
      sql`SELECT 1 FROM audit_log WHERE action = 'roster.generate' AND diff->>'bulk' = 'true'`,
    );
    expect(audits).toHaveLength(4);
  });
});
