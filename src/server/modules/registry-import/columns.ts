/**
 * The county ledger (户籍人口台账) format the import reads and the template describes: one row per person, the
 * household's columns repeated on every member's row and keyed by 户编号. The template is generated from this list,
 * and a test checks that docs/import-format.md lists every column with its format, so they cannot drift apart.
 */
export type ColumnKey =
  | 'householdNo'
  | 'regionCode'
  | 'address'
  | 'hukouType'
  | 'relation'
  | 'name'
  | 'idNumber'
  | 'sex'
  | 'birthDate'
  | 'ethnicity'
  | 'phone'
  | 'hukouLocal'
  | 'education'
  | 'studentStatus'
  | 'health'
  | 'labourCapacity'
  | 'certNo'
  | 'certGeneration'
  | 'disabilityType'
  | 'disabilityLevel'
  | 'needsCare'
  | 'wages'
  | 'businessNet'
  | 'propertyNet'
  | 'transferNet'
  | 'housingStructure'
  | 'housingRating'
  | 'housingAppraisedOn'
  | 'housingAppraisalBody'
  | 'bankName'
  | 'bankAccount';

export interface LedgerColumn {
  key: ColumnKey;
  header: string;
  /** household: repeated on every member row and must agree with the head's (户主) row. */
  level: 'household' | 'person';
  required: boolean;
  /** What may be written, for the template's notes and the documentation. */
  format: string;
  example: string;
  width: number;
}

export const LEDGER_SHEET = '户籍人口台账';
export const NOTES_SHEET = '填写说明';

