/**
 * Disability two-subsidy applications on the case engine (POLICY.md §4 [K; seed]): the assessment at the township's
 * first review through the pure rules (evaluateLivingSubsidy / evaluateNursingSubsidy) as of the application date with
 * the registry facts, the enrolment at approval and the texts of the written notices. 择高 and the exclusions (特困,
 * work-injury nursing fee, orphans: nursing only) make the application refusable only, quoting the clause's citation.
 */
import { formatYuan } from '../../../domain/money.js';
import { disabilityParams } from '../../../domain/parameters/extract.js';
import { evaluateLivingSubsidy, evaluateNursingSubsidy } from '../../../domain/programs/disability/rules.js';
import {
  SUBSIDY_NAME_ZH,
  type SubsidyProgramme,
  subsidyStartMonth,
} from '../../../domain/programs/disability/workflow.js';
import { stoppingClauses } from '../../../domain/programs/disability/review.js';
import type { ClauseResult, Decision } from '../../../domain/programs/facts.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import type { NoticeDraft } from '../notices/service.js';
import { registryHouseholdFacts } from '../policy/evaluate.js';
import { requireParameters, resolvedPolicyParameters } from './policy-params.js';
import type { CaseRow } from './repo.js';
import { insertPersonEnrollment, insertTekunAssessment } from './tekun-repo.js';

export const K = '国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见（国发〔2015〕52号）及本省实施办法';

/** The policy text each clause applies, for the notice's basis (POLICY.md §4). */
const CLAUSE_BASIS: Record<string, string> = {
  D1: '补贴对象：具有本地户籍、持有第二代《中华人民共和国残疾人证》的残疾人',
  D2: '困难残疾人生活补贴对象为低保家庭中的残疾人；农村三四类低保家庭由县级自定标准、县级财政负担',
  D3: '重度残疾人护理补贴对象为残疾等级一级、二级且需要长期照护的重度残疾人（本省类别等级表）',
  D5: '享受孤儿基本生活保障政策的残疾儿童不享受困难残疾人生活补贴，可享受重度残疾人护理补贴',
  D6: '既符合两项补贴条件又符合老年、因公致残、离休等福利性生活补贴、护理补贴条件的，择高申领其中一类',
  D7: '领取工伤保险生活护理费、纳入特困人员供养保障的残疾人不享受残疾人两项补贴',
};

async function disabilityParamsFor(db: Db, countyCode: string, asOf: string) {
  const x = disabilityParams(await resolvedPolicyParameters(db, countyCode, asOf));
  return requireParameters(x, '两项补贴', countyCode, asOf);
}

/**
 * The clauses that keep the subsidy from being paid: every clause not met, and 择高 when the other allowance is the
 * higher one (the subsidy pays 0). POLICY.md §4. The same clauses stop a paid subsidy on review.
 */
export const refusalClauses: (d: Decision) => ClauseResult[] = stoppingClauses;

/** Payable: every condition met and an amount to pay (择高 in favour of the other allowance pays nothing). */
export function payable(d: Decision): boolean {
  return d.eligible === true && d.monthlyAmountFen > 0;
}

/**
 * Runs the subsidy's pure rule for the applicant as of the application date with the registry facts of that date
 * and the parameters in force then; stores the inputs, every clause, the funding split and the explanation. A review
 * passes `review`: the date (today) and the household the person lives in now, and the explanation says so.
 */
