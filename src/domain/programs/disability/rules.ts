/**
 * 残疾人两项补贴 — the disability living subsidy (困难残疾人生活补贴) and nursing subsidy (重度残疾人护理补贴).
 * POLICY.md §4 [K; seed]. Pure: facts and parameters in, a decision per subsidy with its explanation out.
 * The bulk SQL (src/server/modules/policy/bulk-sql.ts) computes the same; a property test checks they agree.
 */
import type { NursingTableEntry } from '../../parameters/catalogue.js';
import { allMet, isAlive, splitLocal, yuan } from '../explain.js';
import {
  type ClauseResult,
  type Decision,
  type HouseholdFacts,
  type MissingFact,
  NO_FUNDING,
  type PersonFacts,
} from '../facts.js';

export interface DisabilityParams {
  livingStandardFen: number;
  livingProvinceShareFen: number;
  /** The county's (or city's) own standard for rural class 3–4 dibao families; null = none set (coverage gap). */
  livingRuralClass34Fen: number | null;
  nursingStandardFen: number;
  nursingProvinceShareFen: number;
  nursingTable: NursingTableEntry[];
  localShareCityPercent: number;
}

const TYPE_ZH: Record<string, string> = {
  visual: '视力',
  hearing: '听力',
  speech: '言语',
  physical: '肢体',
  intellectual: '智力',
  mental: '精神',
  multiple: '多重',
};
const LIVING_ALLOWANCES = [
  'elderly_living_allowance',
  'work_disability_living_allowance',
  'retiree_living_allowance',
] as const;
const NURSING_ALLOWANCES = [
  'elderly_nursing_allowance',
  'work_disability_nursing_allowance',
  'retiree_nursing_allowance',
] as const;
const ALLOWANCE_ZH: Record<string, string> = {
  elderly_living_allowance: '老年福利性生活补贴',
  work_disability_living_allowance: '因公致残生活补贴',
  retiree_living_allowance: '离休生活补贴',
  elderly_nursing_allowance: '老年福利性护理补贴',
  work_disability_nursing_allowance: '因公致残护理补贴',
  retiree_nursing_allowance: '离休护理补贴',
};

/**
 * D1 Beneficiaries: local 户籍 and a second-generation 残疾人证 in force on the as-of date (and alive).
 * POLICY.md §4 [seed] "受益人为具有本地户籍、持有第二代《中华人民共和国残疾人证》".
 */
export function beneficiaryClauses(p: PersonFacts, asOf: string): { clauses: ClauseResult[]; missing: MissingFact[] } {
  const citation = 'POLICY.md §4 [seed] 本地户籍、第二代残疾人证';
  const clauses: ClauseResult[] = [];
  const missing: MissingFact[] = [];
  const alive = isAlive(p.deathDate, asOf);
  clauses.push({
    clause: 'D1.alive',
    citation,
    text: alive ? '申请人在世' : `申请人已于 ${p.deathDate} 死亡`,
    facts: { deathDate: p.deathDate ?? null },
    outcome: alive ? 'met' : 'not_met',
  });
  if (p.hukouLocal == null) {
    missing.push({
      fact: 'hukouLocal',
      rule: 'D1',
      message: '缺少“是否本地户籍”，无法判断两项补贴受益条件（POLICY.md §4）',
    });
    clauses.push({
      clause: 'D1.hukou',
      citation,
      text: '未提供户籍信息，无法判断是否本地户籍',
      facts: { hukouLocal: null },
      outcome: 'undetermined',
    });
  } else {
    clauses.push({
      clause: 'D1.hukou',
      citation,
      text: p.hukouLocal ? '具有本地户籍' : '不具有本地户籍，不属于两项补贴受益人',
      facts: { hukouLocal: p.hukouLocal },
      outcome: p.hukouLocal ? 'met' : 'not_met',
    });
  }
  const c = p.disabilityCert;
  if (!c) {
    clauses.push({
      clause: 'D1.certificate',
      citation,
      text: '未持有残疾人证',
      facts: { disabilityCert: null },
      outcome: 'not_met',
    });
  } else if (c.generation !== 2) {
    clauses.push({
      clause: 'D1.certificate',
      citation,
      text: '持有的是第一代残疾人证，须换领第二代残疾人证',
      facts: { generation: c.generation },
      outcome: 'not_met',
    });
  } else if (c.expiresOn && c.expiresOn < asOf) {
    clauses.push({
      clause: 'D1.certificate',
      citation,
      text: `第二代残疾人证已于 ${c.expiresOn} 到期`,
      facts: { generation: 2, expiresOn: c.expiresOn },
      outcome: 'not_met',
    });
  } else {
    clauses.push({
      clause: 'D1.certificate',
      citation,
      text: `持有第二代残疾人证（${TYPE_ZH[c.disabilityType] ?? c.disabilityType}${c.disabilityLevel ? `${c.disabilityLevel}级` : ''}）`,
      facts: { generation: 2, disabilityType: c.disabilityType, disabilityLevel: c.disabilityLevel ?? null },
      outcome: 'met',
    });
  }
  return { clauses, missing };
}

