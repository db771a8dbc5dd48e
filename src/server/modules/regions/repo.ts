import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export interface RegionRow {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  retired_in: string | null;
  has_children: boolean;
}

export interface RegionInput {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

export const levelOfCode = (code: string): number => ({ 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 })[code.length] ?? 0;

export function parentOfCode(code: string): string | null {
  return code.length === 12
    ? code.slice(0, 9)
    : code.length === 9
      ? code.slice(0, 6)
      : code.length > 2
        ? code.slice(0, code.length - 2)
        : null;
}

export async function findRegion(db: Db, code: string): Promise<RegionRow | undefined> {
  return first<RegionRow>(
    db,
    sql`SELECT r.code, r.name, r.level, r.parent_code, r.retired_in,
               EXISTS (SELECT 1 FROM regions c WHERE c.parent_code = r.code) AS has_children
        FROM regions r WHERE r.code = ${code}`,
  );
}

/** Names from the province down to the node, e.g. 甘肃省 / 平凉市 / 崆峒区. */
export async function regionPath(db: Db, code: string): Promise<string> {
  const codes = [2, 4, 6, 9, 12].filter((n) => n <= code.length).map((n) => code.slice(0, n));
  const r = await rows<{ code: string; name: string }>(
    db,
    sql`SELECT code, name FROM regions WHERE code IN ${sql`(${sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    )})`} ORDER BY length(code)`,
  );
  return r.map((x) => x.name).join(' / ');
}

export async function childrenOf(db: Db, parent: string, scope: Scope, includeRetired: boolean): Promise<RegionRow[]> {
  return rows<RegionRow>(
    db,
    sql`SELECT r.code, r.name, r.level, r.parent_code, r.retired_in,
               EXISTS (SELECT 1 FROM regions c WHERE c.parent_code = r.code) AS has_children
        FROM regions r
        WHERE r.parent_code = ${parent} AND ${inScope(sql`r.code`, scope)}
          ${includeRetired ? sql`` : sql`AND r.retired_in IS NULL`}
        ORDER BY r.code`,
  );
}

/**
 * Upserts region nodes set-based (one statement through jsonb_to_recordset). Codes of the same levels under the
 * given roots that are absent from `nodes` are marked retired in this edition, never deleted (history keeps them).
 */
export async function upsertRegions(
  db: Db,
  nodes: RegionInput[],
  edition: string,
  source: string,
  retireUnder?: { roots: string[]; levels: number[] },
): Promise<{ inserted: number; updated: number; retired: number }> {
  await db.execute(sql`INSERT INTO region_editions (edition, source) VALUES (${edition}, ${source})
                       ON CONFLICT (edition) DO NOTHING`);
  const sorted = [...nodes].sort((a, b) => a.level - b.level || a.code.localeCompare(b.code));
  let inserted = 0;
  let updated = 0;
  const CHUNK = 5000;
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    const json = JSON.stringify(
      chunk.map((n) => ({ code: n.code, name: n.name, level: n.level, parent_code: n.parentCode })),
    );
    const [r] = await rows<{ ins: number; upd: number }>(
      db,
      sql`WITH input AS (
            SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS x(code text, name text, level int, parent_code text)),
          up AS (
            INSERT INTO regions (code, name, level, parent_code, edition)
            SELECT code, name, level, parent_code, ${edition} FROM input ORDER BY level, code
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, retired_in = NULL
              WHERE regions.name IS DISTINCT FROM EXCLUDED.name OR regions.retired_in IS NOT NULL
            RETURNING (xmax = 0) AS is_insert)
          SELECT count(*) FILTER (WHERE is_insert) AS ins, count(*) FILTER (WHERE NOT is_insert) AS upd FROM up`,
    );
    inserted += Number(r?.ins ?? 0);
    updated += Number(r?.upd ?? 0);
  }
  let retired = 0;
  if (retireUnder && retireUnder.roots.length) {
    const keep = JSON.stringify(sorted.map((n) => n.code));
    const [r] = await rows<{ n: number }>(
      db,
      sql`WITH ret AS (
            UPDATE regions SET retired_in = ${edition}
            WHERE retired_in IS NULL
              AND level IN (${sql.join(
                retireUnder.levels.map((l) => sql`${l}`),
                sql`, `,
              )})
              AND (${sql.join(
                retireUnder.roots.map((p) => sql`code LIKE ${`${p}%`}`),
                sql` OR `,
              )})
              AND code NOT IN (SELECT jsonb_array_elements_text(${keep}::jsonb))
            RETURNING 1)
          SELECT count(*) AS n FROM ret`,
    );
    retired = Number(r?.n ?? 0);
  }
  return { inserted, updated, retired };
}
