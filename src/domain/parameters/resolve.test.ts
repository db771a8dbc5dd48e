import { describe, expect, it } from 'vitest';
import { checkParameterValue, parameterDef, PARAMETERS, SEED_PARAMETERS } from './catalogue.js';
import { type ParameterRow, periodsOverlap, resolveParameters } from './resolve.js';

const row = (id: number, regionCode: string, value: number, from: string, to: string | null = null): ParameterRow => ({
  id,
  programme: 'disability',
  regionCode,
  key: 'living_rural_class34_fen',
  value,
  effectiveFrom: from,
  effectiveTo: to,
  sourceDocument: 'doc',
  sourceArticle: 'art',
});

describe('parameter resolution: county overrides city overrides province, as of a date — issue 6 item 1', () => {
  const rows = [
    row(1, '62', 1000, '2020-01-01'),
    row(2, '6208', 2000, '2023-01-01'),
    row(3, '620881', 5000, '2024-01-01', '2025-01-01'),
    row(4, '620881', 6000, '2025-01-01'),
  ];
  it.each([
    ['620802', '2025-06-01', 2000, 2],
    ['620881', '2022-06-01', 1000, 1],
    ['620881', '2023-06-01', 2000, 2],
    ['620881', '2024-12-31', 5000, 3],
    ['620881', '2025-01-01', 6000, 4],
    ['630102', '2025-01-01', undefined, undefined],
  ])('county %s on %s → %s', (county, asOf, value, id) => {
    const r = resolveParameters(rows, county, asOf)['disability.living_rural_class34_fen'];
    expect(r?.value).toBe(value);
    expect(r?.id).toBe(id);
  });
  it.each([
    [{ from: '2024-01-01', to: '2025-01-01' }, { from: '2025-01-01', to: null }, false],
    [{ from: '2024-01-01', to: null }, { from: '2030-01-01', to: null }, true],
    [{ from: '2024-01-01', to: '2024-06-01' }, { from: '2023-01-01', to: '2024-01-02' }, true],
  ])('periods %j and %j overlap: %s', (a, b, want) => expect(periodsOverlap(a, b)).toBe(want));
});

describe('parameter values are checked against the catalogue', () => {
  it('every seed parameter is in the catalogue with a valid value and a source', () => {
    for (const s of SEED_PARAMETERS) {
      const def = parameterDef(s.programme, s.key);
      expect(def, s.key).toBeDefined();
      expect(checkParameterValue(def!, s.value), s.key).toEqual([]);
      expect(s.sourceDocument.length * s.sourceArticle.length).toBeGreaterThan(0);
    }
    expect(PARAMETERS.every((p) => p.citation.startsWith('POLICY.md'))).toBe(true);
  });
  it.each([
    ['disability', 'living_standard_fen', -1],
    ['disability', 'living_standard_fen', 1.5],
    ['disability', 'nursing_table', [{ type: 'smell', level: 1, requiresLongTermCare: false }]],
    ['disability', 'nursing_table', []],
    ['tekun', 'funding_percent', { province: 50, city: 10, county: 10 }],
    ['tekun', 'care_standard_fen', { self_care: 1 }],
  ])('%s.%s = %j is rejected', (programme, key, value) => {
    expect(checkParameterValue(parameterDef(programme, key)!, value).length).toBeGreaterThan(0);
  });
});
