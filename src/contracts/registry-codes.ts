import { z } from 'zod';

/**
 * Registry enumerations: the codes stored in the database with their Chinese labels for the UI and the export, and
 * money in fen. Shared by every registry-*.ts contract.
 */

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
