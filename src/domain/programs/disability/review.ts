/**
 * Review and stopping of the disability two subsidies once they are paid (POLICY.md §4 [K; seed]). [K] asks for
 * periodic review and dynamic management: a recipient whose facts no longer meet a clause of §4 stops receiving
 * the subsidy; a change of the amount (e.g. the household moved from rural 低保 class 2 to class 3, whose living
 * subsidy is the county's own standard) applies from next month. Pure: the re-assessment (evaluateLivingSubsidy /
 * evaluateNursingSubsidy on current registry facts) in, the outcome and the stop reasons out.
 */
import { addMonths } from '../../calendar.js';
import type { ClauseResult, Decision } from '../facts.js';

export type SubsidyStopReason =
  | 'death'
  | 'moved_out'
  | 'hukou'
  | 'certificate'
  | 'dibao_family'
  | 'severity'
  | 'orphan'
  | 'choose_higher'
  | 'exclusion'
  | 'coverage_gap'
  | 'voluntary';

export interface SubsidyStopReasonInfo {
  nameZh: string;
  nameEn: string;
  /** The clause of the rule book, as the 停发 notice quotes it. */
  citation: string;
}

const SEED = 'POLICY.md §4 [seed]';

/** Why a subsidy stops, each with the clause of POLICY.md §4 it no longer meets. */
export const SUBSIDY_STOP_REASONS: Record<SubsidyStopReason, SubsidyStopReasonInfo> = {
  death: {
    nameZh: '补贴对象死亡',
    nameEn: 'The recipient died',
    citation: `${SEED} D1 受益人须在世；死亡当月发放，次月起停发`,
  },
  moved_out: {
    nameZh: '补贴对象已迁出本县（区）',
    nameEn: 'Moved out of the county',
    citation: `${SEED} D1 具有本地户籍`,
  },
  hukou: {
    nameZh: '不再具有本地户籍',
    nameEn: 'No longer local 户籍',
    citation: `${SEED} D1 具有本地户籍`,
  },
  certificate: {
    nameZh: '未持有有效的第二代残疾人证（到期、注销或未换领）',
    nameEn: 'No valid second-generation disability certificate',
    citation: `${SEED} D1 持有第二代《中华人民共和国残疾人证》`,
  },
  dibao_family: {
    nameZh: '所在家庭不再享受低保（困难残疾人生活补贴以低保家庭为条件）',
    nameEn: 'The household no longer receives 低保',
    citation: `${SEED} D2 困难残疾人生活补贴对象为低保家庭中的残疾人`,
  },
  severity: {
    nameZh: '残疾类别、等级或长期照护需要不再符合护理补贴条件',
    nameEn: 'Disability type, level or long-term care no longer qualify for the nursing subsidy',
    citation: `${SEED} D3 重度残疾人护理补贴类别等级表`,
  },
  orphan: {
    nameZh: '已享受孤儿基本生活保障，不享受困难残疾人生活补贴',
    nameEn: 'Receives the orphan basic-living guarantee',
    citation: `${SEED} D5 孤儿不享受生活补贴，可享受护理补贴`,
  },
  choose_higher: {
    nameZh: '同类福利性补贴（老年、因公致残、离休）标准更高，择高领取',
    nameEn: 'A higher welfare allowance of the same kind is chosen',
    citation: `${SEED} D6 择高申领`,
  },
  exclusion: {
    nameZh: '已领取工伤保险生活护理费或纳入特困人员供养',
    nameEn: 'Work-injury nursing fee or 特困 support',
    citation: `${SEED} D7 领取工伤保险生活护理费、纳入特困供养的不享受两项补贴`,
  },
  coverage_gap: {
    nameZh: '县区未制定农村三、四类低保家庭困难残疾人生活补贴标准',
    nameEn: 'The county has no standard for rural class 3–4 households',
    citation: `${SEED} D2 农村三四类低保家庭由县区自定标准、县区财政负担`,
  },
  voluntary: {
    nameZh: '本人（监护人）申请停发',
    nameEn: 'Stopped at the recipient’s request',
    citation: 'POLICY.md §4 [K] 自愿申领，本人申请停止',
  },
};

const BY_CLAUSE: Record<string, SubsidyStopReason> = {
  'D1.alive': 'death',
  'D1.hukou': 'hukou',
  'D1.certificate': 'certificate',
  'D2.dibao_family': 'dibao_family',
  'D3.severity': 'severity',
  'D5.orphan': 'orphan',
  'D6.choose_higher': 'choose_higher',
  'D7.exclusion': 'exclusion',
};

/** The clauses that stop payment: every clause not met, and 择高 when the other allowance is the higher one. */
export function stoppingClauses(d: Decision): ClauseResult[] {
  return d.clauses.filter(
    (k) => k.outcome === 'not_met' || (k.clause === 'D6.choose_higher' && d.flags.includes('choose_higher_other')),
  );
}

/** The stop reasons a re-assessment found, in the order of §4's clauses, each once. */
export function stopReasonsOf(d: Decision): SubsidyStopReason[] {
  const out = new Set<SubsidyStopReason>();
  // A rural class 3–4 household in a county without its own standard still is a 低保 family: D2 fails for want of the
  // county's standard, not for want of 低保 (POLICY.md §4 D2; the rule flags it as a coverage gap).
  const gap = d.flags.includes('coverage_gap');
  for (const k of stoppingClauses(d)) {
    const r = BY_CLAUSE[k.clause];
    if (r) out.add(r === 'dibao_family' && gap ? 'coverage_gap' : r);
  }
  return [...out];
}

export type SubsidyReviewOutcome = 'continue' | 'adjust' | 'stop' | 'undetermined';

/** A review's proposal as the case keeps it (`flags.subsidyReview`) and the case page shows it. */
export interface SubsidyReviewProposal {
  assessmentId: number;
  on: string;
  outcome: SubsidyReviewOutcome;
  reasons: SubsidyStopReason[];
  monthlyAmountFen: number;
  funding: { provinceFen: number; cityFen: number; countyFen: number };
  previous: { monthlyAmountFen: number | null };
  note?: string;
  appliedOn?: string;
}

/**
 * The outcome of a review: stop when a reason was found (or the person left the county), undetermined when a fact the
 * rule needs is missing, adjust when the monthly amount differs from what is paid, otherwise continue.
 */
export function subsidyReviewOutcome(
  currentAmountFen: number,
  d: Pick<Decision, 'eligible' | 'monthlyAmountFen'>,
  reasons: readonly SubsidyStopReason[],
): SubsidyReviewOutcome {
  if (reasons.length || d.eligible === false) return 'stop';
  if (d.eligible === null) return 'undetermined';
  if (d.monthlyAmountFen !== currentAmountFen) return 'adjust';
  return 'continue';
}

/**
 * The last month paid when a subsidy stops: for a death the month of death (paid for the month the person died in,
 * not after; months already paid after it are recovered through the next roster's 扣减 lines), never later than the
 * current month; for any other reason the current month (stopped from next month). Months are YYYY-MM, CST.
 */
export function lastPaidMonth(reason: SubsidyStopReason, currentMonth: string, deathDate: string | null): string {
  if (reason === 'death' && deathDate) {
    const m = deathDate.slice(0, 7);
    return m < currentMonth ? m : currentMonth;
  }
  return currentMonth;
}

/** The first month no longer paid. */
export function stopsFrom(lastMonth: string): string {
  return addMonths(lastMonth, 1);
}
