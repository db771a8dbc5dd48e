import { type SQL, sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { LayoutColumn } from './bank-files.js';

/** Bank file layouts (0007 + 0011): one row per version; rows are never rewritten, only their status changes. */
export interface BankLayoutRecord {
  id: number;
  code: string;
  version: number;
  status: 'active' | 'superseded' | 'disabled';
  region_code: string;
  name: string;
  bank_name: string | null;
  format: 'csv' | 'fixed' | 'xlsx';
  encoding: 'utf-8' | 'gbk';
  header: boolean;
  columns: LayoutColumn[];
  note: string | null;
  created_at: string;
  bank_files: number;
}

/**
 * Layouts an area may use: shipped ones (region ''), those of an enclosing area (a city's layout serves its
 * counties) and those inside the area. `area` is a region code (the caller's scope or a roster's county).
 */
function visibleTo(area: string): SQL {
  return sql`(l.region_code = '' OR ${area} LIKE l.region_code || '%' OR l.region_code LIKE ${`${area}%`})`;
}

const cols = sql`l.id, l.code, l.version, l.status, l.region_code, l.name, l.bank_name, l.format, l.encoding, l.header,
  l.columns, l.note, l.created_at::text,
  (SELECT count(*)::int FROM bank_files f JOIN bank_layouts v ON v.id = f.layout_id WHERE v.code = l.code) AS bank_files`;

export async function listLayouts(db: Db, scope: Scope, includeDisabled: boolean) {
  return rows<BankLayoutRecord>(
    db,
    sql`SELECT ${cols} FROM bank_layouts l
        WHERE ${visibleTo(scope.regionCode)} AND l.status ${includeDisabled ? sql`<> 'superseded'` : sql`= 'active'`}
        ORDER BY l.region_code, l.code`,
  );
}

/** The current version of a layout by row id, when it lies in the caller's area (managing needs that). */
export async function findManageableLayout(db: Db, id: number, scope: Scope, lock = false) {
  return first<BankLayoutRecord>(
    db,
    sql`SELECT ${cols} FROM bank_layouts l WHERE l.id = ${id} AND l.region_code <> '' AND ${inScope(sql`l.region_code`, scope)}
        ${lock ? sql`FOR UPDATE` : sql``}`,
  );
}

/** Any version of a layout visible to an area (for reads; 404 otherwise). */
export async function findVisibleLayout(db: Db, id: number, area: string) {
  return first<BankLayoutRecord>(db, sql`SELECT ${cols} FROM bank_layouts l WHERE l.id = ${id} AND ${visibleTo(area)}`);
}

/** The active version of a layout code that a county's roster may use. */
export async function activeLayoutFor(db: Db, code: string, countyCode: string) {
  return first<BankLayoutRecord>(
    db,
    sql`SELECT ${cols} FROM bank_layouts l WHERE l.code = ${code} AND l.status = 'active' AND ${visibleTo(countyCode)}`,
  );
}

export async function codeTaken(db: Db, code: string): Promise<boolean> {
  return (await first(db, sql`SELECT 1 FROM bank_layouts WHERE code = ${code} LIMIT 1`)) !== undefined;
}

export async function insertLayout(
  db: Db,
  l: {
    code: string;
    version: number;
    regionCode: string;
    name: string;
    bankName: string | null;
    format: string;
    encoding: string;
    header: boolean;
    columns: LayoutColumn[];
    note: string | null;
    by: number | null;
  },
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO bank_layouts (code, version, status, region_code, name, bank_name, format, encoding, header, columns, note, created_by)
        VALUES (${l.code}, ${l.version}, 'active', ${l.regionCode}, ${l.name}, ${l.bankName}, ${l.format}, ${l.encoding},
                ${l.header}, ${JSON.stringify(l.columns)}::jsonb, ${l.note}, ${l.by})
        RETURNING id`,
  );
  return Number(r!.id);
}

export async function setLayoutStatus(db: Db, id: number, status: 'active' | 'superseded' | 'disabled') {
  await db.execute(sql`UPDATE bank_layouts SET status = ${status} WHERE id = ${id}`);
}

export async function insertBankFile(
  db: Db,
  f: {
    rosterId: number;
    region: string;
    layoutId: number;
    code: string;
    version: number;
    payments: number;
    totalFen: number;
    sha256: string;
    by: number | null;
  },
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO bank_files (roster_id, region_code, layout_id, layout_code, layout_version, payments, total_fen, sha256, created_by)
        VALUES (${f.rosterId}, ${f.region}, ${f.layoutId}, ${f.code}, ${f.version}, ${f.payments}, ${f.totalFen}, ${f.sha256}, ${f.by})
        RETURNING id`,
  );
  return Number(r!.id);
}

/** The bank files produced for a roster, newest first, with the layout version each used. */
export async function bankFilesOf(db: Db, rosterId: number) {
  return rows<{
    id: number;
    created_at: string;
    layout_code: string;
    layout_version: number;
    layout_name: string;
    payments: number;
    total_fen: number;
    sha256: string;
    created_by_name: string | null;
  }>(
    db,
    sql`SELECT f.id, f.created_at::text, f.layout_code, f.layout_version, l.name AS layout_name, f.payments, f.total_fen,
               f.sha256, u.display_name AS created_by_name
        FROM bank_files f JOIN bank_layouts l ON l.id = f.layout_id LEFT JOIN users u ON u.id = f.created_by
        WHERE f.roster_id = ${rosterId} ORDER BY f.id DESC`,
  );
}