export const COLUMNS: readonly LedgerColumn[] = [
  {
    key: 'householdNo',
    header: '户编号',
    level: 'household',
    required: true,
    format: '本县台账中的户编号，同户成员填同一编号（最长 40 个字符）',
    example: '620802101200000123',
    width: 20,
  },
  {
    key: 'regionCode',
    header: '村（社区）代码',
    level: 'household',
    required: true,
    format: '12 位统计用区划代码（村/社区），须在导入区划范围内',
    example: '620802101200',
    width: 16,
  },
  {
    key: 'address',
    header: '家庭住址',
    level: 'household',
    required: true,
    format: '文字，最长 200 字',
    example: '崆峒镇祁河村三社 12 号',
    width: 28,
  },
  {
    key: 'hukouType',
    header: '户籍性质',
    level: 'household',
    required: true,
    format: '城镇 / 农村（也可写 非农业 / 农业）',
    example: '农村',
    width: 10,
  },
  {
    key: 'relation',
    header: '与户主关系',
    level: 'person',
    required: true,
    format: '户主 / 配偶 / 子女 / 父母 / 孙子女 / 兄弟姐妹 / 其他；每户恰有一名户主',
    example: '户主',
    width: 12,
  },
  {
    key: 'name',
    header: '姓名',
    level: 'person',
    required: true,
    format: '文字，最长 50 字',
    example: '张建国',
    width: 10,
  },
  {
    key: 'idNumber',
    header: '公民身份号码',
    level: 'person',
    required: true,
    format: '18 位居民身份证号码（GB 11643，末位可为 X），请将此列设为「文本」格式',
    example: '620802196503120418',
    width: 22,
  },
  {
    key: 'sex',
    header: '性别',
    level: 'person',
    required: false,
    format: '男 / 女；可空，填写时须与身份证号一致',
    example: '男',
    width: 6,
  },
  {
    key: 'birthDate',
    header: '出生日期',
    level: 'person',
    required: false,
    format: 'YYYY-MM-DD 或 YYYYMMDD；可空，填写时须与身份证号一致',
    example: '1965-03-12',
    width: 12,
  },
  {
    key: 'ethnicity',
    header: '民族',
    level: 'person',
    required: false,
    format: '如 汉族、回族',
    example: '汉族',
    width: 8,
  },
  {
    key: 'phone',
    header: '联系电话',
    level: 'person',
    required: false,
    format: '手机或座机号码（数字，可含 - ）',
    example: '13909330001',
    width: 14,
  },
  {
    key: 'hukouLocal',
    header: '是否本地户籍',
    level: 'person',
    required: false,
    format: '是 / 否；空为 是',
    example: '是',
    width: 8,
  },
  {
    key: 'education',
    header: '文化程度',
    level: 'person',
    required: false,
    format: '文盲或半文盲 / 小学 / 初中 / 高中 / 中专 / 大专 / 本科 / 研究生',
    example: '初中',
    width: 10,
  },
  {
    key: 'studentStatus',
    header: '在校情况',
    level: 'person',
    required: false,
    format: '非在校生 / 学前 / 小学 / 初中 / 高中 / 中职 / 大专 / 本科 / 研究生；空为 非在校生',
    example: '非在校生',
    width: 10,
  },
  {
    key: 'health',
    header: '健康状况',
    level: 'person',
    required: false,
    format: '健康 / 慢性病 / 重病 / 残疾',
    example: '健康',
    width: 10,
  },
  {
    key: 'labourCapacity',
    header: '劳动能力',
    level: 'person',
    required: false,
    format: '有劳动能力 / 部分丧失劳动能力 / 无劳动能力',
    example: '有劳动能力',
    width: 14,
  },
  {
    key: 'certNo',
    header: '残疾证号',
    level: 'person',
    required: false,
    format:
      '第二代残疾人证号 = 身份证号 + 残疾类别代码（1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重）+ 等级（1–4）',
    example: '',
    width: 24,
  },
  {
    key: 'certGeneration',
    header: '残疾证代别',
    level: 'person',
    required: false,
    format: '一代 / 二代（有残疾证号时必填）',
    example: '',
    width: 10,
  },
  {
    key: 'disabilityType',
    header: '残疾类别',
    level: 'person',
    required: false,
    format: '视力 / 听力 / 言语 / 肢体 / 智力 / 精神 / 多重（有残疾证号时必填）',
    example: '',
    width: 10,
  },
  {
    key: 'disabilityLevel',
    header: '残疾等级',
    level: 'person',
    required: false,
    format: '一级 / 二级 / 三级 / 四级（或 1–4；二代证必填）',
    example: '',
    width: 10,
  },
  {
    key: 'needsCare',
    header: '是否需长期照护',
    level: 'person',
    required: false,
    format: '是 / 否；空为 否',
    example: '',
    width: 12,
  },
  {
    key: 'wages',
    header: '月工资性收入（元）',
    level: 'person',
    required: false,
    format: '非负金额，元，最多两位小数；空或 0 表示没有',
    example: '2500',
    width: 14,
  },
  {
    key: 'businessNet',
    header: '月经营净收入（元）',
    level: 'person',
    required: false,
    format: '同上',
    example: '',
    width: 14,
  },
  {
    key: 'propertyNet',
    header: '月财产净收入（元）',
    level: 'person',
    required: false,
    format: '同上',
    example: '',
    width: 14,
  },
  {
    key: 'transferNet',
    header: '月转移净收入（元）',
    level: 'person',
    required: false,
    format: '同上',
    example: '',
    width: 14,
  },
  {
    key: 'housingStructure',
    header: '住房结构',
    level: 'household',
    required: false,
    format: '如 砖混、砖木、土木、框架',
    example: '砖木',
    width: 10,
  },
  {
    key: 'housingRating',
    header: '住房安全等级',
    level: 'household',
    required: false,
    format: 'A / B / C / D（C、D 级为危房）',
    example: 'B',
    width: 12,
  },
  {
    key: 'housingAppraisedOn',
    header: '鉴定日期',
    level: 'household',
    required: false,
    format: 'YYYY-MM-DD',
    example: '2024-05-20',
    width: 12,
  },
  {
    key: 'housingAppraisalBody',
    header: '鉴定机构',
    level: 'household',
    required: false,
    format: '文字',
    example: '崆峒区住房和城乡建设局',
    width: 20,
  },
  {
    key: 'bankName',
    header: '开户银行',
    level: 'household',
    required: false,
    format: '发放账户的开户行',
    example: '甘肃省农村信用社',
    width: 16,
  },
  {
    key: 'bankAccount',
    header: '银行账号',
    level: 'household',
    required: false,
    format: '10–30 位数字，请设为「文本」格式',
    example: '6228480123456789012',
    width: 24,
  },
];

export const HOUSEHOLD_KEYS = COLUMNS.filter((c) => c.level === 'household' && c.key !== 'householdNo').map(
  (c) => c.key,
);

/** Column letter of a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Header text normalised for matching: no spaces, full-width brackets as half-width. */
export function normalizeHeader(h: string): string {
  return h.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').replace(/\*$/, '');
}

const BY_HEADER = new Map(COLUMNS.map((c) => [normalizeHeader(c.header), c.key]));

