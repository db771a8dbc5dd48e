/**
 * 特困人员救助供养 — special hardship support. POLICY.md §3 [C] (民政部《特困人员认定办法》2021).
 * Pure: facts and parameters in, a decision with its explanation out. The bulk SQL computes the three conditions
 * the same way (src/server/modules/policy/bulk-sql.ts); a property test checks they agree.
 */
import { ageOn } from '../../identity/id-number.js';
import { allMet, isAlive, splitByPercent, yuan } from '../explain.js';
import {
  type ClauseResult,
  type Decision,
  type HouseholdFacts,
  type MissingFact,
  NO_FUNDING,
  type PersonFacts,
  type SelfCareFacts,
  type SupporterFacts,
  type Tri,
} from '../facts.js';
import { personCountableMonthlyIncome } from '../income.js';

export interface TekunParams {
  elderlyAge: number;
  minorAge: number;
  minorCoverUntilAge: number;
  dibaoStandardUrbanFen: number;
  dibaoStandardRuralFen: number;
  propertyLimitFen: number;
  /** Last year's local per-capita disposable income (annual, fen). */
  supporterIncomeLimitFen: number;
  supporterPropertyLimitFen: number;
  basicLivingPermille: number;
  careStandardFen: { self_care: number; partly_lost: number; completely_lost: number };
  fundingPercent: { province: number; city: number; county: number };
}

/** School stages in which a person over 18 keeps 特困 support [C art.24]: 义务教育, 普通高中, 中等职业学校. */
export const SCHOOL_EXTENSION = new Set(['primary', 'junior', 'senior', 'vocational']);

/**
 * T1 No labour capacity [C art.5]: age ≥ 60; age < 16, covered to 18 [E], beyond 18 while in compulsory
 * education, senior high or secondary vocational school [C art.24]; 一～三级 intellectual or mental, 一、二级
 * physical, 一级 visual disability. POLICY.md §3.
 */
export function labourCapacityClause(p: PersonFacts, prm: TekunParams, asOf: string): ClauseResult {
  const citation = 'POLICY.md §3 [C art.5; E; C art.24] 无劳动能力';
  const age = ageOn(p.birthDate, asOf);
  const c = p.disabilityCert;
  const lvl = c?.disabilityLevel ?? null;
  const severe =
    c != null &&
    lvl != null &&
    (((c.disabilityType === 'intellectual' || c.disabilityType === 'mental') && lvl <= 3) ||
      (c.disabilityType === 'physical' && lvl <= 2) ||
      (c.disabilityType === 'visual' && lvl === 1));
  const facts = {
    age,
    disabilityType: c?.disabilityType ?? null,
    disabilityLevel: lvl,
    studentStatus: p.studentStatus ?? null,
  };
  if (age >= prm.elderlyAge)
    return {
      clause: 'T1.labour_capacity',
      citation,
      text: `年满${prm.elderlyAge}周岁（${age}岁），视为无劳动能力`,
      facts,
      outcome: 'met',
    };
  if (age < prm.minorAge)
    return {
      clause: 'T1.labour_capacity',
      citation,
      text: `未满${prm.minorAge}周岁（${age}岁），视为无劳动能力`,
      facts,
      outcome: 'met',
    };
  if (age < prm.minorCoverUntilAge)
    return {
      clause: 'T1.labour_capacity',
      citation,
      text: `未成年人保障延至${prm.minorCoverUntilAge}周岁（${age}岁）`,
      facts,
      outcome: 'met',
    };
  if (severe)
    return {
      clause: 'T1.labour_capacity',
      citation,
      text: '残疾等级属于无劳动能力情形（智力、精神一至三级，肢体一、二级，视力一级）',
      facts,
      outcome: 'met',
    };
  if (SCHOOL_EXTENSION.has(p.studentStatus ?? 'none'))
    return {
      clause: 'T1.labour_capacity',
      citation,
      text: `年满${prm.minorCoverUntilAge}周岁仍在义务教育、普通高中或中等职业学校就读，继续保障`,
      facts,
      outcome: 'met',
    };
  return {
    clause: 'T1.labour_capacity',
    citation,
    text: `${age}岁，无属于无劳动能力的残疾情形，具有劳动能力`,
    facts,
    outcome: 'not_met',
  };
}

