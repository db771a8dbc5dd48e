/**
 * 特困 yearly review and termination. POLICY.md §3: "Termination [arts.24–26]: death; regained labour capacity;
 * imprisonment; income/property no longer qualify; a capable supporter appears; voluntary exit — 7-day 公示, stop
 * from next month. Review **yearly** [E item 7]." Minors are covered to 18, longer while in school [C art.24; E].
 * Pure: the re-assessment (evaluateTekun) and the detected reasons in, the outcome out.
 */
import { ageOn } from '../../identity/id-number.js';
import type { HouseholdFacts, PersonFacts, Tri } from '../facts.js';
import { type CareTier, type TekunParams, terminationReasons } from './rules.js';

export type TekunTerminationReason =
  | 'death'
  | 'regained_labour_capacity'
  | 'adult_not_in_school'
  | 'imprisoned'
  | 'income_or_property'
  | 'capable_supporter'
  | 'child_scheme'
  | 'moved_out'
  | 'voluntary_exit';

export interface TerminationReasonInfo {
  nameZh: string;
  nameEn: string;
  /** The clause of the rule book, as a notice quotes it. */
  citation: string;
  /** Article of 特困人员认定办法 for the notice's policy basis. */
  article: string;
  /** Stopping needs the 7-day 公示 first [C art.26] (not for a death). */
  publicity: boolean;
}

/** Termination reasons with their citations (POLICY.md §3 [C arts.24–26]). */
export const TERMINATION_REASONS: Record<TekunTerminationReason, TerminationReasonInfo> = {
  death: {
    nameZh: '死亡或者被宣告死亡、被宣告失踪',
    nameEn: 'Death, or declared dead or missing',
    citation: 'POLICY.md §3 [C art.24] 死亡',
    article: '第二十四条（死亡或者被宣告死亡、被宣告失踪）',
    publicity: false,
  },
  regained_labour_capacity: {
    nameZh: '具备或者恢复劳动能力',
    nameEn: 'Has or regained labour capacity',
    citation: 'POLICY.md §3 [C arts.5, 24] 具备或者恢复劳动能力',
    article: '第二十四条（具备或者恢复劳动能力）',
    publicity: true,
  },
  adult_not_in_school: {
    nameZh: '未成年人年满18周岁且未在义务教育、普通高中或中等职业学校就读',
    nameEn: 'Minor turned 18 and not in school',
    citation: 'POLICY.md §3 [C art.24; E] 未成年人保障至18周岁，在校就读的延续',
    article: '第二十四条（特困人员中的未成年人可继续享有救助供养待遇至18周岁；年满18周岁仍在就读的可继续享有）',
    publicity: true,
  },
  imprisoned: {
    nameZh: '依法被判处刑罚，且在监狱服刑',
    nameEn: 'Serving a prison sentence',
    citation: 'POLICY.md §3 [C art.24] 服刑',
    article: '第二十四条（依法被判处刑罚，且在监狱服刑）',
    publicity: true,
  },
  income_or_property: {
    nameZh: '收入和财产状况不再符合规定',
    nameEn: 'Income or property no longer qualify',
    citation: 'POLICY.md §3 [C arts.6, 24] 收入和财产状况不再符合',
    article: '第二十四条（收入和财产状况不再符合本办法第六条规定）',
    publicity: true,
  },
  capable_supporter: {
    nameZh: '法定义务人具有了履行义务能力或者新增具有履行义务能力的法定义务人',
    nameEn: 'A legal supporter able to support',
    citation: 'POLICY.md §3 [C arts.8, 24] 法定义务人具有履行义务能力',
    article: '第二十四条（法定义务人具有了履行义务能力或者新增具有履行义务能力的法定义务人）',
    publicity: true,
  },
  child_scheme: {
    nameZh: '选择孤儿或事实无人抚养儿童基本生活保障',
    nameEn: 'Takes the orphan / unsupported-child scheme',
    citation: 'POLICY.md §3 [C art.9] 选择儿童保障的未成年人不认定为特困人员',
    article: '第九条',
    publicity: true,
  },
  moved_out: {
    nameZh: '户籍迁出本县（市、区），不再由本地救助供养',
    nameEn: 'Moved out of the county',
    citation: 'POLICY.md §3 [C art.25] 不再符合救助供养条件的，及时办理终止',
    article: '第二十五条（不再符合救助供养条件的，及时办理终止救助供养手续）',
    publicity: true,
  },
  voluntary_exit: {
    nameZh: '自愿申请退出救助供养',
    nameEn: 'Voluntary exit',
    citation: 'POLICY.md §3 [C art.24] 自愿申请退出',
    article: '第二十四条（自愿申请退出救助供养）',
    publicity: true,
  },
};

/** The 公示 before a termination lasts 7 days; support stops from the month after the decision [C art.26]. */
export const TERMINATION_PUBLICITY_DAYS = 7;

/**
 * Termination reasons found on current registry data (POLICY.md §3 [C arts.24–26]): the pure terminationReasons
 * of the rules, with a person admitted as a minor who is now 18 and not in school named as such [C art.24; E], a
 * minor who took the child scheme [C art.9], and moving out of the county [C art.25].
 */
export function detectTerminationReasons(
  p: PersonFacts,
  h: HouseholdFacts,
  prm: TekunParams,
  asOf: string,
  ctx: { coveredAsMinor: boolean; movedOut: boolean },
): TekunTerminationReason[] {
  const out: TekunTerminationReason[] = [];
  for (const r of terminationReasons(p, h, prm, asOf)) {
    if (r === 'regained_labour_capacity' && ctx.coveredAsMinor) out.push('adult_not_in_school');
    else out.push(r);
  }
  if (p.choosesChildScheme && ageOn(p.birthDate, asOf) < prm.minorCoverUntilAge) out.push('child_scheme');
  if (ctx.movedOut || p.hukouLocal === false) out.push('moved_out');
  return out;
}

export type TekunReviewOutcome = 'continue' | 'adjust' | 'terminate' | 'undetermined';

/**
 * Outcome of the yearly review [E item 7; C arts.21–26]: a termination reason → terminate; facts missing → the
 * review cannot conclude; the care tier or the amount changed (re-assessment of self-care [C art.23], or a new
 * standard) → adjust from next month; otherwise continue and review again in a year.
 */
export function tekunReviewOutcome(
  current: { careTier: CareTier | null; monthlyAmountFen: number },
  next: { eligible: Tri; careTier: CareTier; monthlyAmountFen: number },
  reasons: readonly TekunTerminationReason[],
): TekunReviewOutcome {
  if (reasons.length) return 'terminate';
  if (next.eligible === false) return 'terminate';
  if (next.eligible === null) return 'undetermined';
  if (next.careTier !== current.careTier || next.monthlyAmountFen !== current.monthlyAmountFen) return 'adjust';
  return 'continue';
}
