import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { formatYuan } from '../../../domain/money.js';
import { AppError } from '../../platform/errors.js';

/** One payment of a bank file: the net of a household's payable lines in the roster (扣减 withheld from it). */
export interface Payment {
  seq: number;
  account: string;
  holder: string;
  name: string;
  idNumber: string;
  amountFen: number;
  month: string;
  countyCode: string;
  programme: string;
  remark: string;
}

export interface LayoutColumn {
  field: string;
  header?: string;
  width?: number;
  align?: 'left' | 'right';
  pad?: string;
}

export interface BankLayout {
  code: string;
  format: 'csv' | 'fixed' | 'xlsx';
  encoding: 'utf-8' | 'gbk';
  header: boolean;
  columns: LayoutColumn[];
}

export const LAYOUT_FIELDS = [
  'seq',
  'account',
  'holder',
  'name',
  'id_number',
  'amount_yuan',
  'amount_fen',
  'month',
  'county_code',
  'programme',
  'remark',
] as const;
export type LayoutField = (typeof LAYOUT_FIELDS)[number];

/** What each field is, and the fewest bytes a fixed-width column needs to hold any value of it. */
export const FIELD_INFO: Record<LayoutField, { zh: string; minWidth: number; numeric: boolean }> = {
  seq: { zh: '序号', minWidth: 4, numeric: true },
  account: { zh: '账号', minWidth: 19, numeric: true },
  holder: { zh: '户名', minWidth: 8, numeric: false },
  name: { zh: '领取人姓名', minWidth: 8, numeric: false },
  id_number: { zh: '身份证号', minWidth: 18, numeric: false },
  amount_yuan: { zh: '金额（元，两位小数）', minWidth: 9, numeric: true },
  amount_fen: { zh: '金额（分）', minWidth: 8, numeric: true },
  month: { zh: '发放月份', minWidth: 7, numeric: false },
  county_code: { zh: '区县代码', minWidth: 6, numeric: true },
  programme: { zh: '项目代码', minWidth: 18, numeric: false },
  remark: { zh: '摘要（超宽截断）', minWidth: 4, numeric: false },
};

const isField = (f: string): f is LayoutField => (LAYOUT_FIELDS as readonly string[]).includes(f);

export interface LayoutProblem {
  field: string;
  code: string;
  message: string;
}

/** Bytes a value takes in the file's encoding (a GBK Chinese character is two bytes, UTF-8 three). */
export function byteLength(s: string, encoding: 'utf-8' | 'gbk'): number {
  return encoding === 'gbk' ? iconv.encode(s, 'gbk').length : Buffer.byteLength(s);
}

/** True when GBK can hold the text (iconv would silently write '?' for a character it cannot). */
export function gbkCanHold(s: string): boolean {
  return iconv.decode(iconv.encode(s, 'gbk'), 'gbk') === s;
}

/**
 * Checks a layout a user submits; every problem names the field path (`columns[2].width`) and says in Chinese
 * which column and why. Empty = valid. Widths, alignment and padding belong to fixed-width files only.
 */
