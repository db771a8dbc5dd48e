import { z } from 'zod';
import { Cursor, DateString, RegionCode } from './common.js';

/** Requests and responses of the case engine (低保 first), notices and archive. Bodies are strict. */

const Version = z.number().int().positive();
const Text = (max = 2000) => z.string().trim().min(1).max(max);
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

export const Programme = z.enum(['dibao']);

/**
 * Programmes the case engine runs: 低保 (household), 特困 (one person, POLICY.md §3) and the disability two
 * subsidies (one person, POLICY.md §4): 困难残疾人生活补贴 and 重度残疾人护理补贴.
 */
export const CaseProgramme = z.enum(['dibao', 'tekun', 'disability_living', 'disability_nursing']);

export const CreateCaseRequest = z.strictObject({
  programme: CaseProgramme.default('dibao'),
  householdId: z.number().int().positive(),
  applicantPersonId: z.number().int().positive().optional(),
  appliedOn: DateString.optional(),
  /** 申请人与经办人员或村干部有近亲属关系 → 单独登记备案 [A art.11]. */
  relatedToStaff: z.boolean().default(false),
  relationNote: z.string().max(500).optional(),
});

export const Investigator = z.strictObject({ name: Text(50), userId: z.number().int().positive().optional() });
export const InvestigationData = z.strictObject({
  investigators: z.array(Investigator).min(2, '家庭经济状况调查须由 2 名以上工作人员进行'),
  visitForm: z.strictObject({
    visitedOn: DateString,
    signedByApplicant: z.literal(true, '入户调查表须经申请人签字'),
    signedByInvestigators: z.literal(true, '入户调查表须经调查人员签字'),
    hardshipRating: z.number().int().min(0).max(10),
    notes: z.string().max(4000).default(''),
  }),
  neighbourVisits: z
    .array(z.strictObject({ name: Text(50), relation: Text(50), statement: Text(2000) }))
    .min(1, '须至少走访 1 户邻里'),
  verification: z.strictObject({
    requestedOn: DateString,
    resultOn: DateString,
    result: z.enum(['consistent', 'inconsistent']),
    note: z.string().max(2000).default(''),
  }),
});
export const DemocraticReviewData = z.strictObject({
  heldOn: DateString,
  participants: z.array(z.strictObject({ name: Text(50), role: Text(50) })).min(3, '民主评议至少 3 名参加人员'),
  votesFor: z.number().int().min(0),
  votesAgainst: z.number().int().min(0),
  abstentions: z.number().int().min(0).default(0),
  minutes: Text(8000),
});
/** 特困 investigation [C arts.14–15, 21–23]: visit, the legal supporters found (an empty list = none), six activities. */
export const TekunInvestigationData = z.strictObject({
  investigators: z
    .array(z.strictObject({ name: Text(50), userId: z.number().int().positive().optional() }))
    .min(2, '入户调查至少 2 名工作人员'),
  visitedOn: DateString,
  supporters: z
    .array(
      z.strictObject({
        name: Text(50),
        relation: z.enum(['spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other']),
        birthDate: DateString,
        isTekun: z.boolean().optional(),
        isDibao: z.boolean().optional(),
        annualIncomeFen: z.number().int().nonnegative().nullable().optional(),
        propertyFen: z.number().int().nonnegative().nullable().optional(),
        disabilityLevel: z
          .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])
          .nullable()
          .optional(),
        lacksCivilCapacity: z.boolean().optional(),
        declaredMissing: z.boolean().optional(),
        imprisoned: z.boolean().optional(),
      }),
    )
    .max(20),
  selfCare: z.strictObject({
    eating: z.boolean(),
    dressing: z.boolean(),
    transferring: z.boolean(),
    toileting: z.boolean(),
    walkingIndoors: z.boolean(),
    bathing: z.boolean(),
  }),
  note: z.string().max(2000).optional(),
});
export const AcceptanceData = z.strictObject({ acceptedOn: DateString.optional() });
/** Township first review of a subsidy application: the opinion; the assessment runs the rules as of the application date. */
export const DisabilityReviewData = z.strictObject({ opinion: Text(2000) });
export const PublicityCompleteData = z.strictObject({ note: z.string().max(2000).optional() });
export const CountyVisitData = z.strictObject({
  visitedOn: DateString,
  visitors: z.array(Text(50)).min(2, '县级入户核查须 2 名以上人员'),
  findings: Text(4000),
});

