import { z } from 'zod';
import { RegionCode } from './common.js';
import { DisabilityType, Health, LabourCapacity, Relation, Sex, StudentStatus } from './registry-codes.js';
import { DateString, Reason, Text } from './registry-fields.js';

/**
 * Registry persons: the person as entered and as shown, edits, the ID-number correction and reveal, and the disability
 * certificate.
 */

/** Facts of a person as entered. Sex and birth date are derived from the ID number; if given they must agree. */
export const PersonInput = z.strictObject({
  idNumber: z.string().trim().min(1, '请输入身份证号码').max(30),
  name: z.string().trim().min(1, '请输入姓名').max(50),
  sex: Sex.optional(),
  birthDate: DateString.optional(),
  ethnicity: Text(20).nullish(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式不正确')
    .nullish(),
  hukouRegionCode: RegionCode.nullish(),
  hukouLocal: z.boolean().optional(),
  education: Text(30).nullish(),
  studentStatus: StudentStatus.nullish(),
  health: Health.nullish(),
  graveIllness: z.boolean().optional(),
  labourCapacity: LabourCapacity.nullish(),
  deathDate: DateString.nullish(),
});
export type PersonInput = z.infer<typeof PersonInput>;

export const MemberInput = PersonInput.extend({ relation: Relation });
export type MemberInput = z.infer<typeof MemberInput>;

/** Person edit: every field optional except the version; the ID number changes only via correct-id. */
export const UpdatePersonRequest = PersonInput.omit({ idNumber: true })
  .partial()
  .extend({ relation: Relation.optional(), version: z.number().int().positive().optional(), reason: Reason });

export const DisabilityCertInput = z.strictObject({
  certNo: z.string().trim().min(1, '请输入残疾人证号').max(40),
  generation: z.union([z.literal(1), z.literal(2)]),
  type: DisabilityType,
  level: z.number().int().min(1, '残疾等级为 1–4 级').max(4, '残疾等级为 1–4 级').nullish(),
  issuedOn: DateString.nullish(),
  expiresOn: DateString.nullish(),
  needsLongTermCare: z.boolean().optional(),
  careSince: DateString.nullish(),
  /** The certificate's version when replacing an existing one (or If-Match). */
  version: z.number().int().positive().optional(),
  reason: Reason,
});
export type DisabilityCertInput = z.infer<typeof DisabilityCertInput>;

export const DisabilityCertView = z.object({
  id: z.number().int(),
  certNo: z.string(),
  generation: z.number().int(),
  type: DisabilityType,
  level: z.number().int().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  needsLongTermCare: z.boolean(),
  careSince: z.string().nullable(),
  version: z.number().int(),
});
export type DisabilityCertView = z.infer<typeof DisabilityCertView>;

export const PersonView = z.object({
  id: z.number().int(),
  /** Always masked: 620802********1234 */
  idNumberMasked: z.string(),
  name: z.string(),
  sex: Sex,
  birthDate: z.string(),
  /** Age today (CST), or on the as-of date for an as-of view. */
  age: z.number().int(),
  ethnicity: z.string().nullable(),
  phone: z.string().nullable(),
  hukouRegionCode: z.string().nullable(),
  hukouLocal: z.boolean(),
  education: z.string().nullable(),
  studentStatus: StudentStatus.nullable(),
  health: Health.nullable(),
  graveIllness: z.boolean(),
  labourCapacity: LabourCapacity.nullable(),
  deathDate: z.string().nullable(),
  householdId: z.number().int().nullable(),
  relation: Relation.nullable(),
  regionCode: z.string(),
  disabilityCert: DisabilityCertView.nullable(),
  version: z.number().int(),
});
export type PersonView = z.infer<typeof PersonView>;

export const RevealIdRequest = z.strictObject({ reason: Reason });
export const RevealIdResponse = z.object({ id: z.number().int(), idNumber: z.string() });

export const CorrectIdRequest = z.strictObject({
  newIdNumber: z.string().trim().min(1).max(30),
  reason: z.string().trim().min(1, '更正身份证号码须说明原因').max(500),
  version: z.number().int().positive().optional(),
});
