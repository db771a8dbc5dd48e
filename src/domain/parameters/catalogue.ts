/**
 * The policy parameters the rules read, with their value shapes and the deployment defaults (seed: 甘肃省 /
 * 平凉市). A parameter is data (programme, region scope, key, value, effective period, source document + article);
 * this catalogue says which keys exist, what a valid value is, and what the seed says.
 * POLICY.md marks: [seed] stated in the speech; [configurable default] a local setting shipped with a default.
 */
export type Programme = 'dibao' | 'tekun' | 'disability';

export const DISABILITY_TYPES = [
  'visual',
  'hearing',
  'speech',
  'physical',
  'intellectual',
  'mental',
  'multiple',
] as const;
export type DisabilityType = (typeof DISABILITY_TYPES)[number];

export interface NursingTableEntry {
  type: DisabilityType;
  level: 1 | 2 | 3 | 4;
  /** The level qualifies only when the person needs long-term care (长期照护). */
  requiresLongTermCare: boolean;
}

export interface FundingPercent {
  province: number;
  city: number;
  county: number;
}

export type ParamValue = number | boolean | NursingTableEntry[] | FundingPercent | Record<string, number>;

export interface ParameterDef {
  programme: Programme;
  key: string;
  zh: string;
  /** 'fen' integer money per month; 'permille' integer ‰; 'percent' 0–100; 'years'; the structured kinds. */
  kind: 'fen' | 'permille' | 'percent' | 'years' | 'nursing_table' | 'funding_percent' | 'care_tiers';
  /** Lowest scope that may set it: a province-only key may not be overridden by a county, etc. */
  scopes: Array<'province' | 'city' | 'county'>;
  citation: string;
}

export const PARAMETERS: ParameterDef[] = [
  {
    programme: 'dibao',
    key: 'standard_urban_fen',
    zh: '城市低保标准（元/人·月）',
    kind: 'fen',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §2 [A art.23] [configurable default]',
  },
  {
    programme: 'dibao',
    key: 'standard_rural_fen',
    zh: '农村低保标准（元/人·月）',
    kind: 'fen',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §2 [A art.23] [configurable default]',
  },
  {
    programme: 'dibao',
    key: 'funding_percent',
    zh: '低保资金分担（省/市/县 %）',
    kind: 'funding_percent',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md S11、§2 [configurable default] 无全国统一分担比例',
  },
  {
    programme: 'disability',
    key: 'living_standard_fen',
    zh: '困难残疾人生活补贴标准（城市低保、农村一二类）',
    kind: 'fen',
    scopes: ['province'],
    citation: 'POLICY.md §4 [seed] 每人每月100元',
  },
  {
    programme: 'disability',
    key: 'living_province_share_fen',
    zh: '生活补贴省级补助',
    kind: 'fen',
    scopes: ['province'],
    citation: 'POLICY.md §4 [seed] 省级财政补助70元',
  },
  {
    programme: 'disability',
    key: 'living_rural_class34_fen',
    zh: '农村三四类低保家庭生活补贴标准（县自定，县财政自筹）',
    kind: 'fen',
    scopes: ['city', 'county'],
    citation: 'POLICY.md §4 [seed] 由市、县自行确定，所需资金由县区财政自筹',
  },
  {
    programme: 'disability',
    key: 'nursing_standard_fen',
    zh: '重度残疾人护理补贴标准',
    kind: 'fen',
    scopes: ['province'],
    citation: 'POLICY.md §4 [seed] 每人每月100元',
  },
  {
    programme: 'disability',
    key: 'nursing_province_share_fen',
    zh: '护理补贴省级补助',
    kind: 'fen',
    scopes: ['province'],
    citation: 'POLICY.md §4 [seed] 省级财政补助80元',
  },
  {
    programme: 'disability',
    key: 'nursing_table',
    zh: '护理补贴对象（残疾类别与等级）',
    kind: 'nursing_table',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §4 [seed; K] [configurable default]',
  },
  {
    programme: 'disability',
    key: 'local_share_city_percent',
    zh: '地方配套中市级承担比例（%）',
    kind: 'percent',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §4 [seed] 地方财政配套 [configurable default]',
  },
  {
    programme: 'tekun',
    key: 'elderly_age',
    zh: '无劳动能力：年满（岁）',
    kind: 'years',
    scopes: ['province'],
    citation: 'POLICY.md §3 [C art.5] 60周岁',
  },
  {
    programme: 'tekun',
    key: 'minor_age',
    zh: '未成年人：未满（岁）',
    kind: 'years',
    scopes: ['province'],
    citation: 'POLICY.md §3 [C art.5] 16周岁',
  },
  {
    programme: 'tekun',
    key: 'minor_cover_until_age',
    zh: '未成年人保障至（岁）',
    kind: 'years',
    scopes: ['province'],
    citation: 'POLICY.md §3 [E] 延至18周岁',
  },
  {
    programme: 'tekun',
    key: 'property_limit_fen',
    zh: '特困人员财产限额（元）',
    kind: 'fen',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §3 [C art.6] [configurable default]',
  },
  {
    programme: 'tekun',
    key: 'supporter_income_limit_fen',
    zh: '上年度当地居民人均可支配收入（元/年）',
    kind: 'fen',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §3 [C art.8] [configurable default]',
  },
  {
    programme: 'tekun',
    key: 'supporter_property_limit_fen',
    zh: '低收入家庭财产限额（赡养人，元）',
    kind: 'fen',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §3 [C art.8] [configurable default]',
  },
  {
    programme: 'tekun',
    key: 'basic_living_permille',
    zh: '基本生活标准 = 低保标准 × ‰',
    kind: 'permille',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §3 不低于1.3倍低保标准 [configurable default]',
  },
  {
    programme: 'tekun',
    key: 'care_standard_fen',
    zh: '照料护理标准（按生活自理能力）',
    kind: 'care_tiers',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §3 [C arts.21–23] [configurable default]',
  },
  {
    programme: 'tekun',
    key: 'funding_percent',
    zh: '特困供养资金分担（省/市/县 %）',
    kind: 'funding_percent',
    scopes: ['province', 'city', 'county'],
    citation: 'POLICY.md §3 [configurable default]',
  },
];

