import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSESSMENT, type DibaoStandard, validateAssessmentParameters } from './parameters.js';
import {
  ageOn,
  assessDibao,
  classOf,
  firstPaymentMonth,
  type HouseholdFacts,
  type MemberFacts,
  reviewCadenceMonths,
  reviewOutcome,
  reviewScoreOf,
  shareStops,
  taperEndMonth,
  validUntil,
} from './rules.js';

const STD: DibaoStandard = {
  urbanMonthlyFen: 80_000,
  ruralMonthlyFen: 50_000,
  classAmountsFen: { 1: 50_000, 2: 45_000, 3: 20_000, 4: 12_000 },
};
const P = DEFAULT_ASSESSMENT;
const AS_OF = '2026-11-01';

function member(o: Partial<MemberFacts> = {}): MemberFacts {
  return {
    personId: 1,
    name: '张三',
    birthDate: '1970-05-01',
    hukouLocal: true,
    isHead: true,
    labourCapacity: 'full',
    health: 'healthy',
    graveIllness: false,
    disabilityLevel: null,
    deathDate: null,
    shareStopped: false,
    ...o,
  };
}
function household(o: Partial<HouseholdFacts> = {}): HouseholdFacts {
  return {
    hukouType: 'rural',
    housingRating: 'A',
    members: [
      member(),
      member({ personId: 2, name: '李四', isHead: false, birthDate: '2015-03-01', labourCapacity: 'none' }),
    ],
    income: [],
    property: [],
    ...o,
  };
}
const assess = (facts: HouseholdFacts, visitRating: number | null = 5, reviewScore: number | null = 80) =>
  assessDibao({ facts, asOf: AS_OF, standard: STD, params: P, visitRating, reviewScore });

describe('legal gates first (S5; POLICY §2 [A arts.4, 13, 14])', () => {
  it.each([
    [
      '[A art.4] head without local 户籍 → hukou gate fails',
      household({ members: [member({ hukouLocal: false })] }),
      'hukou',
      false,
    ],
    [
      '[A art.13] per-capita income equal to the standard is not below it',
      household({ income: [{ kind: 'wages', period: 'monthly', amountFen: 100_000 }] }),
      'income',
      false,
    ],
    [
      '[A art.13] income just below the standard passes',
      household({ income: [{ kind: 'wages', period: 'monthly', amountFen: 99_998 }] }),
      'income',
      true,
    ],
    [
      '[A art.13] excluded kinds (抚恤, 救助金, 基础养老金) are not counted',
      household({
        income: [
          { kind: 'special_care', period: 'monthly', amountFen: 500_000 },
          { kind: 'social_assistance', period: 'monthly', amountFen: 500_000 },
          { kind: 'basic_pension', period: 'annual', amountFen: 1_200_000 },
        ],
      }),
      'income',
      true,
    ],
    [
      '[A art.13] annual income is taken monthly',
      household({ income: [{ kind: 'business_net', period: 'annual', amountFen: 1_200_000 }] }),
      'income',
      false,
    ],
    [
      '[A art.14] deposits over 24 months of the standard per capita fail',
      household({ property: [{ kind: 'deposit', valueFen: 24 * 50_000 * 2 + 1 }] }),
      'property',
      false,
    ],
    [
      '[A art.14] deposits at the limit pass',
      household({ property: [{ kind: 'deposit', valueFen: 24 * 50_000 * 2 }] }),
      'property',
      true,
    ],
    [
      '[A art.14] a second house fails',
      household({
        property: [
          { kind: 'house', valueFen: 1 },
          { kind: 'house', valueFen: 1 },
        ],
      }),
      'property',
      false,
    ],
    [
      '[A art.14] a car above the local limit fails',
      household({ property: [{ kind: 'vehicle', valueFen: 5_000_001 }] }),
      'property',
      false,
    ],
  ])('%s', (_name, facts, gate, passed) => {
    const a = assess(facts);
    expect(a.gates.find((g) => g.code === gate)?.passed).toBe(passed);
    expect(a.eligible).toBe(a.gates.every((g) => g.passed));
    if (!a.eligible) {
      expect(a.monthlyAmountFen).toBe(0);
      expect(a.explanation).toContain('不符合低保条件');
    }
  });
});

describe('"3+1" weighted score and rural class (S5, configurable default)', () => {
  it.each([
    [90, 1],
    [75, 1],
    [74, 2],
    [55, 2],
    [54, 3],
    [35, 3],
    [34, 4],
    [0, 4],
  ])('combined %i → class %i', (score, cls) => {
    expect(classOf(score, P.classCutoffs)).toBe(cls);
  });

  it('combines the survey and review with the configured weights and keeps every sub-score', () => {
    const a = assess(household(), 5, 80);
    // 2 members, 1 dependent (child) → 15; no illness; housing A → 0; income 0 → 25; visit 5/10 → 5 ⇒ 45
    expect(a.subScores).toEqual({ dependency: 15, illness: 0, housing: 0, incomeGap: 25, visitRating: 5 });
    expect(a.surveyScore).toBe(45);
    expect(a.combinedScore).toBe(Math.floor((45 * 60 + 80 * 40) / 100));
    expect(a.ruralClass).toBe(2);
    expect(a.explanation).toContain('民主评议得分 80');
  });

  it('neither the survey nor the vote alone decides: the same survey with a different vote changes the class', () => {
    expect(assess(household(), 5, 100).ruralClass).toBe(2);
    expect(assess(household(), 5, 0).ruralClass).toBe(4);
  });

  it('without a democratic review (national rule, only on objection) the combined score is the survey score', () => {
    const a = assess(household(), 5, null);
    expect(a.combinedScore).toBe(a.surveyScore);
    expect(a.explanation).toContain('未举行民主评议');
  });

  it('review score is the share of votes in favour', () => {
    expect(reviewScoreOf(7, 2, 1)).toBe(70);
    expect(reviewScoreOf(0, 0, 0)).toBe(0);
  });
});

