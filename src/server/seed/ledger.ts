import { formatYuan } from '../../domain/money.js';
import {
  COLUMNS,
  type ColumnKey,
  DISABILITY_TEXT,
  HEALTH_TEXT,
  LABOUR_TEXT,
  LEVEL_TEXT,
  RELATION_TEXT,
  STUDENT_TEXT,
} from '../modules/registry-import/columns.js';
import type { SeedHousehold } from './generator.js';

const yuan = (fen: number) => (fen > 0 ? formatYuan(fen).replace(/\.00$/, '') : '');

/** A generated household as county-ledger rows (one per member, template column order). */
export function ledgerRows(h: SeedHousehold): string[][] {
  return h.members.map((m) => {
    const v: Record<ColumnKey, string> = {
      householdNo: h.householdNo,
      regionCode: h.regionCode,
      address: h.address,
      hukouType: h.hukouType === 'urban' ? '城镇' : '农村',
      relation: RELATION_TEXT[m.relation]!,
      name: m.name,
      idNumber: m.idNumber,
      sex: m.sex === 'M' ? '男' : '女',
      birthDate: m.birthDate,
      ethnicity: m.ethnicity,
      phone: m.phone ?? '',
      hukouLocal: m.hukouLocal ? '是' : '否',
      education: m.education ?? '',
      studentStatus: STUDENT_TEXT[m.studentStatus] ?? '非在校生',
      health: HEALTH_TEXT[m.health]!,
      labourCapacity: LABOUR_TEXT[m.labourCapacity]!,
      certNo: m.disability?.certNo ?? '',
      certGeneration: m.disability ? (m.disability.generation === 2 ? '二代' : '一代') : '',
      disabilityType: m.disability ? DISABILITY_TEXT[m.disability.type]! : '',
      disabilityLevel: m.disability ? LEVEL_TEXT[m.disability.level]! : '',
      needsCare: m.disability ? (m.disability.needsCare ? '是' : '否') : '',
      wages: yuan(m.wagesFen),
      businessNet: yuan(m.businessFen),
      propertyNet: yuan(m.propertyFen),
      transferNet: yuan(m.transferFen),
      housingStructure: h.housingStructure,
      housingRating: h.housingRating ?? '',
      housingAppraisedOn: h.housingAppraisedOn ?? '',
      housingAppraisalBody: h.housingAppraisalBody ?? '',
      bankName: h.bankName ?? '',
      bankAccount: h.bankAccount ?? '',
    };
    return COLUMNS.map((c) => v[c.key]);
  });
}

/** One CSV line (RFC 4180 quoting where needed). */
export function csvLine(cells: string[]): string {
  return `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')}\r\n`;
}

export const ledgerHeaderLine = () => csvLine(COLUMNS.map((c) => c.header));

/**
 * Writes generated households as a ledger CSV (UTF-8 with BOM, or GB18030 like Chinese Excel), streaming with
 * back-pressure: memory stays constant for a million households.
 */
export async function writeLedgerCsv(
  path: string,
  households: Iterable<SeedHousehold>,
  opts: { encoding?: 'utf-8' | 'gb18030'; onProgress?: (households: number) => void } = {},
): Promise<{ households: number; persons: number; bytes: number }> {
  const { createWriteStream } = await import('node:fs');
  const iconv = (await import('iconv-lite')).default;
  const out = createWriteStream(path);
  const encode = (s: string) => (opts.encoding === 'gb18030' ? iconv.encode(s, 'gb18030') : Buffer.from(s, 'utf8'));
  let bytes = 0;
  const write = async (s: string) => {
    const b = encode(s);
    bytes += b.length;
    if (!out.write(b)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  if (opts.encoding !== 'gb18030') await write('\ufeff');
  await write(ledgerHeaderLine());
  let hh = 0;
  let persons = 0;
  let buf = '';
  for (const h of households) {
    for (const r of ledgerRows(h)) {
      buf += csvLine(r);
      persons++;
    }
    if (++hh % 2000 === 0) {
      await write(buf);
      buf = '';
      opts.onProgress?.(hh);
    }
  }
  await write(buf);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return { households: hh, persons, bytes };
}
