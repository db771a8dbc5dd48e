import { describe, expect, it } from 'vitest';
import {
  defaultDibaoWorkflow,
  nationalDibaoWorkflow,
  townshipDelegatedDibaoWorkflow,
} from '../programs/dibao/workflow.js';
import {
  checkStep,
  checklist,
  dueDate,
  missingMaterials,
  pendingStep,
  reopenFrom,
  validateDefinition,
} from './engine.js';

const perms = (...p: string[]) => new Set(p);
const cal = { holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05']), workdays: new Set(['2026-10-10']) };

describe('workflow as data (POLICY §2 [A arts.9–22], S5)', () => {
  it('the shipped definitions are valid', () => {
    for (const d of [defaultDibaoWorkflow, nationalDibaoWorkflow, townshipDelegatedDibaoWorkflow])
      expect(validateDefinition(d)).toEqual([]);
  });

  it('rejects a definition whose time limit counts from a later step', () => {
    const bad = { ...defaultDibaoWorkflow, steps: [...defaultDibaoWorkflow.steps].reverse() };
    expect(validateDefinition(bad).length).toBeGreaterThan(0);
  });

  it.each([
    ['default "3+1": 民主评议 for every case', defaultDibaoWorkflow, {}, 'democratic_review', true],
    ['[A art.19] national: 民主评议 only on objection', nationalDibaoWorkflow, {}, 'democratic_review', false],
    ['[A art.19] national after an objection', nationalDibaoWorkflow, { objection: true }, 'democratic_review', true],
    [
      '[A arts.11,20] county visit for 单独登记备案',
      defaultDibaoWorkflow,
      { separateRegistration: true },
      'county_visit',
      true,
    ],
    ['no county visit otherwise', defaultDibaoWorkflow, {}, 'county_visit', false],
  ])('%s', (_n, def, flags, step, applies) => {
    const c = checkStep(def, { completed: {}, flags }, step, perms('dibao.review', 'dibao.approve'));
    expect(c.ok === false && c.reason === 'not_applicable').toBe(!applies);
  });

  it('an out-of-order step names every step that must happen first', () => {
    const c = checkStep(
      defaultDibaoWorkflow,
      { completed: { acceptance: '2026-10-08' }, flags: {} },
      'publicity',
      perms('dibao.review'),
    );
    expect(c.ok).toBe(false);
    if (!c.ok && c.reason === 'out_of_order')
      expect(c.mustFirst.map((s) => s.code)).toEqual(['investigation', 'democratic_review', 'assessment']);
    else throw new Error('expected out_of_order');
  });

  it('the wrong role is refused; a step done twice is reported as done', () => {
    const p = { completed: {}, flags: {} };
    expect(checkStep(defaultDibaoWorkflow, p, 'acceptance', perms('dibao.approve'))).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    expect(
      checkStep(
        defaultDibaoWorkflow,
        { completed: { acceptance: '2026-10-08' }, flags: {} },
        'acceptance',
        perms('dibao.apply'),
      ),
    ).toMatchObject({ ok: false, reason: 'already_done' });
  });

  it('delegation to the township is configuration: the township reviewer may decide', () => {
    const done = { acceptance: 'x', investigation: 'x', democratic_review: 'x', assessment: 'x', publicity: 'x' };
    expect(
      checkStep(townshipDelegatedDibaoWorkflow, { completed: done, flags: {} }, 'decision', perms('dibao.review')).ok,
    ).toBe(true);
    expect(checkStep(defaultDibaoWorkflow, { completed: done, flags: {} }, 'decision', perms('dibao.review')).ok).toBe(
      false,
    );
  });

  it('[A art.10] lists all missing materials at once', () => {
    const step = defaultDibaoWorkflow.steps[0]!;
    expect(missingMaterials(step, new Set(['application_form'])).map((m) => m.kind)).toEqual([
      'id_copies',
      'income_declaration',
      'verification_authorization',
    ]);
  });

  it('[A art.20] decision due 10 working days after 公示, skipping holidays and counting 调休', () => {
    const step = defaultDibaoWorkflow.steps.find((s) => s.code === 'decision')!;
    // 2026-09-30 (Wed) + 10 working days: Oct 1, 2, 5 holidays; Oct 10 (Sat) is a working day → Oct 6,7,8,9,10,12,13,14,15,16.
    expect(dueDate(step, { completed: { publicity: '2026-09-30' }, flags: {} }, cal)).toBe('2026-10-16');
  });

  it('[A art.19] an objection reopens from 民主评议 and re-issues the first review', () => {
    const p = reopenFrom(
      nationalDibaoWorkflow,
      { completed: { acceptance: 'a', investigation: 'b', assessment: 'c', publicity: 'd' }, flags: {} },
      'democratic_review',
    );
    expect(p.completed).toEqual({ acceptance: 'a', investigation: 'b' });
    expect(pendingStep(nationalDibaoWorkflow, p)?.code).toBe('democratic_review');
  });

  it('the checklist follows the applicable steps (S6)', () => {
    const kinds = checklist(defaultDibaoWorkflow, { completed: {}, flags: { separateRegistration: true } }).map(
      (m) => m.kind,
    );
    expect(kinds).toContain('county_visit_record');
    expect(checklist(nationalDibaoWorkflow, { completed: {}, flags: {} }).map((m) => m.kind)).not.toContain(
      'review_minutes',
    );
  });
});
