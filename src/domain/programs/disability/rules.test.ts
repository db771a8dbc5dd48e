import { describe, expect, it } from 'vitest';
import { type DisabilityType, SEED_NURSING_TABLE } from '../../parameters/catalogue.js';
import type { HouseholdFacts, PersonFacts } from '../facts.js';
import { COUNTED_INCOME } from '../income.js';
import { type DisabilityParams, evaluateLivingSubsidy, evaluateNursingSubsidy } from './rules.js';

const ASOF = '2025-06-01';
const P: DisabilityParams = {
  livingStandardFen: 10000,
  livingProvinceShareFen: 7000,
  livingRuralClass34Fen: null,
  nursingStandardFen: 10000,
  nursingProvinceShareFen: 8000,
  nursingTable: SEED_NURSING_TABLE,
  localShareCityPercent: 0,
};
const cert2 = (type: DisabilityType, level: 1 | 2 | 3 | 4, care = false) => ({
  generation: 2 as const,
  disabilityType: type,
  disabilityLevel: level,
  needsLongTermCare: care,
});
const person = (o: Partial<PersonFacts> = {}): PersonFacts => ({
  ref: 'p1',
  birthDate: '1970-01-01',
  hukouLocal: true,
  disabilityCert: cert2('physical', 1),
  ...o,
});
const hh = (o: Partial<HouseholdFacts> = {}, p: PersonFacts = person()): HouseholdFacts => ({
  regionCode: '620881100200',
  hukouType: 'rural',
  members: [p],
  ...o,
});
const dibao = (kind: 'urban' | 'rural', cls: 1 | 2 | 3 | 4 | null = null) => [
  { programme: 'dibao' as const, status: 'active' as const, dibaoKind: kind, ruralClass: cls },
];

describe('D1 beneficiaries: local 户籍 and a 2nd-generation certificate — POLICY.md §4 [seed]', () => {
  it.each([
    ['local, 2nd gen', { hukouLocal: true }, true],
    ['not local', { hukouLocal: false }, false],
    [
      '1st-generation certificate',
      { disabilityCert: { generation: 1 as const, disabilityType: 'physical' as const } },
      false,
    ],
    ['no certificate', { disabilityCert: null }, false],
    ['certificate expired', { disabilityCert: { ...cert2('physical', 1), expiresOn: '2024-12-31' } }, false],
    ['dead before the as-of date', { deathDate: '2025-01-01' }, false],
    ['户籍 unknown', { hukouLocal: null }, null],
  ])('%s → nursing eligible %s', (_n, o, want) => {
    const p = person(o as Partial<PersonFacts>);
    const d = evaluateNursingSubsidy(p, hh({}, p), P, ASOF);
    expect(d.eligible).toBe(want);
    if (want === null) expect(d.missingFacts.map((m) => [m.fact, m.rule])).toContainEqual(['hukouLocal', 'D1']);
  });
});

