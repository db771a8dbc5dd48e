/**
 * 低保 parameters: effective-dated and region-scoped in the database (case_parameters); these are the shipped
 * defaults. Everything here is a **local setting** ([configurable default] in POLICY.md) unless marked otherwise.
 */
import type { Rounding } from '../../money.js';

/** "3+1" assessment settings (S5: weights, scoring sheet and cut-offs are [configurable default]). */
export interface AssessmentParameters {
  /** Weights in percent of the household-survey score and the democratic-review score; they sum to 100. */
  surveyWeightPct: number;
  reviewWeightPct: number;
  /** Household-survey scoring sheet: maximum points per item (sum 100). */
  scoring: {
    dependency: number;
    illnessSevere: number;
    illnessModerate: number;
    housingDangerous: number;
    housingWeak: number;
    incomeGap: number;
    visitRating: number;
  };
  /** Rural class cut-offs on the combined score (0–100): ≥ class1 → 一类, ≥ class2 → 二类, ≥ class3 → 三类, else 四类. */
  classCutoffs: { class1: number; class2: number; class3: number };
  /** Property limits [A art.14; configurable default]. */
  property: { financialPerCapitaMaxMonths: number; vehicleMaxFen: number; maxHouses: number; businessMaxFen: number };
  rounding: Rounding;
  /** 低保边缘: per-capita income below this multiple (×100) of the standard [A art.6; default 1.5]. */
  edgeMultiplePct: number;
  /** Validity period in months and review cadence [A art.31; E item 7]. */
  validityMonths: number;
  stableReviewMonths: number;
  irregularReviewMonths: number;
  /** 渐退期 maximum months [A art.33; F]. */
  taperMaxMonths: number;
  /** Months to review after a member's death [F]. */
  deathReviewMonths: number;
  /** Refusals of suitable work in a row that stop that member's share [A art.34; D art.45]. */
  workRefusalLimit: number;
}

export const DEFAULT_ASSESSMENT: AssessmentParameters = {
  surveyWeightPct: 60,
  reviewWeightPct: 40,
  scoring: {
    dependency: 30,
    illnessSevere: 20,
    illnessModerate: 10,
    housingDangerous: 15,
    housingWeak: 5,
    incomeGap: 25,
    visitRating: 10,
  },
  classCutoffs: { class1: 75, class2: 55, class3: 35 },
  property: { financialPerCapitaMaxMonths: 24, vehicleMaxFen: 5_000_000, maxHouses: 1, businessMaxFen: 0 },
  rounding: 'yuan_up',
  edgeMultiplePct: 150,
  validityMonths: 12,
  stableReviewMonths: 12,
  irregularReviewMonths: 6,
  taperMaxMonths: 6,
  deathReviewMonths: 3,
  workRefusalLimit: 3,
};

/** 低保标准 of a county for a year (no default: a missing standard is CONFIGURATION_MISSING). */
export interface DibaoStandard {
  /** Monthly urban standard, fen per person. */
  urbanMonthlyFen: number;
  /** Monthly rural standard, fen per person. */
  ruralMonthlyFen: number;
  /** Rural class amounts, fen per person per month (Gansu class-based rural 低保, POLICY §2). */
  classAmountsFen: { 1: number; 2: number; 3: number; 4: number };
}

/** County budget for a year, fen (S4: shown and warned on, never blocking). */
export interface DibaoBudget {
  annualFen: number;
}

export function validateAssessmentParameters(p: AssessmentParameters): string[] {
  const problems: string[] = [];
  if (p.surveyWeightPct + p.reviewWeightPct !== 100) problems.push('surveyWeightPct + reviewWeightPct 必须等于 100');
  const s = p.scoring;
  const total =
    s.dependency +
    Math.max(s.illnessSevere, s.illnessModerate) +
    Math.max(s.housingDangerous, s.housingWeak) +
    s.incomeGap +
    s.visitRating;
  if (total !== 100) problems.push(`评分表各项满分之和必须为 100（现为 ${total}）`);
  const c = p.classCutoffs;
  if (!(c.class1 > c.class2 && c.class2 > c.class3 && c.class3 >= 0 && c.class1 <= 100))
    problems.push('分类分数线必须满足 100 ≥ 一类 > 二类 > 三类 ≥ 0');
  if (p.taperMaxMonths < 0 || p.taperMaxMonths > 6) problems.push('渐退期不得超过 6 个月');
  return problems;
}

export function validateStandard(s: DibaoStandard): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries({
    urbanMonthlyFen: s.urbanMonthlyFen,
    ruralMonthlyFen: s.ruralMonthlyFen,
    ...Object.fromEntries(Object.entries(s.classAmountsFen).map(([c, a]) => [`classAmountsFen.${c}`, a])),
  })) {
    if (!Number.isInteger(v) || v <= 0) problems.push(`${k} 必须是正整数（分）`);
  }
  return problems;
}