export const StepParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  step: z.string().regex(/^[a-z_]{2,40}$/),
});
export const StepRequest = z.strictObject({ version: Version, data: z.record(z.string(), z.unknown()).default({}) });

export const StartPublicityRequest = z.strictObject({ version: Version, startOn: DateString, place: Text(200) });
export const ObjectionRequest = z.strictObject({
  version: Version,
  raisedBy: Text(50),
  content: Text(2000),
  handling: z.enum(['re_investigate', 'democratic_review']),
});
export const DecisionRequest = z.strictObject({
  version: Version,
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(4000).optional(),
  /** 特困: the county's re-check of a sampled case [C art.16] — required when the case was sampled. */
  recheck: z.strictObject({ checkedOn: DateString, findings: Text(4000), confirmed: z.boolean() }).optional(),
});
export const RejectRequest = z.strictObject({ version: Version, reason: Text(4000) });
export const EndRequest = z.strictObject({ version: Version, reason: Text(2000) });
export const ReassessRequest = z.strictObject({
  version: Version,
  visitRating: z.number().int().min(0).max(10).optional(),
  reviewScore: z.number().int().min(0).max(100).optional(),
});
export const AdjustRequest = z.strictObject({ version: Version });
export const ExitRequest = z.strictObject({
  version: Version,
  reason: z.enum(['ineligible', 'income_above_line', 'death', 'non_cooperation', 'voluntary']),
  /** 渐退期 months when employment lifted income above the line (≤ 6, [A art.33]). */
  taperMonths: z.number().int().min(0).max(6).default(0),
  facts: Text(4000),
});
export const WorkRefusalRequest = z.strictObject({
  personId: z.number().int().positive(),
  refusedOn: DateString,
  offer: Text(500),
});
/** 特困 yearly review [E item 7]: the visit, the legal supporters found and the six activities re-assessed [C art.23]. */
export const TekunReviewRequest = TekunInvestigationData.extend({ version: Version });
export const TekunReviewApplyRequest = z.strictObject({ version: Version, outcome: z.enum(['continue', 'adjust']) });
/** Termination reasons of 特困 support, POLICY.md §3 [C arts.9, 24–26]. */
export const TekunTerminationReason = z.enum([
  'death',
  'regained_labour_capacity',
  'adult_not_in_school',
  'imprisoned',
  'income_or_property',
  'capable_supporter',
  'child_scheme',
  'moved_out',
  'voluntary_exit',
]);
export const TerminateRequest = z.strictObject({
  version: Version,
  reason: TekunTerminationReason,
  facts: Text(4000),
  /** The 7-day 公示 of the intended termination [C art.26]; not for a death. */
  publicity: z
    .strictObject({ startOn: DateString, place: Text(200), objections: z.string().max(2000).default('') })
    .optional(),
});
/** Review of a paid disability subsidy on current registry data (POLICY.md §4 [K]: periodic review). */
export const SubsidyReviewRequest = z.strictObject({ version: Version, note: z.string().max(2000).optional() });
export const SubsidyReviewApplyRequest = z.strictObject({ version: Version, outcome: z.enum(['continue', 'adjust']) });
/** Why a paid subsidy stops, each a clause of POLICY.md §4 (src/domain/programs/disability/review.ts). */
export const SubsidyStopReason = z.enum([
  'death',
  'moved_out',
  'hukou',
  'certificate',
  'dibao_family',
  'severity',
  'orphan',
  'choose_higher',
  'exclusion',
  'coverage_gap',
  'voluntary',
]);
export const SubsidyStopRequest = z.strictObject({ version: Version, reason: SubsidyStopReason, facts: Text(4000) });
export const ReferralRequest = z.strictObject({ kind: z.enum(['temporary', 'medical']), reason: Text(2000) });
export const OneTimeNoticeRequest = z.strictObject({
  step: z
    .string()
    .regex(/^[a-z_]{2,40}$/)
    .default('acceptance'),
});

