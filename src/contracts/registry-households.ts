import { z } from 'zod';
import { EnrollmentStatus, HousingRating, HukouType, Programme, Relation } from './registry-codes.js';
import { DateString, Reason, Text } from './registry-fields.js';
import { IncomeItemView, PropertyItemView } from './registry-items.js';
import { MemberInput, PersonInput, PersonView } from './registry-persons.js';

/**
 * Registry households: create, edit and dissolve, the payment account, members joining, moving and leaving, and the
 * household detail view.
 */

// ── Members and moves ────────────────────────────────────────────────────────────────────────────────────────

/** Adds a member: a new person (`person`) or an existing one moved in from another household (`personId`). */
export const AddMemberRequest = z.strictObject({
  person: PersonInput.optional(),
  personId: z.number().int().positive().optional(),
  relation: Relation,
  joinedOn: DateString.optional(),
  reason: Reason,
});

/** Moves a person to another household (recorded in household_memberships, never overwritten). */
export const MovePersonRequest = z.strictObject({
  toHouseholdId: z.number().int().positive(),
  relation: Relation,
  movedOn: DateString.optional(),
  reason: Reason,
  version: z.number().int().positive().optional(),
});

/** Removes a person from their household (death, marriage out, emigration …); the person record stays. */
export const RemoveMemberRequest = z.strictObject({
  leftOn: DateString.optional(),
  reason: z.string().trim().min(1, '请说明迁出原因').max(500),
  version: z.number().int().positive().optional(),
});

export const MembershipView = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  householdId: z.number().int(),
  relation: Relation,
  joinedOn: z.string(),
  leftOn: z.string().nullable(),
  leaveReason: z.string().nullable(),
});

// ── Households ──────────────────────────────────────────────────────────────────────────────────────────────

export const HousingInput = z.strictObject({
  structure: Text(50).nullish(),
  rating: HousingRating.nullish(),
  appraisedOn: DateString.nullish(),
  appraisalBody: Text(100).nullish(),
});

export const CreateHouseholdRequest = z.strictObject({
  householdNo: z.string().trim().min(1).max(40).optional(),
  /** 12-digit village/community code; must exist, not be retired, and lie in the caller's area. */
  regionCode: z.string().regex(/^\d{12}$/, '村（社区）代码应为 12 位数字'),
  address: z.string().trim().min(1, '请输入地址').max(200),
  hukouType: HukouType,
  formedOn: DateString.optional(),
  housing: HousingInput.optional(),
  /** Exactly one member with relation `head`. */
  members: z.array(MemberInput).min(1, '至少录入户主一人').max(30),
  reason: Reason,
});
export type CreateHouseholdRequest = z.infer<typeof CreateHouseholdRequest>;

export const UpdateHouseholdRequest = z.strictObject({
  regionCode: z
    .string()
    .regex(/^\d{12}$/, '村（社区）代码应为 12 位数字')
    .optional(),
  address: z.string().trim().min(1).max(200).optional(),
  hukouType: HukouType.optional(),
  formedOn: DateString.nullish(),
  householdNo: z.string().trim().min(1).max(40).nullish(),
  /** A member of this household who becomes the head (the former head becomes `formerHeadRelation`). */
  headPersonId: z.number().int().positive().optional(),
  formerHeadRelation: Relation.exclude(['head']).optional(),
  housing: HousingInput.optional(),
  version: z.number().int().positive().optional(),
  reason: Reason,
});

export const DissolveHouseholdRequest = z.strictObject({
  reason: z.string().trim().min(1, '请说明注销原因').max(500),
  dissolvedOn: DateString.optional(),
  version: z.number().int().positive().optional(),
});

export const PaymentAccountInput = z.strictObject({
  bankName: z.string().trim().min(1, '请输入开户银行').max(60),
  account: z
    .string()
    .trim()
    .regex(/^\d{8,30}$/, '银行账号应为 8–30 位数字'),
  holder: z.string().trim().min(1, '请输入户名').max(50),
  version: z.number().int().positive().optional(),
  reason: Reason,
});

export const PaymentAccountView = z.object({
  bankName: z.string().nullable(),
  /** 6228********1234 */
  accountMasked: z.string().nullable(),
  holder: z.string().nullable(),
});
export const RevealAccountResponse = z.object({ householdId: z.number().int(), account: z.string().nullable() });

export const EnrollmentView = z.object({
  id: z.number().int(),
  personId: z.number().int().nullable(),
  programme: Programme,
  status: EnrollmentStatus,
  dibaoKind: z.enum(['urban', 'rural']).nullable(),
  ruralClass: z.number().int().nullable(),
  startMonth: z.string(),
  endMonth: z.string().nullable(),
  monthlyAmountFen: z.number().int().nullable(),
});

export const HouseholdDetail = z.object({
  id: z.number().int(),
  householdNo: z.string().nullable(),
  regionCode: z.string(),
  /** e.g. 崆峒区 / 崆峒镇 / 祁河村委会 */
  regionPath: z.string(),
  address: z.string(),
  hukouType: HukouType,
  headPersonId: z.number().int().nullable(),
  headName: z.string().nullable(),
  formedOn: z.string().nullable(),
  status: z.enum(['active', 'dissolved']),
  housing: z.object({
    structure: z.string().nullable(),
    rating: HousingRating.nullable(),
    appraisedOn: z.string().nullable(),
    appraisalBody: z.string().nullable(),
  }),
  paymentAccount: PaymentAccountView,
  members: z.array(PersonView),
  incomeItems: z.array(IncomeItemView),
  propertyItems: z.array(PropertyItemView),
  enrollments: z.array(EnrollmentView),
  memberships: z.array(MembershipView),
  version: z.number().int(),
  changedAt: z.string(),
  changeReason: z.string().nullable(),
  /** Set when the view is reconstructed "as of" a past date (YYYY-MM-DD, CST end of day). */
  asOf: z.string().nullable(),
});
export type HouseholdDetail = z.infer<typeof HouseholdDetail>;

export const HouseholdQuery = z.strictObject({ asOf: DateString.optional() });