export async function assessSubsidy(
  tx: Db,
  scope: Scope,
  c: CaseRow,
  opts: { by: number | null; review?: { on: string; householdId: number } },
) {
  if (c.applicant_person_id === null) throw new AppError('INVALID_STATE', { detail: '补贴案件缺少申请人' });
  const asOf = opts.review?.on ?? c.applied_on;
  const hid = opts.review?.householdId ?? c.household_id;
  const facts = (await registryHouseholdFacts(tx, scope, [hid], asOf)).get(hid);
  const person = facts?.members.find((m) => m.ref === String(c.applicant_person_id));
  if (!facts || !person)
    throw new AppError('NOT_FOUND', {
      detail: opts.review
        ? '补贴对象不在现居住户登记，或不在您的管辖范围内'
        : `申请人在申请日（${asOf}）不在该户登记，或不在您的管辖范围内`,
    });
  const x = await disabilityParamsFor(tx, c.county_code, asOf);
  const programme = c.programme as SubsidyProgramme;
  const d =
    programme === 'disability_living'
      ? evaluateLivingSubsidy(person, facts, x.params, asOf)
      : evaluateNursingSubsidy(person, facts, x.params, asOf);
  // A fact the rule needs is missing from the registry: the first review cannot conclude (nothing is stored); the
  // answer names each fact and its rule so the registry can be completed first.
  if (d.eligible === null)
    throw new AppError('INVALID_STATE', {
      detail: `登记信息缺少规则所需的事实，无法完成初审评估：${d.missingFacts.map((m) => `${m.message}（规则 ${m.rule}）`).join('；')}`,
      detailEn: `Facts the rules need are missing: ${d.missingFacts.map((m) => `${m.fact} (rule ${m.rule})`).join(', ')}`,
      extra: { missingFacts: d.missingFacts },
    });
  const ok = payable(d);
  const refusing = refusalClauses(d);
  const name = SUBSIDY_NAME_ZH[programme];
  const verdict = ok
    ? `符合${name}条件，每月 ${formatYuan(d.monthlyAmountFen)} 元（省级 ${formatYuan(d.funding.provinceFen)} 元、市级 ${formatYuan(d.funding.cityFen)} 元、县级 ${formatYuan(d.funding.countyFen)} 元）`
    : `不予发放${name}`;
  const lines = d.clauses.filter((k) => k.outcome !== 'not_applicable').map((k) => `${k.text}（依据：${k.citation}）`);
  const explanation = `${opts.review ? `复核（${asOf}，按当日登记信息）：` : ''}${verdict}。${[...lines, ...d.missingFacts.map((m) => m.message)].join('；')}。`;
  const id = await insertTekunAssessment(tx, {
    caseId: c.id,
    regionCode: c.region_code,
    asOf,
    inputs: {
      ...(opts.review ? { review: true } : {}),
      person,
      household: { ...facts, members: facts.members.map((m) => m.ref) },
    },
    clauses: d.clauses.map((k) => ({
      code: k.clause,
      passed: k.outcome !== 'not_met' && !refusing.includes(k),
      outcome: k.outcome,
      detail: k.text,
      citation: k.citation,
      facts: k.facts,
    })),
    eligible: ok,
    amount: ok ? d.monthlyAmountFen : 0,
    breakdown: {
      programme,
      eligible: d.eligible,
      monthlyAmountFen: d.monthlyAmountFen,
      funding: d.funding,
      flags: d.flags,
      missingFacts: d.missingFacts,
      refusal: refusing.map((k) => ({ code: k.clause, text: k.text, citation: k.citation })),
    },
    parameters: { disability: x.params, used: x.used },
    explanation,
    by: opts.by,
  });
  return { id, decision: d, payable: ok, explanation };
}

/** Approval: the person's enrollment in the subsidy with the monthly amount, from the month after (POLICY.md §4). */
export async function enrolSubsidy(tx: Db, c: CaseRow, amount: number, today: string, by: number | null) {
  const startMonth = subsidyStartMonth(today);
  const enrollmentId = await insertPersonEnrollment(tx, {
    householdId: c.household_id,
    personId: c.applicant_person_id!,
    regionCode: c.region_code,
    programme: c.programme,
    startMonth,
    amount,
    caseRef: c.case_no,
    by,
    reason: `${SUBSIDY_NAME_ZH[c.programme as SubsidyProgramme]}审定 ${c.case_no}`,
  });
  return { enrollmentId, startMonth };
}

interface SubsidyAssessmentLike {
  explanation?: string;
  gates?: Array<{ code: string; passed: boolean; detail: string; citation?: string }>;
  monthly_amount_fen?: number | null;
  breakdown?: unknown;
}