export const Worklist = z.enum([
  'to_accept',
  'to_investigate',
  'to_review',
  'in_publicity',
  'to_approve',
  'due_review',
  'overdue',
  'eligible_waiting',
  'tekun_review',
  'all',
]);
export const CaseListQuery = z.strictObject({
  worklist: Worklist.default('all'),
  programme: CaseProgramme.optional(),
  status: z.enum(['open', 'approved', 'rejected', 'ended', 'withdrawn', 'exited']).optional(),
  regionCode: RegionCode.optional(),
  householdId: z.coerce.number().int().positive().optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CaseSummary = z.object({
  id: z.number(),
  caseNo: z.string(),
  programme: z.string(),
  householdId: z.number(),
  headName: z.string().nullable(),
  /** The person applying (特困 and the subsidies are per person). */
  applicantName: z.string().nullable().optional(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  status: z.string(),
  currentStep: z.string().nullable(),
  currentStepName: z.string().nullable(),
  currentDueOn: z.string().nullable(),
  overdue: z.boolean(),
  separateRegistration: z.boolean(),
  assessedEligible: z.boolean().nullable(),
  appliedOn: z.string(),
  decidedOn: z.string().nullable(),
  dibaoKind: z.string().nullable(),
  ruralClass: z.number().nullable(),
  monthlyAmountFen: z.number().nullable(),
  validUntil: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  /** 特困: the care tier of the six-activity assessment. */
  careTier: z.string().nullable().optional(),
  version: z.number(),
});

const Loose = z.record(z.string(), z.unknown());

export const CaseView = CaseSummary.extend({
  flags: Loose,
  workflow: z.object({ code: z.string(), nameZh: z.string(), decisionBody: z.string(), steps: z.array(Loose) }),
  steps: z.array(
    z.object({
      code: z.string(),
      nameZh: z.string(),
      applies: z.boolean(),
      completedOn: z.string().nullable(),
      dueOn: z.string().nullable(),
      permission: z.string(),
      missingMaterials: z.array(z.object({ kind: z.string(), nameZh: z.string() })),
    }),
  ),
  stepData: z.array(z.object({ step: z.string(), round: z.number(), data: Loose, completedOn: z.string() })),
  timeline: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      step: z.string().nullable(),
      actor: z.string().nullable(),
      detail: Loose,
    }),
  ),
  assessment: Loose.nullable(),
  notices: z.array(Loose),
  checklist: z.array(
    z.object({
      kind: z.string(),
      nameZh: z.string(),
      step: z.string(),
      required: z.boolean(),
      materials: z.array(Loose),
    }),
  ),
  completeness: z.object({ required: z.number(), present: z.number(), pct: z.number() }),
  referrals: z.array(Loose),
  /** 特困: the person applying, the care tier, the county's random re-check of this case. */
  applicantPersonId: z.number().nullable().optional(),
  recheck: Loose.nullable().optional(),
  budgetWarning: z.string().nullable().optional(),
  existing: z.boolean().optional(),
});

export const NoticeView = z.object({
  id: z.number(),
  caseId: z.number(),
  kind: z.string(),
  status: z.string(),
  issuerLevel: z.string(),
  issuerName: z.string(),
  docNo: z.string().nullable(),
  addressee: z.string(),
  title: z.string(),
  decision: z.string(),
  facts: z.string(),
  reasons: z.string(),
  basis: z.array(z.object({ document: z.string(), article: z.string() })),
  remedies: z.string(),
  issuedOn: z.string().nullable(),
  sha256: z.string().nullable(),
  deliveryMethod: z.string().nullable(),
  deliveredOn: z.string().nullable(),
  receiptMaterialId: z.number().nullable(),
  version: z.number(),
});
export const NoticeEditRequest = z.strictObject({
  version: Version,
  addressee: Text(100).optional(),
  decision: Text(2000).optional(),
  facts: Text(8000).optional(),
  reasons: Text(8000).optional(),
});
export const NoticeIssueRequest = z.strictObject({ version: Version, issuedOn: DateString.optional() });
export const NoticeDeliveryRequest = z.strictObject({
  version: Version,
  method: z.enum(['in_person', 'post', 'electronic', 'public_notice']),
  deliveredOn: DateString,
  receiptMaterialId: z.number().int().positive().optional(),
});

export const MaterialUploadQuery = z.strictObject({ kind: z.string().regex(/^[a-z_]{2,40}$/) });
export const MaterialView = z.object({
  id: z.number(),
  caseId: z.number(),
  kind: z.string(),
  filename: z.string(),
  mime: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
});

