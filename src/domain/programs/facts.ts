/**
 * Household facts as the rules read them — the same shape the registry stores (households, persons,
 * disability_certs, income_items, property_items, programme_enrollments), plus the facts of other benefits and
 * legal supporters (person_benefit_facts, legal_supporters). Optional fields may be missing: a rule that needs a
 * missing fact answers `undetermined` and names the fact and the rule.
 */
import type { DisabilityType } from '../parameters/catalogue.js';

export type Tri = boolean | null;

export interface DisabilityCertFacts {
  generation: 1 | 2;
  disabilityType: DisabilityType;
  disabilityLevel?: 1 | 2 | 3 | 4 | null;
  needsLongTermCare?: boolean;
  issuedOn?: string | null;
  expiresOn?: string | null;
}

export type BenefitKind =
  | 'orphan_basic_living'
  | 'de_facto_unsupported_child'
  | 'work_injury_nursing_fee'
  | 'elderly_living_allowance'
  | 'elderly_nursing_allowance'
  | 'work_disability_living_allowance'
  | 'work_disability_nursing_allowance'
  | 'retiree_living_allowance'
  | 'retiree_nursing_allowance';

export interface OtherBenefit {
  kind: BenefitKind;
  monthlyAmountFen?: number | null;
}

export interface SupporterFacts {
  name?: string;
  relation: 'spouse' | 'child' | 'parent' | 'grandchild' | 'grandparent' | 'sibling' | 'other';
  birthDate: string;
  isTekun?: boolean;
  isDibao?: boolean;
  annualIncomeFen?: number | null;
  propertyFen?: number | null;
  disabilityType?: DisabilityType | null;
  disabilityLevel?: 1 | 2 | 3 | 4 | null;
  lacksCivilCapacity?: boolean;
  declaredMissing?: boolean;
  imprisoned?: boolean;
}

/** 六项日常生活活动 [C arts.21–23]: true = can do it unaided. */
export interface SelfCareFacts {
  eating: boolean;
  dressing: boolean;
  transferring: boolean;
  toileting: boolean;
  walkingIndoors: boolean;
  bathing: boolean;
}

export type StudentStatus =
  | 'none'
  | 'preschool'
  | 'primary'
  | 'junior'
  | 'senior'
  | 'vocational'
  | 'college'
  | 'bachelor'
  | 'postgraduate';

export interface PersonFacts {
  ref: string;
  name?: string;
  idNumber?: string;
  birthDate: string;
  sex?: 'M' | 'F';
  relation?: 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other';
  hukouLocal?: boolean | null;
  studentStatus?: StudentStatus | null;
  deathDate?: string | null;
  /** Serving a prison sentence (a 特困 termination reason, [C art.24]). */
  imprisoned?: boolean;
  disabilityCert?: DisabilityCertFacts | null;
  otherBenefits?: OtherBenefit[];
  supporters?: SupporterFacts[] | null;
  selfCare?: SelfCareFacts | null;
  /** A minor eligible for 特困 who takes the orphan / de-facto-unsupported-child scheme instead [C art.9]. */
  choosesChildScheme?: boolean;
}

export type IncomeKind =
  | 'wages'
  | 'business_net'
  | 'property_net'
  | 'transfer_net'
  | 'special_care'
  | 'family_planning'
  | 'scholarship'
  | 'heroic_award'
  | 'social_assistance'
  | 'basic_pension'
  | 'other_excluded';

export interface IncomeItemFacts {
  personRef?: string | null;
  kind: IncomeKind;
  period: 'monthly' | 'annual';
  amountFen: number;
}

export interface PropertyItemFacts {
  personRef?: string | null;
  kind: 'deposit' | 'securities' | 'commercial_insurance' | 'vehicle' | 'house' | 'business' | 'other';
  valueFen: number;
}

export interface EnrollmentFacts {
  programme:
    | 'dibao'
    | 'tekun'
    | 'disability_living'
    | 'disability_nursing'
    | 'temporary'
    | 'medical'
    | 'left_behind_child'
    | 'low_income_edge';
  personRef?: string | null;
  dibaoKind?: 'urban' | 'rural' | null;
  ruralClass?: 1 | 2 | 3 | 4 | null;
  status: 'active' | 'suspended' | 'ended';
}

export interface HouseholdFacts {
  regionCode: string;
  hukouType: 'urban' | 'rural';
  members: PersonFacts[];
  incomeItems?: IncomeItemFacts[];
  propertyItems?: PropertyItemFacts[];
  enrollments?: EnrollmentFacts[];
}

/** One clause of a decision: what was checked, with which facts, the outcome and the policy basis. */
export interface ClauseResult {
  clause: string;
  citation: string;
  /** Chinese sentence a notice (告知书) can quote. */
  text: string;
  facts: Record<string, unknown>;
  outcome: 'met' | 'not_met' | 'undetermined' | 'applied' | 'not_applicable';
}

export interface MissingFact {
  fact: string;
  rule: string;
  message: string;
}

export interface FundingSplit {
  provinceFen: number;
  cityFen: number;
  countyFen: number;
}

export const NO_FUNDING: FundingSplit = { provinceFen: 0, cityFen: 0, countyFen: 0 };

export interface Decision {
  programme: 'disability_living' | 'disability_nursing' | 'tekun';
  personRef: string;
  /** true / false, or null when a fact the rule needs is missing. */
  eligible: Tri;
  monthlyAmountFen: number;
  funding: FundingSplit;
  flags: string[];
  clauses: ClauseResult[];
  missingFacts: MissingFact[];
}
