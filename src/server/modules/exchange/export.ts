import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import { type Database, first, rows } from '../../db/client.js';
import type { UseCaseContext } from '../../platform/context.js';
import { assertRegionFilter } from '../../platform/scope.js';

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
  const phone: Field[] =
    rule.phone === 'full'
      ? [['phone', 'p.phone', 'text']]
      : rule.phone === 'masked'
        ? [
            [
              'phone',
              `CASE WHEN p.phone IS NULL THEN NULL ELSE left(p.phone, 3) || '****' || right(p.phone, 4) END`,
              'text',
            ],
          ]
        : [];
  const address: Field[] = rule.address === 'full' ? [['address', 'h.address', 'text']] : [];
  return { id, name, phone, address };
}

/**
 * How a value is written: `num` / `bool` as JSON literals, `code` as a string without escaping — only for columns
 * whose values are constrained to digits, letters and `_` (region codes, CHECKed enumerations) —, `date` as
 * "YYYY-MM-DD", `text` and `ts` through `to_json` (escaped; timestamps as json_build_object writes them).
 */
type Kind = 'num' | 'bool' | 'code' | 'date' | 'text' | 'ts';
type Field = [key: string, expr: string, kind: Kind];

/**
 * One JSON object as text, built by string concatenation: the same keys, order and values as json_build_object,
 * written compactly, at about twice its speed (json_build_object looks every argument's type up per row; 14.7 s →
 * 7.5 s for 2.3 M persons on one backend, measured with psql).
 */
export function jsonObjectSql(fields: Field[]): string {
  const value = ([, e, kind]: Field) => {
    switch (kind) {
      case 'num':
      case 'bool':
        return `coalesce((${e})::text, 'null')`;
      case 'code':
        return `coalesce('"' || (${e}) || '"', 'null')`;
      case 'date':
        return `coalesce('"' || to_char(${e}, 'YYYY-MM-DD') || '"', 'null')`;
      default:
        return `coalesce(to_json(${e})::text, 'null')`;
    }
  };
  return `(${fields.map((f, i) => `'${i ? ',' : '{'}"${f[0]}":' || ${value(f)}`).join(' || ')} || '}')`;
}

/** The SELECT producing one JSON text per record of a type (upserts, and for incremental exports the deletes). */
export function exportSelect(type: RecordType, o: ExportOptions): string {
  const m = maskExprs(o.rule);
  const since = o.since ? literalTs(o.since) : null;
  const like = regionLike(o.regionPrefix);
  const changed = (alias: string) => (since ? ` AND ${alias}.valid_from > ${since}` : '');
  const deletes = (table: string) =>
    since
      ? ` UNION ALL SELECT d.id, ${jsonObjectSql([
          ['type', `'${table === 'households' ? 'household' : table === 'persons' ? 'person' : 'enrollment'}'`, 'code'],
          ['op', `'delete'`, 'code'],
          ['id', 'd.id', 'num'],
          ['region_code', 'd.region_code', 'code'],
          ['deleted_at', 'max(d.valid_to)', 'ts'],
        ])}
           FROM ${table}_history d WHERE d.region_code LIKE ${like} AND d.valid_to > ${since}
             AND NOT EXISTS (SELECT 1 FROM ${table} c WHERE c.id = d.id) GROUP BY d.id, d.region_code`
      : '';
  switch (type) {
    case 'household':
      return `SELECT h.id, ${jsonObjectSql([
        ['type', `'household'`, 'code'],
        ['op', `'upsert'`, 'code'],
        ['id', 'h.id', 'num'],
        ['household_no', 'h.household_no', 'text'],
        ['region_code', 'h.region_code', 'code'],
        ['hukou_type', 'h.hukou_type', 'code'],
        ['status', 'h.status', 'code'],
        ...m.address,
        ['head_person_id', 'h.head_person_id', 'num'],
        ['housing_rating', 'h.housing_rating', 'code'],
        ['updated_at', 'h.valid_from', 'ts'],
      ])} AS j
              FROM households h WHERE h.region_code LIKE ${like}${changed('h')}${deletes('households')}`;
    case 'person':
      return `SELECT p.id, ${jsonObjectSql([
        ['type', `'person'`, 'code'],
        ['op', `'upsert'`, 'code'],
        ['id', 'p.id', 'num'],
        ['id_number', m.id, 'text'],
        ['name', m.name, 'text'],
        ['sex', 'p.sex', 'code'],
        ['birth_date', 'p.birth_date', 'date'],
        ['death_date', 'p.death_date', 'date'],
        ['household_id', 'p.household_id', 'num'],
        ['relation', 'p.relation', 'code'],
        ['region_code', 'p.region_code', 'code'],
        ['hukou_local', 'p.hukou_local', 'bool'],
        ...m.phone,
        ['updated_at', 'p.valid_from', 'ts'],
      ])} AS j
              FROM persons p WHERE p.region_code LIKE ${like}${changed('p')}${deletes('persons')}`;
    case 'enrollment':
      return `SELECT e.id, ${jsonObjectSql([
        ['type', `'enrollment'`, 'code'],
        ['op', `'upsert'`, 'code'],
        ['id', 'e.id', 'num'],
        ['household_id', 'e.household_id', 'num'],
        ['person_id', 'e.person_id', 'num'],
        ['programme', 'e.programme', 'code'],
        ['status', 'e.status', 'code'],
        ['dibao_kind', 'e.dibao_kind', 'code'],
        ['rural_class', 'e.rural_class', 'num'],
        ['start_month', 'e.start_month', 'text'],
        ['end_month', 'e.end_month', 'text'],
        ['monthly_amount_fen', 'e.monthly_amount_fen', 'num'],
        ['region_code', 'e.region_code', 'code'],
        ['updated_at', 'e.valid_from', 'ts'],
      ])} AS j
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

/** Export parameters for a signed-in user: the region filter must lie inside the scope (else 404). */
export function exportScope(ctx: UseCaseContext, regionCode: string | undefined): string {
  assertRegionFilter(regionCode, ctx.actor.scope);
  if (regionCode?.startsWith(ctx.actor.scope.regionCode)) return regionCode;
  return ctx.actor.scope.regionCode;
}
