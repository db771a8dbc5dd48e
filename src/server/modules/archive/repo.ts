import { sql } from 'drizzle-orm';
import { type Db, first, rows } from '../../db/client.js';
import { inScope, type Scope } from '../../platform/scope.js';

export async function insertMaterial(
  db: Db,
  m: {
    caseId: number;
    regionCode: string;
    kind: string;
    filename: string;
    mime: string;
    size: number;
    sha256: string;
    path: string;
    by: number | null;
  },
) {
  const r = await first<{ id: number; uploaded_at: string }>(
    db,
    sql`INSERT INTO case_materials (case_id, region_code, kind, filename, mime, size_bytes, sha256, path, uploaded_by)
        VALUES (${m.caseId}, ${m.regionCode}, ${m.kind}, ${m.filename}, ${m.mime}, ${m.size}, ${m.sha256}, ${m.path}, ${m.by})
        RETURNING id, uploaded_at::text AS uploaded_at`,
  );
  return { id: Number(r!.id), uploadedAt: r!.uploaded_at };
}

export async function findMaterial(db: Db, id: number, scope: Scope) {
  return first<{
    id: number;
    case_id: number;
    kind: string;
    filename: string;
    mime: string;
    size_bytes: number;
    sha256: string;
    path: string;
    region_code: string;
  }>(
    db,
    sql`SELECT id, case_id, kind, filename, mime, size_bytes, sha256, path, region_code FROM case_materials m WHERE m.id = ${id} AND ${inScope(sql`m.region_code`, scope)}`,
  );
}

/**
 * Archive completeness by county or township (S6), set-based: required checklist rows vs. materials on file;
 * worst first. Only decided or open cases with at least one requirement count; one programme or every programme.
 */
export async function completenessReport(
  db: Db,
  scope: Scope,
  f: { regionCode?: string; groupBy: 'county' | 'township'; programme?: string },
) {
  const len = f.groupBy === 'county' ? 6 : 9;
  return rows<{
    region_code: string;
    region_name: string | null;
    cases: number;
    complete_cases: number;
    required: number;
    present: number;
    missing_by_kind: Record<string, number> | null;
  }>(
    db,
    sql`WITH req AS (
          SELECT r.case_id, r.kind, left(r.region_code, ${len}) AS grp,
                 EXISTS (SELECT 1 FROM case_materials m WHERE m.case_id = r.case_id AND m.kind = r.kind) AS ok
          FROM case_material_requirements r JOIN cases c ON c.id = r.case_id
          WHERE ${inScope(sql`r.region_code`, scope)}
            ${f.programme ? sql`AND c.programme = ${f.programme}` : sql``}
            ${f.regionCode ? sql`AND r.region_code LIKE ${`${f.regionCode}%`}` : sql``}
        ),
        per_case AS (SELECT grp, case_id, bool_and(ok) AS complete, count(*) AS required, count(*) FILTER (WHERE ok) AS present FROM req GROUP BY grp, case_id),
        missing AS (SELECT grp, jsonb_object_agg(kind, n) AS by_kind FROM (SELECT grp, kind, count(*) AS n FROM req WHERE NOT ok GROUP BY grp, kind) x GROUP BY grp)
        SELECT p.grp AS region_code, (SELECT name FROM regions WHERE code = p.grp) AS region_name, count(*)::int AS cases,
               count(*) FILTER (WHERE p.complete)::int AS complete_cases, sum(p.required)::int AS required, sum(p.present)::int AS present,
               m.by_kind AS missing_by_kind
        FROM per_case p LEFT JOIN missing m ON m.grp = p.grp
        GROUP BY p.grp, m.by_kind
        ORDER BY sum(p.present)::numeric / nullif(sum(p.required), 0) ASC NULLS LAST, p.grp`,
  );
}