/** Property of a person: own items plus an equal share (floor) of the household's unattributed items. */
export function personPropertyFen(h: HouseholdFacts, ref: string): number {
  let own = 0;
  let shared = 0;
  for (const it of h.propertyItems ?? []) {
    if (it.personRef === ref) own += it.valueFen;
    else if (it.personRef == null) shared += it.valueFen;
  }
  return own + Math.floor(shared / Math.max(1, h.members.length));
}

/**
 * T2 No source of living [C art.6]: countable income below the local 低保标准 (basic pension, medical insurance,
 * 抚恤, 高龄津贴 and social assistance excluded) and property within the local 特困 limit. POLICY.md §3.
 */
export function livingSourceClause(p: PersonFacts, h: HouseholdFacts, prm: TekunParams): ClauseResult {
  const standard = h.hukouType === 'urban' ? prm.dibaoStandardUrbanFen : prm.dibaoStandardRuralFen;
  const income = personCountableMonthlyIncome(h.incomeItems ?? [], p.ref, h.members.length);
  const property = personPropertyFen(h, p.ref);
  const ok = income < standard && property <= prm.propertyLimitFen;
  const parts = [
    `月收入${yuan(income)}${income < standard ? '低于' : '不低于'}当地低保标准${yuan(standard)}`,
    `财产${yuan(property)}${property <= prm.propertyLimitFen ? '在' : '超过'}特困财产限额${yuan(prm.propertyLimitFen)}${property <= prm.propertyLimitFen ? '以内' : ''}`,
  ];
  return {
    clause: 'T2.no_living_source',
    citation: 'POLICY.md §3 [C art.6] 无生活来源（基本养老金、医疗保险、抚恤、高龄津贴不计入收入）',
    text: parts.join('，'),
    facts: {
      monthlyIncomeFen: income,
      dibaoStandardFen: standard,
      propertyFen: property,
      propertyLimitFen: prm.propertyLimitFen,
    },
    outcome: ok ? 'met' : 'not_met',
  };
}

/** OR over three-valued outcomes. */
function anyTrue(xs: Tri[]): Tri {
  if (xs.some((x) => x === true)) return true;
  if (xs.some((x) => x === null)) return null;
  return false;
}

/**
 * Whether one legal supporter is unable to support [C art.8]: is 特困; is a 低保 recipient aged ≥ 60; is aged ≥ 70
 * with income below last year's local per-capita disposable income and property within the low-income limit; is
 * severely disabled (一、二级) or 三级 intellectual/mental under the same tests; lacks civil capacity, is declared
 * missing or imprisoned, with the same property test. POLICY.md §3.
 */
export function supporterIncapable(
  s: SupporterFacts,
  prm: TekunParams,
  asOf: string,
): { incapable: Tri; why: string; missing: string[] } {
  const age = ageOn(s.birthDate, asOf);
  const missing: string[] = [];
  // Income below the limit AND property within the limit, three-valued: a known failing part decides even when the
  // other part is unknown (property over the limit → not poor, whatever the income).
  const poorTest = (needIncome: boolean): Tri => {
    const inc = s.annualIncomeFen;
    const prop = s.propertyFen;
    const incomeOk: Tri = !needIncome ? true : inc == null ? null : inc < prm.supporterIncomeLimitFen;
    const propertyOk: Tri = prop == null ? null : prop <= prm.supporterPropertyLimitFen;
    if (incomeOk === false || propertyOk === false) return false;
    if (incomeOk === null) missing.push('annualIncomeFen');
    if (propertyOk === null) missing.push('propertyFen');
    return incomeOk === null || propertyOk === null ? null : true;
  };
  const severe =
    s.disabilityLevel != null &&
    (s.disabilityLevel <= 2 ||
      ((s.disabilityType === 'intellectual' || s.disabilityType === 'mental') && s.disabilityLevel === 3));
  const routes: Array<[Tri, string]> = [
    [s.isTekun === true, '本人为特困人员'],
    [s.isDibao === true && age >= 60, '本人为60周岁以上低保对象'],
    [age >= 70 ? poorTest(true) : false, '70周岁以上且收入、财产符合低收入条件'],
    [severe ? poorTest(true) : false, '重度残疾或三级智力、精神残疾且收入、财产符合条件'],
    [
      s.lacksCivilCapacity || s.declaredMissing || s.imprisoned ? poorTest(false) : false,
      '无民事行为能力、被宣告失踪或在监狱服刑且财产符合条件',
    ],
  ];
  const incapable = anyTrue(routes.map((r) => r[0]));
  const why =
    incapable === true
      ? routes.find((r) => r[0] === true)![1]
      : incapable === null
        ? '缺少收入或财产信息'
        : '具有赡养、抚养、扶养能力';
  return { incapable, why, missing: incapable === null ? [...new Set(missing)] : [] };
}

