import { describe, expect, it } from 'vitest';
import { SEED_PARAMETERS } from '../parameters/catalogue.js';
import { type ParameterRow, resolveParameters } from '../parameters/resolve.js';
import { checkFacts, evaluateHousehold } from './evaluate.js';
import type { HouseholdFacts } from './facts.js';

const rows: ParameterRow[] = SEED_PARAMETERS.map((s, i) => ({
  id: i + 1,
  programme: s.programme,
  key: s.key,
  value: s.value,
  effectiveFrom: '2020-01-01',
  effectiveTo: null,
  regionCode: s.at === 'province' ? '62' : s.at === 'city' ? '6208' : s.at,
  sourceDocument: s.sourceDocument,
  sourceArticle: s.sourceArticle,
}));
const base: HouseholdFacts = {
  regionCode: '620802101200',
  hukouType: 'urban',
  members: [
    {
      ref: 'a',
      birthDate: '1980-01-01',
      hukouLocal: true,
      disabilityCert: { generation: 2, disabilityType: 'physical', disabilityLevel: 1 },
    },
    { ref: 'b', birthDate: '2015-05-01', hukouLocal: true },
  ],
  enrollments: [{ programme: 'dibao', status: 'active', dibaoKind: 'urban' }],
};

describe('bad input: contradictory facts and dates out of range — issue 6 "Bad input"; POLICY.md §4, §2 [A art.13]', () => {
  it.each([
    [
      '1st-generation certificate with a level',
      {
        ...base,
        members: [
          {
            ...base.members[0]!,
            disabilityCert: {
              generation: 1 as const,
              disabilityType: 'physical' as const,
              disabilityLevel: 2 as const,
            },
          },
        ],
      },
      '2025-06-01',
      'household.members[0].disabilityCert.disabilityLevel',
      'contradiction',
    ],
    [
      'a child with a pension',
      {
        ...base,
        incomeItems: [{ personRef: 'b', kind: 'basic_pension' as const, period: 'monthly' as const, amountFen: 10000 }],
      },
      '2025-06-01',
      'household.incomeItems[0].kind',
      'contradiction',
    ],
    ['as-of date out of range', base, '1980-01-01', 'asOf', 'out_of_range'],
    ['birth after the as-of date', base, '2010-01-01', 'household.members[1].birthDate', 'out_of_range'],
    [
      'unknown member reference',
      { ...base, propertyItems: [{ personRef: 'zz', kind: 'deposit' as const, valueFen: 1 }] },
      '2025-06-01',
      'household.propertyItems[0].personRef',
      'unknown_reference',
    ],
  ])('%s', (_n, h, asOf, field, code) => {
    expect(checkFacts(h, asOf)).toContainEqual(expect.objectContaining({ field, code }));
  });
});

describe('evaluateHousehold returns every programme per member with parameters and citations', () => {
  it('urban dibao, physical level 1 → living 100 + nursing 100', () => {
    const r = evaluateHousehold(base, '2025-06-01', resolveParameters(rows, '620802', '2025-06-01'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.result.decisions.filter((d) => d.personRef === 'a');
    expect(a.map((d) => [d.programme, d.eligible, d.monthlyAmountFen])).toEqual([
      ['disability_living', true, 10000],
      ['disability_nursing', true, 10000],
      ['tekun', null, 0], // no labour capacity (physical 1), no income, supporters not given → T3 undetermined
    ]);
    expect(r.result.parameters['disability.living_standard_fen']?.regionCode).toBe('62');
  });
  it('names the parameters that are missing', () => {
    const r = evaluateHousehold(
      base,
      '2025-06-01',
      resolveParameters(
        rows.filter((x) => x.key !== 'nursing_table'),
        '620802',
        '2025-06-01',
      ),
    );
    expect(r).toEqual({ ok: false, missingParameters: ['disability.nursing_table'] });
  });
});