/** Maps a header row to column positions; lists the template columns it lacks. */
export function mapHeader(cells: string[]): {
  positions: Map<ColumnKey, number>;
  missing: string[];
  unknown: string[];
} {
  const positions = new Map<ColumnKey, number>();
  const unknown: string[] = [];
  cells.forEach((raw, i) => {
    const h = normalizeHeader(raw ?? '');
    if (!h) return;
    const key = BY_HEADER.get(h);
    if (key && !positions.has(key)) positions.set(key, i);
    else if (!key && h !== '错误说明' && h !== '原行号') unknown.push(raw);
  });
  const missing = COLUMNS.filter((c) => !positions.has(c.key)).map((c) => c.header);
  return { positions, missing, unknown };
}

// Labels of coded values, as written in the ledger.
export const HUKOU_LABELS: Record<string, 'urban' | 'rural'> = {
  城镇: 'urban',
  非农业: 'urban',
  农村: 'rural',
  农业: 'rural',
};
export const RELATION_LABELS: Record<string, string> = {
  户主: 'head',
  本人: 'head',
  配偶: 'spouse',
  妻: 'spouse',
  夫: 'spouse',
  子女: 'child',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  父母: 'parent',
  父亲: 'parent',
  母亲: 'parent',
  孙子女: 'grandchild',
  孙子: 'grandchild',
  孙女: 'grandchild',
  外孙子女: 'grandchild',
  兄弟姐妹: 'sibling',
  兄: 'sibling',
  弟: 'sibling',
  姐: 'sibling',
  妹: 'sibling',
  其他: 'other',
};
export const RELATION_TEXT: Record<string, string> = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  sibling: '兄弟姐妹',
  other: '其他',
};
export const STUDENT_LABELS: Record<string, string> = {
  非在校生: 'none',
  不在校: 'none',
  学前: 'preschool',
  小学: 'primary',
  初中: 'junior',
  高中: 'senior',
  中职: 'vocational',
  大专: 'college',
  本科: 'bachelor',
  研究生: 'postgraduate',
};
export const STUDENT_TEXT = Object.fromEntries(
  Object.entries(STUDENT_LABELS)
    .filter(([k]) => k !== '不在校')
    .map(([k, v]) => [v, k]),
);
export const HEALTH_LABELS: Record<string, string> = {
  健康: 'healthy',
  慢性病: 'chronic',
  重病: 'grave_illness',
  大病: 'grave_illness',
  残疾: 'disabled',
};
export const HEALTH_TEXT: Record<string, string> = {
  healthy: '健康',
  chronic: '慢性病',
  grave_illness: '重病',
  disabled: '残疾',
};
export const LABOUR_LABELS: Record<string, string> = {
  有劳动能力: 'full',
  部分丧失劳动能力: 'partial',
  部分丧失: 'partial',
  无劳动能力: 'none',
  完全丧失劳动能力: 'none',
  丧失劳动能力: 'none',
};
export const LABOUR_TEXT: Record<string, string> = {
  full: '有劳动能力',
  partial: '部分丧失劳动能力',
  none: '无劳动能力',
};
export const DISABILITY_TYPES: Record<string, { code: string; digit: number }> = {
  视力: { code: 'visual', digit: 1 },
  听力: { code: 'hearing', digit: 2 },
  言语: { code: 'speech', digit: 3 },
  肢体: { code: 'physical', digit: 4 },
  智力: { code: 'intellectual', digit: 5 },
  精神: { code: 'mental', digit: 6 },
  多重: { code: 'multiple', digit: 7 },
};
export const DISABILITY_TEXT = Object.fromEntries(Object.entries(DISABILITY_TYPES).map(([k, v]) => [v.code, k]));
export const DISABILITY_DIGIT = Object.fromEntries(Object.values(DISABILITY_TYPES).map((v) => [v.code, v.digit]));
export const LEVEL_LABELS: Record<string, number> = {
  一级: 1,
  二级: 2,
  三级: 3,
  四级: 4,
  '1': 1,
  '2': 2,
  '3': 3,
  '4': 4,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
};
export const LEVEL_TEXT = ['', '一级', '二级', '三级', '四级'];
export const GENERATION_LABELS: Record<string, number> = { 一代: 1, 第一代: 1, '1': 1, 二代: 2, 第二代: 2, '2': 2 };
export const YES_NO: Record<string, boolean> = { 是: true, 否: false, Y: true, N: false, TRUE: true, FALSE: false };