export function layoutProblems(l: BankLayout): LayoutProblem[] {
  const out: LayoutProblem[] = [];
  if (l.format === 'xlsx' && l.encoding !== 'utf-8')
    out.push({ field: 'encoding', code: 'not_applicable', message: 'xlsx 文件的编码固定为 UTF-8，请选择 UTF-8' });
  if (!l.columns.length) out.push({ field: 'columns', code: 'required', message: '至少需要一列' });
  const titles = new Map<string, number>();
  l.columns.forEach((c, i) => {
    const at = `columns[${i}]`;
    const name = `第 ${i + 1} 列`;
    const known = isField(c.field);
    const label = known ? `${name}（${FIELD_INFO[c.field as LayoutField].zh}）` : name;
    const title = c.header?.trim() ?? '';
    if (!known)
      out.push({
        field: `${at}.field`,
        code: 'unknown_field',
        message: `${name}：未知字段「${c.field}」，可选 ${LAYOUT_FIELDS.join('、')}`,
      });
    if (l.header && !title)
      out.push({ field: `${at}.header`, code: 'required', message: `${label}：有表头行时须填写列标题` });
    if (title) {
      const prev = titles.get(title);
      if (prev !== undefined)
        out.push({
          field: `${at}.header`,
          code: 'duplicate_title',
          message: `${label}：列标题「${title}」与第 ${prev + 1} 列重复`,
        });
      else titles.set(title, i);
      if (l.encoding === 'gbk' && !gbkCanHold(title))
        out.push({ field: `${at}.header`, code: 'not_encodable', message: `${label}：列标题含 GBK 不能表示的字符` });
    }
    if (!known || l.format !== 'fixed') return;
    const info = FIELD_INFO[c.field as LayoutField];
    if (c.width === undefined) {
      out.push({ field: `${at}.width`, code: 'required', message: `${label}：定长文件须填写宽度（字节）` });
      return;
    }
    if (c.width < info.minWidth)
      out.push({
        field: `${at}.width`,
        code: 'width_too_small',
        message: `${label}：宽度 ${c.width} 小于该字段至少需要的 ${info.minWidth} 字节`,
      });
    if (l.header && title && byteLength(title, l.encoding) > c.width)
      out.push({
        field: `${at}.header`,
        code: 'title_too_wide',
        message: `${label}：列标题「${title}」占 ${byteLength(title, l.encoding)} 字节，超过宽度 ${c.width}`,
      });
    if (c.pad === '0' && !info.numeric)
      out.push({ field: `${at}.pad`, code: 'pad_not_numeric', message: `${label}：只有数字字段可以用 0 填充` });
    if (c.pad === '0' && c.align !== 'right')
      out.push({ field: `${at}.pad`, code: 'pad_needs_right', message: `${label}：用 0 填充时须右对齐` });
  });
  const fields = new Set(l.columns.map((c) => c.field));
  if (!fields.has('account'))
    out.push({ field: 'columns', code: 'missing_account', message: '缺少「账号」列（银行据此入账）' });
  if (!fields.has('amount_yuan') && !fields.has('amount_fen'))
    out.push({ field: 'columns', code: 'missing_amount', message: '缺少金额列（元或分）' });
  return out;
}

/** Keeps only the options a format uses (width, alignment and padding are for fixed-width files). */
export function normaliseLayout<T extends BankLayout>(l: T): T {
  return {
    ...l,
    encoding: l.format === 'xlsx' ? 'utf-8' : l.encoding,
    columns: l.columns.map((c) => {
      const title = c.header?.trim();
      const base: LayoutColumn = { field: c.field, ...(title ? { header: title } : {}) };
      return l.format === 'fixed' ? { ...base, width: c.width, align: c.align ?? 'left', pad: c.pad ?? ' ' } : base;
    }),
  };
}

