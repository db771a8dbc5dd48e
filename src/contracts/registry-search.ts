import { z } from 'zod';
import { RegionCode } from './common.js';
import {
  DisabilityType,
  EnrollmentStatus,
  HousingRating,
  HukouType,
  Programme,
  Relation,
  Sex,
} from './registry-codes.js';
import { BoolString } from './registry-fields.js';

/**
 * Registry search and lists: person and household search, the department liaison lists, the dashboard figures and
 * the export.
 */

/** Person search: every filter combines with AND; always limited to the caller's area in SQL. */
export const PersonSearchQuery = z.strictObject({
  idNumber: z.string().trim().max(30).optional(),
  /** Name prefix (Chinese) */
  name: z.string().trim().min(1).max(50).optional(),
  regionCode: RegionCode.optional(),
  householdId: z.coerce.number().int().positive().optional(),
  disabilityType: DisabilityType.optional(),
  disabilityLevel: z.coerce.number().int().min(1).max(4).optional(),
  hasDisability: BoolString.optional(),
  programme: Programme.optional(),
  programmeStatus: EnrollmentStatus.optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  housingRating: HousingRating.optional(),
  hukouType: HukouType.optional(),
  sex: Sex.optional(),
  includeDissolved: BoolString.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PersonSearchQuery = z.infer<typeof PersonSearchQuery>;

export const PersonListItem = z.object({
  id: z.number().int(),
  idNumberMasked: z.string(),
  name: z.string(),
  sex: Sex,
  birthDate: z.string(),
  age: z.number().int(),
  relation: Relation.nullable(),
  householdId: z.number().int().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  hukouType: HukouType.nullable(),
  housingRating: HousingRating.nullable(),
  disabilityType: DisabilityType.nullable(),
  disabilityLevel: z.number().int().nullable(),
  programmes: z.array(Programme),
});
export type PersonListItem = z.infer<typeof PersonListItem>;

export const HouseholdSearchQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  headName: z.string().trim().min(1).max(50).optional(),
  householdNo: z.string().trim().max(40).optional(),
  hukouType: HukouType.optional(),
  housingRating: HousingRating.optional(),
  programme: Programme.optional(),
  status: z.enum(['active', 'dissolved']).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const HouseholdListItem = z.object({
  id: z.number().int(),
  householdNo: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  address: z.string(),
  hukouType: HukouType,
  headName: z.string().nullable(),
  headIdNumberMasked: z.string().nullable(),
  memberCount: z.number().int(),
  housingRating: HousingRating.nullable(),
  status: z.enum(['active', 'dissolved']),
  programmes: z.array(Programme),
  version: z.number().int(),
});

/** Department liaison lists (read-only, masked, scoped). */
export const LiaisonListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const DangerousHousingItem = z.object({
  householdId: z.number().int(),
  regionCode: z.string(),
  villageName: z.string().nullable(),
  address: z.string(),
  headName: z.string().nullable(),
  rating: z.enum(['C', 'D']),
  appraisedOn: z.string().nullable(),
  appraisalBody: z.string().nullable(),
  /** Rural dibao class 1–4 (or 'urban' dibao) when the household receives dibao */
  dibaoKind: z.enum(['urban', 'rural']).nullable(),
  dibaoClass: z.number().int().nullable(),
});

export const DisabledPersonItem = z.object({
  personId: z.number().int(),
  idNumberMasked: z.string(),
  name: z.string(),
  sex: Sex,
  age: z.number().int(),
  regionCode: z.string(),
  villageName: z.string().nullable(),
  certNo: z.string(),
  generation: z.number().int(),
  type: DisabilityType,
  level: z.number().int().nullable(),
  needsLongTermCare: z.boolean(),
  hukouLocal: z.boolean(),
});

export const AssistanceMemberItem = z.object({
  personId: z.number().int(),
  idNumberMasked: z.string(),
  name: z.string(),
  sex: Sex,
  age: z.number().int(),
  regionCode: z.string(),
  villageName: z.string().nullable(),
  householdId: z.number().int(),
  programmes: z.array(z.enum(['dibao', 'tekun'])),
});

// ── Dashboard figures ────────────────────────────────────────────────────────────────────────────────────────

export const StatsQuery = z.strictObject({ regionCode: RegionCode.optional() });

export const RegistryStats = z.object({
  regionCode: z.string(),
  households: z.number().int(),
  persons: z.number().int(),
  recipients: z.array(z.object({ programme: Programme, households: z.number().int(), persons: z.number().int() })),
  changesThisMonth: z.number().int(),
  children: z.array(
    z.object({
      regionCode: z.string(),
      name: z.string(),
      households: z.number().int(),
      persons: z.number().int(),
      dibaoHouseholds: z.number().int(),
    }),
  ),
  /** Last 12 CST months, oldest first */
  trend: z.array(z.object({ month: z.string(), changes: z.number().int() })),
});
export type RegistryStats = z.infer<typeof RegistryStats>;

// ── Export ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Any person search as a file. ID numbers stay masked unless the role has pii.reveal and asks reveal=true (audited). */
export const ExportQuery = PersonSearchQuery.omit({ cursor: true, limit: true }).extend({
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  reveal: BoolString.optional(),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** The export's columns, in order (Chinese headers). */
export const EXPORT_COLUMNS = [
  '户编号',
  '区划代码',
  '村（社区）',
  '地址',
  '户籍性质',
  '与户主关系',
  '姓名',
  '身份证号码',
  '性别',
  '出生日期',
  '年龄',
  '残疾类别',
  '残疾等级',
  '住房等级',
  '享受救助',
] as const;
