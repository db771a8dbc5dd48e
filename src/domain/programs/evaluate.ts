/**
 * Evaluation of a household's facts as of a date against every programme the engine encodes (issue 6 item 5):
 * the facts are checked first (contradictions, dates out of range, dangling references), then each member gets the
 * disability living and nursing subsidy decisions (POLICY.md §4) and the 特困 decision (POLICY.md §3).
 */
import { isValidDate } from '../calendar.js';
import { ageOn } from '../identity/id-number.js';
import type { ResolvedParameters } from '../parameters/resolve.js';
import { disabilityParams, tekunParams } from '../parameters/extract.js';
import { evaluateLivingSubsidy, evaluateNursingSubsidy } from './disability/rules.js';
import type { Decision, HouseholdFacts } from './facts.js';
import { evaluateTekun } from './tekun/rules.js';

export interface FactProblem {
  field: string;
  code: 'contradiction' | 'out_of_range' | 'unknown_reference' | 'duplicate';
  message: string;
}

export const MIN_DATE = '1900-01-01';
export const MIN_AS_OF = '1990-01-01';
export const MAX_DATE = '2100-12-31';

/**
 * Facts that contradict each other or lie out of range. POLICY.md §4 (only 2nd-generation certificates carry the
 * grading the rules read; a 1st-generation certificate with a level is a contradiction in the registry's terms),
 * §2 [A art.13] (the basic pension of 城乡居民养老保险 is paid from age 60 — a child under 16 cannot draw one).
 */
export function checkFacts(h: HouseholdFacts, asOf: string): FactProblem[] {
  const out: FactProblem[] = [];
  if (!isValidDate(asOf) || asOf < MIN_AS_OF || asOf > MAX_DATE) {
    out.push({ field: 'asOf', code: 'out_of_range', message: `评估日期应在 ${MIN_AS_OF} 至 ${MAX_DATE} 之间` });
    return out;
  }
  const refs = new Map<string, number>();
  h.members.forEach((m, i) => {
    const f = `household.members[${i}]`;
    if (refs.has(m.ref)) out.push({ field: `${f}.ref`, code: 'duplicate', message: `成员编号 ${m.ref} 重复` });
    refs.set(m.ref, i);
    if (!isValidDate(m.birthDate) || m.birthDate < MIN_DATE)
      out.push({ field: `${f}.birthDate`, code: 'out_of_range', message: '出生日期不是有效日期' });
    else if (m.birthDate > asOf)
      out.push({ field: `${f}.birthDate`, code: 'out_of_range', message: '出生日期晚于评估日期' });
    if (m.deathDate && (!isValidDate(m.deathDate) || m.deathDate < m.birthDate))
      out.push({ field: `${f}.deathDate`, code: 'contradiction', message: '死亡日期早于出生日期或不是有效日期' });
    const c = m.disabilityCert;
    if (c) {
      if (c.generation === 1 && c.disabilityLevel != null)
        out.push({
          field: `${f}.disabilityCert.disabilityLevel`,
          code: 'contradiction',
          message: '第一代残疾人证不应有按第二代标准评定的残疾等级，请换领第二代证或删除等级',
        });
      if (c.issuedOn && (!isValidDate(c.issuedOn) || c.issuedOn < m.birthDate))
        out.push({
          field: `${f}.disabilityCert.issuedOn`,
          code: 'contradiction',
          message: '发证日期早于出生日期或不是有效日期',
        });
      if (c.issuedOn && isValidDate(c.issuedOn) && c.issuedOn > asOf)
        out.push({ field: `${f}.disabilityCert.issuedOn`, code: 'out_of_range', message: '发证日期晚于评估日期' });
      if (c.expiresOn && (!isValidDate(c.expiresOn) || (c.issuedOn && c.expiresOn < c.issuedOn)))
        out.push({
          field: `${f}.disabilityCert.expiresOn`,
          code: 'contradiction',
          message: '有效期至早于发证日期或不是有效日期',
        });
    }
    (m.supporters ?? []).forEach((s, j) => {
      if (!isValidDate(s.birthDate) || s.birthDate < MIN_DATE || s.birthDate > asOf)
        out.push({
          field: `${f}.supporters[${j}].birthDate`,
          code: 'out_of_range',
          message: '义务人出生日期无效或晚于评估日期',
        });
    });
  });
  const checkRef = (ref: string | null | undefined, field: string) => {
    if (ref != null && !refs.has(ref))
      out.push({ field, code: 'unknown_reference', message: `成员编号 ${ref} 不在本户成员中` });
  };
  (h.incomeItems ?? []).forEach((it, i) => {
    checkRef(it.personRef, `household.incomeItems[${i}].personRef`);
    const mi = it.personRef != null ? refs.get(it.personRef) : undefined;
    const m = mi === undefined ? undefined : h.members[mi];
    if (
      m &&
      it.kind === 'basic_pension' &&
      isValidDate(m.birthDate) &&
      m.birthDate <= asOf &&
      ageOn(m.birthDate, asOf) < 16
    ) {
      out.push({
        field: `household.incomeItems[${i}].kind`,
        code: 'contradiction',
        message: `${m.name ?? m.ref} 未满16周岁，不可能领取基本养老金`,
      });
    }
  });
  (h.propertyItems ?? []).forEach((it, i) => {
    checkRef(it.personRef, `household.propertyItems[${i}].personRef`);
  });
  (h.enrollments ?? []).forEach((e, i) => {
    checkRef(e.personRef, `household.enrollments[${i}].personRef`);
    if (e.programme === 'dibao' && e.dibaoKind === 'urban' && e.ruralClass != null)
      out.push({
        field: `household.enrollments[${i}].ruralClass`,
        code: 'contradiction',
        message: '城市低保没有农村低保类别',
      });
  });
  return out;
}

export interface HouseholdEvaluation {
  decisions: Decision[];
  parameters: Record<string, { regionCode: string; source: string; id: number }>;
}

export type EvaluateOutcome =
  | { ok: true; result: HouseholdEvaluation }
  | { ok: false; problems: FactProblem[] }
  | { ok: false; missingParameters: string[] };

/** Every member's decisions. `resolved` are the parameters in force on `asOf` for the household's county. */
export function evaluateHousehold(h: HouseholdFacts, asOf: string, resolved: ResolvedParameters): EvaluateOutcome {
  const problems = checkFacts(h, asOf);
  if (problems.length) return { ok: false, problems };
  const dp = disabilityParams(resolved);
  const tp = tekunParams(resolved);
  const missingParameters = [...(dp.ok ? [] : dp.missingKeys), ...(tp.ok ? [] : tp.missingKeys)];
  if (!dp.ok || !tp.ok) return { ok: false, missingParameters };
  const decisions: Decision[] = [];
  for (const m of h.members) {
    decisions.push(evaluateLivingSubsidy(m, h, dp.params, asOf));
    decisions.push(evaluateNursingSubsidy(m, h, dp.params, asOf));
    decisions.push(evaluateTekun(m, h, tp.params, asOf));
  }
  return { ok: true, result: { decisions, parameters: { ...dp.used, ...tp.used } } };
}
