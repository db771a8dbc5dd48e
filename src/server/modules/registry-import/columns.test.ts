import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../../domain/identity/id-number.js';
import { COLUMNS, columnLetter, mapHeader } from './columns.js';
import { parseLedgerDate, parseLedgerRow } from './validate.js';

const positions = mapHeader(COLUMNS.map((c) => c.header)).positions;
const row = (over: Record<string, string | number | null>) =>
  COLUMNS.map((c) => (c.key in over ? over[c.key]! : c.example === '' ? null : c.example));

describe('ledger columns', () => {
  it('are all documented in docs/import-format.md with their format', () => {
    const doc = readFileSync(new URL('../../../../docs/import-format.md', import.meta.url), 'utf8');
    for (const c of COLUMNS) expect(doc, c.header).toContain(`| ${c.header} | ${c.required ? '必填' : '选填'} |`);
    for (const c of COLUMNS) expect(doc, c.header).toContain(c.format);
  });

  it('maps headers with full/half-width brackets and spaces, and names missing columns', () => {
    const m = mapHeader(['户编号', '村(社区)代码', ' 姓名 ', '多余列']);
    expect(m.positions.get('regionCode')).toBe(1);
    expect(m.missing).toContain('公民身份号码');
    expect(m.unknown).toEqual(['多余列']);
    expect(columnLetter(0)).toBe('A');
    expect(columnLetter(26)).toBe('AA');
  });
});

describe('per-row checks', () => {
  it('accepts the template example row', () => {
    const r = parseLedgerRow(2, row({}), positions, '2026-01-01');
    expect(r.errors).toEqual([]);
    expect(r.row).toMatchObject({
      sex: 'M',
      birthDate: '1965-03-12',
      hukouType: 'rural',
      relation: 'head',
      wagesFen: 250000,
    });
  });

  it('reports each bad cell by column', () => {
    const id = makeIdNumber('620802', '1980-05-05', 12); // even sequence: female
    const r = parseLedgerRow(
      7,
      row({
        idNumber: id,
        sex: '男',
        birthDate: '1980-05-05',
        wages: '1.234',
        businessNet: '-3',
        hukouType: '城里',
        housingRating: 'E',
      }),
      positions,
      '2026-01-01',
    );
    const cols = r.errors.map((e) => columnLetter(e.col!));
    expect(cols).toEqual(expect.arrayContaining(['H', 'V', 'W', 'D', 'AA']));
    expect(r.errors.find((e) => columnLetter(e.col!) === 'H')!.message).toContain('女性');
    expect(r.row.sex).toBe('F');
  });

  it('parses ledger dates and refuses impossible ones', () => {
    expect(parseLedgerDate('1965/3/12')).toEqual({ ok: true, value: '1965-03-12' });
    expect(parseLedgerDate('19650312')).toEqual({ ok: true, value: '1965-03-12' });
    expect(parseLedgerDate('1965年3月12日')).toEqual({ ok: true, value: '1965-03-12' });
    expect(parseLedgerDate('19490231')).toEqual({ ok: false });
    expect(parseLedgerDate({ date: '2024-05-20' })).toEqual({ ok: true, value: '2024-05-20' });
  });
});