export function parameterDef(programme: string, key: string): ParameterDef | undefined {
  return PARAMETERS.find((p) => p.programme === programme && p.key === key);
}

/** Problems with a value for a key (empty = valid). Messages in Chinese for caseworkers. */
export function checkParameterValue(def: ParameterDef, value: unknown): string[] {
  const isInt = (v: unknown, min: number, max: number) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  switch (def.kind) {
    case 'fen':
      return isInt(value, 0, 10_000_000_000) ? [] : ['应为不小于 0 的整数（分）'];
    case 'permille':
      return isInt(value, 0, 100_000) ? [] : ['应为不小于 0 的整数（‰）'];
    case 'percent':
      return isInt(value, 0, 100) ? [] : ['应为 0–100 的整数（%）'];
    case 'years':
      return isInt(value, 0, 120) ? [] : ['应为 0–120 的整数（岁）'];
    case 'funding_percent': {
      const v = value as Record<string, unknown>;
      if (!v || typeof v !== 'object' || Array.isArray(v)) return ['应为 {province, city, county} 百分比'];
      const keys = Object.keys(v).sort().join(',');
      if (keys !== 'city,county,province') return ['只能包含 province、city、county 三项'];
      if (![v.province, v.city, v.county].every((x) => isInt(x, 0, 100))) return ['各项应为 0–100 的整数'];
      return (v.province as number) + (v.city as number) + (v.county as number) === 100 ? [] : ['三项之和应为 100'];
    }
    case 'care_tiers': {
      const v = value as Record<string, unknown>;
      if (!v || typeof v !== 'object' || Array.isArray(v))
        return ['应为 {self_care, partly_lost, completely_lost}（分）'];
      const keys = Object.keys(v).sort().join(',');
      if (keys !== 'completely_lost,partly_lost,self_care')
        return ['只能包含 self_care、partly_lost、completely_lost 三项'];
      return Object.values(v).every((x) => isInt(x, 0, 10_000_000_000)) ? [] : ['各项应为不小于 0 的整数（分）'];
    }
    case 'nursing_table': {
      if (!Array.isArray(value) || value.length === 0) return ['应为非空的 [{type, level, requiresLongTermCare}] 列表'];
      const problems: string[] = [];
      const seen = new Set<string>();
      value.forEach((e, i) => {
        const x = e as Record<string, unknown>;
        if (!x || typeof x !== 'object') {
          problems.push(`第 ${i + 1} 项格式不正确`);
          return;
        }
        if (!DISABILITY_TYPES.includes(x.type as DisabilityType))
          problems.push(`第 ${i + 1} 项：未知的残疾类别 ${String(x.type)}`);
        if (!isInt(x.level, 1, 4)) problems.push(`第 ${i + 1} 项：残疾等级应为 1–4`);
        if (typeof x.requiresLongTermCare !== 'boolean')
          problems.push(`第 ${i + 1} 项：requiresLongTermCare 应为 true/false`);
        const k = `${String(x.type)}:${String(x.level)}`;
        if (seen.has(k)) problems.push(`第 ${i + 1} 项：${k} 重复`);
        seen.add(k);
      });
      return problems;
    }
  }
}

