/**
 * 低保 rules (pure). The "3+1" assessment (S5): legal gates first — local 户籍, per-capita income below the standard
 * with the excluded kinds excluded, property within the local limits — then the weighted household-survey and
 * democratic-review scores set the rural class. The bulk path (Q4 batch review) is SQL tested to agree with this.
 * All arithmetic is integer (fen, whole points) so the SQL computes exactly the same figures.
 */
import { addMonths } from '../../calendar.js';
import { annualToMonthly, type Fen, formatYuan, roundFen } from '../../money.js';
import type { AssessmentParameters, DibaoStandard } from './parameters.js';

export const CITE = {
  hukou: '最低生活保障审核确认办法 第四条（向户籍所在地乡镇申请）',
  income:
    '最低生活保障审核确认办法 第十三条（家庭收入；优待抚恤金、计划生育奖扶金、奖学金、见义勇为奖励、社会救助金及城乡居民基础养老金不计入）',
  property: '最低生活保障审核确认办法 第十四条（家庭财产；限额为本地设定）',
  threePlusOne: '讲话“3+1”综合评估（S5）：户籍、收入、财产 + 民主评议，加权综合；权重、评分表与分类线为本地设定',
  benefit: '最低生活保障审核确认办法 第二十三条（按差额或分档发放，审核确认时确定）',
  payFrom: '最低生活保障审核确认办法 第二十一条、第二十五条（自批准次月起按月发放）',
  cadence:
    '最低生活保障审核确认办法 第三十一条；关于改革完善社会救助制度的意见 第七项（收入稳定者每年、收入不稳定或有劳动能力者每半年核查）',
  taper:
    '最低生活保障审核确认办法 第三十三条；民政部等关于进一步做好最低生活保障等社会救助兜底保障工作的通知（渐退期一般不超过6个月）',
  death: '民政部等关于进一步做好最低生活保障等社会救助兜底保障工作的通知（成员死亡3个月内核查）',
  workRefusal:
    '最低生活保障审核确认办法 第三十四条；社会救助暂行办法 第四十五条（连续3次拒绝介绍的工作，停发本人低保金）',
  nonCooperation: '最低生活保障审核确认办法 第二十九条（不配合调查核对的，终止审核确认程序）',
  reduceStop: '最低生活保障审核确认办法 第三十二条（减发、停发应书面告知理由）',
  edge: '最低生活保障审核确认办法 第六条（低保边缘家庭：人均收入低于低保标准1.5倍，本地可调）',
  oneTime: '最低生活保障审核确认办法 第十条（材料不齐的，一次性告知需补齐的全部材料）',
  separate: '最低生活保障审核确认办法 第十一条、第二十条（近亲属单独登记备案，县级入户核查）',
  noQuota: '讲话（S4）：不能以指标不够为由不纳入；不能立即纳入的先给予临时救助或医疗救助',
  q4: '讲话（S3）：有效期届满复核，该纳入的纳入、该调档的调档、该退出的退出',
} as const;

export interface MemberFacts {
  personId: number;
  name: string;
  birthDate: string;
  hukouLocal: boolean;
  isHead: boolean;
  labourCapacity: 'full' | 'partial' | 'none' | null;
  health: string | null;
  graveIllness: boolean;
  disabilityLevel: number | null;
  deathDate: string | null;
  /** 3 refusals of suitable work: this member's share has stopped [A art.34]. */
  shareStopped: boolean;
}

export interface IncomeFact {
  kind: string;
  period: 'monthly' | 'annual';
  amountFen: Fen;
}

export interface PropertyFact {
  kind: string;
  valueFen: Fen;
}

export interface HouseholdFacts {
  hukouType: 'urban' | 'rural';
  housingRating: 'A' | 'B' | 'C' | 'D' | null;
  members: MemberFacts[];
  income: IncomeFact[];
  property: PropertyFact[];
}

/** Income kinds counted [A art.13]; everything else in the registry's list is excluded by policy. */
export const COUNTED_INCOME = new Set(['wages', 'business_net', 'property_net', 'transfer_net']);
export const FINANCIAL_PROPERTY = new Set(['deposit', 'securities', 'commercial_insurance']);

export const INCOME_KIND_ZH: Record<string, string> = {
  wages: '工资性收入',
  business_net: '经营净收入',
  property_net: '财产净收入',
  transfer_net: '转移净收入',
  special_care: '优待抚恤金',
  family_planning: '计划生育奖励与扶助金',
  scholarship: '奖学金',
  heroic_award: '见义勇为奖励',
  social_assistance: '社会救助金（含残疾人两项补贴）',
  basic_pension: '城乡居民基础养老金',
  other_excluded: '其他本地规定不计入的收入',
};

