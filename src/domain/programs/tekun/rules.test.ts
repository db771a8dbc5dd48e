import { describe, expect, it } from 'vitest';
import type { HouseholdFacts, PersonFacts, SupporterFacts } from '../facts.js';
import {
  careTierOf,
  evaluateTekun,
  labourCapacityClause,
  livingSourceClause,
  nextReviewDate,
  supporterIncapable,
  type TekunParams,
  terminationReasons,
} from './rules.js';
import { pickRecheckSample, recheckSampleSize, supportStartMonth, tekunDeadlines } from './workflow.js';

const ASOF = '2025-06-01';
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
const allSix = {
  eating: true,
  dressing: true,
  transferring: true,
  toileting: true,
  walkingIndoors: true,
  bathing: true,
};

describe('T1 no labour capacity — POLICY.md §3 [C art.5; E; C art.24]', () => {
  it.each([
    ['aged 60', { birthDate: '1965-06-01' }, 'met'],
    ['aged 59', { birthDate: '1965-06-02' }, 'not_met'],
    ['aged 15', { birthDate: '2010-01-01' }, 'met'],
    ['aged 17 (covered to 18 [E])', { birthDate: '2008-01-01' }, 'met'],
    ['aged 19 in senior high [C art.24]', { birthDate: '2006-01-01', studentStatus: 'senior' as const }, 'met'],
    ['aged 19 at university', { birthDate: '2006-01-01', studentStatus: 'bachelor' as const }, 'not_met'],
    [
      'aged 40 intellectual level 3',
      {
        birthDate: '1985-01-01',
        disabilityCert: {
          generation: 2 as const,
          disabilityType: 'intellectual' as const,
          disabilityLevel: 3 as const,
        },
      },
      'met',
    ],
    [
      'aged 40 mental level 4',
      {
        birthDate: '1985-01-01',
        disabilityCert: { generation: 2 as const, disabilityType: 'mental' as const, disabilityLevel: 4 as const },
      },
      'not_met',
    ],
    [
      'aged 40 physical level 2',
      {
        birthDate: '1985-01-01',
        disabilityCert: { generation: 2 as const, disabilityType: 'physical' as const, disabilityLevel: 2 as const },
      },
      'met',
    ],
    [
      'aged 40 physical level 3',
      {
        birthDate: '1985-01-01',
        disabilityCert: { generation: 2 as const, disabilityType: 'physical' as const, disabilityLevel: 3 as const },
      },
      'not_met',
    ],
    [
      'aged 40 visual level 1',
      {
        birthDate: '1985-01-01',
        disabilityCert: { generation: 2 as const, disabilityType: 'visual' as const, disabilityLevel: 1 as const },
      },
      'met',
    ],
    [
      'aged 40 visual level 2',
      {
        birthDate: '1985-01-01',
        disabilityCert: { generation: 2 as const, disabilityType: 'visual' as const, disabilityLevel: 2 as const },
      },
      'not_met',
    ],
    [
      'aged 40 hearing level 1',
      {
        birthDate: '1985-01-01',
        disabilityCert: { generation: 2 as const, disabilityType: 'hearing' as const, disabilityLevel: 1 as const },
      },
      'not_met',
    ],
  ])('%s → %s', (_n, o, want) => {
    expect(labourCapacityClause(person(o), P, ASOF).outcome).toBe(want);
  });
});

describe('T2 no source of living: income below the 低保 standard with exclusions, property within the limit — POLICY.md §3 [C art.6]', () => {
  it.each([
    ['no income', [], [], 'met'],
    [
      'wages 479 元/month (rural standard 480)',
      [{ personRef: 'p1', kind: 'wages' as const, period: 'monthly' as const, amountFen: 47900 }],
      [],
      'met',
    ],
    [
      'wages 480 元/month',
      [{ personRef: 'p1', kind: 'wages' as const, period: 'monthly' as const, amountFen: 48000 }],
      [],
      'not_met',
    ],
    [
      'basic pension 2000 元 excluded',
      [{ personRef: 'p1', kind: 'basic_pension' as const, period: 'monthly' as const, amountFen: 200000 }],
      [],
      'met',
    ],
    [
      '抚恤 excluded',
      [{ personRef: 'p1', kind: 'special_care' as const, period: 'monthly' as const, amountFen: 200000 }],
      [],
      'met',
    ],
    [
      'annual transfer 6000 元 = 500 元/month',
      [{ personRef: 'p1', kind: 'transfer_net' as const, period: 'annual' as const, amountFen: 600000 }],
      [],
      'not_met',
    ],
    ['deposit 30 000 元 (limit)', [], [{ personRef: 'p1', kind: 'deposit' as const, valueFen: 3000000 }], 'met'],
    ['deposit 30 000.01 元', [], [{ personRef: 'p1', kind: 'deposit' as const, valueFen: 3000001 }], 'not_met'],
  ])('%s → %s', (_n, incomeItems, propertyItems, want) => {
    const p = person();
    expect(livingSourceClause(p, hh(p, { incomeItems, propertyItems }), P).outcome).toBe(want);
  });
});