export interface SeedParameter {
  programme: Programme;
  key: string;
  /** 'province' | 'city' or a county code. */
  at: 'province' | 'city' | string;
  value: ParamValue;
  sourceDocument: string;
  sourceArticle: string;
  note?: string;
}

const SEED_SPEECH = '平凉市民政工作会议讲话（seed 000_6cfc7af0cf8478a9）';
const GANSU_NOTICE = '省民政厅、财政厅、省残联《关于做好残疾人两项补贴发放工作的通知》';
const K = '国发〔2015〕52号《关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》';
const C = '民政部《特困人员认定办法》（2021）';
const LOCAL = '本地配置（POLICY.md 标注 [configurable default]，部署默认值，请按当地文件修改）';

/** The seed's nursing table: intellectual/mental/physical/visual level 1; intellectual/mental level 2 needing long-term care. */
export const SEED_NURSING_TABLE: NursingTableEntry[] = [
  { type: 'intellectual', level: 1, requiresLongTermCare: false },
  { type: 'mental', level: 1, requiresLongTermCare: false },
  { type: 'physical', level: 1, requiresLongTermCare: false },
  { type: 'visual', level: 1, requiresLongTermCare: false },
  { type: 'intellectual', level: 2, requiresLongTermCare: true },
  { type: 'mental', level: 2, requiresLongTermCare: true },
];