/**
 * D7 Exclusions: a person receiving the work-injury insurance nursing fee (工伤保险生活护理费) or in 特困 support
 * receives neither subsidy. POLICY.md §4 [seed] "领取工伤保险生活护理费、纳入特困人员供养保障的残疾人不享受残疾人两项补贴".
 */
export function exclusionClause(p: PersonFacts, h: HouseholdFacts): ClauseResult {
  const workInjury = (p.otherBenefits ?? []).some((b) => b.kind === 'work_injury_nursing_fee');
  const tekun = (h.enrollments ?? []).some(
    (e) => e.programme === 'tekun' && e.status === 'active' && e.personRef === p.ref,
  );
  const excluded = workInjury || tekun;
  const why = [workInjury ? '领取工伤保险生活护理费' : null, tekun ? '已纳入特困人员供养' : null]
    .filter(Boolean)
    .join('、');
  return {
    clause: 'D7.exclusion',
    citation: 'POLICY.md §4 [seed] 领取工伤保险生活护理费、纳入特困人员供养保障的残疾人不享受两项补贴',
    text: excluded ? `${why}，不享受残疾人两项补贴` : '未领取工伤保险生活护理费，未纳入特困供养',
    facts: { workInjuryNursingFee: workInjury, tekunActive: tekun },
    outcome: excluded ? 'not_met' : 'met',
  };
}

/**
 * D6 择高申领: eligible also for an elderly, work-disability (因公致残) or retiree (离休) welfare allowance of the
 * same kind → the higher one is taken. When the other allowance is at least the subsidy, the subsidy pays 0.
 * POLICY.md §4 [seed] "可择高申领其中一类生活补贴、护理补贴".
 */
export function chooseHigher(
  p: PersonFacts,
  kinds: readonly string[],
  subsidyFen: number,
  label: string,
): { clause: ClauseResult | null; payFen: number; flag: string | null; missing: MissingFact | null } {
  const others = (p.otherBenefits ?? []).filter((b) => kinds.includes(b.kind));
  if (others.length === 0) return { clause: null, payFen: subsidyFen, flag: null, missing: null };
  const citation = 'POLICY.md §4 [seed] 择高申领';
  const unknown = others.find((b) => b.monthlyAmountFen == null);
  if (unknown) {
    return {
      clause: {
        clause: 'D6.choose_higher',
        citation,
        text: `享受${ALLOWANCE_ZH[unknown.kind]}但未提供金额，无法择高`,
        facts: { kind: unknown.kind },
        outcome: 'undetermined',
      },
      payFen: 0,
      flag: null,
      missing: {
        fact: `otherBenefits.${unknown.kind}.monthlyAmountFen`,
        rule: 'D6',
        message: `缺少${ALLOWANCE_ZH[unknown.kind]}的月金额，无法按择高原则确定${label}（POLICY.md §4）`,
      },
    };
  }
  const best = others.reduce((a, b) => ((b.monthlyAmountFen ?? 0) > (a.monthlyAmountFen ?? 0) ? b : a));
  const otherFen = best.monthlyAmountFen ?? 0;
  if (otherFen >= subsidyFen) {
    return {
      clause: {
        clause: 'D6.choose_higher',
        citation,
        text: `已享受${ALLOWANCE_ZH[best.kind]}${yuan(otherFen)}，不低于${label}${yuan(subsidyFen)}，择高领取前者，不再发放${label}`,
        facts: { kind: best.kind, otherFen, subsidyFen },
        outcome: 'applied',
      },
      payFen: 0,
      flag: 'choose_higher_other',
      missing: null,
    };
  }
  return {
    clause: {
      clause: 'D6.choose_higher',
      citation,
      text: `${label}${yuan(subsidyFen)}高于${ALLOWANCE_ZH[best.kind]}${yuan(otherFen)}，择高领取${label}，原补贴应停发`,
      facts: { kind: best.kind, otherFen, subsidyFen },
      outcome: 'applied',
    },
    payFen: subsidyFen,
    flag: 'choose_higher_subsidy',
    missing: null,
  };
}

