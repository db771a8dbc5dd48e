import { describe, expect, it } from 'vitest';
import { SEED_NURSING_TABLE } from '../../parameters/catalogue.js';
import type { HouseholdFacts, PersonFacts } from '../facts.js';
import {
  lastPaidMonth,
  SUBSIDY_STOP_REASONS,
  type SubsidyStopReason,
  stopReasonsOf,
  stopsFrom,
  subsidyReviewOutcome,
} from './review.js';
import { type DisabilityParams, evaluateLivingSubsidy, evaluateNursingSubsidy } from './rules.js';

const TODAY = '2026-11-15';
const P: DisabilityParams = {
  livingStandardFen: 10000,
  livingProvinceShareFen: 7000,
  livingRuralClass34Fen: null,
  nursingStandardFen: 10000,
  nursingProvinceShareFen: 8000,
  nursingTable: SEED_NURSING_TABLE,
  localShareCityPercent: 0,
};
const person = (o: Partial<PersonFacts> = {}): PersonFacts => ({
  ref: 'p1',
  birthDate: '1970-01-01',
  hukouLocal: true,
  disabilityCert: { generation: 2, disabilityType: 'intellectual', disabilityLevel: 1, needsLongTermCare: true },
  ...o,
});
const dibao = (kind: 'urban' | 'rural', cls: 1 | 2 | 3 | 4 | null = null) => ({
  programme: 'dibao' as const,
  status: 'active' as const,
  dibaoKind: kind,
  ruralClass: cls,
});
const hh = (p: PersonFacts, enrollments: HouseholdFacts['enrollments'] = [dibao('urban')]): HouseholdFacts => ({
  regionCode: '620881100200',
  hukouType: 'rural',
  members: [p],
  enrollments,
});

describe('review of a paid subsidy: what the registry says today stops it — POLICY.md §4 [K; seed]', () => {
  // [case, facts of today, household enrollments, subsidy, the stop reasons found]
  it.each<[string, Partial<PersonFacts>, HouseholdFacts['enrollments'], 'living' | 'nursing', SubsidyStopReason[]]>([
    ['D1 died', { deathDate: '2026-09-03' }, undefined, 'nursing', ['death']],
    ['D1 户籍 moved away', { hukouLocal: false }, undefined, 'nursing', ['hukou']],
    [
      'D1 certificate expired',
      {
        disabilityCert: {
          generation: 2,
          disabilityType: 'intellectual',
          disabilityLevel: 1,
          needsLongTermCare: true,
          expiresOn: '2026-10-31',
        },
      },
      undefined,
      'living',
      ['certificate'],
    ],
    ['D2 household left 低保', {}, [], 'living', ['dibao_family']],
    ['D2 left 低保: the nursing subsidy has no 低保 condition', {}, [], 'nursing', []],
    [
      'D3 level re-assessed to 3',
      {
        disabilityCert: { generation: 2, disabilityType: 'intellectual', disabilityLevel: 3, needsLongTermCare: true },
      },
      undefined,
      'nursing',
      ['severity'],
    ],
    [
      'D5 became an orphan under the basic-living guarantee',
      { otherBenefits: [{ kind: 'orphan_basic_living' }] },
      undefined,
      'living',
      ['orphan'],
    ],
    [
      'D6 a higher elderly living allowance',
      { otherBenefits: [{ kind: 'elderly_living_allowance', monthlyAmountFen: 15000 }] },
      undefined,
      'living',
      ['choose_higher'],
    ],
    [
      'D7 taken into 特困 support',
      {},
      [dibao('urban'), { programme: 'tekun', personRef: 'p1', status: 'active' }],
      'nursing',
      ['exclusion'],
    ],
    ['D2 rural class 3 in a county without its own standard', {}, [dibao('rural', 3)], 'living', ['coverage_gap']],
    ['nothing changed', {}, undefined, 'living', []],
  ])('%s → %j', (_n, o, enrollments, which, want) => {
    const p = person(o);
    const h = hh(p, enrollments);
    const d = which === 'living' ? evaluateLivingSubsidy(p, h, P, TODAY) : evaluateNursingSubsidy(p, h, P, TODAY);
    const reasons = stopReasonsOf(d);
    expect(reasons).toEqual(want);
    expect(subsidyReviewOutcome(10000, d, reasons)).toBe(want.length ? 'stop' : 'continue');
    for (const r of reasons) expect(SUBSIDY_STOP_REASONS[r].citation).toMatch(/POLICY\.md §4/);
  });

  it('a changed amount is an adjustment from next month; a missing fact leaves the review undetermined', () => {
    const p = person();
    const rural3 = evaluateLivingSubsidy(p, hh(p, [dibao('rural', 3)]), { ...P, livingRuralClass34Fen: 5000 }, TODAY);
    expect(stopReasonsOf(rural3)).toEqual([]);
    expect(subsidyReviewOutcome(10000, rural3, [])).toBe('adjust');
    expect(subsidyReviewOutcome(5000, rural3, [])).toBe('continue');
    const unknown = person({ hukouLocal: null });
    const d = evaluateNursingSubsidy(unknown, hh(unknown), P, TODAY);
    expect(subsidyReviewOutcome(10000, d, stopReasonsOf(d))).toBe('undetermined');
  });

  it.each([
    ['death in an earlier month: paid to the month of death, later months recovered', 'death', '2026-08-20', '2026-08'],
    ['death this month: paid for this month', 'death', '2026-11-02', '2026-11'],
    ['any other reason: this month is the last', 'certificate', null, '2026-11'],
    ['voluntary', 'voluntary', null, '2026-11'],
  ] as const)('%s', (_n, reason, death, want) => {
    expect(lastPaidMonth(reason, '2026-11', death)).toBe(want);
    expect(stopsFrom(want)).toBe(
      want === '2026-11' ? '2026-12' : `2026-${String(Number(want.slice(5)) + 1).padStart(2, '0')}`,
    );
  });
});
