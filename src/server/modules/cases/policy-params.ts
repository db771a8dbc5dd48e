/** The policy parameters (src/server/modules/policy) in force for a county on a date, for the case assessments. */
import { type ResolvedParameters, resolveParameters } from '../../../domain/parameters/resolve.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { toRow } from '../policy/common.js';
import { parametersFor } from '../policy/repo.js';

export async function resolvedPolicyParameters(db: Db, countyCode: string, asOf: string): Promise<ResolvedParameters> {
  return resolveParameters((await parametersFor(db, countyCode)).map(toRow), countyCode, asOf);
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
