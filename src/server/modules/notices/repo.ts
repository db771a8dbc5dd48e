import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface NoticeRow {
  id: number;
  case_id: number;
  region_code: string;
  kind: string;
  status: string;
  issuer_level: string;
  issuer_code: string;
  issuer_name: string;
  doc_prefix: string;
  doc_no: string | null;
  addressee: string;
  title: string;
  decision: string;
  facts: string;
  reasons: string;
  basis: Array<{ document: string; article: string }>;
  remedies: string;
  issued_on: string | null;
  sha256: string | null;
  path: string | null;
  delivery_method: string | null;
  delivered_on: string | null;
  receipt_material_id: number | null;
  version: number;
}

const select = sql`SELECT n.id, n.case_id, n.region_code, n.kind, n.status, n.issuer_level, n.issuer_code, n.issuer_name, n.doc_prefix, n.doc_no,
  n.addressee, n.title, n.decision, n.facts, n.reasons, n.basis, n.remedies, to_char(n.issued_on, 'YYYY-MM-DD') AS issued_on, n.sha256, n.path,
  n.delivery_method, to_char(n.delivered_on, 'YYYY-MM-DD') AS delivered_on, n.receipt_material_id, n.version FROM notices n`;

export async function findNotice(db: Db, id: number, scope: Scope, lock = false) {
  return first<NoticeRow>(
    db,
    sql`${select} WHERE n.id = ${id} AND ${inScope(sql`n.region_code`, scope)}${lock ? sql` FOR UPDATE` : sql``}`,
  );
}

export async function noticesOfCase(db: Db, caseId: number) {
  return rows<NoticeRow>(db, sql`${select} WHERE n.case_id = ${caseId} ORDER BY n.id`);
}

/** Issuing body of a case's region: the county bureau (民政局) or the township government, with its number prefix. */
export async function issuerOf(db: Db, regionCode: string, level: 'county' | 'township') {
  const code = level === 'county' ? regionCode.slice(0, 6) : regionCode.slice(0, 9);
  const r = await first<{ name: string | null }>(db, sql`SELECT name FROM regions WHERE code = ${code}`);
  const name = r?.name ?? code;
  // Document-number prefix per issuing body (e.g. 崆峒区民政局 → 崆民低; 崆峒镇人民政府 → 崆峒镇低).
  return level === 'county'
    ? { code, name: `${name}民政局`, prefix: `${name.slice(0, 1)}民低` }
    : {
        code,
        name: `${name}人民政府`,
        prefix: `${name.replace(/(镇|乡|街道)$/, '')}${name.endsWith('街道') ? '街' : name.slice(-1)}低`,
      };
}

export async function insertNotice(
  db: Db,
  n: {
    caseId: number;
    regionCode: string;
    kind: string;
    issuerLevel: string;
    issuerCode: string;
    issuerName: string;
    prefix: string;
    addressee: string;
    title: string;
    decision: string;
    facts: string;
    reasons: string;
    basis: unknown;
    remedies: string;
    by: number | null;
  },
) {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO notices (case_id, region_code, kind, issuer_level, issuer_code, issuer_name, doc_prefix, addressee, title, decision, facts, reasons, basis, remedies, created_by)
        VALUES (${n.caseId}, ${n.regionCode}, ${n.kind}, ${n.issuerLevel}, ${n.issuerCode}, ${n.issuerName}, ${n.prefix}, ${n.addressee}, ${n.title},
                ${n.decision}, ${n.facts}, ${n.reasons}, ${JSON.stringify(n.basis)}::jsonb, ${n.remedies}, ${n.by})
        RETURNING id`,
  );
  return Number(r!.id);
}

/** Next document number of an issuing body for a year (row-locked counter: numbers are gap-free and unique). */
export async function nextDocSeq(db: Db, issuerCode: string, year: number): Promise<number> {
  const r = await first<{ last_seq: number }>(
    db,
    sql`INSERT INTO notice_counters (issuer_code, year, last_seq) VALUES (${issuerCode}, ${year}, 1)
        ON CONFLICT (issuer_code, year) DO UPDATE SET last_seq = notice_counters.last_seq + 1 RETURNING last_seq`,
  );
  return Number(r!.last_seq);
}