/** Full years of age on `asOf` (the same as PostgreSQL's extract(year from age(asOf, birth))). */
export function ageOn(birthDate: string, asOf: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, mo, d] = asOf.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (mo < bm || (mo === bm && d < bd)) age--;
  return age;
}

export interface Gate {
  code: 'hukou' | 'income' | 'property';
  passed: boolean;
  detail: string;
  citation: string;
}

export interface SubScores {
  dependency: number;
  illness: number;
  housing: number;
  incomeGap: number;
  visitRating: number;
}

export interface Assessment {
  asOf: string;
  dibaoKind: 'urban' | 'rural';
  standardFen: Fen;
  membersCount: number;
  benefitMembers: number;
  countedIncomeFen: Fen;
  excludedIncomeFen: Fen;
  perCapitaFen: Fen;
  gates: Gate[];
  eligible: boolean;
  edge: boolean;
  subScores: SubScores;
  surveyScore: number;
  reviewScore: number | null;
  combinedScore: number;
  ruralClass: 1 | 2 | 3 | 4 | null;
  monthlyAmountFen: Fen;
  breakdown: string[];
  explanation: string;
}

export interface AssessmentInput {
  facts: HouseholdFacts;
  asOf: string;
  standard: DibaoStandard;
  params: AssessmentParameters;
  /** Household-visit hardship rating 0–10 of the investigators; null when not recorded. */
  visitRating: number | null;
  /** Democratic-review score 0–100; null when no review was held (national rule: only on objection). */
  reviewScore: number | null;
}

/** Monthly equivalent of an income item (annual amounts exact to the fen, half up). */
export function monthlyOf(i: IncomeFact): Fen {
  return i.period === 'annual' ? annualToMonthly(i.amountFen) : i.amountFen;
}

/** Democratic-review score from the votes (S5): share of votes in favour, 0–100, whole points. */
export function reviewScoreOf(votesFor: number, votesAgainst: number, abstentions: number): number {
  const total = votesFor + votesAgainst + abstentions;
  if (total <= 0) return 0;
  return Math.floor((votesFor * 100) / total);
}

/** Rural class from the combined score (S5; cut-offs [configurable default]). */
export function classOf(combined: number, c: AssessmentParameters['classCutoffs']): 1 | 2 | 3 | 4 {
  if (combined >= c.class1) return 1;
  if (combined >= c.class2) return 2;
  if (combined >= c.class3) return 3;
  return 4;
}

/**
 * The "3+1" assessment (S5; [A arts.4, 13, 14, 23]). Gates decide eligibility; scores set the class; the amount is
 * the gap × members (urban) or the class amount × members (rural), rounded by the local rule.
 */