describe('T3 supporter-incapacity tests — POLICY.md §3 [C art.8]', () => {
  const s = (o: Partial<SupporterFacts>): SupporterFacts => ({
    relation: 'child',
    birthDate: '1980-01-01',
    annualIncomeFen: 1000000,
    propertyFen: 100000,
    ...o,
  });
  it.each([
    ['supporter is 特困', s({ isTekun: true }), true],
    ['低保 recipient aged 60', s({ isDibao: true, birthDate: '1965-01-01' }), true],
    ['低保 recipient aged 45', s({ isDibao: true }), false],
    ['aged 70, low income and property', s({ birthDate: '1950-01-01' }), true],
    [
      'aged 70, income above last year’s per-capita disposable income',
      s({ birthDate: '1950-01-01', annualIncomeFen: 2400000 }),
      false,
    ],
    ['aged 70, income unknown', s({ birthDate: '1950-01-01', annualIncomeFen: null }), null],
    [
      'aged 70, income unknown, property over the limit',
      s({ birthDate: '1950-01-01', annualIncomeFen: null, propertyFen: 6000000 }),
      false,
    ],
    ['physical level 2, low income', s({ disabilityType: 'physical', disabilityLevel: 2 }), true],
    ['mental level 3, low income', s({ disabilityType: 'mental', disabilityLevel: 3 }), true],
    ['physical level 3', s({ disabilityType: 'physical', disabilityLevel: 3 }), false],
    ['imprisoned, property within limit', s({ imprisoned: true, annualIncomeFen: 99999999 }), true],
    ['declared missing, property over the limit', s({ declaredMissing: true, propertyFen: 6000000 }), false],
    ['lacks civil capacity', s({ lacksCivilCapacity: true }), true],
    ['a capable working-age child', s({}), false],
  ])('%s → incapable %s', (_n, sup, want) => {
    expect(supporterIncapable(sup, P, ASOF).incapable).toBe(want);
  });
  it('no supporters → met; unknown supporters → missing fact T3', () => {
    const p = person({ supporters: null });
    const d = evaluateTekun(p, hh(p), P, ASOF);
    expect(d.eligible).toBeNull();
    expect(d.missingFacts).toContainEqual(expect.objectContaining({ fact: 'supporters', rule: 'T3' }));
  });
});

describe('T4 minors taking the child scheme are not 特困 — POLICY.md §3 [C art.9]', () => {
  it.each([
    [true, false],
    [false, true],
  ])('choosesChildScheme %s → eligible %s', (choose, want) => {
    const p = person({ birthDate: '2012-01-01', choosesChildScheme: choose, selfCare: allSix });
    expect(evaluateTekun(p, hh(p), P, ASOF).eligible).toBe(want);
  });
});

describe('T5 six-activity self-care assessment sets the care tier — POLICY.md §3 [C arts.21–23]', () => {
  it.each([
    [0, 'self_care', 5000],
    [1, 'partly_lost', 30000],
    [3, 'partly_lost', 30000],
    [4, 'completely_lost', 60000],
    [6, 'completely_lost', 60000],
  ] as const)('%i activities not achieved → %s', (n, tier, care) => {
    const keys = ['eating', 'dressing', 'transferring', 'toileting', 'walkingIndoors', 'bathing'] as const;
    const sc = { ...allSix };
    for (const k of keys.slice(0, n)) sc[k] = false;
    expect(careTierOf(sc)).toBe(tier);
    const p = person({ selfCare: sc });
    const d = evaluateTekun(p, hh(p), P, ASOF);
    expect(d.monthlyAmountFen).toBe(62400 + care);
  });
});

