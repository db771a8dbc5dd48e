import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../workflow/engine.js';
import {
  DISABILITY_LIMITS,
  disabilityLivingWorkflow,
  disabilityNursingWorkflow,
  isSubsidyProgramme,
  subsidyStartMonth,
} from './workflow.js';

/** The two-subsidy procedure as data — POLICY.md §4 [K]: township acceptance with the certificate, first review, county decision. */
describe('disability subsidy workflow — POLICY.md §4 [K]', () => {
  it.each([disabilityLivingWorkflow, disabilityNursingWorkflow])(
    '$code is a valid definition decided by the county',
    (w) => {
      expect(validateDefinition(w)).toEqual([]);
      expect(w.steps.map((s) => s.code)).toEqual(['acceptance', 'township_review', 'decision']);
      expect(w.steps.map((s) => s.permission)).toEqual(['disability.apply', 'disability.review', 'disability.approve']);
      expect(w.decisionBody).toBe('county');
      expect(w.steps[0]!.materials.map((m) => m.kind)).toContain('disability_cert_copy');
      expect(w.steps[1]!.timeLimit?.workingDays).toBe(DISABILITY_LIMITS.townshipWorkingDays);
      expect(w.steps[2]!.timeLimit).toMatchObject({
        from: 'township_review',
        workingDays: DISABILITY_LIMITS.countyWorkingDays,
      });
    },
  );
  it('the living subsidy asks for the 低保 proof, the nursing subsidy does not (no dibao condition)', () => {
    expect(disabilityLivingWorkflow.steps[0]!.materials.map((m) => m.kind)).toContain('dibao_proof');
    expect(disabilityNursingWorkflow.steps[0]!.materials.map((m) => m.kind)).not.toContain('dibao_proof');
  });
  it.each([
    ['2026-11-29', '2026-12'],
    ['2026-12-31', '2027-01'],
  ])('approved %s → paid from %s', (d, m) => expect(subsidyStartMonth(d)).toBe(m));
  it.each([
    ['disability_living', true],
    ['disability_nursing', true],
    ['tekun', false],
    ['dibao', false],
  ])('%s is a subsidy programme: %s', (p, want) => expect(isSubsidyProgramme(p)).toBe(want));
});