export const CompletenessQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  groupBy: z.enum(['county', 'township']).default('township'),
  /** One programme's cases; all case programmes when omitted. */
  programme: CaseProgramme.optional(),
});
export const CompletenessRow = z.object({
  regionCode: z.string(),
  regionName: z.string().nullable(),
  cases: z.number(),
  completeCases: z.number(),
  required: z.number(),
  present: z.number(),
  pct: z.number(),
  missingByKind: z.record(z.string(), z.number()),
});

export const BatchReviewRequest = z.strictObject({
  countyCode: z.string().regex(/^\d{6}$/),
  year: z.number().int().min(2000).max(2100),
});
export const BatchReviewView = z.object({
  id: z.number(),
  regionCode: z.string(),
  year: z.number(),
  asOf: z.string(),
  status: z.string(),
  summary: z.object({
    total: z.number(),
    byOutcome: z.record(z.string(), z.number()),
    byTownship: z.array(
      z.object({
        townshipCode: z.string(),
        townshipName: z.string().nullable(),
        total: z.number(),
        continue: z.number(),
        reclass: z.number(),
        amount_change: z.number(),
        exit: z.number(),
      }),
    ),
    elapsedMs: z.number().optional(),
  }),
  parameters: Loose,
});
export const BatchItemsQuery = z.strictObject({
  outcome: z.enum(['continue', 'reclass', 'amount_change', 'exit']).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const BatchItemView = z.object({
  caseId: z.number(),
  householdId: z.number(),
  regionCode: z.string(),
  membersCount: z.number(),
  perCapitaFen: z.number(),
  surveyScore: z.number(),
  combinedScore: z.number(),
  gates: z.object({ hukou: z.boolean(), income: z.boolean(), property: z.boolean() }),
  oldClass: z.number().nullable(),
  newClass: z.number().nullable(),
  oldAmountFen: z.number().nullable(),
  newAmountFen: z.number(),
  outcome: z.string(),
});

export const ReviewTaskQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  status: z.enum(['open', 'done']).default('open'),
  programme: z.enum(['dibao', 'tekun', 'disability_living', 'disability_nursing']).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ReviewTaskView = z.object({
  id: z.number(),
  caseId: z.number().nullable(),
  householdId: z.number(),
  regionCode: z.string(),
  reason: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  status: z.string(),
  detail: Loose,
  /** The case the task is for: number, programme, state, and whose it is (the applicant, else the household head). */
  caseNo: z.string().nullable(),
  programme: z.string().nullable(),
  caseStatus: z.string().nullable(),
  personName: z.string().nullable(),
  regionName: z.string().nullable(),
});

export const BudgetQuery = z.strictObject({
  countyCode: z.string().regex(/^\d{6}$/),
  year: z.coerce.number().int().min(2000).max(2100),
});
export const BudgetView = z.object({
  countyCode: z.string(),
  year: z.number(),
  budgetFen: z.number().nullable(),
  committedAnnualFen: z.number(),
  activeHouseholds: z.number(),
  overrun: z.boolean(),
  warning: z.string().nullable(),
  eligibleWaiting: z.number(),
  note: z.string(),
});

export const ParameterPutRequest = z.strictObject({
  programme: Programme,
  key: z.enum(['assessment', 'standard', 'budget']),
  regionCode: z.union([z.literal(''), RegionCode]),
  effectiveFrom: DateString,
  value: z.record(z.string(), z.unknown()),
  citation: z.string().max(500).default(''),
});
export const ParameterQuery = z.strictObject({ regionCode: RegionCode, asOf: DateString.optional() });
export const WorkflowPutRequest = z.strictObject({
  programme: CaseProgramme,
  regionCode: z.union([z.literal(''), RegionCode]),
  effectiveFrom: DateString,
  /** A shipped definition by code, or a full definition. */
  preset: z.string().max(60).optional(),
  definition: z.record(z.string(), z.unknown()).optional(),
  note: z.string().max(500).default(''),
});
export const CalendarPutRequest = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/),
  days: z
    .array(
      z.strictObject({ day: DateString, kind: z.enum(['holiday', 'workday']), note: z.string().max(100).default('') }),
    )
    .min(1)
    .max(400),
});
export const CalendarQuery = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/),
  year: z.coerce.number().int().min(2000).max(2100),
});

export { Month };