describe('T6 support standard: basic living ≥ 1.3 × 低保标准 plus the care standard, as parameters — POLICY.md §3', () => {
  it.each([
    ['rural', 1300, 62400],
    ['urban', 1300, 104000],
    ['rural', 1500, 72000],
  ] as const)('%s, %i‰ → basic %i fen', (hukouType, permille, basic) => {
    const p = person({ selfCare: allSix });
    const d = evaluateTekun(p, hh(p, { hukouType }), { ...P, basicLivingPermille: permille }, ASOF);
    expect(d.eligible).toBe(true);
    expect(d.monthlyAmountFen).toBe(basic + 5000);
    expect(d.funding.countyFen).toBe(basic + 5000);
  });
  it('a missing self-care assessment pays the basic standard and names the fact', () => {
    const p = person();
    const d = evaluateTekun(p, hh(p), P, ASOF);
    expect(d.monthlyAmountFen).toBe(62400);
    expect(d.missingFacts).toContainEqual(expect.objectContaining({ fact: 'selfCare', rule: 'T5' }));
  });
});

describe('T7 exclusion from 低保 for the same person — POLICY.md §3', () => {
  it('an eligible person is flagged to be taken out of the 低保 count', () => {
    const p = person({ selfCare: allSix });
    expect(evaluateTekun(p, hh(p), P, ASOF).flags).toContain('excludes_dibao_for_person');
  });
});

describe('yearly review and termination reasons — POLICY.md §3 [C arts.24–26; E item 7]', () => {
  it.each([
    ['death', { deathDate: '2025-05-01' }, [], ['death']],
    ['regained labour capacity', { birthDate: '1990-01-01' }, [], ['regained_labour_capacity']],
    ['imprisoned', { imprisoned: true }, [], ['imprisoned']],
    [
      'income above the standard',
      {},
      [{ personRef: 'p1', kind: 'wages' as const, period: 'monthly' as const, amountFen: 100000 }],
      ['income_or_property'],
    ],
    [
      'a capable supporter appears',
      {
        supporters: [{ relation: 'child' as const, birthDate: '1985-01-01', annualIncomeFen: 6000000, propertyFen: 0 }],
      },
      [],
      ['capable_supporter'],
    ],
  ])('%s', (_n, o, incomeItems, want) => {
    const p = person(o);
    expect(terminationReasons(p, hh(p, { incomeItems }), P, ASOF)).toEqual(want);
  });
  it('voluntary exit', () => {
    const p = person();
    expect(terminationReasons(p, hh(p), P, ASOF, true)).toEqual(['voluntary_exit']);
  });
  it.each([
    ['2025-03-15', '2026-03-15'],
    ['2024-02-29', '2025-02-28'],
  ])('confirmed %s → review by %s', (d, want) => expect(nextReviewDate(d)).toBe(want));
});

describe('procedure time limits and ≥30% re-checks — POLICY.md §3 [C arts.13–18]', () => {
  const cal = { holidays: new Set(['2025-10-01', '2025-10-02', '2025-10-03']), workdays: new Set<string>() };
  it('township ≤ 15 working days, 公示 7 days, county ≤ 15 working days', () => {
    expect(tekunDeadlines('2025-09-01', cal)).toEqual({
      townshipDue: '2025-09-22',
      publicityEnds: '2025-09-29',
      countyDue: '2025-10-23',
    });
  });
  it.each([
    [10, 3],
    [11, 4],
    [1, 1],
    [0, 0],
  ])('%i decisions → re-check at least %i', (n, k) => expect(recheckSampleSize(n)).toBe(k));
  it('the sample is reproducible from its seed and has no repeats', () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const a = pickRecheckSample(ids, 42);
    expect(a).toEqual(pickRecheckSample(ids, 42));
    expect(new Set(a).size).toBe(6);
  });
  it('support from the month after confirmation', () => expect(supportStartMonth('2025-12-20')).toBe('2026-01'));
});

describe('特困 application workflow as data for the shared case engine — POLICY.md §3 [C arts.13–18]', () => {
  it('township ≤ 15 working days, 公示 7 days, county ≤ 15 working days, 民主评议 only on objection, county refuses', async () => {
    const { tekunCaseWorkflow } = await import('./workflow.js');
    const { pendingStep } = await import('../../workflow/engine.js');
    const wf = tekunCaseWorkflow as import('../../workflow/engine.js').WorkflowDefinition;
    const step = (c: string) => wf.steps.find((s) => s.code === c)!;
    expect(step('investigation').timeLimit).toMatchObject({ workingDays: 15, from: 'acceptance' });
    expect(step('publicity').minCalendarDays).toBe(7);
    expect(step('decision').timeLimit).toMatchObject({ workingDays: 15, from: 'publicity' });
    expect(step('democratic_review').when).toBe('objection');
    expect(
      pendingStep(wf, { completed: { acceptance: '2025-09-01', investigation: '2025-09-10' }, flags: {} })?.code,
    ).toBe('publicity');
    expect(wf.rejections.find((r) => r.atStep === 'decision')?.issuer).toBe('county');
  });
});
