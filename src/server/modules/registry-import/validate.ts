import { createHash } from 'node:crypto';
import { isRealDate, parseIdNumber } from '../../../domain/identity/id-number.js';
import { parseYuan } from '../../../domain/money.js';
import {
  COLUMNS,
  type ColumnKey,
  DISABILITY_TYPES,
  GENERATION_LABELS,
  HEALTH_LABELS,
  HOUSEHOLD_KEYS,
  HUKOU_LABELS,
  LABOUR_LABELS,
  LEVEL_LABELS,
  RELATION_LABELS,
  STUDENT_LABELS,
  YES_NO,
} from './columns.js';
import type { Cell } from './reader.js';

/** One ledger row parsed into the staging columns (null where empty or invalid). */
export interface StagedRow {
  rowNo: number;
  householdNo: string | null;
  regionCode: string | null;
  address: string | null;
  hukouType: string | null;
  relation: string | null;
  name: string | null;
  idNumber: string | null;
  sex: string | null;
  birthDate: string | null;
  ethnicity: string | null;
  phone: string | null;
  hukouLocal: boolean | null;
  education: string | null;
  studentStatus: string | null;
  health: string | null;
  labourCapacity: string | null;
  certNo: string | null;
  certGeneration: number | null;
  disabilityType: string | null;
  disabilityLevel: number | null;
  needsCare: boolean | null;
  wagesFen: number | null;
  businessFen: number | null;
  propertyFen: number | null;
  transferFen: number | null;
  housingStructure: string | null;
  housingRating: string | null;
  housingAppraisedOn: string | null;
  housingAppraisalBody: string | null;
  bankName: string | null;
  bankAccount: string | null;
  hhSig: string;
}

export interface CellError {
  /** 0-based column of the file; null for a problem of the whole row. */
  col: number | null;
  message: string;
}

const HEADER_OF = Object.fromEntries(COLUMNS.map((c) => [c.key, c.header])) as Record<ColumnKey, string>;

