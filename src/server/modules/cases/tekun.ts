/**
 * 特困 specifics of the case engine (POLICY.md §3 [C arts.13–18]): the assessment through the pure rules (three
 * conditions, six-activity self-care → care tier, explanation stored), the county's ≥ 30% random re-check drawn
 * deterministically per case id, the decision (enrollment for the person, exclusion from 低保 for the same person)
 * and the texts of the written notices.
 */
import { formatYuan } from '../../../domain/money.js';
import { tekunParams } from '../../../domain/parameters/extract.js';
import type { SelfCareFacts, SupporterFacts } from '../../../domain/programs/facts.js';
import { careTierOf, evaluateTekun, nextReviewDate } from '../../../domain/programs/tekun/rules.js';
import {
  pickRecheckSample,
  recheckSampleSize,
  supportStartMonth,
  TEKUN_LIMITS,
} from '../../../domain/programs/tekun/workflow.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import type { NoticeDraft } from '../notices/service.js';
import { registryHouseholdFacts } from '../policy/evaluate.js';
import { resolvedPolicyParameters } from './policy-params.js';
import type { CaseRow } from './repo.js';
import {
  activeDibaoOf,
  countyRecheckCounts,
  insertDibaoExclusion,
  insertPersonEnrollment,
  insertRecheck,
  insertTekunAssessment,
  recheckOf,
} from './tekun-repo.js';

const C = '特困人员认定办法';

