import { describe, expect, it } from 'vitest';
import { ageOn, makeIdNumber } from '../../../domain/identity/id-number.js';
import { birthDateForAge, compositionErrors, disabilityCertErrors, maskAccount, personFacts } from './rules.js';

const TODAY = '2026-11-29';

describe('personFacts', () => {
  it('derives sex and birth date from the ID number and accepts matching entries', () => {
    const id = makeIdNumber('620802', '1980-02-29', 123);
    const r = personFacts(
      { idNumber: id.toLowerCase(), name: '甲', sex: 'M', birthDate: '1980-02-29' },
      TODAY,
      'members[0].',
    );
    expect(r.errors).toEqual([]);
    expect(r.facts).toMatchObject({
      idNumber: id,
      sex: 'M',
      birthDate: '1980-02-29',
      hukouLocal: true,
      graveIllness: false,
    });
  });

  it('names the field of each mismatch', () => {
    const id = makeIdNumber('620802', '1980-03-01', 124);
    const r = personFacts(
      { idNumber: id, name: '乙', sex: 'M', birthDate: '1980-03-02', deathDate: '2030-01-01' },
      TODAY,
      'p.',
    );
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      ['p.sex', 'sex_mismatch'],
      ['p.birthDate', 'birth_date_mismatch'],
      ['p.deathDate', 'future_date'],
    ]);
  });

  it('refuses a wrong check character, 19490231 and a future birth date', () => {
    const id = makeIdNumber('620802', '1990-01-01', 1);
    const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    expect(personFacts({ idNumber: wrong, name: 'x' }, TODAY, '').errors[0]!.code).toBe('id_check_char');
    expect(personFacts({ idNumber: '62080219490231001X', name: 'x' }, TODAY, '').errors[0]!.code).toBe('id_birth_date');
    expect(
      personFacts({ idNumber: makeIdNumber('620802', '2027-01-01', 1), name: 'x' }, TODAY, '').errors[0]!.code,
    ).toBe('id_future_birth');
  });

  it('marks grave illness from the health field unless said otherwise', () => {
    const id = makeIdNumber('620802', '1950-05-05', 5);
    expect(personFacts({ idNumber: id, name: 'x', health: 'grave_illness' }, TODAY, '').facts!.graveIllness).toBe(true);
  });
});

describe('compositionErrors', () => {
  it('needs exactly one head and no repeated ID number', () => {
    expect(compositionErrors([{ relation: 'spouse' }])[0]!.code).toBe('no_head');
    const e = compositionErrors([
      { relation: 'head', idNumber: 'A' },
      { relation: 'head', idNumber: 'B' },
      { relation: 'child', idNumber: 'A' },
    ]);
    expect(e.map((x) => x.field)).toEqual(['members[1].relation', 'members[2].idNumber']);
  });
});

describe('disabilityCertErrors', () => {
  const base = { certNo: 'C', type: 'physical' as const };
  it('requires a level on a 2nd-generation certificate only', () => {
    expect(disabilityCertErrors({ ...base, generation: 2 }, TODAY)[0]!.field).toBe('level');
    expect(disabilityCertErrors({ ...base, generation: 1 }, TODAY)).toEqual([]);
    expect(disabilityCertErrors({ ...base, generation: 2, level: 1 }, TODAY)).toEqual([]);
  });
  it('checks the dates and care', () => {
    const e = disabilityCertErrors(
      { ...base, generation: 1, issuedOn: '2020-01-01', expiresOn: '2019-01-01', careSince: '2020-01-01' },
      TODAY,
    );
    expect(e.map((x) => x.field)).toEqual(['expiresOn', 'careSince']);
  });
});

describe('maskAccount and birthDateForAge', () => {
  it('masks all but the first and last four digits', () => {
    expect(maskAccount('6228480012345671234')).toBe('6228***********1234');
    expect(maskAccount('12345678')).toBe('********');
    expect(maskAccount(null)).toBeNull();
  });
  it('agrees with ageOn at the band edges, including 29 February', () => {
    for (const today of ['2026-11-29', '2028-02-29', '2027-02-28', '2026-01-01']) {
      for (const n of [0, 1, 16, 60, 100]) {
        const edge = birthDateForAge(today, n);
        expect(ageOn(edge, today)).toBeGreaterThanOrEqual(n);
        const dayAfter = new Date(`${edge}T00:00:00Z`);
        dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
        expect(ageOn(dayAfter.toISOString().slice(0, 10), today)).toBeLessThan(n === 0 ? 1 : n);
      }
    }
  });
});