/** T3 No legal supporter, or every supporter unable to support [C art.8]. POLICY.md §3. */
export function supporterClause(p: PersonFacts, prm: TekunParams, asOf: string, missing: MissingFact[]): ClauseResult {
  const citation = 'POLICY.md §3 [C art.8] 无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力';
  if (p.supporters == null) {
    missing.push({
      fact: 'supporters',
      rule: 'T3',
      message: '缺少法定赡养、抚养、扶养义务人情况（无义务人请填空列表），无法判断特困第三项条件（POLICY.md §3）',
    });
    return {
      clause: 'T3.supporters',
      citation,
      text: '未提供法定义务人情况',
      facts: { supporters: null },
      outcome: 'undetermined',
    };
  }
  if (p.supporters.length === 0)
    return {
      clause: 'T3.supporters',
      citation,
      text: '无法定赡养、抚养、扶养义务人',
      facts: { supporters: 0 },
      outcome: 'met',
    };
  const results = p.supporters.map((s, i) => ({ i, s, ...supporterIncapable(s, prm, asOf) }));
  for (const r of results)
    for (const f of r.missing)
      missing.push({
        fact: `supporters[${r.i}].${f}`,
        rule: 'T3',
        message: `义务人${r.s.name ?? r.i + 1}缺少${f === 'annualIncomeFen' ? '年收入' : '财产'}，无法判断其是否具备履行义务能力（POLICY.md §3 [C art.8]）`,
      });
  const outcome = results.some((r) => r.incapable === false)
    ? 'not_met'
    : results.some((r) => r.incapable === null)
      ? 'undetermined'
      : 'met';
  const text = results.map((r) => `义务人${r.s.name ?? r.i + 1}（${r.s.relation}）：${r.why}`).join('；');
  return {
    clause: 'T3.supporters',
    citation,
    text,
    facts: { supporters: results.map((r) => ({ relation: r.s.relation, incapable: r.incapable })) },
    outcome,
  };
}

export type CareTier = 'self_care' | 'partly_lost' | 'completely_lost';

/**
 * T5 Self-care assessment [C arts.21–23]: six activities (eating, dressing, getting in/out of bed, toileting,
 * walking indoors, bathing). All six → 具备生活自理能力; 1–3 not achieved → 部分丧失; ≥ 4 → 完全丧失. POLICY.md §3.
 */
export function careTierOf(s: SelfCareFacts): CareTier {
  const notAchieved = [s.eating, s.dressing, s.transferring, s.toileting, s.walkingIndoors, s.bathing].filter(
    (x) => !x,
  ).length;
  if (notAchieved === 0) return 'self_care';
  return notAchieved <= 3 ? 'partly_lost' : 'completely_lost';
}

const TIER_ZH: Record<CareTier, string> = {
  self_care: '具备生活自理能力',
  partly_lost: '部分丧失生活自理能力',
  completely_lost: '完全丧失生活自理能力',
};