export function assessDibao(input: AssessmentInput): Assessment {
  const { facts, asOf, standard, params } = input;
  const living = facts.members.filter((mm) => !mm.deathDate || mm.deathDate > asOf);
  const size = living.length;
  const benefitMembers = living.filter((mm) => !mm.shareStopped).length;
  const dibaoKind = facts.hukouType;
  const std = dibaoKind === 'urban' ? standard.urbanMonthlyFen : standard.ruralMonthlyFen;

  let counted = 0;
  let excluded = 0;
  for (const i of facts.income) {
    if (COUNTED_INCOME.has(i.kind)) counted += monthlyOf(i);
    else excluded += monthlyOf(i);
  }
  const pci = size > 0 ? Math.floor(counted / size) : counted;

  // Gate 1: local 户籍 of the applicant household (head, or any member when no head is recorded).
  const head = living.find((mm) => mm.isHead) ?? living[0];
  const hukouOk = head?.hukouLocal === true;
  const gates: Gate[] = [
    {
      code: 'hukou',
      passed: hukouOk,
      detail: hukouOk ? `户主${head?.name ?? ''}为本地户籍` : `户主${head?.name ?? ''}不是本地户籍，应向户籍所在地申请`,
      citation: CITE.hukou,
    },
  ];
  // Gate 2: per-capita income strictly below the standard.
  const incomeOk = size > 0 && pci < std;
  gates.push({
    code: 'income',
    passed: incomeOk,
    detail: `家庭月计算收入 ${formatYuan(counted)} 元（不计入收入 ${formatYuan(excluded)} 元已排除），共 ${size} 人，人均 ${formatYuan(pci)} 元，${incomeOk ? '低于' : '不低于'}${dibaoKind === 'urban' ? '城市' : '农村'}低保标准 ${formatYuan(std)} 元/人·月`,
    citation: CITE.income,
  });
  // Gate 3: property within the local limits.
  const financial = facts.property.filter((p) => FINANCIAL_PROPERTY.has(p.kind)).reduce((a, p) => a + p.valueFen, 0);
  const vehicles = facts.property.filter((p) => p.kind === 'vehicle').reduce((a, p) => a + p.valueFen, 0);
  const houses = facts.property.filter((p) => p.kind === 'house').length;
  const business = facts.property.filter((p) => p.kind === 'business').reduce((a, p) => a + p.valueFen, 0);
  const finLimit = params.property.financialPerCapitaMaxMonths * std * Math.max(size, 1);
  const propertyProblems: string[] = [];
  if (financial > finLimit)
    propertyProblems.push(
      `存款等金融资产 ${formatYuan(financial)} 元超过限额 ${formatYuan(finLimit)} 元（人均 ${params.property.financialPerCapitaMaxMonths} 个月低保标准）`,
    );
  if (vehicles > params.property.vehicleMaxFen)
    propertyProblems.push(
      `机动车价值 ${formatYuan(vehicles)} 元超过限额 ${formatYuan(params.property.vehicleMaxFen)} 元`,
    );
  if (houses > params.property.maxHouses)
    propertyProblems.push(`房屋 ${houses} 处，超过 ${params.property.maxHouses} 处`);
  if (business > params.property.businessMaxFen)
    propertyProblems.push(
      `经营性资产 ${formatYuan(business)} 元超过限额 ${formatYuan(params.property.businessMaxFen)} 元`,
    );
  const propertyOk = propertyProblems.length === 0;
  gates.push({
    code: 'property',
    passed: propertyOk,
    detail: propertyOk ? '家庭财产在本地规定的限额内' : propertyProblems.join('；'),
    citation: CITE.property,
  });
  const eligible = gates.every((g) => g.passed);
  const edge = !eligible && hukouOk && propertyOk && size > 0 && pci * 100 < std * params.edgeMultiplePct;

  // Household-survey score (S5 scoring sheet).
  const s = params.scoring;
  const dependents = living.filter((mm) => {
    const age = ageOn(mm.birthDate, asOf);
    return age < 16 || age >= 60 || mm.labourCapacity === 'none' || mm.labourCapacity === 'partial';
  }).length;
  const severe = living.some((mm) => mm.graveIllness || (mm.disabilityLevel !== null && mm.disabilityLevel <= 2));
  const moderate = living.some(
    (mm) =>
      mm.health === 'chronic' || mm.health === 'disabled' || (mm.disabilityLevel !== null && mm.disabilityLevel >= 3),
  );
  const rating = input.visitRating === null ? 0 : Math.max(0, Math.min(10, Math.floor(input.visitRating)));
  const sub: SubScores = {
    dependency: size > 0 ? Math.floor((s.dependency * dependents) / size) : 0,
    illness: severe ? s.illnessSevere : moderate ? s.illnessModerate : 0,
    housing:
      facts.housingRating === 'C' || facts.housingRating === 'D'
        ? s.housingDangerous
        : facts.housingRating === 'B'
          ? s.housingWeak
          : 0,
    incomeGap: std > 0 ? Math.floor((s.incomeGap * Math.max(0, std - pci)) / std) : 0,
    visitRating: Math.floor((s.visitRating * rating) / 10),
  };
  const surveyScore = sub.dependency + sub.illness + sub.housing + sub.incomeGap + sub.visitRating;
  const reviewScore = input.reviewScore === null ? null : Math.max(0, Math.min(100, Math.floor(input.reviewScore)));
  const combinedScore =
    reviewScore === null
      ? surveyScore
      : Math.floor((surveyScore * params.surveyWeightPct + reviewScore * params.reviewWeightPct) / 100);
  const ruralClass = eligible && dibaoKind === 'rural' ? classOf(combinedScore, params.classCutoffs) : null;

  // Benefit [A art.23].
  const breakdown: string[] = [];
  let monthlyAmountFen = 0;
  if (eligible) {
    if (dibaoKind === 'urban') {
      const gap = std - pci;
      const raw = gap * benefitMembers;
      monthlyAmountFen = roundFen(raw, params.rounding);
      breakdown.push(
        `（城市低保标准 ${formatYuan(std)} − 人均收入 ${formatYuan(pci)}）× 享受人数 ${benefitMembers} = ${formatYuan(raw)} 元`,
      );
    } else {
      const per = standard.classAmountsFen[ruralClass!];
      const raw = per * benefitMembers;
      monthlyAmountFen = roundFen(raw, params.rounding);
      breakdown.push(
        `农村${'一二三四'[ruralClass! - 1]}类 ${formatYuan(per)} 元/人·月 × 享受人数 ${benefitMembers} = ${formatYuan(raw)} 元`,
      );
    }
    breakdown.push(`按本地取整规则（${params.rounding}）为 ${formatYuan(monthlyAmountFen)} 元/月`);
    if (benefitMembers < size)
      breakdown.push(`${size - benefitMembers} 名成员因连续3次拒绝介绍的工作停发本人份额（${CITE.workRefusal}）`);
  }

  const words: string[] = [];
  words.push(`一、法定条件：${gates.map((g) => `${g.passed ? '✓' : '✗'} ${g.detail}`).join('；')}。`);
  if (!eligible) {
    const failed = gates.filter((g) => !g.passed);
    words.push(`不符合低保条件：${failed.map((g) => `${g.detail}（依据：${g.citation}）`).join('；')}。`);
    if (edge)
      words.push(
        `人均收入低于低保标准的 ${params.edgeMultiplePct / 100} 倍，属低保边缘家庭，可转介临时救助或医疗救助（${CITE.edge}）。`,
      );
  }
  words.push(
    `二、入户调查评分 ${surveyScore} 分（供养负担 ${sub.dependency}、疾病残疾 ${sub.illness}、住房 ${sub.housing}、收入差距 ${sub.incomeGap}、入户评价 ${sub.visitRating}）` +
      (reviewScore === null
        ? '；未举行民主评议，综合得分即调查评分'
        : `；民主评议得分 ${reviewScore} 分；按权重 ${params.surveyWeightPct}% : ${params.reviewWeightPct}% 综合得分 ${combinedScore} 分`) +
      '。',
  );
  if (eligible) {
    words.push(
      dibaoKind === 'rural'
        ? `三、综合得分 ${combinedScore} 分，按本地分类线（一类≥${params.classCutoffs.class1}、二类≥${params.classCutoffs.class2}、三类≥${params.classCutoffs.class3}）确定为农村${'一二三四'[ruralClass! - 1]}类，月保障金 ${formatYuan(monthlyAmountFen)} 元。`
        : `三、城市低保按差额发放，月保障金 ${formatYuan(monthlyAmountFen)} 元。`,
    );
  }
  return {
    asOf,
    dibaoKind,
    standardFen: std,
    membersCount: size,
    benefitMembers,
    countedIncomeFen: counted,
    excludedIncomeFen: excluded,
    perCapitaFen: pci,
    gates,
    eligible,
    edge,
    subScores: sub,
    surveyScore,
    reviewScore,
    combinedScore,
    ruralClass,
    monthlyAmountFen,
    breakdown,
    explanation: words.join('\n'),
  };
}