function fieldValue(p: Payment, field: string): string {
  switch (field) {
    case 'seq':
      return String(p.seq);
    case 'account':
      return p.account;
    case 'holder':
      return p.holder;
    case 'name':
      return p.name;
    case 'id_number':
      return p.idNumber;
    case 'amount_yuan':
      return formatYuan(p.amountFen);
    case 'amount_fen':
      return String(p.amountFen);
    case 'month':
      return p.month;
    case 'county_code':
      return p.countyCode;
    case 'programme':
      return p.programme;
    default:
      return p.remark;
  }
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** A payment value that cannot be written as the layout says (too wide for its column, or not representable). */
export interface UnfitValue {
  seq: number;
  field: string;
  message: string;
}

/**
 * Pads to a width counted in bytes of the file's encoding. Only the remark may be cut; any other value that does not
 * fit is reported (a cut account or amount would pay the wrong person or the wrong sum).
 */
function fixedCell(v: string, col: LayoutColumn, encoding: 'utf-8' | 'gbk', onUnfit: (msg: string) => void): string {
  const width = col.width ?? 20;
  let s = v;
  if (byteLength(s, encoding) > width) {
    if (col.field === 'remark') while (byteLength(s, encoding) > width) s = s.slice(0, -1);
    else {
      onUnfit(`「${v}」占 ${byteLength(v, encoding)} 字节，超过列宽 ${width}`);
      return ' '.repeat(width);
    }
  }
  const pad = (col.pad || ' ').repeat(width - byteLength(s, encoding));
  return col.align === 'right' ? pad + s : s + pad;
}

function encode(text: string, encoding: 'utf-8' | 'gbk'): Buffer {
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}

type Cell = string | number;

/** The rows of the file as cells (header first when the layout has one); values that do not fit are collected. */
function layoutRows(
  layout: BankLayout,
  payments: Payment[],
  unfit: UnfitValue[],
): { header: string[] | null; rows: Cell[][] } {
  const header = layout.header ? layout.columns.map((c) => c.header ?? c.field) : null;
  const rows = payments.map((p) =>
    layout.columns.map((c): Cell => {
      const v = fieldValue(p, c.field);
      if (layout.encoding === 'gbk' && !gbkCanHold(v))
        unfit.push({
          seq: p.seq,
          field: c.field,
          message: `第 ${p.seq} 笔「${FIELD_INFO[c.field as LayoutField]?.zh ?? c.field}」含 GBK 不能表示的字符：${c.field === 'account' || c.field === 'id_number' ? '（已隐去）' : v}`,
        });
      if (layout.format === 'xlsx' && c.field === 'amount_yuan') return p.amountFen / 100;
      if (layout.format === 'xlsx' && (c.field === 'amount_fen' || c.field === 'seq')) return Number(v);
      return v;
    }),
  );
  return { header, rows };
}

/**
 * Renders the payments in a bank's layout: every option of the layout is honoured (format, encoding, header row,
 * column order and titles, width/alignment/padding of fixed-width columns, amount in 元 or 分). A value that cannot
 * be written faithfully refuses the whole file (BANK_FILE_DATA_UNFIT), never a silently cut account or amount.
 */
export async function renderBankFile(
  layout: BankLayout,
  payments: Payment[],
): Promise<{ body: Buffer; ext: string; contentType: string }> {
  const unfit: UnfitValue[] = [];
  const { header, rows } = layoutRows(layout, payments, unfit);
  if (layout.format === 'xlsx') {
    if (unfit.length) throw unfitError(unfit);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('代发明细');
    layout.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      if (c.field === 'account' || c.field === 'id_number' || c.field === 'county_code' || c.field === 'month')
        col.numFmt = '@';
      if (c.field === 'amount_yuan') col.numFmt = '0.00';
      col.width = c.field === 'account' || c.field === 'id_number' ? 24 : 14;
    });
    if (header) ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    return { body: buf, ext: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }
  const lines: string[] = [];
  if (layout.format === 'csv') {
    if (header) lines.push(header.map(csvCell).join(','));
    for (const r of rows) lines.push(r.map((v) => csvCell(String(v))).join(','));
  } else {
    if (header) lines.push(layout.columns.map((c, i) => fixedCell(header[i]!, c, layout.encoding, () => {})).join(''));
    rows.forEach((r, k) => {
      const seq = payments[k]!.seq;
      lines.push(
        layout.columns
          .map((c, i) =>
            fixedCell(String(r[i]), c, layout.encoding, (message) =>
              unfit.push({
                seq,
                field: c.field,
                message: `第 ${seq} 笔「${FIELD_INFO[c.field as LayoutField]?.zh ?? c.field}」${c.field === 'account' || c.field === 'id_number' ? `占 ${byteLength(String(r[i]), layout.encoding)} 字节，超过列宽 ${c.width}` : message}`,
              }),
            ),
          )
          .join(''),
      );
    });
  }
  if (unfit.length) throw unfitError(unfit);
  const text = `${lines.join('\r\n')}\r\n`;
  return {
    body: encode(text, layout.encoding),
    ext: layout.format === 'csv' ? 'csv' : 'txt',
    contentType: `text/plain; charset=${layout.encoding === 'gbk' ? 'gbk' : 'utf-8'}`,
  };
}

function unfitError(unfit: UnfitValue[]): AppError {
  return new AppError('BANK_FILE_DATA_UNFIT', { extra: { problems: unfit.slice(0, 200), problemCount: unfit.length } });
}