describe('benefit (POLICY §2 [A art.23]; rounding configurable)', () => {
  it('urban: (standard − per-capita income) × members, rounded up to the yuan', () => {
    const a = assess(
      household({ hukouType: 'urban', income: [{ kind: 'wages', period: 'monthly', amountFen: 60_001 }] }),
    );
    // pci = 30000 (floor of 60001/2); gap 50000 × 2 = 100000
    expect(a.perCapitaFen).toBe(30_000);
    expect(a.monthlyAmountFen).toBe(100_000);
    expect(a.breakdown[0]).toContain('城市低保标准');
  });

  it('rural: class amount × members', () => {
    const a = assess(household(), 5, 100);
    expect(a.monthlyAmountFen).toBe(STD.classAmountsFen[a.ruralClass!] * 2);
  });

  it('a member whose share stopped after 3 refusals is not paid for [A art.34]', () => {
    const f = household({
      hukouType: 'urban',
      members: [member(), member({ personId: 2, isHead: false, shareStopped: true })],
    });
    const a = assess(f);
    expect(a.benefitMembers).toBe(1);
    expect(a.monthlyAmountFen).toBe(80_000);
  });

  it('the amount is never negative (property-based)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom<'urban' | 'rural'>('urban', 'rural'),
        (wages, kind) => {
          const a = assess(
            household({ hukouType: kind, income: [{ kind: 'wages', period: 'monthly', amountFen: wages }] }),
          );
          expect(a.monthlyAmountFen).toBeGreaterThanOrEqual(0);
          if (!a.eligible) expect(a.monthlyAmountFen).toBe(0);
        },
      ),
    );
  });

  it('低保边缘: ineligible, income below 1.5 × standard → flagged for referral [A art.6]', () => {
    const a = assess(household({ income: [{ kind: 'wages', period: 'monthly', amountFen: 120_000 }] }));
    expect(a.eligible).toBe(false);
    expect(a.edge).toBe(true);
  });
});

describe('validity, cadence and exits', () => {
  it.each([
    ['[A arts.21,25] pay from the month after approval', () => firstPaymentMonth('2026-11-20'), '2026-12'],
    ['validity 12 months from the first payment month', () => validUntil('2026-11-20', P), '2027-11-30'],
    ['[A art.33; F] 渐退期 capped at 6 months', () => taperEndMonth('2026-11', 9, P), '2027-05'],
    ['[A art.33] 渐退期 of 2 months', () => taperEndMonth('2026-11', 2, P), '2027-01'],
  ])('%s', (_n, f, expected) => {
    expect(f()).toBe(expected);
  });

  it('[A art.31; E item 7] half-yearly when a member can work, yearly otherwise', () => {
    expect(reviewCadenceMonths(household(), AS_OF, P)).toBe(6);
    expect(
      reviewCadenceMonths(
        household({ members: [member({ labourCapacity: 'none', birthDate: '1950-01-01' })] }),
        AS_OF,
        P,
      ),
    ).toBe(12);
  });

  it('[A art.34; D art.45] the share stops at the third refusal', () => {
    expect(shareStops(2, P)).toBe(false);
    expect(shareStops(3, P)).toBe(true);
  });

  it.each([
    [{ ruralClass: 2, monthlyAmountFen: 90_000 }, { eligible: false, ruralClass: null, monthlyAmountFen: 0 }, 'exit'],
    [
      { ruralClass: 2, monthlyAmountFen: 90_000 },
      { eligible: true, ruralClass: 1, monthlyAmountFen: 100_000 },
      'reclass',
    ],
    [
      { ruralClass: null, monthlyAmountFen: 90_000 },
      { eligible: true, ruralClass: null, monthlyAmountFen: 80_000 },
      'amount_change',
    ],
    [
      { ruralClass: 2, monthlyAmountFen: 90_000 },
      { eligible: true, ruralClass: 2, monthlyAmountFen: 90_000 },
      'continue',
    ],
  ])('(S3) Q4 review outcome %#', (old, now, outcome) => {
    expect(reviewOutcome(old, now)).toBe(outcome);
  });

  it('age in full years', () => {
    expect(ageOn('2010-11-02', '2026-11-01')).toBe(15);
    expect(ageOn('2010-11-01', '2026-11-01')).toBe(16);
  });

  it('the shipped default parameters are valid', () => {
    expect(validateAssessmentParameters(P)).toEqual([]);
    expect(validateAssessmentParameters({ ...P, surveyWeightPct: 70 })).not.toEqual([]);
  });
});
