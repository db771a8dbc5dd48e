import type { z } from 'zod';
import type {
  DisabilityType,
  EnrollmentStatus,
  Health,
  HukouType,
  IncomeKind,
  IncomePeriod,
  LabourCapacity,
  Programme,
  PropertyKind,
  Relation,
  Sex,
  StudentStatus,
} from '../../../contracts/registry';

/**
 * Labels of the registry's codes in both UI languages. The Chinese agree with the contract's *_LABELS; they are
 * repeated here (type-checked for completeness against the contract's enums) so the browser bundle needs no zod.
 */
type L = { zh: string; en: string };
type Labels<E extends z.ZodType> = Record<z.infer<E> & PropertyKey, L>;

export const RELATION: Labels<typeof Relation> = {
  head: { zh: '户主', en: 'Head' },
  spouse: { zh: '配偶', en: 'Spouse' },
  child: { zh: '子女', en: 'Child' },
  parent: { zh: '父母', en: 'Parent' },
  grandchild: { zh: '孙子女', en: 'Grandchild' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  other: { zh: '其他', en: 'Other' },
};
export const HUKOU: Labels<typeof HukouType> = {
  urban: { zh: '城镇', en: 'Urban' },
  rural: { zh: '农村', en: 'Rural' },
};
export const SEX: Labels<typeof Sex> = { M: { zh: '男', en: 'Male' }, F: { zh: '女', en: 'Female' } };
export const STUDENT: Labels<typeof StudentStatus> = {
  none: { zh: '非在校生', en: 'Not a student' },
  preschool: { zh: '学前', en: 'Pre-school' },
  primary: { zh: '小学', en: 'Primary' },
  junior: { zh: '初中', en: 'Junior secondary' },
  senior: { zh: '高中', en: 'Senior secondary' },
  vocational: { zh: '中职', en: 'Vocational' },
  college: { zh: '大专', en: 'College' },
  bachelor: { zh: '本科', en: 'Bachelor' },
  postgraduate: { zh: '研究生', en: 'Postgraduate' },
};
export const HEALTH: Labels<typeof Health> = {
  healthy: { zh: '健康', en: 'Healthy' },
  chronic: { zh: '慢性病', en: 'Chronic illness' },
  grave_illness: { zh: '重病', en: 'Grave illness' },
  disabled: { zh: '残疾', en: 'Disabled' },
};
export const LABOUR: Labels<typeof LabourCapacity> = {
  full: { zh: '有劳动能力', en: 'Able to work' },
  partial: { zh: '部分丧失劳动能力', en: 'Partly able to work' },
  none: { zh: '无劳动能力', en: 'Unable to work' },
};
export const DISABILITY: Labels<typeof DisabilityType> = {
  visual: { zh: '视力', en: 'Visual' },
  hearing: { zh: '听力', en: 'Hearing' },
  speech: { zh: '言语', en: 'Speech' },
  physical: { zh: '肢体', en: 'Physical' },
  intellectual: { zh: '智力', en: 'Intellectual' },
  mental: { zh: '精神', en: 'Mental' },
  multiple: { zh: '多重', en: 'Multiple' },
};
export const INCOME: Labels<typeof IncomeKind> = {
  wages: { zh: '工资性收入', en: 'Wages' },
  business_net: { zh: '经营净收入', en: 'Net business income' },
  property_net: { zh: '财产净收入', en: 'Net property income' },
  transfer_net: { zh: '转移净收入', en: 'Net transfers' },
  special_care: { zh: '优待抚恤金（不计入）', en: 'Special care pension (excluded)' },
  family_planning: { zh: '计划生育奖励与扶助金（不计入）', en: 'Family planning awards (excluded)' },
  scholarship: { zh: '奖学金（不计入）', en: 'Scholarship (excluded)' },
  heroic_award: { zh: '见义勇为奖励（不计入）', en: 'Heroic deed award (excluded)' },
  social_assistance: { zh: '社会救助金（不计入）', en: 'Social assistance (excluded)' },
  basic_pension: { zh: '城乡居民基础养老金（不计入）', en: 'Basic residents pension (excluded)' },
  other_excluded: { zh: '其他不计入收入', en: 'Other excluded income' },
};
export const PERIOD: Labels<typeof IncomePeriod> = {
  monthly: { zh: '月', en: 'month' },
  annual: { zh: '年', en: 'year' },
};
export const PROPERTY: Labels<typeof PropertyKind> = {
  deposit: { zh: '存款', en: 'Deposits' },
  securities: { zh: '有价证券', en: 'Securities' },
  commercial_insurance: { zh: '商业保险', en: 'Commercial insurance' },
  vehicle: { zh: '机动车辆', en: 'Motor vehicle' },
  house: { zh: '房产', en: 'House' },
  business: { zh: '经营实体', en: 'Business' },
  other: { zh: '其他财产', en: 'Other property' },
};
export const PROGRAMME: Labels<typeof Programme> = {
  dibao: { zh: '低保', en: 'Dibao' },
  tekun: { zh: '特困', en: 'Tekun (extreme poverty)' },
  disability_living: { zh: '困难残疾人生活补贴', en: 'Disability living subsidy' },
  disability_nursing: { zh: '重度残疾人护理补贴', en: 'Severe disability nursing subsidy' },
  temporary: { zh: '临时救助', en: 'Temporary assistance' },
  medical: { zh: '医疗救助', en: 'Medical assistance' },
  left_behind_child: { zh: '农村留守儿童', en: 'Left-behind child' },
  low_income_edge: { zh: '低保边缘', en: 'Near-dibao low income' },
};
export const ENROLLMENT_STATUS: Labels<typeof EnrollmentStatus> = {
  active: { zh: '享受中', en: 'Active' },
  suspended: { zh: '暂停', en: 'Suspended' },
  ended: { zh: '已终止', en: 'Ended' },
};
export const HOUSING_RATING: Record<'A' | 'B' | 'C' | 'D', L> = {
  A: { zh: 'A 级（安全）', en: 'A (safe)' },
  B: { zh: 'B 级（基本安全）', en: 'B (mostly safe)' },
  C: { zh: 'C 级（局部危险）', en: 'C (partly dangerous)' },
  D: { zh: 'D 级（整体危险）', en: 'D (dangerous)' },
};

export function options<K extends string>(labels: Record<K, L>, lang: 'zh' | 'en') {
  return (Object.keys(labels) as K[]).map((k) => ({ value: k, label: labels[k][lang] }));
}

/** 12345 fen → "123.45" yuan */
export const yuan = (fen: number | null | undefined) =>
  fen == null ? '—' : (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