/** The household's active dibao enrollment covering this person (household-level or the person's own). */
function dibaoOf(p: PersonFacts, h: HouseholdFacts) {
  return (h.enrollments ?? []).find(
    (e) => e.programme === 'dibao' && e.status === 'active' && (e.personRef == null || e.personRef === p.ref),
  );
}

/**
 * 困难残疾人生活补贴. D2: disabled people in urban dibao families and rural class 1–2 dibao families → the
 * province standard (seed 100 元 = province 70 + local 30); rural class 3–4 → the county's own standard paid by the
 * county, and nothing with a coverage-gap flag where the county has none. D5: orphans on the orphan basic-living
 * guarantee get no living subsidy. POLICY.md §4 [seed].
 */
export function evaluateLivingSubsidy(
  p: PersonFacts,
  h: HouseholdFacts,
  prm: DisabilityParams,
  asOf: string,
): Decision {
  const { clauses, missing } = beneficiaryClauses(p, asOf);
  clauses.push(exclusionClause(p, h));
  const flags: string[] = [];
  const orphan = (p.otherBenefits ?? []).some((b) => b.kind === 'orphan_basic_living');
  clauses.push({
    clause: 'D5.orphan',
    citation: 'POLICY.md §4 [seed] 享受孤儿基本生活保障政策的残疾儿童不享受困难残疾人生活补贴',
    text: orphan ? '享受孤儿基本生活保障，不享受困难残疾人生活补贴' : '未享受孤儿基本生活保障',
    facts: { orphanBasicLiving: orphan },
    outcome: orphan ? 'not_met' : 'met',
  });
  const citation =
    'POLICY.md §4 [seed] 城市低保和农村一二类低保家庭每人每月100元（省70+地方30）；农村三四类由县自定标准、县财政自筹';
  const d = dibaoOf(p, h);
  let standard = 0;
  let funding = NO_FUNDING;
  let gap = false;
  if (!d) {
    clauses.push({
      clause: 'D2.dibao_family',
      citation,
      text: '家庭未享受低保，不属于困难残疾人生活补贴对象',
      facts: { dibao: false },
      outcome: 'not_met',
    });
  } else {
    const kind = d.dibaoKind ?? h.hukouType;
    if (kind === 'urban') {
      standard = prm.livingStandardFen;
      clauses.push({
        clause: 'D2.dibao_family',
        citation,
        text: `城市低保家庭，生活补贴标准${yuan(standard)}/月`,
        facts: { dibaoKind: 'urban' },
        outcome: 'met',
      });
    } else if (d.ruralClass == null) {
      missing.push({
        fact: 'enrollments[dibao].ruralClass',
        rule: 'D2',
        message: '农村低保家庭缺少低保类别（一至四类），无法确定困难残疾人生活补贴（POLICY.md §4）',
      });
      clauses.push({
        clause: 'D2.dibao_family',
        citation,
        text: '农村低保家庭未登记低保类别',
        facts: { dibaoKind: 'rural', ruralClass: null },
        outcome: 'undetermined',
      });
    } else if (d.ruralClass <= 2) {
      standard = prm.livingStandardFen;
      clauses.push({
        clause: 'D2.dibao_family',
        citation,
        text: `农村${d.ruralClass}类低保家庭，生活补贴标准${yuan(standard)}/月`,
        facts: { dibaoKind: 'rural', ruralClass: d.ruralClass },
        outcome: 'met',
      });
    } else if (prm.livingRuralClass34Fen != null && prm.livingRuralClass34Fen > 0) {
      standard = prm.livingRuralClass34Fen;
      clauses.push({
        clause: 'D2.dibao_family',
        citation,
        text: `农村${d.ruralClass}类低保家庭，按本县自定标准${yuan(standard)}/月，由县财政自筹`,
        facts: { dibaoKind: 'rural', ruralClass: d.ruralClass, countyStandardFen: standard },
        outcome: 'met',
      });
    } else {
      gap = true;
      clauses.push({
        clause: 'D2.dibao_family',
        citation,
        text: `农村${d.ruralClass}类低保家庭，本县尚未确定三四类家庭生活补贴标准（保障缺口）`,
        facts: { dibaoKind: 'rural', ruralClass: d.ruralClass, countyStandardFen: null },
        outcome: 'not_met',
      });
    }
    if (standard > 0) {
      const class34 = kind === 'rural' && (d.ruralClass ?? 0) >= 3;
      if (class34) funding = { provinceFen: 0, cityFen: 0, countyFen: standard };
      else {
        const province = Math.min(prm.livingProvinceShareFen, standard);
        funding = { provinceFen: province, ...splitLocal(standard - province, prm.localShareCityPercent) };
      }
    }
  }
  // The coverage gap is reported for people who meet every other condition: only the missing county standard keeps them out.
  if (gap && allMet(clauses.filter((c) => c.clause !== 'D2.dibao_family')) === true) flags.push('coverage_gap');
  let eligible = allMet(clauses);
  let amount = eligible === true ? standard : 0;
  if (eligible === true) {
    const z = chooseHigher(p, LIVING_ALLOWANCES, standard, '困难残疾人生活补贴');
    if (z.clause) clauses.push(z.clause);
    if (z.flag) flags.push(z.flag);
    if (z.missing) {
      missing.push(z.missing);
      eligible = null;
    }
    if (z.payFen !== standard) {
      amount = z.payFen;
      funding = amount === 0 ? NO_FUNDING : funding;
    }
  }
  if (eligible !== true) {
    amount = 0;
    funding = NO_FUNDING;
  }
  clauses.push(notIncomeClause());
  return {
    programme: 'disability_living',
    personRef: p.ref,
    eligible,
    monthlyAmountFen: amount,
    funding,
    flags,
    clauses,
    missingFacts: missing,
  };
}

