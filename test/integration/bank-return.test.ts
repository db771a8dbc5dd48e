import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

/** Bank return (回盘) files as xlsx and as CSV in GBK or UTF-8 (issue 7 item 2). */
let t: TestApp;
let approver: Client;
let approverB: Client;
const hh: Record<string, MadeHousehold[]> = {};
const roster: Record<string, number> = {};

function upload(c: Client, id: number, filename: string, content: Buffer | string) {
  const boundary = '----jzreturn';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    typeof content === 'string' ? Buffer.from(content) : content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return c.request('POST', `/api/v1/rosters/${id}/bank-return`, body, {
    'content-type': `multipart/form-data; boundary=${boundary}`,
  });
}

async function xlsxOf(sheet: ExcelJS.CellValue[][], accountAsNumber = false) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('回盘');
  for (const r of sheet) ws.addRow(r);
  if (accountAsNumber) ws.getCell('B3').value = Number(ws.getCell('B3').value);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function sentRoster(programme: string, names: string[], amounts: number[], personLevel = false) {
  hh[programme] = [];
  for (const [i, n] of names.entries()) {
    hh[programme]!.push(
      await makeHousehold(t.database.db, {
        regionCode: R.villageA,
        names: [n],
        enrollments: [{ programme, amountFen: amounts[i]!, ...(personLevel ? { member: 0 } : {}) }],
      }),
    );
  }
  const g = await approver.post('/api/v1/rosters', { countyCode: R.countyA, month: '2026-10', programme });
  if (g.statusCode !== 201) throw new Error(g.body);
  let v = g.json().version;
  for (const step of ['check', 'approve', 'send']) {
    const s = await approver.post(`/api/v1/rosters/${g.json().id}/${step}`, { version: v });
    if (s.statusCode !== 200) throw new Error(s.body);
    v = s.json().version;
  }
  roster[programme] = g.json().id;
}

const payStatus = async (id: number) =>
  (
    await rows<{ payee_name: string; pay_status: string; fail_reason: string | null }>(
      t.database.db,
      sql`SELECT payee_name, pay_status, fail_reason FROM roster_lines WHERE roster_id = ${id} ORDER BY line_no`,
    )
  ).map((l) => [l.payee_name, l.pay_status, l.fail_reason]);

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'r_approver', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'r_approver_b', role: 'county_approver', regionCode: R.countyB });
  approver = await login(t.app, 'r_approver');
  approverB = await login(t.app, 'r_approver_b');
  await sentRoster('dibao', ['回盘甲', '回盘乙', '回盘丙'], [45000, 30000, 20000]);
  await sentRoster('tekun', ['特困甲', '特困乙'], [90000, 80000], true);
  await sentRoster('disability_nursing', ['护理甲', '护理乙'], [10000, 10000], true);
}, 120_000);
afterAll(() => t.close());

