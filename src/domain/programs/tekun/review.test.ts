import { describe, expect, it } from 'vitest';
import type { HouseholdFacts, PersonFacts } from '../facts.js';
import { detectTerminationReasons, TERMINATION_REASONS, tekunReviewOutcome } from './review.js';
import type { TekunParams } from './rules.js';

/** 特困 yearly review and termination — POLICY.md §3 [C arts.24–26; E item 7]. */
const ASOF = '2026-06-01';
const P: TekunParams = {
  elderlyAge: 60,
  minorAge: 16,
  minorCoverUntilAge: 18,
  dibaoStandardUrbanFen: 80000,
  dibaoStandardRuralFen: 48000,
  propertyLimitFen: 3000000,
  supporterIncomeLimitFen: 2400000,
  supporterPropertyLimitFen: 5000000,
  basicLivingPermille: 1300,
  careStandardFen: { self_care: 5000, partly_lost: 30000, completely_lost: 60000 },
  fundingPercent: { province: 0, city: 0, county: 100 },
};
const person = (o: Partial<PersonFacts> = {}): PersonFacts => ({
  ref: 'p1',
  birthDate: '1950-03-01',
  hukouLocal: true,
  supporters: [],
  ...o,
});
const hh = (p: PersonFacts, o: Partial<HouseholdFacts> = {}): HouseholdFacts => ({
  regionCode: '620802101200',
  hukouType: 'rural',
  members: [p],
  ...o,
});
const NONE = { coveredAsMinor: false, movedOut: false };

describe('termination reasons on current registry data — POLICY.md §3 [C arts.24–26]', () => {
  it.each<[string, Partial<PersonFacts>, typeof NONE, string[]]>([
    ['still eligible (aged 76, alone, no income) → none', {}, NONE, []],
    ['death [C art.24]', { deathDate: '2026-05-01' }, NONE, ['death']],
    [
      'aged 40, no disability: regained labour capacity [C arts.5, 24]',
      { birthDate: '1986-01-01' },
      NONE,
      ['regained_labour_capacity'],
    ],
    [
      'admitted as a minor, now 19 and not in school [C art.24; E]',
      { birthDate: '2007-01-01', studentStatus: 'none' },
      { coveredAsMinor: true, movedOut: false },
      ['adult_not_in_school'],
    ],
    [
      'admitted as a minor, now 19 in senior high: continues [C art.24]',
      { birthDate: '2007-01-01', studentStatus: 'senior' },
      { coveredAsMinor: true, movedOut: false },
      [],
    ],
    ['imprisoned [C art.24]', { imprisoned: true }, NONE, ['imprisoned']],
    [
      'a capable supporter appears [C arts.8, 24]',
      { supporters: [{ relation: 'child', birthDate: '1985-01-01', annualIncomeFen: 6000000, propertyFen: 0 }] },
      NONE,
      ['capable_supporter'],
    ],
    [
      'a minor takes the child scheme [C art.9]',
      { birthDate: '2014-01-01', choosesChildScheme: true },
      NONE,
      ['child_scheme'],
    ],
    ['户籍 no longer local [C art.25]', { hukouLocal: false }, NONE, ['moved_out']],
    ['household moved to another county [C art.25]', {}, { coveredAsMinor: false, movedOut: true }, ['moved_out']],
  ])('%s', (_n, o, ctx, want) => {
    const p = person(o);
    expect(detectTerminationReasons(p, hh(p), P, ASOF, ctx)).toEqual(want);
  });

  it('income above the 低保标准 → income_or_property [C arts.6, 24]', () => {
    const p = person();
    const h = hh(p, { incomeItems: [{ personRef: 'p1', kind: 'wages', period: 'monthly', amountFen: 100000 }] });
    expect(detectTerminationReasons(p, h, P, ASOF, NONE)).toEqual(['income_or_property']);
  });

  it('every reason carries a citation of POLICY.md §3 and an article of 特困人员认定办法; only a death skips the 公示', () => {
    for (const [code, r] of Object.entries(TERMINATION_REASONS)) {
      expect(r.citation, code).toMatch(/^POLICY\.md §3 \[C art/);
      expect(r.article, code).toMatch(/^第.+条/);
      expect(r.publicity, code).toBe(code !== 'death');
    }
  });
});

describe('yearly review outcome — POLICY.md §3 [E item 7; C arts.21–26]', () => {
  const cur = { careTier: 'partly_lost' as const, monthlyAmountFen: 92400 };
  it.each<[string, Parameters<typeof tekunReviewOutcome>[1], string[], string]>([
    [
      'same tier and amount → continue',
      { eligible: true, careTier: 'partly_lost', monthlyAmountFen: 92400 },
      [],
      'continue',
    ],
    [
      'self-care worsened → adjust (care tier) [C art.23]',
      { eligible: true, careTier: 'completely_lost', monthlyAmountFen: 122400 },
      [],
      'adjust',
    ],
    [
      'new 低保标准 → adjust (amount)',
      { eligible: true, careTier: 'partly_lost', monthlyAmountFen: 95000 },
      [],
      'adjust',
    ],
    [
      'a termination reason → terminate',
      { eligible: false, careTier: 'partly_lost', monthlyAmountFen: 0 },
      ['death'],
      'terminate',
    ],
    [
      'not eligible without a listed reason → terminate',
      { eligible: false, careTier: 'self_care', monthlyAmountFen: 0 },
      [],
      'terminate',
    ],
    [
      'a fact missing → undetermined',
      { eligible: null, careTier: 'partly_lost', monthlyAmountFen: 0 },
      [],
      'undetermined',
    ],
  ])('%s', (_n, next, reasons, want) => {
    expect(tekunReviewOutcome(cur, next, reasons as never)).toBe(want);
  });
});
