import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, parseIdNumber } from '../../src/domain/identity/id-number.js';
import { rows } from '../../src/server/db/client.js';
import { COLUMNS, columnLetter, LEDGER_SHEET } from '../../src/server/modules/registry-import/columns.js';
import { ERROR_FILL_ARGB } from '../../src/server/modules/registry-import/workbooks.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { col, householdsIn, importFile, ledgerSheet, type Sheet, upload, waitJob, xlsxOf } from './import-support.js';

let t: TestApp;
let a: Client;
let b: Client;

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-import-${process.pid}`, maxUploadBytes: 2 * 1024 * 1024 });
  await makeUser(t.database, { username: 'imp_a', role: 'county_approver', regionCode: R.countyA });
  await makeUser(t.database, { username: 'imp_b', role: 'county_approver', regionCode: R.countyB });
  a = await login(t.app, 'imp_a');
  b = await login(t.app, 'imp_b');
}, 300_000);

afterAll(async () => {
  await t?.close();
});

async function count(table: string): Promise<number> {
  const [r] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*) AS n FROM ${sql.raw(table)}`);
  return Number(r!.n);
}

const flip = (s: string) => s.slice(0, 17) + (s[17] === '0' ? '1' : '0');

describe('a county ledger with deliberate errors (xlsx, valid-rows)', () => {
  const households = householdsIn(R.countyA, 40, 11);
  const sheet: Sheet = ledgerSheet(households);
  // Sheet row of member i of household h (header = row 1; an empty row is inserted later, see below).
  const start: number[] = [];
  let at = 0;
  for (const h of households) {
    start.push(at);
    at += h.members.length;
  }
  const multi = households.map((h, i) => (h.members.length >= 2 ? i : -1)).filter((i) => i >= 0);
  expect(multi.length).toBeGreaterThanOrEqual(16);
  const [hA, hB, hC, hD, hE, hF, hG, hH, hI, hJ, hL, hM, hN, hO, hK] = multi as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const idx = (h: number, m: number) => start[h]! + m; // index into `sheet` before the empty row
  const set = (
    h: number,
    m: number,
    key: Parameters<typeof col>[0],
    v: string | number | null | ExcelJS.CellFormulaValue,
  ) => {
    sheet[idx(h, m)]![col(key)] = v;
  };
  const get = (h: number, m: number, key: Parameters<typeof col>[0]) => sheet[idx(h, m)]![col(key)] as string;

  set(hA, 1, 'idNumber', flip(get(hA, 1, 'idNumber'))); // wrong check character
  set(hB, 1, 'idNumber', makeIdNumber('620802', '1949-02-31', 123)); // 19490231 does not exist
  set(hB, 1, 'birthDate', '');
  set(hB, 1, 'sex', '');
  set(hB, 1, 'certNo', '');
  set(hB, 1, 'certGeneration', '');
  set(hB, 1, 'disabilityType', '');
  set(hB, 1, 'disabilityLevel', '');
  set(hB, 1, 'needsCare', '');
  set(hC, 1, 'sex', get(hC, 1, 'sex') === '男' ? '女' : '男'); // sex/ID mismatch
  for (const k of [
    'idNumber',
    'sex',
    'birthDate',
    'certNo',
    'certGeneration',
    'disabilityType',
    'disabilityLevel',
    'needsCare',
  ] as const) {
    set(hD, 1, k, get(hA, 0, k)); // duplicate of hA's head (earlier row)
  }
  for (let m = 0; m < households[hE]!.members.length; m++) set(hE, m, 'regionCode', '620802101999'); // unknown village
  for (let m = 0; m < households[hF]!.members.length; m++) set(hF, m, 'regionCode', R.villageB); // outside the import's county
  set(hG, 1, 'wages', '-100');
  set(hH, 1, 'wages', '两千');
  set(hI, 1, 'wages', { formula: '1000+200', result: 1200 } as ExcelJS.CellFormulaValue);
  set(hJ, 1, 'address', null); // merged with the head's address cell below
  set(hL, 1, 'birthDate', '1990-01-01');
  set(hM, 1, 'hukouType', get(hM, 1, 'hukouType') === '城镇' ? '农村' : '城镇');
  set(hN, 1, 'idNumber', Number(get(hN, 1, 'idNumber').slice(0, 17)) * 10);
  set(hO, 0, 'idNumber', flip(get(hO, 0, 'idNumber'))); // a bad head row blocks the household

  // An empty row after household hK.
  const emptyAfter = idx(hK, households[hK]!.members.length - 1);
  const rowOf = (h: number, m: number) => idx(h, m) + 2 + (idx(h, m) > emptyAfter ? 1 : 0);
  const finalSheet: Sheet = [...sheet.slice(0, emptyAfter + 1), [], ...sheet.slice(emptyAfter + 1)];
  const letter = (key: Parameters<typeof col>[0]) => columnLetter(col(key));
  const allRows = (h: number) => households[h]!.members.map((_, m) => rowOf(h, m));

  const expectedCells = [
    `${letter('idNumber')}${rowOf(hA, 1)}`,
    `${letter('idNumber')}${rowOf(hB, 1)}`,
    `${letter('sex')}${rowOf(hC, 1)}`,
    `${letter('idNumber')}${rowOf(hD, 1)}`,
    ...allRows(hE).map((r) => `${letter('regionCode')}${r}`),
    ...allRows(hF).map((r) => `${letter('regionCode')}${r}`),
    `${letter('wages')}${rowOf(hG, 1)}`,
    `${letter('wages')}${rowOf(hH, 1)}`,
    `${letter('wages')}${rowOf(hI, 1)}`,
    `${letter('address')}${rowOf(hJ, 0)}`,
    `${letter('address')}${rowOf(hJ, 1)}`,
    `${letter('birthDate')}${rowOf(hL, 1)}`,
    `${letter('hukouType')}${rowOf(hM, 1)}`,
    `${letter('idNumber')}${rowOf(hN, 1)}`,
    `${letter('idNumber')}${rowOf(hO, 0)}`,
  ];
  const badRows = new Set<number>([
    rowOf(hA, 1),
    rowOf(hB, 1),
    rowOf(hC, 1),
    rowOf(hD, 1),
    ...allRows(hE),
    ...allRows(hF),
    rowOf(hG, 1),
    rowOf(hH, 1),
    rowOf(hI, 1),
    ...allRows(hJ),
    rowOf(hL, 1),
    rowOf(hM, 1),
    rowOf(hN, 1),
    ...allRows(hO),
  ]);
  const total = sheet.length;
  let file: Buffer;
  let job: Awaited<ReturnType<typeof importFile>>;

  it('reports every bad cell and imports everything else', async () => {
    file = await xlsxOf(finalSheet, {
      merges: [`${letter('address')}${rowOf(hJ, 0)}:${letter('address')}${rowOf(hJ, 1)}`],
      blankSheets: 2,
    });
    job = await importFile(t.app, a, 'kongtong-ledger.xlsx', file, 'mode=valid-rows');
    expect(job.status).toBe('succeeded');
    const r = job.result!;
    expect(r.rows).toBe(total);
    expect(r.emptyRows).toBe(1);
    expect(r.errorRows).toBe(badRows.size);
    expect(r.validRows).toBe(total - badRows.size);
    expect(r.ignoredSheets).toEqual([]);
    const cells = new Set((r.errors as Array<{ cell: string | null; row: number }>).map((e) => e.cell));
    for (const c of expectedCells) expect(cells, `cell ${c} should be reported`).toContain(c);
    const reportedRows = new Set((r.errors as Array<{ row: number }>).map((e) => e.row));
    expect([...reportedRows].sort()).toEqual([...badRows].sort());
    // Messages name the field and say what is wrong, in Chinese.
    const msg = (cell: string) =>
      (r.errors as Array<{ cell: string; message: string }>)
        .filter((e) => e.cell === cell)
        .map((e) => e.message)
        .join(' ');
    expect(msg(`${letter('idNumber')}${rowOf(hA, 1)}`)).toContain('校验位');
    expect(msg(`${letter('idNumber')}${rowOf(hB, 1)}`)).toContain('19490231');
    expect(msg(`${letter('sex')}${rowOf(hC, 1)}`)).toContain('身份证号表明');
    expect(msg(`${letter('idNumber')}${rowOf(hD, 1)}`)).toContain(`第 ${rowOf(hA, 0)} 行重复`);
    expect(msg(`${letter('regionCode')}${rowOf(hE, 0)}`)).toContain('不存在');
    expect(msg(`${letter('regionCode')}${rowOf(hF, 0)}`)).toContain('不在本次导入的区划');
    expect(msg(`${letter('wages')}${rowOf(hG, 1)}`)).toContain('负数');
    expect(msg(`${letter('wages')}${rowOf(hH, 1)}`)).toContain('不是金额');
    expect(msg(`${letter('wages')}${rowOf(hI, 1)}`)).toContain('公式');
    expect(msg(`${letter('address')}${rowOf(hJ, 1)}`)).toContain('合并单元格');
    expect(msg(`${letter('birthDate')}${rowOf(hL, 1)}`)).toContain('不一致');
    expect(msg(`${letter('hukouType')}${rowOf(hM, 1)}`)).toContain('户主行');
    expect(msg(`${letter('idNumber')}${rowOf(hN, 1)}`)).toContain('数字');
    const blocked = (r.errors as Array<{ row: number; cell: string | null; message: string }>).find(
      (e) => e.row === rowOf(hO, 1),
    );
    expect(blocked?.message).toContain('户主行');

    expect(await count('persons')).toBe(total - badRows.size);
    expect(await count('households')).toBe(households.length - 4);
    expect(await count('household_memberships')).toBe(total - badRows.size);
    // A good row arrived with its values: head of the first clean household, with income in fen.
    const clean = households.findIndex((_, i) => ![hA, hB, hC, hD, hE, hF, hG, hH, hI, hJ, hL, hM, hN, hO].includes(i));
    const head = households[clean]!.members[0]!;
    const [p] = await rows<{ name: string; birth_date: string; household_no: string; wages: number | null }>(
      t.database.db,
      sql`SELECT p.name, p.birth_date::text, h.household_no,
                 (SELECT amount_fen FROM income_items i WHERE i.person_id = p.id AND i.kind = 'wages') AS wages
          FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id_number = ${head.idNumber}`,
    );
    expect(p).toMatchObject({
      name: head.name,
      birth_date: head.birthDate,
      household_no: households[clean]!.householdNo,
    });
    expect(p!.wages === null ? 0 : Number(p!.wages)).toBe(head.wagesFen);
    // One audit row for the import, with file hash, mode and counts.
    const audit = await rows<{ diff: Record<string, any> }>(
      t.database.db,
      sql`SELECT diff FROM audit_log WHERE action = 'registry.import' AND entity_id = ${String(job.id)}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.diff).toMatchObject({
      file: 'kongtong-ledger.xlsx',
      mode: 'valid-rows',
      errorRows: badRows.size,
      committed: true,
    });
    expect(audit[0]!.diff.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives an error workbook with the bad rows, red cells with comments and a 错误说明 column', async () => {
    const res = await a.get(`/api/v1/registry/import/${job.id}/errors.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const explain = header.indexOf('错误说明') + 1;
    const origin = header.indexOf('原行号') + 1;
    expect(explain).toBeGreaterThan(COLUMNS.length);
    const byRow = new Map<number, ExcelJS.Row>();
    ws.eachRow((row, n) => {
      if (n > 1) byRow.set(Number(row.getCell(origin).value), row);
    });
    expect([...byRow.keys()].sort()).toEqual([...badRows].sort());
    const noteText = (c: ExcelJS.Cell) =>
      typeof c.note === 'string'
        ? c.note
        : ((c.note as { texts?: Array<{ text: string }> } | undefined)?.texts ?? []).map((x) => x.text).join('');
    for (const ref of expectedCells) {
      const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
      const row = byRow.get(Number(m[2]))!;
      const colNo = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
      const target = row.getCell(colNo);
      expect((target.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, `fill of ${ref}`).toBe(ERROR_FILL_ARGB);
      expect(noteText(target).length, `comment of ${ref}`).toBeGreaterThan(3);
      expect(String(row.getCell(explain).value)).not.toBe('');
    }
    // A cell without error is not marked.
    const okCell = byRow.get(rowOf(hA, 1))!.getCell(col('name') + 1);
    expect((okCell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe(ERROR_FILL_ARGB);
    // The original values are kept (the wrong ID number is there as typed).
    const rowA = byRow.get(rowOf(hA, 1))!;
    expect(String(rowA.getCell(col('idNumber') + 1).value)).toBe(get(hA, 1, 'idNumber'));
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = {
      h: await count('households_history'),
      p: await count('persons_history'),
      i: await count('income_items_history'),
    };
    const again = await importFile(t.app, a, 'kongtong-ledger.xlsx', file, 'mode=valid-rows');
    expect(again.result!.counts).toEqual({
      households: { inserted: 0, updated: 0 },
      persons: { inserted: 0, updated: 0 },
      disabilityCerts: { inserted: 0, updated: 0 },
      incomeItems: { inserted: 0, updated: 0, deleted: 0 },
    });
    expect({
      h: await count('households_history'),
      p: await count('persons_history'),
      i: await count('income_items_history'),
    }).toEqual(before);
  });

  it('turns a changed row into an update with history', async () => {
    const clean = households.findIndex(
      (h, i) => h.members.length >= 2 && ![hA, hB, hC, hD, hE, hF, hG, hH, hI, hJ, hL, hM, hN, hO].includes(i),
    );
    const person = households[clean]!.members[1]!;
    const changed = finalSheet.map((r) => [...r]);
    const rIdx = rowOf(clean, 1) - 2;
    changed[rIdx]![col('phone')] = '13900001111';
    for (let m = 0; m < households[clean]!.members.length; m++)
      changed[rowOf(clean, m) - 2]![col('housingRating')] = 'D';
    const f2 = await xlsxOf(changed, {
      merges: [`${letter('address')}${rowOf(hJ, 0)}:${letter('address')}${rowOf(hJ, 1)}`],
    });
    const j = await importFile(t.app, a, 'kongtong-ledger-v2.xlsx', f2, 'mode=valid-rows');
    expect(j.result!.counts.persons).toEqual({ inserted: 0, updated: 1 });
    expect(j.result!.counts.households).toEqual({
      inserted: 0,
      updated: households[clean]!.housingRating === 'D' ? 0 : 1,
    });
    const hist = await rows<{ phone: string | null; version: number }>(
      t.database.db,
      sql`SELECT ph.phone, ph.version FROM persons_history ph JOIN persons p ON p.id = ph.id WHERE p.id_number = ${person.idNumber}`,
    );
    expect(hist).toEqual([{ phone: person.phone, version: 1 }]);
    const [now] = await rows<{ phone: string; version: number }>(
      t.database.db,
      sql`SELECT phone, version FROM persons WHERE id_number = ${person.idNumber}`,
    );
    expect(now).toEqual({ phone: '13900001111', version: 2 });
  });
});

describe('people already registered', () => {
  it('a person registered without a household joins the imported one: membership opened, record updated with history', async () => {
    const hh = householdsIn(R.countyA, 10, 77).find((x) => x.members.length >= 2)!;
    const m = hh.members[1]!;
    // Registered earlier in the UI without a household (or left without one by a dissolution), other phone.
    await t.database.db.execute(sql`INSERT INTO persons (id_number, name, sex, birth_date, region_code, phone)
      VALUES (${m.idNumber}, ${m.name}, ${m.sex}, ${m.birthDate}::date, ${hh.regionCode}, '13000000000')`);
    const j = await importFile(t.app, a, 'join.xlsx', await xlsxOf(ledgerSheet([hh])), 'mode=valid-rows');
    expect(j.status, JSON.stringify(j)).toBe('succeeded');
    expect(j.result!.counts.persons).toEqual({ inserted: hh.members.length - 1, updated: 1 });
    const [p] = await rows<{ household_id: number | null; phone: string | null; version: number; open: number }>(
      t.database.db,
      sql`SELECT p.household_id, p.phone, p.version,
                 (SELECT count(*)::int FROM household_memberships x WHERE x.person_id = p.id AND x.left_on IS NULL) AS open
          FROM persons p WHERE p.id_number = ${m.idNumber}`,
    );
    const [head] = await rows<{ household_id: number }>(
      t.database.db,
      sql`SELECT household_id FROM persons WHERE id_number = ${hh.members[0]!.idNumber}`,
    );
    expect(p).toMatchObject({ household_id: head!.household_id, phone: m.phone, version: 2, open: 1 });
    // Importing the same file again changes nothing.
    const again = await importFile(t.app, a, 'join.xlsx', await xlsxOf(ledgerSheet([hh])), 'mode=valid-rows');
    expect(again.status, JSON.stringify(again)).toBe('succeeded');
    expect(again.result!.counts.persons).toEqual({ inserted: 0, updated: 0 });
  });
});

describe('modes, encodings and refusals', () => {
  it('dry-run validates without writing; all-or-nothing writes nothing when one cell is wrong', async () => {
    const hh = householdsIn(R.countyA, 5, 21);
    const sheet = ledgerSheet(hh);
    const before = await count('persons');
    const dry = await importFile(t.app, a, 'dry.xlsx', await xlsxOf(sheet), 'mode=dry-run');
    expect(dry.status).toBe('succeeded');
    expect(dry.result).toMatchObject({ committed: false, errorRows: 0, validRows: sheet.length });
    expect(await count('persons')).toBe(before);
    sheet[sheet.length - 1]![col('wages')] = '-5';
    const aon = await importFile(t.app, a, 'aon.xlsx', await xlsxOf(sheet), 'mode=all_or_nothing');
    expect(aon.status).toBe('failed');
    expect(aon.error).toMatchObject({ code: 'IMPORT_FAILED' });
    expect(aon.result).toMatchObject({ committed: false, errorRows: 1 });
    expect(await count('persons')).toBe(before);
    sheet[sheet.length - 1]![col('wages')] = '';
    const ok = await importFile(t.app, a, 'aon.xlsx', await xlsxOf(sheet), 'mode=all-or-nothing');
    expect(ok.status).toBe('succeeded');
    expect(await count('persons')).toBe(before + sheet.length);
  });

  it('decodes a GBK (GB18030) CSV as Chinese Excel saves it, and a UTF-8 one with BOM', async () => {
    const { writeLedgerCsv } = await import('../../src/server/seed/ledger.js');
    const hh = householdsIn(R.countyA, 6, 31);
    const path = `/tmp/jiuzhu-test-gbk-${process.pid}.csv`;
    await writeLedgerCsv(path, hh, { encoding: 'gb18030' });
    const { readFileSync } = await import('node:fs');
    const buf = readFileSync(path);
    expect(buf.includes(Buffer.from('户编号', 'utf8'))).toBe(false); // really not UTF-8
    const j = await importFile(t.app, a, 'gbk.csv', buf, 'mode=valid-rows');
    expect(j.result).toMatchObject({ format: 'csv', encoding: 'gb18030', errorRows: 0 });
    const m = hh[0]!.members[0]!;
    const [p] = await rows<{ name: string }>(
      t.database.db,
      sql`SELECT name FROM persons WHERE id_number = ${m.idNumber}`,
    );
    expect(p?.name).toBe(m.name);
    const hh2 = householdsIn(R.countyA, 3, 32);
    await writeLedgerCsv(path, hh2, { encoding: 'utf-8' });
    const j2 = await importFile(t.app, a, 'utf8.csv', readFileSync(path), 'mode=valid-rows');
    expect(j2.result).toMatchObject({ encoding: 'utf-8-bom', errorRows: 0 });
  });

  it('refuses an import into a region outside the user’s scope, and never shows another county’s jobs', async () => {
    const file = await xlsxOf(ledgerSheet(householdsIn(R.countyA, 2, 41)));
    const res = await upload(t.app, b, 'x.xlsx', file, `mode=valid-rows&regionCode=${R.countyA}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('REGION_OUT_OF_SCOPE');
    // County B importing county A's villages into its own region: every row is refused by cell.
    const own = await importFile(t.app, b, 'x.xlsx', file, 'mode=valid-rows');
    expect(own.result!.validRows).toBe(0);
    expect((own.result!.errors as Array<{ message: string }>)[0]!.message).toContain('不在本次导入的区划');
    const other = await b.get(`/api/v1/jobs/${own.id - 1}`);
    expect([404, 200]).toContain(other.statusCode);
    const aJob = await importFile(t.app, a, 'x.xlsx', file, 'mode=dry-run');
    expect((await b.get(`/api/v1/jobs/${aJob.id}`)).statusCode).toBe(404);
    expect((await b.get(`/api/v1/registry/import/${aJob.id}/errors.xlsx`)).statusCode).toBe(404);
    expect((await a.get(`/api/v1/jobs/${aJob.id}`)).json()).toMatchObject({
      id: aJob.id,
      kind: 'registry.import',
      status: 'succeeded',
    });
  });

  it('answers clear 400s for 0-byte, non-spreadsheet, truncated and wrong-sheet files, 413 over the limit', async () => {
    const good = await xlsxOf(ledgerSheet(householdsIn(R.countyA, 2, 51)));
    const cases: Array<[string, Buffer, number, string, RegExp]> = [
      ['empty.csv', Buffer.alloc(0), 400, 'FILE_INVALID', /0 字节/],
      ['photo.xlsx', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 400, 'FILE_INVALID', /不是/],
      ['old.xls', Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex'), 400, 'FILE_INVALID', /\.xls/],
      ['cut.xlsx', good.subarray(0, Math.floor(good.length / 2)), 400, 'FILE_INVALID', /损坏|截断/],
      ['big.csv', Buffer.alloc(3 * 1024 * 1024, 0x41), 413, 'FILE_TOO_LARGE', /超过/],
    ];
    for (const [name, content, status, code, detail] of cases) {
      const res = await upload(t.app, a, name, content, 'mode=dry-run');
      expect(res.statusCode, name).toBe(status);
      expect(res.json().code, name).toBe(code);
      expect(res.json().detail, name).toMatch(detail);
    }
    // A workbook whose first sheet is something else and lacks the template columns.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('汇总').addRow(['乡镇', '户数']);
    const wrong = await upload(t.app, a, 'summary.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'mode=dry-run');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('IMPORT_FAILED');
    expect(wrong.json().detail).toContain('表头');
    // A missing column is named.
    const missing = Buffer.from(
      `${COLUMNS.filter((c) => c.key !== 'idNumber')
        .map((c) => c.header)
        .join(',')}\n`,
      'utf8',
    );
    const miss = await upload(t.app, a, 'miss.csv', missing, 'mode=dry-run');
    expect(miss.statusCode).toBe(400);
    expect(miss.json().detail).toContain('公民身份号码');
    // Text in a number cell and an out-of-range date arrive as cell errors, never a 500.
    const sheet = ledgerSheet(householdsIn(R.countyA, 1, 52));
    sheet[0]![col('housingAppraisedOn')] = '2024-13-45';
    const j = await importFile(t.app, a, 'date.xlsx', await xlsxOf(sheet), 'mode=dry-run');
    expect((j.result!.errors as Array<{ message: string }>)[0]!.message).toContain('鉴定日期');
  });
});

describe('template', () => {
  it('round-trips: the downloaded template, filled in, imports without errors', async () => {
    const res = await a.get('/api/v1/registry/import/template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(LEDGER_SHEET)!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(COLUMNS.map((c) => c.header));
    expect(wb.getWorksheet('填写说明')).toBeTruthy();
    // The template's own example rows are valid ledger rows.
    for (const n of [2, 3]) {
      const id = String(ws.getRow(n).getCell(col('idNumber') + 1).value);
      expect(parseIdNumber(id, '2026-01-01').ok, `example ID ${id}`).toBe(true);
    }
    // Fill it with generated households below the examples and import it back.
    const hh = householdsIn(R.townA, 3, 61);
    for (const r of ledgerSheet(hh)) ws.addRow(r);
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const j = await importFile(t.app, a, 'template-filled.xlsx', filled, 'mode=valid-rows');
    expect(j.result).toMatchObject({ errorRows: 0, sheet: LEDGER_SHEET });
    expect(j.result!.validRows).toBe(2 + ledgerSheet(hh).length);
    const [p] = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*) AS n FROM persons WHERE id_number = ${String(ws.getRow(2).getCell(col('idNumber') + 1).value)}`,
    );
    expect(Number(p!.n)).toBe(1);
  });

  it('reports progress on the job (rows done of the total)', async () => {
    const sheet = ledgerSheet(householdsIn(R.countyA, 4, 71));
    const res = await upload(t.app, a, 'p.xlsx', await xlsxOf(sheet), 'mode=dry-run');
    const j = await waitJob(a, res.json().id);
    expect(j.progressTotal).toBe(sheet.length);
    expect(j.progressDone).toBe(sheet.length);
  });
});
