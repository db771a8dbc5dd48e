/** The policy parameters (src/server/modules/policy) in force for a county on a date, for the case assessments. */
import { type ParameterRow, type ResolvedParameters, resolveParameters } from '../../../domain/parameters/resolve.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { parametersFor } from '../policy/repo.js';

export async function resolvedPolicyParameters(db: Db, countyCode: string, asOf: string): Promise<ResolvedParameters> {
  const recs = await parametersFor(db, countyCode);
  const rowsOf: ParameterRow[] = recs.map((p) => ({
    id: Number(p.id),
    programme: p.programme,
    regionCode: p.region_code,
    key: p.key,
    value: p.value as ParameterRow['value'],
    effectiveFrom: p.effective_from,
    effectiveTo: p.effective_to,
    sourceDocument: p.source_document,
    sourceArticle: p.source_article,
  }));
  return resolveParameters(rowsOf, countyCode, asOf);
}

/** A parameter set with keys missing → 409 CONFIGURATION_MISSING naming them and the county. */
export function requireParameters<T>(
  x: { ok: true; params: T; used: Record<string, unknown> } | { ok: false; missingKeys: string[] },
  what: string,
  countyCode: string,
  asOf: string,
): { params: T; used: Record<string, unknown> } {
  if (!x.ok)
    throw new AppError('CONFIGURATION_MISSING', {
      detail: `区县 ${countyCode} 在 ${asOf} 缺少生效的${what}参数：${x.missingKeys.join('、')}，请先在“政策参数”中录入`,
      detailEn: `Missing ${what} parameters for county ${countyCode} on ${asOf}: ${x.missingKeys.join(', ')}`,
      extra: { missingParameters: x.missingKeys, countyCode },
    });
  return x;
}