export function basisOf(codes: string[]) {
  const seen = new Set<string>();
  const out: Array<{ document: string; article: string }> = [];
  for (const code of codes) {
    const key = code.split('.')[0]!;
    const text = CLAUSE_BASIS[key];
    if (!text || seen.has(key)) continue;
    seen.add(key);
    out.push({ document: K, article: text });
  }
  return out;
}

/**
 * 不予受理 / 初审不通过 / 不予审定 of a subsidy application (S7): facts, the refusing clauses with their citations, the
 * policy basis and (through the notices module) the reconsideration and litigation rights.
 */
export function subsidyRefusalNotice(
  c: CaseRow,
  kind: 'not_accepted' | 'not_confirmed',
  issuer: 'county' | 'township',
  reason: string,
  a: SubsidyAssessmentLike | undefined,
): NoticeDraft {
  const name = SUBSIDY_NAME_ZH[c.programme as SubsidyProgramme];
  const refusal =
    (a?.breakdown as { refusal?: Array<{ code: string; text: string; citation: string }> } | undefined)?.refusal ?? [];
  const basis =
    kind === 'not_accepted'
      ? [
          {
            document: K,
            article: '申请程序：由残疾人本人或其监护人持第二代残疾人证向户籍所在地乡镇（街道）提出书面申请',
          },
        ]
      : [
          ...basisOf(refusal.map((r) => r.code)),
          {
            document: K,
            article:
              issuer === 'county'
                ? '审核程序：县级民政部门审定，不予审定的书面告知理由'
                : '审核程序：乡镇（街道）受理并初审，初审不通过的书面告知理由',
          },
        ];
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind,
    issuerLevel: issuer,
    addressee: c.applicant_name ?? c.head_name ?? '申请人',
    title:
      kind === 'not_accepted'
        ? `不予受理${name}申请告知书`
        : issuer === 'county'
          ? `不予审定${name}告知书`
          : `${name}初审不予通过告知书`,
    decision:
      kind === 'not_accepted'
        ? `对你提出的${name}申请，决定不予受理。`
        : `经审核，你不符合${name}发放条件，决定不予${issuer === 'county' ? '审定' : '通过初审'}。`,
    facts: `你于 ${c.applied_on} 提出${name}申请（案件编号 ${c.case_no}）。${refusal.length ? `经审核（按申请日 ${c.applied_on} 的登记信息）：${refusal.map((r) => r.text).join('；')}。` : ''}`,
    reasons: [reason, ...refusal.map((r) => `${r.text}（依据：${r.citation}）`)].join('\n'),
    basis,
    withRemedies: true,
  };
}

export function subsidyApprovalNotice(c: CaseRow, a: SubsidyAssessmentLike, startMonth: string): NoticeDraft {
  const name = SUBSIDY_NAME_ZH[c.programme as SubsidyProgramme];
  const funding = (a.breakdown as { funding?: { provinceFen: number; cityFen: number; countyFen: number } } | undefined)
    ?.funding;
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'approval',
    issuerLevel: 'county',
    addressee: c.applicant_name ?? c.head_name ?? '申请人',
    title: `${name}审定通知书`,
    decision: `经审定，你符合${name}条件，每月 ${formatYuan(a.monthly_amount_fen ?? 0)} 元${
      funding
        ? `（省级 ${formatYuan(funding.provinceFen)} 元、市级 ${formatYuan(funding.cityFen)} 元、县级 ${formatYuan(funding.countyFen)} 元）`
        : ''
    }，自 ${startMonth} 起按月发放。两项补贴不计入低保家庭收入。`,
    facts: `你于 ${c.applied_on} 提出申请（案件编号 ${c.case_no}），经乡镇（街道）初审、县级审定。`,
    reasons: a.explanation ?? '',
    basis: basisOf((a.gates ?? []).map((g) => g.code)),
    withRemedies: true,
  };
}
