import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, checkCharOf, makeIdNumber, maskIdNumber, parseIdNumber } from './id-number.js';

const TODAY = '2026-11-29';

describe('GB 11643 ID numbers (POLICY.md §7)', () => {
  type Expected = { ok: true; sex: 'M' | 'F'; birthDate: string } | { ok: false; problem: string } | null;
  it.each<[string, Expected]>([
    ['11010519491231002X', { ok: true, sex: 'F', birthDate: '1949-12-31' }],
    ['620802199001011233', null],
    ['62080219490231123X', { ok: false, problem: 'birth_date' }],
    ['6208021990010112', { ok: false, problem: 'format' }],
    ['62080220991231123X', { ok: false, problem: 'future_birth' }],
    ['11010519491231002x', { ok: true, sex: 'F', birthDate: '1949-12-31' }],
    ['110105194912310021', { ok: false, problem: 'check_char' }],
  ])('%s', (id, expected) => {
    const r = parseIdNumber(id, TODAY);
    if (expected === null) {
      // whatever its check character, the result must agree with the MOD 11-2 computation
      expect(r.ok).toBe(checkCharOf(id.slice(0, 17)) === id[17]);
      return;
    }
    if (expected.ok) {
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.info.sex).toBe(expected.sex);
        expect(r.info.birthDate).toBe(expected.birthDate);
      }
    } else {
      expect(r).toEqual({ ok: false, problem: expected.problem });
    }
  });

  it('accepts every number it builds and derives sex from the sequence parity', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2026-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (d, seq) => {
          const birth = d.toISOString().slice(0, 10);
          const id = makeIdNumber('620802', birth, seq);
          const r = parseIdNumber(id, TODAY);
          expect(r.ok).toBe(true);
          if (r.ok) {
            expect(r.info.birthDate).toBe(birth);
            expect(r.info.sex).toBe(seq % 2 === 1 ? 'M' : 'F');
          }
        },
      ),
    );
  });

  it('rejects any single-digit change (the check character catches it)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = makeIdNumber('620802', '1980-05-17', 123);
        const changed = id.slice(0, pos) + ((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        expect(parseIdNumber(changed, TODAY).ok).toBe(false);
      }),
    );
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber('620802199001011234')).toBe('620802********1234');
  });

  it('computes ages on a date', () => {
    expect(ageOn('2008-11-30', '2026-11-29')).toBe(17);
    expect(ageOn('2008-11-29', '2026-11-29')).toBe(18);
  });
});
