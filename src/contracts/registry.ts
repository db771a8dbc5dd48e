import { z } from 'zod';
import { isValidDate } from '../domain/calendar.js';
import { DateString as DateFormat, RegionCode } from './common.js';

/** A real calendar date YYYY-MM-DD (China Standard Time); 2024-02-30 is refused. */
const DateString = DateFormat.refine(isValidDate, '日期不存在');

/**
 * Household and person registry (issue 3): request and response schemas shared by the server (validation, OpenAPI)
 * and the web client (types). ID numbers and bank accounts are always masked in views; the full values come only
 * from the audited reveal routes.
 */

// ── Enumerations (codes stored in the database; Chinese labels for the UI) ────────────────────────────────────

export const Relation = z.enum(['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other']);
export type Relation = z.infer<typeof Relation>;
export const RELATION_LABELS: Record<Relation, string> = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  sibling: '兄弟姐妹',
  other: '其他',
};

export const HukouType = z.enum(['urban', 'rural']);
export const HUKOU_LABELS = { urban: '城镇', rural: '农村' } as const;

export const Sex = z.enum(['M', 'F']);
export const SEX_LABELS = { M: '男', F: '女' } as const;

export const StudentStatus = z.enum([
  'none',
  'preschool',
  'primary',
  'junior',
  'senior',
  'vocational',
  'college',
  'bachelor',
  'postgraduate',
]);
export const STUDENT_LABELS = {
  none: '非在校生',
  preschool: '学前',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  vocational: '中职',
  college: '大专',
  bachelor: '本科',
  postgraduate: '研究生',
} as const;

export const Health = z.enum(['healthy', 'chronic', 'grave_illness', 'disabled']);
export const HEALTH_LABELS = { healthy: '健康', chronic: '慢性病', grave_illness: '重病', disabled: '残疾' } as const;

export const LabourCapacity = z.enum(['full', 'partial', 'none']);
export const LABOUR_LABELS = { full: '有劳动能力', partial: '部分丧失劳动能力', none: '无劳动能力' } as const;

export const DisabilityType = z.enum(['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']);
export type DisabilityType = z.infer<typeof DisabilityType>;
export const DISABILITY_TYPE_LABELS = {
  visual: '视力',
  hearing: '听力',
  speech: '言语',
  physical: '肢体',
  intellectual: '智力',
  mental: '精神',
  multiple: '多重',
} as const;

export const IncomeKind = z.enum([
  'wages',
  'business_net',
  'property_net',
  'transfer_net',
  'special_care',
  'family_planning',
  'scholarship',
  'heroic_award',
  'social_assistance',
  'basic_pension',
  'other_excluded',
]);
export type IncomeKind = z.infer<typeof IncomeKind>;
export const INCOME_KIND_LABELS = {
  wages: '工资性收入',
  business_net: '经营净收入',
  property_net: '财产净收入',
  transfer_net: '转移净收入',
  special_care: '优待抚恤金（不计入）',
  family_planning: '计划生育奖励与扶助金（不计入）',
  scholarship: '奖学金（不计入）',
  heroic_award: '见义勇为奖励（不计入）',
  social_assistance: '社会救助金（不计入）',
  basic_pension: '城乡居民基础养老金（不计入）',
  other_excluded: '其他不计入收入',
} as const;

export const IncomePeriod = z.enum(['monthly', 'annual']);
export const PERIOD_LABELS = { monthly: '月', annual: '年' } as const;

export const PropertyKind = z.enum([
  'deposit',
  'securities',
  'commercial_insurance',
  'vehicle',
  'house',
  'business',
  'other',
]);
export const PROPERTY_KIND_LABELS = {
  deposit: '存款',
  securities: '有价证券',
  commercial_insurance: '商业保险',
  vehicle: '机动车辆',
  house: '房产',
  business: '经营实体',
  other: '其他财产',
} as const;

export const HousingRating = z.enum(['A', 'B', 'C', 'D']);

export const Programme = z.enum([
  'dibao',
  'tekun',
  'disability_living',
  'disability_nursing',
  'temporary',
  'medical',
  'left_behind_child',
  'low_income_edge',
]);
export type Programme = z.infer<typeof Programme>;
export const PROGRAMME_LABELS = {
  dibao: '低保',
  tekun: '特困',
  disability_living: '困难残疾人生活补贴',
  disability_nursing: '重度残疾人护理补贴',
  temporary: '临时救助',
  medical: '医疗救助',
  left_behind_child: '农村留守儿童',
  low_income_edge: '低保边缘',
} as const;
export const EnrollmentStatus = z.enum(['active', 'suspended', 'ended']);

/** Money in fen (分): non-negative integer. */
export const Fen = z.number().int('金额应为整数（分）').min(0, '金额不能为负数').max(1e13);
/** Free text stored verbatim (no HTML stripping; the UI escapes on output). */
const Text = (max: number) => z.string().trim().max(max);
const Reason = z.string().trim().min(1).max(500).optional();

// ── Persons ──────────────────────────────────────────────────────────────────────────────────────────────────

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

export const IncomeItemInput = z.strictObject({
  personId: z.number().int().positive().nullish(),
  kind: IncomeKind,
  period: IncomePeriod,
  amountFen: Fen,
  verified: z.boolean().optional(),
  source: Text(100).nullish(),
  reason: Reason,
});
export const UpdateIncomeItemRequest = IncomeItemInput.partial().extend({
  version: z.number().int().positive().optional(),
});

export const IncomeItemView = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  personId: z.number().int().nullable(),
  kind: IncomeKind,
  period: IncomePeriod,
  amountFen: z.number().int(),
  verified: z.boolean(),
  source: z.string().nullable(),
  version: z.number().int(),
});

export const PropertyItemInput = z.strictObject({
  personId: z.number().int().positive().nullish(),
  kind: PropertyKind,
  description: Text(200).nullish(),
  vehicleType: Text(40).nullish(),
  areaSqm: z.number().min(0, '面积不能为负数').max(1e6).nullish(),
  valueFen: Fen,
  source: Text(100).nullish(),
  reason: Reason,
});
export const UpdatePropertyItemRequest = PropertyItemInput.partial().extend({
  version: z.number().int().positive().optional(),
});

export const PropertyItemView = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  personId: z.number().int().nullable(),
  kind: PropertyKind,
  description: z.string().nullable(),
  vehicleType: z.string().nullable(),
  areaSqm: z.number().nullable(),
  valueFen: z.number().int(),
  source: z.string().nullable(),
  version: z.number().int(),
});

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

// ── History timeline ───────────────────────────────────────────────────────────────────────────────────────

export const HistoryEntry = z.object({
  /** ISO timestamp of the change */
  at: z.string(),
  entity: z.enum(['household', 'person', 'disability_cert', 'income_item', 'property_item', 'membership']),
  entityId: z.number().int(),
  /** Chinese label of the record, e.g. the person's name or the income kind */
  label: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  changedBy: z.number().int().nullable(),
  changedByName: z.string().nullable(),
  reason: z.string().nullable(),
  /** field → [before, after]; ID numbers and bank accounts masked */
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const HistoryResponse = z.object({ items: z.array(HistoryEntry) });

// ── Search and lists ─────────────────────────────────────────────────────────────────────────────────────────

const BoolString = z.enum(['true', 'false']);

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

/** DELETE routes: the version as If-Match or ?version=, an optional reason. */
export const DeleteQuery = z.strictObject({
  version: z.coerce.number().int().positive().optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});

export const Versioned = z.strictObject({ version: z.number().int().positive().optional(), reason: Reason });
