import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

/** Figures for the home page, each one statement limited to the scope (and the chosen node) in SQL. */

function within(col: SQL, scope: Scope, node: string): SQL {
  return node ? sql`${inScope(col, scope)} AND ${col} LIKE ${`${node}%`}` : inScope(col, scope);
}

export async function totals(db: Db, scope: Scope, node: string) {
  const [r] = await rows<{ households: number; persons: number }>(
    db,
    sql`SELECT (SELECT count(*) FROM households h WHERE ${within(sql`h.region_code`, scope, node)} AND h.status = 'active')::bigint AS households,
               (SELECT count(*) FROM persons p JOIN households h ON h.id = p.household_id
                 WHERE ${within(sql`p.region_code`, scope, node)} AND h.status = 'active')::bigint AS persons`,
  );
  return { households: Number(r?.households ?? 0), persons: Number(r?.persons ?? 0) };
}

export function recipientsByProgramme(db: Db, scope: Scope, node: string) {
  return rows<{ programme: string; households: number; persons: number }>(
    db,
    sql`SELECT e.programme, count(DISTINCT e.household_id)::bigint AS households, count(DISTINCT p.id)::bigint AS persons
        FROM programme_enrollments e
        JOIN persons p ON p.household_id = e.household_id AND (e.person_id IS NULL OR e.person_id = p.id)
        WHERE ${within(sql`e.region_code`, scope, node)} AND e.status = 'active'
        GROUP BY e.programme ORDER BY e.programme`,
  );
}

/** Per child node (provinces → cities → counties → townships → villages). */
export function perChild(db: Db, scope: Scope, node: string) {
  const len = node.length === 0 ? 2 : node.length === 2 ? 4 : node.length === 4 ? 6 : node.length === 6 ? 9 : 12;
  const parent = node ? sql`r.parent_code = ${node}` : sql`r.parent_code IS NULL`;
  return rows<{ code: string; name: string; households: number; persons: number; dibao: number }>(
    db,
    sql`WITH hh AS (SELECT left(h.region_code, ${len}) AS code, count(*) AS n FROM households h
                    WHERE ${within(sql`h.region_code`, scope, node)} AND h.status = 'active' GROUP BY 1),
             pp AS (SELECT left(p.region_code, ${len}) AS code, count(*) AS n FROM persons p JOIN households h ON h.id = p.household_id
                    WHERE ${within(sql`p.region_code`, scope, node)} AND h.status = 'active' GROUP BY 1),
             dd AS (SELECT left(e.region_code, ${len}) AS code, count(DISTINCT e.household_id) AS n FROM programme_enrollments e
                    WHERE ${within(sql`e.region_code`, scope, node)} AND e.programme = 'dibao' AND e.status = 'active' GROUP BY 1)
        SELECT r.code, r.name, coalesce(hh.n, 0)::bigint AS households, coalesce(pp.n, 0)::bigint AS persons,
               coalesce(dd.n, 0)::bigint AS dibao
        FROM regions r LEFT JOIN hh ON hh.code = r.code LEFT JOIN pp ON pp.code = r.code LEFT JOIN dd ON dd.code = r.code
        WHERE ${parent} AND r.retired_in IS NULL
          AND (${inScope(sql`r.code`, scope)} OR ${scope.regionCode}::text LIKE r.code || '%')
          ${len > node.length ? sql`` : sql`AND false`}
        ORDER BY r.code`,
  );
}

/**
 * Changes per CST month since `fromTs`: superseded or deleted versions (history rows, by valid_to; versions that never
 * held — several writes in one transaction — are not counted) plus newly registered households and persons (by created_at) and new certificates and items (first versions).
 */
export function changesByMonth(db: Db, scope: Scope, node: string, fromTs: string) {
  const hist = (t: string) =>
    sql`SELECT valid_to AS ts FROM ${sql.raw(t)} WHERE ${within(sql`region_code`, scope, node)} AND valid_to >= ${fromTs}::timestamptz
        AND valid_to > valid_from`;
  // Certificates and items have no created_at: a creation is their first version (version 1, current or history).
  const created = (t: string) =>
    sql`SELECT valid_from FROM ${sql.raw(t)} WHERE version = 1 AND ${within(sql`region_code`, scope, node)} AND valid_from >= ${fromTs}::timestamptz
        UNION ALL SELECT valid_from FROM ${sql.raw(`${t}_history`)} WHERE version = 1 AND valid_to > valid_from
          AND ${within(sql`region_code`, scope, node)} AND valid_from >= ${fromTs}::timestamptz`;
  return rows<{ month: string; n: number }>(
    db,
    sql`SELECT to_char(x.ts + interval '8 hours', 'YYYY-MM') AS month, count(*)::bigint AS n FROM (
          ${hist('households_history')} UNION ALL ${hist('persons_history')} UNION ALL ${hist('disability_certs_history')}
          UNION ALL ${hist('income_items_history')} UNION ALL ${hist('property_items_history')}
          UNION ALL SELECT created_at FROM households WHERE ${within(sql`region_code`, scope, node)} AND created_at >= ${fromTs}::timestamptz
          UNION ALL SELECT created_at FROM persons WHERE ${within(sql`region_code`, scope, node)} AND created_at >= ${fromTs}::timestamptz
          ${sql.join(
            ['disability_certs', 'income_items', 'property_items'].map((t) => sql`UNION ALL ${created(t)}`),
            sql` `,
          )}
        ) x GROUP BY 1 ORDER BY 1`,
  );
}
