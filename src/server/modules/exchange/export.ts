import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import { type Database, first, rows } from '../../db/client.js';

/**
 * Big-data platform export (S11: the dibao system feeds the poverty-alleviation big-data platform). The interchange
 * format is documented in docs/exchange-api.md: JSON Lines, one object per record, `type` household | person |
 * enrollment, `op` upsert | delete; the same records as xlsx sheets. Full export, or incremental since a timestamp
 * (current rows with valid_from > since, and rows deleted since from the *_history tables).
 *
 * The JSON is built by PostgreSQL and streamed with COPY … TO STDOUT (constant memory); on PGlite in keyset batches.
 * Every literal inlined into the SQL text is validated first (region digits, ISO timestamp).
 */
export interface MaskRule {
  code: string;
  id_number: 'full' | 'masked';
  name_rule: 'full' | 'masked';
  phone: 'full' | 'masked' | 'omit';
  address: 'full' | 'omit';
}

export interface ExportOptions {
  regionPrefix: string;
  since?: string;
  rule: MaskRule;
}

export type RecordType = 'household' | 'person' | 'enrollment';

function literalTs(since: string): string {
  const d = new Date(since);
  if (Number.isNaN(d.getTime())) throw new Error('invalid timestamp');
  return `'${d.toISOString()}'::timestamptz`;
}

function regionLike(prefix: string): string {
  if (!/^\d{0,12}$/.test(prefix)) throw new Error('invalid region prefix');
  return `'${prefix}%'`;
}

function maskExprs(rule: MaskRule) {
  const id = rule.id_number === 'full' ? 'p.id_number' : `left(p.id_number, 6) || '********' || right(p.id_number, 4)`;
  const name =
    rule.name_rule === 'full' ? 'p.name' : `left(p.name, 1) || repeat('*', greatest(char_length(p.name) - 1, 1))`;
  const phone =
    rule.phone === 'full'
      ? `, 'phone', p.phone`
      : rule.phone === 'masked'
        ? `, 'phone', CASE WHEN p.phone IS NULL THEN NULL ELSE left(p.phone, 3) || '****' || right(p.phone, 4) END`
        : '';
  const address = rule.address === 'full' ? `, 'address', h.address` : '';
  return { id, name, phone, address };
}

/** The SELECT producing one JSON text per record of a type (upserts, and for incremental exports the deletes). */
export function exportSelect(type: RecordType, o: ExportOptions): string {
  const m = maskExprs(o.rule);
  const since = o.since ? literalTs(o.since) : null;
  const like = regionLike(o.regionPrefix);
  const changed = (alias: string) => (since ? ` AND ${alias}.valid_from > ${since}` : '');
  const deletes = (table: string) =>
    since
      ? ` UNION ALL SELECT d.id, json_build_object('type', '${table === 'households' ? 'household' : table === 'persons' ? 'person' : 'enrollment'}', 'op', 'delete', 'id', d.id, 'region_code', d.region_code, 'deleted_at', max(d.valid_to))::text
           FROM ${table}_history d WHERE d.region_code LIKE ${like} AND d.valid_to > ${since}
             AND NOT EXISTS (SELECT 1 FROM ${table} c WHERE c.id = d.id) GROUP BY d.id, d.region_code`
      : '';
  switch (type) {
    case 'household':
      return `SELECT h.id, json_build_object('type', 'household', 'op', 'upsert', 'id', h.id, 'household_no', h.household_no,
                'region_code', h.region_code, 'hukou_type', h.hukou_type, 'status', h.status${m.address},
                'head_person_id', h.head_person_id, 'housing_rating', h.housing_rating, 'updated_at', h.valid_from)::text AS j
              FROM households h WHERE h.region_code LIKE ${like}${changed('h')}${deletes('households')}`;
    case 'person':
      return `SELECT p.id, json_build_object('type', 'person', 'op', 'upsert', 'id', p.id, 'id_number', ${m.id}, 'name', ${m.name},
                'sex', p.sex, 'birth_date', p.birth_date, 'death_date', p.death_date, 'household_id', p.household_id,
                'relation', p.relation, 'region_code', p.region_code, 'hukou_local', p.hukou_local${m.phone},
                'updated_at', p.valid_from)::text AS j
              FROM persons p WHERE p.region_code LIKE ${like}${changed('p')}${deletes('persons')}`;
    case 'enrollment':
      return `SELECT e.id, json_build_object('type', 'enrollment', 'op', 'upsert', 'id', e.id, 'household_id', e.household_id,
                'person_id', e.person_id, 'programme', e.programme, 'status', e.status, 'dibao_kind', e.dibao_kind,
                'rural_class', e.rural_class, 'start_month', e.start_month, 'end_month', e.end_month,
                'monthly_amount_fen', e.monthly_amount_fen, 'region_code', e.region_code, 'updated_at', e.valid_from)::text AS j
              FROM programme_enrollments e WHERE e.region_code LIKE ${like}${changed('e')}${deletes('programme_enrollments')}`;
  }
}