describe('bank return as xlsx', () => {
  it('applies successes and failures, lists the failed line with its reason, re-issues it, reports an unknown account', async () => {
    const [a, b] = hh.dibao!;
    const id = roster.dibao!;
    const file = await xlsxOf([
      ['批次', id, '月份', '2026-10', '区县', 620802, '总笔数', 3, '总金额', 800],
      ['序号', '户名', '卡号', '处理结果', '金额（元）', '失败原因'],
      [1, '回盘甲', a!.account, '成功', 450, null],
      [2, '回盘乙', b!.account, '失败', 300, '账户已冻结'],
      [3, '不明', '6229000011112222333', '成功', 50, null],
    ]);
    const res = await upload(approver, id, 'return.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ applied: true, paidCount: 1, failedCount: 1 });
    expect(r.failedLines).toEqual([{ lineNo: 2, payeeName: '回盘乙', amountFen: 30000, reason: '账户已冻结' }]);
    expect(r.problems).toEqual([
      { kind: 'unknown_account', row: 5, message: expect.stringContaining('****2333 不在本名册中，未处理') },
    ]);
    expect(await payStatus(id)).toEqual([
      ['回盘甲', 'paid', null],
      ['回盘乙', 'failed', '账户已冻结'],
      ['回盘丙', 'pending', null],
    ]);
    const reissue = (await approver.get(`/api/v1/rosters/${r.reissueRosterId}`)).json();
    expect(reissue).toMatchObject({
      kind: 'reissue',
      parentRosterId: id,
      status: 'draft',
      totalFen: 30000,
      lineCount: 1,
    });
    const lines = (await approver.get(`/api/v1/rosters/${r.reissueRosterId}/lines`)).json().items;
    expect(lines.map((l: { kind: string; payeeName: string }) => [l.kind, l.payeeName])).toEqual([
      ['reissue', '回盘乙'],
    ]);
  });
});

describe('bank return refused whole — nothing applied', () => {
  const id = () => roster.disability_nursing!;
  const good = () => hh.disability_nursing!.map((h) => h.account!);
  const sheet = (batch: Partial<Record<string, string | number>>): ExcelJS.CellValue[][] => {
    const b = { 名册: id(), 月份: '2026-10', 区县: '620802', 总笔数: 2, 总金额: '200.00', ...batch };
    return [
      ['批次', b.名册, '月份', b.月份, '区县', b.区县, '总笔数', b.总笔数, '总金额', b.总金额],
      ['序号', '账号', '户名', '金额', '结果', '原因'],
      [1, good()[0], '护理甲', '100.00', '成功', ''],
      [2, good()[1], '护理乙', '100.00', '失败', '户名不符'],
    ];
  };
  const rejected = async (content: Buffer | string, filename: string) => {
    const res = await upload(approver, id(), filename, content);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('BANK_RETURN_REJECTED');
    return (res.json().problems as { kind: string; message: string }[]).map((p) => p.kind);
  };

  it('another month (xlsx)', async () => {
    expect(await rejected(await xlsxOf(sheet({ 月份: '2026-09' })), 'r.xlsx')).toEqual(['wrong_month']);
  });
  it('another county (GBK CSV)', async () => {
    const csv = sheet({ 区县: '620821' })
      .map((r) => r.join(','))
      .join('\r\n');
    expect(await rejected(iconv.encode(csv, 'gbk'), 'r.csv')).toEqual(['wrong_county']);
  });
  it('another roster, a wrong count and a wrong total (UTF-8 CSV)', async () => {
    const csv = (b: Parameters<typeof sheet>[0]) =>
      sheet(b)
        .map((r) => r.join(','))
        .join('\n');
    expect(await rejected(csv({ 名册: 99999 }), 'r.csv')).toEqual(['wrong_roster']);
    expect(await rejected(csv({ 总笔数: 3 }), 'r.csv')).toEqual(['wrong_count']);
    expect(await rejected(csv({ 总金额: '250.00' }), 'r.csv')).toEqual(['wrong_total']);
  });
  it('an xlsx whose account cells are numbers (digits already lost) and a file without a batch row', async () => {
    const kinds = await rejected(await xlsxOf(sheet({}), true), 'r.xlsx');
    expect(kinds).toEqual(['bad_row', 'wrong_count', 'wrong_total']);
    const res = await upload(approver, id(), 'r.xlsx', await xlsxOf(sheet({}).slice(1)));
    expect(res.json().problems[0].message).toContain('缺少批次行');
  });
  it('an old .xls or a damaged xlsx answers 400 FILE_INVALID', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const r1 = await upload(approver, id(), 'r.xls', xls);
    expect(r1.statusCode).toBe(400);
    expect(r1.json()).toMatchObject({ code: 'FILE_INVALID', detail: expect.stringContaining('.xlsx') });
    const r2 = await upload(approver, id(), 'r.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 7)]));
    expect(r2.statusCode).toBe(400);
    expect(r2.json().code).toBe('FILE_INVALID');
  });
  it('left every line pending, made no re-issue roster, and recorded each refused attempt', async () => {
    expect((await payStatus(id())).map((l) => l[1])).toEqual(['pending', 'pending']);
    const attempts = await rows<{ applied: boolean; reissue_roster_id: number | null }>(
      t.database.db,
      sql`SELECT applied, reissue_roster_id FROM bank_returns WHERE roster_id = ${id()}`,
    );
    expect(attempts.length).toBe(7);
    expect(attempts.every((a) => !a.applied && a.reissue_roster_id === null)).toBe(true);
    const audited = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'roster.bank_return.rejected' AND entity_id = ${String(id())}`,
    );
    expect(audited!.n).toBe(7);
  });
  it('the same file, correct, is then applied (month typed as an Excel date is understood)', async () => {
    const s = sheet({});
    s[0]![3] = new Date(Date.UTC(2026, 9, 1));
    const res = await upload(approver, id(), 'r.xlsx', await xlsxOf(s));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ paidCount: 1, failedCount: 1, problems: [] });
  });
});

describe('bank return as GBK CSV', () => {
  it('reads a GBK file saved by Excel, with the month written 2026年10月', async () => {
    const [a, b] = hh.tekun!;
    const id = roster.tekun!;
    const csv = [
      `批次,${id},月份,2026年10月,区县,620802,总笔数,2,总金额,"1,700.00"`,
      '账号,姓名,发放金额,交易状态,错误信息',
      `${a!.account},特困甲,900.00,成功,`,
      `${b!.account},特困乙,800.00,失败,账号不存在`,
    ].join('\r\n');
    const res = await upload(approver, id, 'return.csv', iconv.encode(csv, 'gbk'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ paidCount: 1, failedCount: 1 });
    expect(res.json().failedLines[0]).toMatchObject({ payeeName: '特困乙', reason: '账号不存在' });
    expect(await payStatus(id)).toEqual([
      ['特困甲', 'paid', null],
      ['特困乙', 'failed', '账号不存在'],
    ]);
  });

  it('another county’s approver gets 404 and changes nothing', async () => {
    const res = await upload(approverB, roster.dibao!, 'r.csv', '批次,1\n');
    expect(res.statusCode).toBe(404);
  });
});