describe('D2 living subsidy: urban dibao and rural class 1–2 at 100 元 (province 70 + local 30); class 3–4 at the county standard paid by the county, else a coverage gap — POLICY.md §4 [seed]', () => {
  it.each([
    ['urban dibao', dibao('urban'), null, true, 10000, { provinceFen: 7000, cityFen: 0, countyFen: 3000 }, []],
    ['rural class 1', dibao('rural', 1), null, true, 10000, { provinceFen: 7000, cityFen: 0, countyFen: 3000 }, []],
    ['rural class 2', dibao('rural', 2), null, true, 10000, { provinceFen: 7000, cityFen: 0, countyFen: 3000 }, []],
    [
      'rural class 3, no county standard',
      dibao('rural', 3),
      null,
      false,
      0,
      { provinceFen: 0, cityFen: 0, countyFen: 0 },
      ['coverage_gap'],
    ],
    [
      'rural class 4, county standard 50 元',
      dibao('rural', 4),
      5000,
      true,
      5000,
      { provinceFen: 0, cityFen: 0, countyFen: 5000 },
      [],
    ],
    ['rural class unknown', dibao('rural', null), null, null, 0, { provinceFen: 0, cityFen: 0, countyFen: 0 }, []],
    ['not in dibao', [], null, false, 0, { provinceFen: 0, cityFen: 0, countyFen: 0 }, []],
  ])('%s', (_n, enrollments, class34, eligible, amount, funding, flags) => {
    const p = person();
    const d = evaluateLivingSubsidy(p, hh({ enrollments }), { ...P, livingRuralClass34Fen: class34 }, ASOF);
    expect(d.eligible).toBe(eligible);
    expect(d.monthlyAmountFen).toBe(amount);
    expect(d.funding).toEqual(funding);
    expect(d.flags).toEqual(flags);
    expect(d.clauses.find((c) => c.clause === 'D2.dibao_family')?.citation).toContain('POLICY.md §4');
  });
  it('splits the local share with the city by the configured percent', () => {
    const d = evaluateLivingSubsidy(
      person(),
      hh({ enrollments: dibao('urban') }),
      { ...P, localShareCityPercent: 50 },
      ASOF,
    );
    expect(d.funding).toEqual({ provinceFen: 7000, cityFen: 1500, countyFen: 1500 });
  });
});

describe('D3 nursing subsidy per the type/level table, no dibao condition — POLICY.md §4 [seed; K]', () => {
  it.each([
    ['intellectual', 1, false, true],
    ['mental', 1, false, true],
    ['physical', 1, false, true],
    ['visual', 1, false, true],
    ['intellectual', 2, true, true],
    ['mental', 2, true, true],
    ['mental', 2, false, false],
    ['physical', 2, true, false],
    ['hearing', 1, true, false],
    ['speech', 1, false, false],
    ['visual', 2, true, false],
    ['intellectual', 3, true, false],
  ] as const)('%s level %i, long-term care %s → %s', (type, level, care, want) => {
    const p = person({ disabilityCert: cert2(type, level, care) });
    const d = evaluateNursingSubsidy(p, hh({ enrollments: [] }, p), P, ASOF);
    expect(d.eligible).toBe(want);
    expect(d.monthlyAmountFen).toBe(want ? 10000 : 0);
    if (want) expect(d.funding).toEqual({ provinceFen: 8000, cityFen: 0, countyFen: 2000 });
  });
  it('a widened table (all level 1–2) admits physical level 2', () => {
    const wide = (['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'] as const).flatMap(
      (type) => [1, 2].map((level) => ({ type, level: level as 1 | 2, requiresLongTermCare: false })),
    );
    const p = person({ disabilityCert: cert2('physical', 2) });
    expect(evaluateNursingSubsidy(p, hh({}, p), { ...P, nursingTable: wide }, ASOF).eligible).toBe(true);
  });
  it('names the missing long-term-care fact and the rule', () => {
    const p = person({ disabilityCert: { generation: 2, disabilityType: 'mental', disabilityLevel: 2 } });
    const d = evaluateNursingSubsidy(p, hh({}, p), P, ASOF);
    expect(d.eligible).toBeNull();
    expect(d.missingFacts[0]).toMatchObject({ fact: 'disabilityCert.needsLongTermCare', rule: 'D3' });
  });
});

describe('D4 both subsidies together — POLICY.md §4 [seed]', () => {
  it('an urban dibao person with physical level 1 gets 200 元 in total', () => {
    const p = person();
    const h = hh({ enrollments: dibao('urban') }, p);
    const total =
      evaluateLivingSubsidy(p, h, P, ASOF).monthlyAmountFen + evaluateNursingSubsidy(p, h, P, ASOF).monthlyAmountFen;
    expect(total).toBe(20000);
  });
});

describe('D5 orphans: nursing only — POLICY.md §4 [seed; J]', () => {
  it.each([
    ['orphan_basic_living', false, true],
    ['de_facto_unsupported_child', true, true],
  ] as const)('%s → living %s, nursing %s', (kind, living, nursing) => {
    const p = person({ birthDate: '2015-01-01', otherBenefits: [{ kind }] });
    const h = hh({ enrollments: dibao('urban') }, p);
    expect(evaluateLivingSubsidy(p, h, P, ASOF).eligible).toBe(living);
    expect(evaluateNursingSubsidy(p, h, P, ASOF).eligible).toBe(nursing);
  });
});

