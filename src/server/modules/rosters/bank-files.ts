import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { formatYuan } from '../../../domain/money.js';

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

/** Pads to a width counted in bytes of the file's encoding (a GBK Chinese character is two bytes). */
function fixedCell(v: string, col: LayoutColumn, encoding: 'utf-8' | 'gbk'): string {
  const width = col.width ?? 20;
  const len = (s: string) => (encoding === 'gbk' ? iconv.encode(s, 'gbk').length : Buffer.byteLength(s));
  let s = v;
  while (len(s) > width) s = s.slice(0, -1);
  const pad = (col.pad ?? ' ').repeat(width - len(s));
  return col.align === 'right' ? pad + s : s + pad;
}

function encode(text: string, encoding: 'utf-8' | 'gbk'): Buffer {
  return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}

/** Renders the payments in a bank's layout. */
export async function renderBankFile(
  layout: BankLayout,
  payments: Payment[],
): Promise<{ body: Buffer; ext: string; contentType: string }> {
  if (layout.format === 'xlsx') {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('代发明细');
    if (layout.header) ws.addRow(layout.columns.map((c) => c.header ?? c.field));
    for (const p of payments) {
      ws.addRow(
        layout.columns.map((c) =>
          c.field === 'amount_yuan' ? Number(formatYuan(p.amountFen)) : fieldValue(p, c.field),
        ),
      );
    }
    layout.columns.forEach((c, i) => {
      if (c.field === 'account' || c.field === 'id_number') ws.getColumn(i + 1).numFmt = '@';
      ws.getColumn(i + 1).width = c.field === 'account' || c.field === 'id_number' ? 24 : 14;
    });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    return { body: buf, ext: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }
  const lines: string[] = [];
  if (layout.format === 'csv') {
    if (layout.header) lines.push(layout.columns.map((c) => csvCell(c.header ?? c.field)).join(','));
    for (const p of payments) lines.push(layout.columns.map((c) => csvCell(fieldValue(p, c.field))).join(','));
  } else {
    if (layout.header)
      lines.push(layout.columns.map((c) => fixedCell(c.header ?? c.field, c, layout.encoding)).join(''));
    for (const p of payments)
      lines.push(layout.columns.map((c) => fixedCell(fieldValue(p, c.field), c, layout.encoding)).join(''));
  }
  const text = `${lines.join('\r\n')}\r\n`;
  return {
    body: encode(text, layout.encoding),
    ext: layout.format === 'csv' ? 'csv' : 'txt',
    contentType: `text/plain; charset=${layout.encoding === 'gbk' ? 'gbk' : 'utf-8'}`,
  };
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