export function evaluateTekun(p: PersonFacts, h: HouseholdFacts, prm: TekunParams, asOf: string): Decision {
  const missing: MissingFact[] = [];
  const flags: string[] = [];
  const clauses: ClauseResult[] = [];
  const alive = isAlive(p.deathDate, asOf);
  clauses.push({
    clause: 'T0.alive',
    citation: 'POLICY.md §3 [C art.24] 死亡终止',
    text: alive ? '申请人在世' : `申请人已于 ${p.deathDate} 死亡`,
    facts: { deathDate: p.deathDate ?? null },
    outcome: alive ? 'met' : 'not_met',
  });
  clauses.push(labourCapacityClause(p, prm, asOf));
  clauses.push(livingSourceClause(p, h, prm));
  clauses.push(supporterClause(p, prm, asOf, missing));
  const age = ageOn(p.birthDate, asOf);
  if (age < prm.minorCoverUntilAge && p.choosesChildScheme) {
    clauses.push({
      clause: 'T4.child_scheme',
      citation: 'POLICY.md §3 [C art.9] 同时符合孤儿、事实无人抚养儿童条件并选择儿童保障的未成年人不认定为特困人员',
      text: '已选择孤儿（事实无人抚养儿童）基本生活保障，不再认定为特困人员',
      facts: { choosesChildScheme: true },
      outcome: 'not_met',
    });
  }
  const eligible = allMet(clauses);
  let amount = 0;
  let funding = NO_FUNDING;
  if (eligible === true) {
    const standard = h.hukouType === 'urban' ? prm.dibaoStandardUrbanFen : prm.dibaoStandardRuralFen;
    const basic = Math.ceil((standard * prm.basicLivingPermille) / 1000);
    clauses.push({
      clause: 'T6.basic_living',
      citation: 'POLICY.md §3 基本生活标准不低于当地低保标准的1.3倍（可配置）',
      text: `基本生活标准 = 低保标准${yuan(standard)} × ${prm.basicLivingPermille / 1000} = ${yuan(basic)}/月`,
      facts: { dibaoStandardFen: standard, permille: prm.basicLivingPermille, basicFen: basic },
      outcome: 'applied',
    });
    amount = basic;
    if (p.selfCare) {
      const tier = careTierOf(p.selfCare);
      const care = prm.careStandardFen[tier];
      amount += care;
      flags.push(`care_tier:${tier}`);
      clauses.push({
        clause: 'T5.care_tier',
        citation: 'POLICY.md §3 [C arts.21–23] 六项指标评估生活自理能力',
        text: `${TIER_ZH[tier]}，照料护理标准${yuan(care)}/月`,
        facts: { ...p.selfCare, tier, careFen: care },
        outcome: 'applied',
      });
    } else {
      missing.push({
        fact: 'selfCare',
        rule: 'T5',
        message:
          '缺少生活自理能力评估（六项指标），无法确定照料护理标准，金额仅含基本生活标准（POLICY.md §3 [C arts.21–23]）',
      });
      clauses.push({
        clause: 'T5.care_tier',
        citation: 'POLICY.md §3 [C arts.21–23]',
        text: '未评估生活自理能力，照料护理标准待定',
        facts: { selfCare: null },
        outcome: 'undetermined',
      });
    }
    funding = splitByPercent(amount, prm.fundingPercent);
    flags.push('excludes_dibao_for_person');
    clauses.push({
      clause: 'T7.not_dibao',
      citation: 'POLICY.md §3 (issue 6 item 4) 特困人员不再同时享受低保',
      text: '认定为特困人员后，本人不再计入低保保障',
      facts: {},
      outcome: 'applied',
    });
  }
  return {
    programme: 'tekun',
    personRef: p.ref,
    eligible,
    monthlyAmountFen: amount,
    funding,
    flags,
    clauses,
    missingFacts: missing,
  };
}

export type TerminationReason =
  | 'death'
  | 'regained_labour_capacity'
  | 'imprisoned'
  | 'income_or_property'
  | 'capable_supporter'
  | 'voluntary_exit';

/**
 * Termination of support [C arts.24–26]: death; regained labour capacity; imprisonment; income/property no
 * longer qualify; a capable supporter appears; voluntary exit. Support stops from the month after the decision
 * (after a 7-day 公示). POLICY.md §3.
 */
export function terminationReasons(
  p: PersonFacts,
  h: HouseholdFacts,
  prm: TekunParams,
  asOf: string,
  voluntary = false,
): TerminationReason[] {
  const out: TerminationReason[] = [];
  if (!isAlive(p.deathDate, asOf)) out.push('death');
  if (labourCapacityClause(p, prm, asOf).outcome === 'not_met') out.push('regained_labour_capacity');
  if (p.imprisoned) out.push('imprisoned');
  if (livingSourceClause(p, h, prm).outcome === 'not_met') out.push('income_or_property');
  if (supporterClause(p, prm, asOf, []).outcome === 'not_met') out.push('capable_supporter');
  if (voluntary) out.push('voluntary_exit');
  return out;
}

/** Yearly review of 特困 support [E item 7]: the next review date one year after the last confirmation. POLICY.md §3. */
export function nextReviewDate(lastConfirmedOn: string): string {
  const [y, m, d] = lastConfirmedOn.split('-');
  const next = `${Number(y) + 1}-${m}-${d}`;
  return m === '02' && d === '29' ? `${Number(y) + 1}-02-28` : next;
}