/** D8 Neither subsidy counts as dibao household income. POLICY.md §4; §2 [A art.13]. */
export function notIncomeClause(): ClauseResult {
  return {
    clause: 'D8.not_income',
    citation: 'POLICY.md §4; §2 [A art.13] 两项补贴不计入低保家庭收入',
    text: '残疾人两项补贴不计入低保家庭收入',
    facts: {},
    outcome: 'applied',
  };
}

/**
 * 重度残疾人护理补贴. D3: a (type, level) in the configurable table (seed: intellectual/mental/physical/visual
 * level 1; intellectual/mental level 2 needing long-term care) → 100 元 = province 80 + local 20, with no dibao
 * condition. D5: orphans may receive it. POLICY.md §4 [seed; K].
 */
export function evaluateNursingSubsidy(
  p: PersonFacts,
  h: HouseholdFacts,
  prm: DisabilityParams,
  asOf: string,
): Decision {
  const { clauses, missing } = beneficiaryClauses(p, asOf);
  clauses.push(exclusionClause(p, h));
  const flags: string[] = [];
  const citation = 'POLICY.md §4 [seed] 智力、精神、肢体、视力一级，智力、精神二级且需要长期照护（类别等级表可配置）';
  const c = p.disabilityCert;
  if (c && c.generation === 2) {
    const entry = prm.nursingTable.find((e) => e.type === c.disabilityType && e.level === c.disabilityLevel);
    const what = `${TYPE_ZH[c.disabilityType] ?? c.disabilityType}${c.disabilityLevel ?? '?'}级`;
    if (c.disabilityLevel == null) {
      missing.push({
        fact: 'disabilityCert.disabilityLevel',
        rule: 'D3',
        message: '第二代残疾人证缺少残疾等级，无法判断护理补贴（POLICY.md §4）',
      });
      clauses.push({
        clause: 'D3.severity',
        citation,
        text: '残疾等级未知',
        facts: { disabilityType: c.disabilityType, disabilityLevel: null },
        outcome: 'undetermined',
      });
    } else if (!entry) {
      clauses.push({
        clause: 'D3.severity',
        citation,
        text: `${what}不在护理补贴对象范围内`,
        facts: { disabilityType: c.disabilityType, disabilityLevel: c.disabilityLevel },
        outcome: 'not_met',
      });
    } else if (entry.requiresLongTermCare && c.needsLongTermCare == null) {
      missing.push({
        fact: 'disabilityCert.needsLongTermCare',
        rule: 'D3',
        message: `${what}须“需要长期照护”才享受护理补贴，缺少该项（POLICY.md §4）`,
      });
      clauses.push({
        clause: 'D3.severity',
        citation,
        text: `${what}，是否需要长期照护未知`,
        facts: { disabilityType: c.disabilityType, disabilityLevel: c.disabilityLevel, needsLongTermCare: null },
        outcome: 'undetermined',
      });
    } else if (entry.requiresLongTermCare && !c.needsLongTermCare) {
      clauses.push({
        clause: 'D3.severity',
        citation,
        text: `${what}但不需要长期照护，不属于护理补贴对象`,
        facts: { disabilityType: c.disabilityType, disabilityLevel: c.disabilityLevel, needsLongTermCare: false },
        outcome: 'not_met',
      });
    } else {
      clauses.push({
        clause: 'D3.severity',
        citation,
        text: `${what}${entry.requiresLongTermCare ? '且需要长期照护' : ''}，属于重度残疾人护理补贴对象（不要求低保）`,
        facts: {
          disabilityType: c.disabilityType,
          disabilityLevel: c.disabilityLevel,
          needsLongTermCare: c.needsLongTermCare ?? null,
        },
        outcome: 'met',
      });
    }
  }
  const orphan = (p.otherBenefits ?? []).some(
    (b) => b.kind === 'orphan_basic_living' || b.kind === 'de_facto_unsupported_child',
  );
  if (orphan) {
    clauses.push({
      clause: 'D5.orphan',
      citation: 'POLICY.md §4 [seed; J] 孤儿、事实无人抚养儿童可享受重度残疾人护理补贴',
      text: '享受孤儿（事实无人抚养儿童）保障，仍可享受护理补贴',
      facts: { orphanOrUnsupported: true },
      outcome: 'applied',
    });
  }
  let eligible = allMet(clauses);
  const standard = prm.nursingStandardFen;
  let amount = eligible === true ? standard : 0;
  const province = Math.min(prm.nursingProvinceShareFen, standard);
  let funding =
    eligible === true
      ? { provinceFen: province, ...splitLocal(standard - province, prm.localShareCityPercent) }
      : NO_FUNDING;
  if (eligible === true) {
    const z = chooseHigher(p, NURSING_ALLOWANCES, standard, '重度残疾人护理补贴');
    if (z.clause) clauses.push(z.clause);
    if (z.flag) flags.push(z.flag);
    if (z.missing) {
      missing.push(z.missing);
      eligible = null;
    }
    if (z.payFen !== standard) {
      amount = z.payFen;
      funding = NO_FUNDING;
    }
  }
  if (eligible !== true) {
    amount = 0;
    funding = NO_FUNDING;
  }
  clauses.push({
    clause: 'D4.both',
    citation: 'POLICY.md §4 [seed] 可同时申领生活补贴和护理补贴',
    text: '护理补贴与困难残疾人生活补贴可同时享受',
    facts: {},
    outcome: 'applied',
  });
  clauses.push(notIncomeClause());
  return {
    programme: 'disability_nursing',
    personRef: p.ref,
    eligible,
    monthlyAmountFen: amount,
    funding,
    flags,
    clauses,
    missingFacts: missing,
  };
}