/** Three sample payments for the live preview of a layout being edited (made-up people and accounts). */
export function samplePayments(month: string): Payment[] {
  const base = { month, countyCode: '620802', programme: 'dibao', remark: `${month}最低生活保障金` };
  return [
    {
      ...base,
      seq: 1,
      account: '6228480402564890018',
      holder: '张建国',
      name: '张建国',
      idNumber: '620802196108193578',
      amountFen: 45000,
    },
    {
      ...base,
      seq: 2,
      account: '6217853100001234567',
      holder: '欧阳秀英',
      name: '欧阳秀英',
      idNumber: '62080219550302124X',
      amountFen: 123456,
    },
    {
      ...base,
      seq: 3,
      account: '62299112345678901',
      holder: '李娜',
      name: '李娜',
      idNumber: '620802198807150026',
      amountFen: 30000,
    },
  ];
}

/**
 * The preview of a layout: the problems of the layout itself, and (when it is valid) the first lines of the file as
 * the generator writes them — text lines for CSV and fixed width (with their byte lengths), cells for xlsx.
 */
export async function previewLayout(layout: BankLayout, month: string) {
  const problems = layoutProblems(layout);
  if (problems.length) return { problems, lines: [], rows: [] as Cell[][], byteLengths: [] as number[] };
  const l = normaliseLayout(layout);
  const payments = samplePayments(month);
  if (l.format === 'xlsx') {
    const { header, rows } = layoutRows(l, payments, []);
    return { problems, lines: [], rows: header ? [header, ...rows] : rows, byteLengths: [] };
  }
  try {
    const file = await renderBankFile(l, payments);
    const text = l.encoding === 'gbk' ? iconv.decode(file.body, 'gbk') : file.body.toString('utf8');
    const lines = text.split('\r\n').slice(0, -1);
    return { problems, lines, rows: [], byteLengths: lines.map((x) => byteLength(x, l.encoding)) };
  } catch (e) {
    if (e instanceof AppError && e.code === 'BANK_FILE_DATA_UNFIT') {
      const list = (e.extra?.problems ?? []) as UnfitValue[];
      return {
        problems: list.map((u) => ({ field: 'columns', code: 'sample_unfit', message: `示例数据：${u.message}` })),
        lines: [],
        rows: [],
        byteLengths: [],
      };
    }
    throw e;
  }
}

/** Groups a roster's payable lines into one payment per household account (net of 扣减). */
export function paymentsOf<
  L extends {
    household_id: number;
    held: boolean;
    amount_fen: number;
    bank_account: string | null;
    bank_account_holder: string | null;
    payee_name: string | null;
    payee_id_number: string | null;
    line_no: number;
  },
>(
  lines: L[],
  roster: { month: string; county_code: string; programme: string },
  remark: string,
): { payments: Payment[]; linesByAccount: Map<string, L[]> } {
  const byHousehold = new Map<number, L[]>();
  for (const l of lines) {
    if (l.held) continue;
    const list = byHousehold.get(Number(l.household_id)) ?? [];
    list.push(l);
    byHousehold.set(Number(l.household_id), list);
  }
  const payments: Payment[] = [];
  const linesByAccount = new Map<string, L[]>();
  for (const list of byHousehold.values()) {
    const net = list.reduce((s, l) => s + Number(l.amount_fen), 0);
    if (net <= 0) continue;
    const head = list.find((l) => l.bank_account) ?? list[0]!;
    const account = (head.bank_account ?? '').trim();
    payments.push({
      seq: payments.length + 1,
      account,
      holder: head.bank_account_holder ?? head.payee_name ?? '',
      name: head.payee_name ?? '',
      idNumber: head.payee_id_number ?? '',
      amountFen: net,
      month: roster.month,
      countyCode: roster.county_code,
      programme: roster.programme,
      remark,
    });
    linesByAccount.set(account, [
      ...(linesByAccount.get(account) ?? []),
      ...list.filter((l) => Number(l.amount_fen) !== 0),
    ]);
  }
  return { payments, linesByAccount };
}