/** The deployment defaults (甘肃省, 平凉市; 华亭市 620881 has a class 3–4 living-subsidy standard, the seed says so). */
export const SEED_PARAMETERS: SeedParameter[] = [
  {
    programme: 'disability',
    key: 'living_standard_fen',
    at: 'province',
    value: 10000,
    sourceDocument: GANSU_NOTICE,
    sourceArticle: '城镇低保家庭及农村一、二类低保家庭困难残疾人生活补贴标准每人每月100元',
  },
  {
    programme: 'disability',
    key: 'living_province_share_fen',
    at: 'province',
    value: 7000,
    sourceDocument: GANSU_NOTICE,
    sourceArticle: '生活补贴省级财政补助70元，地方财政配套30元',
  },
  {
    programme: 'disability',
    key: 'nursing_standard_fen',
    at: 'province',
    value: 10000,
    sourceDocument: GANSU_NOTICE,
    sourceArticle: '重度残疾人护理补贴标准每人每月100元',
  },
  {
    programme: 'disability',
    key: 'nursing_province_share_fen',
    at: 'province',
    value: 8000,
    sourceDocument: GANSU_NOTICE,
    sourceArticle: '护理补贴省级财政补助80元，地方财政配套20元',
  },
  {
    programme: 'disability',
    key: 'nursing_table',
    at: 'province',
    value: SEED_NURSING_TABLE,
    sourceDocument: '省政府《关于进一步完善困难残疾人生活补贴和重度残疾人护理补贴制度的实施意见》',
    sourceArticle: '对象为智力、精神、肢体、视力一级，智力、精神二级且需要长期照护的残疾人',
    note: `全国口径见 ${K}`,
  },
  {
    programme: 'disability',
    key: 'local_share_city_percent',
    at: 'province',
    value: 0,
    sourceDocument: LOCAL,
    sourceArticle: '地方配套默认全部由县区财政承担',
  },
  {
    programme: 'disability',
    key: 'living_rural_class34_fen',
    at: '620881',
    value: 5000,
    sourceDocument: SEED_SPEECH,
    sourceArticle: '三、（二）农村三、四类低保家庭生活补贴标准由市、县自行确定——“除华亭县外，其他县区还都没有列入”',
    note: '讲话只说明华亭已定标准，未给出金额；50元为演示值，请按华亭市文件填写',
  },
  {
    programme: 'dibao',
    key: 'standard_urban_fen',
    at: 'city',
    value: 80000,
    sourceDocument: LOCAL,
    sourceArticle: '城市低保标准（演示值 800 元/人·月）',
  },
  {
    programme: 'dibao',
    key: 'standard_rural_fen',
    at: 'city',
    value: 48000,
    sourceDocument: LOCAL,
    sourceArticle: '农村低保标准（演示值 5760 元/人·年 = 480 元/人·月）',
  },
  {
    programme: 'dibao',
    key: 'funding_percent',
    at: 'province',
    value: { province: 80, city: 10, county: 10 },
    sourceDocument: LOCAL,
    sourceArticle: '低保资金省、市、县分担比例（演示默认 80%/10%/10%；发放名册按名册月份适用）',
  },
  {
    programme: 'tekun',
    key: 'elderly_age',
    at: 'province',
    value: 60,
    sourceDocument: C,
    sourceArticle: '第五条 年满60周岁',
  },
  {
    programme: 'tekun',
    key: 'minor_age',
    at: 'province',
    value: 16,
    sourceDocument: C,
    sourceArticle: '第五条 未满16周岁',
  },
  {
    programme: 'tekun',
    key: 'minor_cover_until_age',
    at: 'province',
    value: 18,
    sourceDocument: '中办、国办《关于改革完善社会救助制度的意见》（2020）',
    sourceArticle: '特困人员救助供养覆盖的未成年人年龄从16周岁延长至18周岁',
  },
  {
    programme: 'tekun',
    key: 'property_limit_fen',
    at: 'city',
    value: 3000000,
    sourceDocument: LOCAL,
    sourceArticle: '特困人员财产状况规定（演示值 3 万元）',
  },
  {
    programme: 'tekun',
    key: 'supporter_income_limit_fen',
    at: 'city',
    value: 2400000,
    sourceDocument: LOCAL,
    sourceArticle: '上年度当地居民人均可支配收入（演示值 2.4 万元/年）',
  },
  {
    programme: 'tekun',
    key: 'supporter_property_limit_fen',
    at: 'city',
    value: 5000000,
    sourceDocument: LOCAL,
    sourceArticle: '低收入家庭财产状况规定（演示值 5 万元）',
  },
  {
    programme: 'tekun',
    key: 'basic_living_permille',
    at: 'province',
    value: 1300,
    sourceDocument: LOCAL,
    sourceArticle: '基本生活标准不低于当地低保标准的1.3倍（POLICY.md §3）',
  },
  {
    programme: 'tekun',
    key: 'care_standard_fen',
    at: 'province',
    value: { self_care: 5000, partly_lost: 30000, completely_lost: 60000 },
    sourceDocument: LOCAL,
    sourceArticle: '照料护理标准按生活自理能力分档（演示值 50/300/600 元）',
  },
  {
    programme: 'tekun',
    key: 'funding_percent',
    at: 'province',
    value: { province: 0, city: 0, county: 100 },
    sourceDocument: LOCAL,
    sourceArticle: '特困供养资金由县级统筹发放（演示默认）',
  },
];