describe('D6 择高 against elderly / work-disability / retiree allowances of the same kind — POLICY.md §4 [seed]', () => {
  it.each([
    ['elderly_living_allowance', 15000, 'living', 0, 'choose_higher_other'],
    ['elderly_living_allowance', 5000, 'living', 10000, 'choose_higher_subsidy'],
    ['retiree_nursing_allowance', 10000, 'nursing', 0, 'choose_higher_other'],
    ['work_disability_nursing_allowance', 3000, 'nursing', 10000, 'choose_higher_subsidy'],
    ['elderly_nursing_allowance', 50000, 'living', 10000, null],
  ] as const)('%s %i fen vs the %s subsidy → pays %i', (kind, fen, which, pay, flag) => {
    const p = person({ otherBenefits: [{ kind, monthlyAmountFen: fen }] });
    const h = hh({ enrollments: dibao('urban') }, p);
    const d = which === 'living' ? evaluateLivingSubsidy(p, h, P, ASOF) : evaluateNursingSubsidy(p, h, P, ASOF);
    expect(d.eligible).toBe(true);
    expect(d.monthlyAmountFen).toBe(pay);
    expect(d.flags.includes(flag ?? '')).toBe(flag !== null);
  });
  it('an allowance without an amount is a missing fact of D6', () => {
    const p = person({ otherBenefits: [{ kind: 'elderly_living_allowance' }] });
    const d = evaluateLivingSubsidy(p, hh({ enrollments: dibao('urban') }, p), P, ASOF);
    expect(d.eligible).toBeNull();
    expect(d.missingFacts[0]?.rule).toBe('D6');
  });
});

describe('D7 work-injury nursing fee or 特困 → neither subsidy — POLICY.md §4 [seed]', () => {
  it.each([
    [
      'work-injury nursing fee',
      { otherBenefits: [{ kind: 'work_injury_nursing_fee' as const, monthlyAmountFen: 90000 }] },
      [],
    ],
    ['in 特困 support', {}, [{ programme: 'tekun' as const, personRef: 'p1', status: 'active' as const }]],
  ])('%s', (_n, o, extra) => {
    const p = person(o);
    const h = hh({ enrollments: [...dibao('urban'), ...extra] }, p);
    expect(evaluateLivingSubsidy(p, h, P, ASOF).eligible).toBe(false);
    expect(evaluateNursingSubsidy(p, h, P, ASOF).eligible).toBe(false);
  });
});

describe('D8 neither subsidy counts as dibao income — POLICY.md §4; §2 [A art.13]', () => {
  it('social assistance (the two subsidies) is not a counted income kind and every decision says so', () => {
    expect(COUNTED_INCOME.has('social_assistance')).toBe(false);
    const p = person();
    const d = evaluateLivingSubsidy(p, hh({ enrollments: dibao('urban') }, p), P, ASOF);
    expect(d.clauses.find((c) => c.clause === 'D8.not_income')?.citation).toContain('[A art.13]');
  });
});

describe('coverage gap flag — POLICY.md §4 [seed] (S13: counties must set the class 3–4 standard)', () => {
  it.each([
    ['otherwise eligible', {}, ['coverage_gap']],
    ['not local 户籍', { hukouLocal: false }, []],
    [
      '1st-generation certificate',
      { disabilityCert: { generation: 1 as const, disabilityType: 'physical' as const } },
      [],
    ],
  ])('rural class 3 without a county standard, %s → flags %j', (_n, o, flags) => {
    const p = person(o as Partial<PersonFacts>);
    expect(evaluateLivingSubsidy(p, hh({ enrollments: dibao('rural', 3) }, p), P, ASOF).flags).toEqual(flags);
  });
});