const CN = '〇一二三四五六七八九';
/** 1–99 in Chinese numerals (第十四条, 第二十一条). */
function cnNumber(n: number): string {
  if (n < 10) return CN[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN[tens]}十${ones ? CN[ones] : ''}`;
}

/** Articles of [C] in a clause citation: "[C art.5; E; C art.24]" → 第五条, 第二十四条; "[C arts.21–23]" → 第二十一至二十三条. */
export function articlesOf(citation: string): string[] {
  return [...citation.matchAll(/C arts?\.(\d+)(?:[–-](\d+))?/g)].map((m) => {
    const a = cnNumber(Number(m[1]));
    return m[2] ? `第${a}至${cnNumber(Number(m[2]))}条` : `第${a}条`;
  });
}

async function tekunParamsFor(db: Db, countyCode: string, asOf: string) {
  const x = tekunParams(await resolvedPolicyParameters(db, countyCode, asOf));
  if (!x.ok)
    throw new AppError('CONFIGURATION_MISSING', {
      detail: `区县 ${countyCode} 在 ${asOf} 缺少生效的特困参数：${x.missingKeys.join('、')}，请先在“政策参数”中录入`,
      detailEn: `Missing tekun parameters for county ${countyCode} on ${asOf}: ${x.missingKeys.join(', ')}`,
      extra: { missingParameters: x.missingKeys, countyCode },
    });
  return x;
}

/**
 * Runs the pure 特困 rules for the applicant with the registry facts of the household, the supporters and the six
 * activities found by the investigation; stores every clause, the parameters used and the explanation.
 */
export async function assessTekun(
  tx: Db,
  scope: Scope,
  c: CaseRow,
  inv: { supporters: SupporterFacts[]; selfCare: SelfCareFacts },
  opts: { asOf: string; by: number | null },
) {
  if (c.applicant_person_id === null) throw new AppError('INVALID_STATE', { detail: '特困案件缺少申请人' });
  const facts = (await registryHouseholdFacts(tx, scope, [c.household_id], opts.asOf)).get(c.household_id);
  const person = facts?.members.find((m) => m.ref === String(c.applicant_person_id));
  if (!facts || !person) throw new AppError('NOT_FOUND', { detail: '申请人不在该户或不在您的管辖范围内' });
  const p = { ...person, supporters: inv.supporters, selfCare: inv.selfCare };
  const household = { ...facts, members: facts.members.map((m) => (m.ref === p.ref ? p : m)) };
  const x = await tekunParamsFor(tx, c.county_code, opts.asOf);
  const d = evaluateTekun(p, household, x.params, opts.asOf);
  const eligible = d.eligible === true;
  const tier = careTierOf(inv.selfCare);
  const verdict =
    d.eligible === true ? '符合特困人员认定条件' : d.eligible === false ? '不符合特困人员认定条件' : '条件尚不能确定';
  const lines = d.clauses.filter((k) => k.outcome !== 'not_applicable').map((k) => `${k.text}（依据：${k.citation}）`);
  const explanation = `${verdict}。${[...lines, ...d.missingFacts.map((m) => m.message)].join('；')}。`;
  const id = await insertTekunAssessment(tx, {
    caseId: c.id,
    regionCode: c.region_code,
    asOf: opts.asOf,
    inputs: { person: p, household: { ...household, members: household.members.map((m) => m.ref) } },
    clauses: d.clauses.map((k) => ({
      code: k.clause,
      passed: k.outcome !== 'not_met',
      outcome: k.outcome,
      detail: k.text,
      citation: k.citation,
      facts: k.facts,
    })),
    eligible,
    amount: eligible ? d.monthlyAmountFen : 0,
    breakdown: {
      careTier: tier,
      funding: d.funding,
      flags: d.flags,
      missingFacts: d.missingFacts,
      eligible: d.eligible,
    },
    parameters: { tekun: x.params, used: x.used },
    explanation,
    by: opts.by,
  });
  return { id, decision: d, eligible, tier, explanation };
}

/**
 * The county's random re-check of a case ([C art.16], ≥ 30%): drawn when the case reaches the county, by a seeded
 * shuffle with the case id as seed (reproducible); if the county's share of re-checked cases would fall below the
 * percentage, the case is taken as well (quota top-up). Recorded in case_rechecks.
 */
export async function drawRecheck(tx: Db, c: CaseRow, on: string) {
  // A case whose 公示 runs again after an objection keeps its first draw.
  const prior = await recheckOf(tx, c.id);
  if (prior) return { sampled: prior.sampled, drawn: prior.drawn, quotaTopUp: prior.quota_top_up };
  const percent = TEKUN_LIMITS.recheckPercent;
  const slots = Array.from({ length: 100 }, (_, i) => i);
  const drawn = pickRecheckSample(slots, c.id, percent).includes(0);
  const counts = await countyRecheckCounts(tx, c.county_code, c.programme);
  const cases = counts.cases + 1;
  const quotaTopUp = !drawn && counts.sampled < recheckSampleSize(cases, percent);
  const sampled = drawn || quotaTopUp;
  await insertRecheck(tx, {
    caseId: c.id,
    regionCode: c.region_code,
    programme: c.programme,
    seed: c.id,
    drawn,
    quotaTopUp,
    percent,
    countyCases: cases,
    countySampled: counts.sampled + (sampled ? 1 : 0),
    on,
  });
  return { sampled, drawn, quotaTopUp };
}

/** Approval: the person's enrollment from the month after [C art.18]; 低保 excluded for the same person (§3). */
export async function enrolTekun(
  tx: Db,
  c: CaseRow,
  amount: number,
  today: string,
  by: number | null,
): Promise<{ enrollmentId: number; startMonth: string; nextReviewOn: string; dibaoExclusion: boolean }> {
  const startMonth = supportStartMonth(today);
  const enrollmentId = await insertPersonEnrollment(tx, {
    householdId: c.household_id,
    personId: c.applicant_person_id!,
    regionCode: c.region_code,
    programme: 'tekun',
    startMonth,
    amount,
    caseRef: c.case_no,
    by,
    reason: `特困人员认定 ${c.case_no}`,
  });
  const dibao = await activeDibaoOf(tx, c.household_id);
  if (dibao) {
    await insertDibaoExclusion(tx, {
      householdId: c.household_id,
      personId: c.applicant_person_id!,
      regionCode: c.region_code,
      dibaoCaseId: dibao.case_id === null ? null : Number(dibao.case_id),
      tekunCaseId: c.id,
      fromMonth: startMonth,
      reason: `${c.applicant_name ?? '该成员'}经 ${c.case_no} 认定为特困人员，自 ${startMonth} 起不再计入低保保障（POLICY.md §3）`,
    });
  }
  return { enrollmentId, startMonth, nextReviewOn: nextReviewDate(today), dibaoExclusion: dibao !== undefined };
}

export const TIER_ZH: Record<string, string> = {
  self_care: '具备生活自理能力',
  partly_lost: '部分丧失生活自理能力',
  completely_lost: '完全丧失生活自理能力',
};

interface TekunAssessmentLike {
  explanation?: string;
  gates?: Array<{ code: string; passed: boolean; detail: string; citation?: string }>;
  monthly_amount_fen?: number | null;
  breakdown?: unknown;
}

function failedClauses(a: TekunAssessmentLike | undefined) {
  return (a?.gates ?? []).filter((g) => !g.passed);
}

/** 不予受理 / 不予确认 of a 特困 application — reasons and articles from the failed clauses (S7; [C art.17]). */
export function tekunRefusalNotice(
  c: CaseRow,
  kind: 'not_accepted' | 'not_confirmed',
  issuer: 'county' | 'township',
  reason: string,
  a: TekunAssessmentLike | undefined,
): NoticeDraft {
  const failed = failedClauses(a);
  const articles = failed.flatMap((g) => (g.citation ? articlesOf(g.citation) : []));
  const basis =
    kind === 'not_accepted'
      ? [{ document: C, article: '第十三条' }]
      : [
          ...[...new Set(articles)].map((article) => ({ document: C, article })),
          { document: C, article: '第十七条（不予认定的，书面告知理由）' },
        ];
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind,
    issuerLevel: issuer,
    addressee: c.applicant_name ?? c.head_name ?? '申请人',
    title: kind === 'not_accepted' ? '不予受理特困人员救助供养申请告知书' : '不予认定特困人员告知书',
    decision:
      kind === 'not_accepted'
        ? '对你提出的特困人员救助供养申请，决定不予受理。'
        : '经审核，你不符合特困人员认定条件，决定不予认定。',
    facts: `你于 ${c.applied_on} 提出特困人员救助供养申请（案件编号 ${c.case_no}）。${failed.length ? `经调查核实：${failed.map((g) => g.detail).join('；')}。` : ''}`,
    reasons: [
      reason,
      ...failed.map((g) => `${g.detail}${g.citation ? `（${g.citation}）` : ''}`),
      ...(a?.explanation ? [`认定说明：${a.explanation}`] : []),
    ].join('\n'),
    basis,
    withRemedies: true,
  };
}

export function tekunApprovalNotice(
  c: CaseRow,
  a: TekunAssessmentLike,
  startMonth: string,
  issuer: 'county' | 'township',
): NoticeDraft {
  const tier = (a.breakdown as { careTier?: string } | undefined)?.careTier;
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'approval',
    issuerLevel: issuer,
    addressee: c.applicant_name ?? c.head_name ?? '申请人',
    title: '特困人员认定通知书',
    decision: `经审核，认定你为特困人员${tier ? `（${TIER_ZH[tier] ?? tier}）` : ''}，月救助供养金 ${formatYuan(a.monthly_amount_fen ?? 0)} 元（基本生活标准与照料护理标准），自 ${startMonth} 起按月发放。`,
    facts: `你于 ${c.applied_on} 提出申请（案件编号 ${c.case_no}），经调查核实、公示无异议。`,
    reasons: a.explanation ?? '',
    basis: [{ document: C, article: '第十六条、第十八条' }],
    withRemedies: true,
  };
}