const TYPES: RecordType[] = ['household', 'person', 'enrollment'];
const BATCH = 5000;

/** Keyset batches of one record type (PGlite, and the xlsx writer): [{ id, j }]. */
async function* batches(
  database: Database,
  type: RecordType,
  o: ExportOptions,
): AsyncGenerator<{ id: number; j: string }[]> {
  const inner = exportSelect(type, o);
  let after = 0;
  for (;;) {
    const list = await rows<{ id: number; j: string }>(
      database.db,
      sql.raw(`SELECT id, j FROM (${inner}) x WHERE x.id > ${after} ORDER BY x.id LIMIT ${BATCH}`),
    );
    if (list.length === 0) return;
    yield list;
    after = Number(list[list.length - 1]!.id);
    if (list.length < BATCH) return;
  }
}

export interface ExportCounts {
  household: number;
  person: number;
  enrollment: number;
}

const TABLE: Record<RecordType, string> = {
  household: 'households',
  person: 'persons',
  enrollment: 'programme_enrollments',
};

/** Connections one export uses on PostgreSQL: the JSON is built by the server, one backend per connection. */
export const EXPORT_PARALLEL = 2;

function newlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * JSON Lines as a byte stream. On PostgreSQL each record type is split into EXPORT_PARALLEL id ranges, each one COPY on
 * its own connection (the server builds the JSON, Node only forwards bytes), so the server's cores work side by side;
 * the ranges' output is interleaved at line boundaries (a COPY chunk may end inside a line: the tail waits for the
 * next chunk). Types still come in order — all households, then persons, then enrollments. Counts are reported when
 * the stream ends.
 */
