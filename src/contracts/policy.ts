import { z } from 'zod';
import { DateString, RegionCode } from './common.js';
import { IncomeKind } from './registry-codes.js';

/**
 * Policy engine contracts (issue 6): parameters as effective-dated data, `POST /v1/evaluate` (household facts in
 * the registry's shape + as-of date → every programme's decision with its explanation), bulk evaluation, the
 * coverage report and what-if simulation. docs/policy-engine.md documents them with worked examples.
 */

export const Programme = z.enum(['dibao', 'tekun', 'disability']);
export const DisabilityType = z.enum(
  ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'],
  {
    error:
      '未知的残疾类别：应为 visual 视力、hearing 听力、speech 言语、physical 肢体、intellectual 智力、mental 精神、multiple 多重之一',
  },
);
const Level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], { error: '残疾等级应为 1–4' });
const Fen = z.number().int().min(0).max(100_000_000_000);

export const ParameterView = z.object({
  id: z.number().int(),
  programme: Programme,
  regionCode: z.string(),
  regionName: z.string().nullable(),
  key: z.string(),
  nameZh: z.string().nullable(),
  value: z.unknown(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  sourceDocument: z.string(),
  sourceArticle: z.string(),
  note: z.string().nullable(),
  supersedesId: z.number().int().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ParameterView = z.infer<typeof ParameterView>;

export const ParameterListQuery = z.strictObject({
  programme: Programme.optional(),
  key: z.string().max(100).optional(),
  regionCode: z
    .string()
    .regex(/^\d{2}(\d{2}(\d{2})?)?$/, '参数区划应为 2、4 或 6 位代码')
    .optional(),
  asOf: DateString.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const CreateParameterRequest = z.strictObject({
  programme: Programme,
  regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, '参数区划应为省（2位）、市（4位）或县（6位）代码'),
  key: z.string().min(1).max(100),
  value: z.unknown().refine((v) => v !== undefined, '缺少参数值'),
  effectiveFrom: DateString,
  effectiveTo: DateString.nullable().optional(),
  sourceDocument: z.string().trim().min(1, '参数必须注明来源文件').max(500),
  sourceArticle: z.string().trim().min(1, '参数必须注明条款').max(1000),
  note: z.string().max(2000).optional(),
});
export type CreateParameterRequest = z.infer<typeof CreateParameterRequest>;

export const ParameterDefView = z.object({
  programme: Programme,
  key: z.string(),
  zh: z.string(),
  kind: z.string(),
  scopes: z.array(z.string()),
  citation: z.string(),
});

export const ResolvedQuery = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/, '应为 6 位县级代码'),
  asOf: DateString.optional(),
});
export const ResolvedView = z.object({
  regionCode: z.string(),
  asOf: z.string(),
  items: z.array(
    z.object({
      name: z.string(),
      value: z.unknown(),
      regionCode: z.string(),
      effectiveFrom: z.string(),
      effectiveTo: z.string().nullable(),
      source: z.string(),
      id: z.number().int(),
    }),
  ),
});

// ── Household facts (the registry's shape) ─────────────────────────────────────────────────────────────
const BenefitKind = z.enum([
  'orphan_basic_living',
  'de_facto_unsupported_child',
  'work_injury_nursing_fee',
  'elderly_living_allowance',
  'elderly_nursing_allowance',
  'work_disability_living_allowance',
  'work_disability_nursing_allowance',
  'retiree_living_allowance',
  'retiree_nursing_allowance',
]);
export const SupporterFacts = z.strictObject({
  name: z.string().max(100).optional(),
  relation: z.enum(['spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other']),
  birthDate: DateString,
  isTekun: z.boolean().optional(),
  isDibao: z.boolean().optional(),
  annualIncomeFen: Fen.nullable().optional(),
  propertyFen: Fen.nullable().optional(),
  disabilityType: DisabilityType.nullable().optional(),
  disabilityLevel: Level.nullable().optional(),
  lacksCivilCapacity: z.boolean().optional(),
  declaredMissing: z.boolean().optional(),
  imprisoned: z.boolean().optional(),
});
export const PersonFacts = z.strictObject({
  ref: z.string().min(1).max(40),
  name: z.string().max(100).optional(),
  idNumber: z.string().max(18).optional(),
  birthDate: DateString,
  sex: z.enum(['M', 'F']).optional(),
  relation: z.enum(['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other']).optional(),
  hukouLocal: z.boolean().nullable().optional(),
  studentStatus: z
    .enum(['none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'bachelor', 'postgraduate'])
    .nullable()
    .optional(),
  deathDate: DateString.nullable().optional(),
  imprisoned: z.boolean().optional(),
  disabilityCert: z
    .strictObject({
      generation: z.union([z.literal(1), z.literal(2)], { error: '残疾人证代别应为 1 或 2' }),
      disabilityType: DisabilityType,
      disabilityLevel: Level.nullable().optional(),
      needsLongTermCare: z.boolean().optional(),
      issuedOn: DateString.nullable().optional(),
      expiresOn: DateString.nullable().optional(),
    })
    .nullable()
    .optional(),
  otherBenefits: z
    .array(z.strictObject({ kind: BenefitKind, monthlyAmountFen: Fen.nullable().optional() }))
    .max(20)
    .optional(),
  supporters: z.array(SupporterFacts).max(20).nullable().optional(),
  selfCare: z
    .strictObject({
      eating: z.boolean(),
      dressing: z.boolean(),
      transferring: z.boolean(),
      toileting: z.boolean(),
      walkingIndoors: z.boolean(),
      bathing: z.boolean(),
    })
    .nullable()
    .optional(),
  choosesChildScheme: z.boolean().optional(),
});
export const HouseholdFacts = z.strictObject({
  regionCode: RegionCode.refine((c) => c.length >= 6, '家庭所在区划至少应到县级（6 位）'),
  hukouType: z.enum(['urban', 'rural']),
  members: z.array(PersonFacts).min(1, '至少一名家庭成员').max(30),
  incomeItems: z
    .array(
      z.strictObject({
        personRef: z.string().max(40).nullable().optional(),
        kind: IncomeKind,
        period: z.enum(['monthly', 'annual']),
        amountFen: Fen,
      }),
    )
    .max(200)
    .optional(),
  propertyItems: z
    .array(
      z.strictObject({
        personRef: z.string().max(40).nullable().optional(),
        kind: z.enum(['deposit', 'securities', 'commercial_insurance', 'vehicle', 'house', 'business', 'other']),
        valueFen: Fen,
      }),
    )
    .max(200)
    .optional(),
  enrollments: z
    .array(
      z.strictObject({
        programme: z.enum([
          'dibao',
          'tekun',
          'disability_living',
          'disability_nursing',
          'temporary',
          'medical',
          'left_behind_child',
          'low_income_edge',
        ]),
        personRef: z.string().max(40).nullable().optional(),
        dibaoKind: z.enum(['urban', 'rural']).nullable().optional(),
        ruralClass: Level.nullable().optional(),
        status: z.enum(['active', 'suspended', 'ended']),
      }),
    )
    .max(50)
    .optional(),
});

export const EvaluateRequest = z.strictObject({ asOf: DateString, household: HouseholdFacts });
export type EvaluateRequest = z.infer<typeof EvaluateRequest>;

const Funding = z.object({ provinceFen: z.number().int(), cityFen: z.number().int(), countyFen: z.number().int() });
export const DecisionView = z.object({
  programme: z.enum(['disability_living', 'disability_nursing', 'tekun']),
  personRef: z.string(),
  eligible: z.boolean().nullable(),
  outcome: z.enum(['eligible', 'not_eligible', 'undetermined']),
  monthlyAmountFen: z.number().int(),
  funding: Funding,
  flags: z.array(z.string()),
  clauses: z.array(
    z.object({
      clause: z.string(),
      citation: z.string(),
      text: z.string(),
      facts: z.record(z.string(), z.unknown()),
      outcome: z.enum(['met', 'not_met', 'undetermined', 'applied', 'not_applicable']),
    }),
  ),
  missingFacts: z.array(z.object({ fact: z.string(), rule: z.string(), message: z.string() })),
  /** The explanation as one paragraph a notice (告知书) can quote. */
  explanation: z.string(),
});
export const EvaluateResponse = z.object({
  asOf: z.string(),
  countyCode: z.string(),
  decisions: z.array(DecisionView),
  totals: z.object({ monthlyFen: z.number().int(), funding: Funding }),
  parameters: z.record(z.string(), z.object({ regionCode: z.string(), source: z.string(), id: z.number().int() })),
});
export type EvaluateResponse = z.infer<typeof EvaluateResponse>;

// ── Bulk, coverage, what-if ────────────────────────────────────────────────────────────────────────────
export const BulkEvaluateRequest = z.strictObject({
  regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, '应为 2、4 或 6 位区划代码'),
  asOf: DateString.optional(),
});
const CostBlock = z.object({
  persons: z.number().int(),
  monthlyFen: z.number().int(),
  provinceFen: z.number().int(),
  cityFen: z.number().int(),
  countyFen: z.number().int(),
});
export const CountySummary = z.object({
  countyCode: z.string(),
  countyName: z.string().nullable(),
  persons: z.number().int(),
  living: CostBlock.extend({ undetermined: z.number().int(), coverageGap: z.number().int() }),
  nursing: CostBlock.extend({ undetermined: z.number().int() }),
  tekun: z.object({
    labourCapacityMet: z.number().int(),
    noLivingSourceMet: z.number().int(),
    supportersMet: z.number().int(),
    supportersUnknown: z.number().int(),
    eligible: z.number().int(),
    candidates: z.number().int(),
    monthlyFen: z.number().int(),
  }),
});
export const BulkEvaluateResponse = z.object({
  asOf: z.string(),
  regionCode: z.string(),
  elapsedMs: z.number(),
  counties: z.array(CountySummary),
});

export const CoverageQuery = z.strictObject({
  regionCode: z
    .string()
    .regex(/^\d{2}(\d{2}(\d{2})?)?$/)
    .optional(),
  asOf: DateString.optional(),
});
export const CoverageRow = z.object({
  countyCode: z.string(),
  countyName: z.string().nullable(),
  hasClass34Standard: z.boolean(),
  class34StandardFen: z.number().int().nullable(),
  livingEligible: z.number().int(),
  livingPaid: z.number().int(),
  livingEligibleNotPaid: z.number().int(),
  livingPaidNotEligible: z.number().int(),
  nursingEligible: z.number().int(),
  nursingPaid: z.number().int(),
  nursingEligibleNotPaid: z.number().int(),
  nursingPaidNotEligible: z.number().int(),
  coverageGapPersons: z.number().int(),
});
export const CoverageResponse = z.object({
  asOf: z.string(),
  regionCode: z.string(),
  counties: z.array(CoverageRow),
  countiesWithoutClass34Standard: z.array(z.string()),
});

export const WhatIfRequest = z.strictObject({
  regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, '应为 2、4 或 6 位区划代码'),
  asOf: DateString.optional(),
  changes: z
    .array(
      z.strictObject({
        programme: Programme,
        key: z.string().min(1).max(100),
        regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/),
        value: z.unknown(),
      }),
    )
    .min(1, '至少修改一个参数')
    .max(20),
  /**
   * Where the facts come from: `auto` (default) uses the fact snapshot of `asOf` when every county of the region has
   * one, otherwise the registry live; `live` always joins the registry; `snapshot` requires the snapshot (409 if a
   * county has none).
   */
  facts: z.enum(['auto', 'live', 'snapshot']).optional(),
});
const Cost = z.object({
  monthlyFen: z.number().int(),
  annualFen: z.number().int(),
  provinceFen: z.number().int(),
  cityFen: z.number().int(),
  countyFen: z.number().int(),
});
export const WhatIfCounty = z.object({
  countyCode: z.string(),
  countyName: z.string().nullable(),
  gainers: z.number().int(),
  losers: z.number().int(),
  baseline: Cost,
  scenario: Cost,
  delta: Cost,
});
export const WhatIfResponse = z.object({
  asOf: z.string(),
  regionCode: z.string(),
  elapsedMs: z.number(),
  counties: z.array(WhatIfCounty),
  total: z.object({ gainers: z.number().int(), losers: z.number().int(), baseline: Cost, scenario: Cost, delta: Cost }),
  /** The facts evaluated: the registry now (`live`), or fact snapshots of `asOf` refreshed at `refreshedAt` (the oldest). */
  facts: z.object({ source: z.enum(['live', 'snapshot']), refreshedAt: z.string().nullable() }),
});

/** A policy fact snapshot of one county (the what-if reads it instead of joining the registry). */
export const FactSnapshotView = z.object({
  countyCode: z.string(),
  countyName: z.string().nullable(),
  asOf: z.string(),
  persons: z.number().int(),
  refreshedAt: z.string(),
  refreshedBy: z.string().nullable(),
  seconds: z.number().nullable(),
});
export type FactSnapshotView = z.infer<typeof FactSnapshotView>;
export const FactSnapshotQuery = z.strictObject({
  regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, '应为 2、4 或 6 位区划代码'),
});
export const FactSnapshotList = z.object({ items: z.array(FactSnapshotView) });
export const FactSnapshotRequest = z.strictObject({
  regionCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, '应为 2、4 或 6 位区划代码（快照按县生成）'),
  asOf: DateString.optional(),
});