/** True when no cell of the row holds anything (empty rows are skipped, not errors). */
export function isEmptyRow(cells: Cell[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

/** Dates as the ledger writes them: 1965-03-12, 1965/3/12, 19650312, 1965.03.12, or an Excel date cell. */
export function parseLedgerDate(c: Cell): { ok: true; value: string } | { ok: false } {
  if (c !== null && typeof c === 'object' && 'date' in c) return { ok: true, value: c.date };
  const s = String(c).trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return { ok: false };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1880 || !isRealDate(y, mo, d)) return { ok: false };
  return { ok: true, value: `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/**
 * Per-row, per-cell checks that need no database: formats, code lists, the ID number (GB 11643 check character,
 * real birth date, not in the future), sex and birth date against the ID number, amounts (non-negative yuan, at
 * most two decimals), formulas. Cross-row and database checks (duplicates, villages, households) run in SQL.
 */
export function parseLedgerRow(
  rowNo: number,
  cells: Cell[],
  positions: Map<ColumnKey, number>,
  today: string,
): { row: StagedRow; errors: CellError[] } {
  const errors: CellError[] = [];
  const colOf = (k: ColumnKey) => positions.get(k)!;
  const fail = (k: ColumnKey, message: string) => {
    errors.push({ col: colOf(k), message: `${HEADER_OF[k]}：${message}` });
    return null;
  };
  const raw = (k: ColumnKey): Cell => cells[colOf(k)] ?? null;
  // Text of a cell; formulas are refused (the value shown in Excel may not be what the file stores).
  const memo = new Map<ColumnKey, string | null>();
  const text = (k: ColumnKey): string | null => {
    if (memo.has(k)) return memo.get(k)!;
    const v = cellText(k);
    memo.set(k, v);
    return v;
  };
  const cellText = (k: ColumnKey): string | null => {
    const c = raw(k);
    if (c === null) return null;
    if (typeof c === 'object' && 'formula' in c) return fail(k, '单元格是公式，请复制后「粘贴为数值」再导入');
    if (typeof c === 'object' && 'date' in c) return c.date;
    const s = String(c)
      .replace(/[\u00a0\u3000]/g, ' ')
      .trim();
    return s === '' ? null : s;
  };
  const required = (k: ColumnKey) => {
    const v = text(k);
    if (v === null && !errors.some((e) => e.col === colOf(k))) fail(k, '必填，不能为空');
    return v;
  };
  const coded = <T>(k: ColumnKey, table: Record<string, T>, allowed: string, req = false): T | null => {
    const v = req ? required(k) : text(k);
    if (v === null) return null;
    const hit = table[v] ?? table[v.toUpperCase()] ?? table[v.replace(/残疾$/, '')];
    if (hit === undefined) return fail(k, `「${v}」不是有效的取值，应为 ${allowed}`);
    return hit;
  };
  const maxLen = (k: ColumnKey, v: string | null, n: number) =>
    v !== null && v.length > n ? fail(k, `不能超过 ${n} 个字`) : v;
  const amount = (k: ColumnKey): number | null => {
    const c = raw(k);
    if (c !== null && typeof c === 'object' && 'formula' in c)
      return fail(k, '单元格是公式，请复制后「粘贴为数值」再导入');
    if (typeof c === 'number') {
      if (c < 0) return fail(k, `金额 ${c} 不能为负数`);
      const fen = Math.round(c * 100);
      if (Math.abs(c * 100 - fen) > 1e-6) return fail(k, `金额 ${c} 最多保留两位小数（元）`);
      return fen === 0 ? null : fen;
    }
    const v = text(k);
    if (v === null) return null;
    const fen = parseYuan(v);
    if (fen === null) return fail(k, `「${v}」不是金额，请填写数字（元，最多两位小数）`);
    if (fen < 0) return fail(k, `金额 ${v} 不能为负数`);
    return fen === 0 ? null : fen;
  };

  const householdNo = maxLen('householdNo', required('householdNo'), 40);
  let regionCode = required('regionCode');
  if (regionCode !== null && !/^\d{12}$/.test(regionCode))
    regionCode = fail('regionCode', `「${regionCode}」应为 12 位数字的村（社区）代码`);
  const address = maxLen('address', required('address'), 200);
  const hukouType = coded('hukouType', HUKOU_LABELS, '城镇 或 农村', true);
  const relation = coded('relation', RELATION_LABELS, '户主、配偶、子女、父母、孙子女、兄弟姐妹、其他', true);
  const name = maxLen('name', required('name'), 50);

  let idNumber: string | null = null;
  let idInfo: { sex: 'M' | 'F'; birthDate: string } | null = null;
  const idCell = raw('idNumber');
  if (typeof idCell === 'number') {
    fail('idNumber', `身份证号被 Excel 存成了数字（${idCell}），末几位可能已丢失；请把此列设为「文本」格式后重新录入`);
  } else {
    const v = required('idNumber');
    if (v !== null) {
      const p = parseIdNumber(v.replace(/\s/g, ''), today);
      if (!p.ok) {
        const why = {
          format: '应为 18 位，前 17 位为数字，末位为数字或 X',
          birth_date: `其中的出生日期 ${v.slice(6, 14)} 不存在`,
          future_birth: `其中的出生日期 ${v.slice(6, 14)} 晚于今天`,
          check_char: '校验位不正确，请核对是否录入有误',
        }[p.problem];
        fail('idNumber', `「${v}」${why}`);
      } else {
        idNumber = p.info.idNumber;
        idInfo = p.info;
      }
    }
  }
  let sex = coded('sex', { 男: 'M', 女: 'F' } as Record<string, string>, '男 或 女');
  if (sex && idInfo && sex !== idInfo.sex) {
    fail(
      'sex',
      `填写的是「${sex === 'M' ? '男' : '女'}」，但身份证号表明是${idInfo.sex === 'M' ? '男' : '女'}性（第 17 位奇数为男、偶数为女）`,
    );
  }
  sex = idInfo?.sex ?? null;
  let birthDate: string | null = null;
  if (raw('birthDate') !== null && text('birthDate') !== null) {
    const c = raw('birthDate');
    const d = parseLedgerDate(typeof c === 'number' ? String(c) : c);
    if (!d.ok) fail('birthDate', `「${text('birthDate')}」不是存在的日期（应为 YYYY-MM-DD 或 YYYYMMDD）`);
    else if (idInfo && d.value !== idInfo.birthDate)
      fail('birthDate', `${d.value} 与身份证号中的出生日期 ${idInfo.birthDate} 不一致`);
  }
  birthDate = idInfo?.birthDate ?? null;

  const ethnicity = maxLen('ethnicity', text('ethnicity'), 20);
  let phone = text('phone');
  if (phone !== null && !/^[0-9+][0-9\- ]{5,19}$/.test(phone))
    phone = fail('phone', `「${phone}」不是电话号码（只能含数字、空格和 -）`);
  const hukouLocal = coded('hukouLocal', YES_NO, '是 或 否');
  const education = maxLen('education', text('education'), 20);
  const studentStatus = coded(
    'studentStatus',
    STUDENT_LABELS,
    '非在校生、学前、小学、初中、高中、中职、大专、本科、研究生',
  );
  const health = coded('health', HEALTH_LABELS, '健康、慢性病、重病、残疾');
  const labourCapacity = coded('labourCapacity', LABOUR_LABELS, '有劳动能力、部分丧失劳动能力、无劳动能力');

  // 残疾人证: all of number, generation and type together; level required for the 2nd generation.
  let certNo = maxLen('certNo', text('certNo'), 40);
  const certGeneration = coded('certGeneration', GENERATION_LABELS, '一代 或 二代');
  const typeEntry = coded('disabilityType', DISABILITY_TYPES, '视力、听力、言语、肢体、智力、精神、多重');
  const disabilityLevel = coded('disabilityLevel', LEVEL_LABELS, '一级、二级、三级、四级');
  const needsCare = coded('needsCare', YES_NO, '是 或 否');
  const anyCert = [certNo, text('certGeneration'), text('disabilityType'), text('disabilityLevel')].some(
    (v) => v !== null,
  );
  if (anyCert) {
    if (certNo === null && !errors.some((e) => e.col === colOf('certNo')))
      fail('certNo', '填写了残疾信息时，残疾证号必填');
    if (text('certGeneration') === null) fail('certGeneration', '填写了残疾证号时必填（一代 或 二代）');
    if (text('disabilityType') === null) fail('disabilityType', '填写了残疾证号时必填');
    if (certGeneration === 2 && text('disabilityLevel') === null)
      fail('disabilityLevel', '第二代残疾人证必须填写残疾等级');
    if (certNo && certGeneration === 2 && idNumber && typeEntry && disabilityLevel) {
      const expected = `${idNumber}${typeEntry.digit}${disabilityLevel}`;
      if (certNo.toUpperCase() !== expected) {
        certNo = fail('certNo', `「${certNo}」与身份证号、残疾类别和等级不符：第二代残疾人证号应为 ${expected}`);
      }
    }
  }

  const wagesFen = amount('wages');
  const businessFen = amount('businessNet');
  const propertyFen = amount('propertyNet');
  const transferFen = amount('transferNet');
  const housingStructure = maxLen('housingStructure', text('housingStructure'), 20);
  let housingRating = text('housingRating');
  if (housingRating !== null) {
    const r = housingRating.toUpperCase().replace(/级$/, '');
    housingRating = /^[ABCD]$/.test(r) ? r : fail('housingRating', `「${housingRating}」应为 A、B、C 或 D`);
  }
  let housingAppraisedOn: string | null = null;
  if (text('housingAppraisedOn') !== null) {
    const d = parseLedgerDate(raw('housingAppraisedOn'));
    if (!d.ok) fail('housingAppraisedOn', `「${text('housingAppraisedOn')}」不是存在的日期`);
    else if (d.value > today) fail('housingAppraisedOn', `${d.value} 晚于今天`);
    else housingAppraisedOn = d.value;
  }
  const housingAppraisalBody = maxLen('housingAppraisalBody', text('housingAppraisalBody'), 100);
  const bankName = maxLen('bankName', text('bankName'), 60);
  let bankAccount: string | null = null;
  const acct = raw('bankAccount');
  if (typeof acct === 'number' && acct > 2 ** 53) {
    fail('bankAccount', '银行账号被 Excel 存成了数字，末几位可能已丢失；请把此列设为「文本」格式后重新录入');
  } else {
    const v = text('bankAccount');
    if (v !== null) {
      const digits = v.replace(/[\s-]/g, '');
      bankAccount = /^\d{10,30}$/.test(digits) ? digits : fail('bankAccount', `「${v}」应为 10–30 位数字`);
    }
  }

  const row: StagedRow = {
    rowNo,
    householdNo,
    regionCode,
    address,
    hukouType,
    relation,
    name,
    idNumber,
    sex,
    birthDate,
    ethnicity,
    phone,
    hukouLocal,
    education,
    studentStatus,
    health,
    labourCapacity,
    certNo: certNo?.toUpperCase() ?? null,
    certGeneration,
    disabilityType: typeEntry?.code ?? null,
    disabilityLevel,
    needsCare,
    wagesFen,
    businessFen,
    propertyFen,
    transferFen,
    housingStructure,
    housingRating,
    housingAppraisedOn,
    housingAppraisalBody,
    bankName,
    bankAccount,
    hhSig: '',
  };
  const hh = HOUSEHOLD_KEYS.map((k) => String((row as unknown as Record<string, unknown>)[k] ?? '')).join('\u0001');
  row.hhSig = createHash('md5').update(hh).digest('base64').slice(0, 16);
  return { row, errors };
}