export function jsonLinesStream(database: Database, o: ExportOptions, onDone?: (c: ExportCounts) => void): Readable {
  const counts: ExportCounts = { household: 0, person: 0, enrollment: 0 };
  if (database.pool) {
    const pool = database.pool;
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    const write = async (piece: Buffer) => {
      if (!out.write(piece)) await new Promise((r) => out.once('drain', r));
    };
    const copyRange = async (client: PoolClient, type: RecordType, lo: number, hi: number) => {
      const text = `COPY (SELECT j FROM (${exportSelect(type, o)}) x WHERE x.id >= ${lo} AND x.id < ${hi}) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;
      let carry: Buffer | null = null;
      for await (const chunk of client.query(copyTo(text)) as AsyncIterable<Buffer>) {
        if (out.destroyed) throw new Error('export stream closed');
        const last = chunk.lastIndexOf(10);
        if (last < 0) {
          carry = carry ? Buffer.concat([carry, chunk]) : chunk;
          continue;
        }
        const head = chunk.subarray(0, last + 1);
        const piece = carry ? Buffer.concat([carry, head]) : head;
        carry = last + 1 < chunk.length ? chunk.subarray(last + 1) : null;
        counts[type] += newlines(piece);
        await write(piece);
      }
      if (carry?.length) {
        counts[type] += 1;
        await write(Buffer.concat([carry, Buffer.from('\n')]));
      }
    };
    (async () => {
      const clients: PoolClient[] = [];
      let failed = false;
      try {
        for (let i = 0; i < EXPORT_PARALLEL; i++) clients.push(await pool.connect());
        for (const type of TYPES) {
          // Deleted rows of an incremental export live in the history table, with ids up to the live table's max.
          const extent = await clients[0]!.query<{ lo: string | null; hi: string | null }>(
            o.since
              ? `SELECT least((SELECT min(id) FROM ${TABLE[type]}), (SELECT min(id) FROM ${TABLE[type]}_history)) AS lo,
                        greatest((SELECT max(id) FROM ${TABLE[type]}), (SELECT max(id) FROM ${TABLE[type]}_history)) AS hi`
              : `SELECT min(id) AS lo, max(id) AS hi FROM ${TABLE[type]}`,
          );
          const lo = Number(extent.rows[0]?.lo ?? 0);
          const hi = Number(extent.rows[0]?.hi ?? -1) + 1;
          if (hi <= lo) continue;
          const step = Math.ceil((hi - lo) / clients.length);
          await Promise.all(
            clients.map((c, i) => {
              const a = lo + i * step;
              return a < hi ? copyRange(c, type, a, Math.min(hi, a + step)) : Promise.resolve();
            }),
          );
        }
        onDone?.(counts);
        out.end();
      } catch (e) {
        failed = true;
        out.destroy(e as Error);
      } finally {
        // A connection whose COPY was abandoned midway is not reusable.
        for (const c of clients) c.release(failed);
      }
    })();
    return out;
  }
  return Readable.from(
    (async function* () {
      for (const type of TYPES) {
        for await (const list of batches(database, type, o)) {
          counts[type] += list.length;
          yield Buffer.from(`${list.map((r) => r.j).join('\n')}\n`);
        }
      }
      onDone?.(counts);
    })(),
  );
}

const SHEETS: Record<RecordType, string> = { household: '家庭', person: '人员', enrollment: '待遇' };

/** The same records as an xlsx workbook (one sheet per type), written with the streaming writer. */
export function xlsxStream(database: Database, o: ExportOptions, onDone?: (c: ExportCounts) => void): Readable {
  const out = new PassThrough();
  const counts: ExportCounts = { household: 0, person: 0, enrollment: 0 };
  (async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    for (const type of TYPES) {
      const ws = wb.addWorksheet(SHEETS[type]);
      let keys: string[] | null = null;
      for await (const list of batches(database, type, o)) {
        for (const r of list) {
          const obj = JSON.parse(r.j) as Record<string, unknown>;
          if (!keys) {
            keys = Object.keys(obj);
            ws.addRow(keys).commit();
          }
          ws.addRow(
            keys.map((k) =>
              obj[k] === null || obj[k] === undefined
                ? null
                : typeof obj[k] === 'object'
                  ? JSON.stringify(obj[k])
                  : (obj[k] as string | number | boolean),
            ),
          ).commit();
          counts[type]++;
        }
      }
      ws.commit();
    }
    await wb.commit();
    onDone?.(counts);
  })().catch((e) => out.destroy(e as Error));
  return out;
}

export async function platformRule(database: Database, code: string): Promise<MaskRule | undefined> {
  return first<MaskRule>(
    database.db,
    sql`SELECT code, id_number, name_rule, phone, address FROM export_platforms WHERE code = ${code}`,
  );
}

export async function listPlatforms(database: Database) {
  return rows<{
    code: string;
    name: string;
    id_number: string;
    name_rule: string;
    phone: string;
    address: string;
    note: string | null;
  }>(
    database.db,
    sql`SELECT code, name, id_number, name_rule, phone, address, note FROM export_platforms ORDER BY code`,
  );
}