/** Review cadence in months [A art.31; E item 7]: half-yearly when income is irregular or a member can work. */
export function reviewCadenceMonths(facts: HouseholdFacts, asOf: string, params: AssessmentParameters): number {
  const irregular = facts.income.some((i) => i.kind === 'business_net');
  const canWork = facts.members.some((mm) => {
    if (mm.deathDate) return false;
    const age = ageOn(mm.birthDate, asOf);
    return mm.labourCapacity === 'full' && age >= 16 && age < 60;
  });
  return irregular || canWork ? params.irregularReviewMonths : params.stableReviewMonths;
}

/** Payment starts the month after approval [A arts.21, 25]. */
export function firstPaymentMonth(approvedOn: string): string {
  return addMonths(approvedOn.slice(0, 7), 1);
}

/** Validity: through the last day of the month `validityMonths` after the first payment month. */
export function validUntil(approvedOn: string, params: AssessmentParameters): string {
  const last = addMonths(firstPaymentMonth(approvedOn), params.validityMonths - 1);
  const next = addMonths(last, 1);
  const d = new Date(`${next}-01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** 渐退期: payment continues for at most `taperMaxMonths` months [A art.33; F]; returns the last paid month. */
export function taperEndMonth(fromMonth: string, requestedMonths: number, params: AssessmentParameters): string {
  const months = Math.max(0, Math.min(requestedMonths, params.taperMaxMonths));
  return addMonths(fromMonth, months);
}

/** [A art.34; D art.45]: the member's share stops at the configured number of refusals in a row. */
export function shareStops(refusalsInARow: number, params: AssessmentParameters): boolean {
  return refusalsInARow >= params.workRefusalLimit;
}

export type ReviewOutcome = 'continue' | 'reclass' | 'amount_change' | 'exit';

/**
 * Q4 validity-expiry review outcome for a household (S3): exit when no longer eligible; re-class when the rural class
 * changed; amount change when the amount changed; otherwise continue. [A art.31]: no material change → no adjustment.
 */
export function reviewOutcome(
  old: { ruralClass: number | null; monthlyAmountFen: number },
  now: { eligible: boolean; ruralClass: number | null; monthlyAmountFen: number },
): ReviewOutcome {
  if (!now.eligible) return 'exit';
  if ((old.ruralClass ?? null) !== (now.ruralClass ?? null)) return 'reclass';
  if (old.monthlyAmountFen !== now.monthlyAmountFen) return 'amount_change';
  return 'continue';
}
