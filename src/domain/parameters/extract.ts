/** Typed parameter sets for the rule modules, read from resolved parameters; missing keys are named. */
import type { DisabilityParams } from '../programs/disability/rules.js';
import type { TekunParams } from '../programs/tekun/rules.js';
import type { FundingPercent, NursingTableEntry } from './catalogue.js';
import type { ResolvedParameters } from './resolve.js';

export type Extracted<T> =
  | { ok: true; params: T; used: Record<string, { regionCode: string; source: string; id: number }> }
  | { ok: false; missingKeys: string[] };

function reader(r: ResolvedParameters) {
  const missingKeys: string[] = [];
  const used: Record<string, { regionCode: string; source: string; id: number }> = {};
  const get = <T>(k: string, optional = false): T => {
    const p = r[k];
    if (!p) {
      if (!optional) missingKeys.push(k);
      return null as T;
    }
    used[k] = { regionCode: p.regionCode, source: p.source, id: p.id };
    return p.value as T;
  };
  return { get, missingKeys, used };
}

export function disabilityParams(r: ResolvedParameters): Extracted<DisabilityParams> {
  const { get, missingKeys, used } = reader(r);
  const params: DisabilityParams = {
    livingStandardFen: get<number>('disability.living_standard_fen'),
    livingProvinceShareFen: get<number>('disability.living_province_share_fen'),
    livingRuralClass34Fen: get<number | null>('disability.living_rural_class34_fen', true),
    nursingStandardFen: get<number>('disability.nursing_standard_fen'),
    nursingProvinceShareFen: get<number>('disability.nursing_province_share_fen'),
    nursingTable: get<NursingTableEntry[]>('disability.nursing_table'),
    localShareCityPercent: get<number | null>('disability.local_share_city_percent', true) ?? 0,
  };
  return missingKeys.length ? { ok: false, missingKeys } : { ok: true, params, used };
}

export function tekunParams(r: ResolvedParameters): Extracted<TekunParams> {
  const { get, missingKeys, used } = reader(r);
  const params: TekunParams = {
    elderlyAge: get<number>('tekun.elderly_age'),
    minorAge: get<number>('tekun.minor_age'),
    minorCoverUntilAge: get<number>('tekun.minor_cover_until_age'),
    dibaoStandardUrbanFen: get<number>('dibao.standard_urban_fen'),
    dibaoStandardRuralFen: get<number>('dibao.standard_rural_fen'),
    propertyLimitFen: get<number>('tekun.property_limit_fen'),
    supporterIncomeLimitFen: get<number>('tekun.supporter_income_limit_fen'),
    supporterPropertyLimitFen: get<number>('tekun.supporter_property_limit_fen'),
    basicLivingPermille: get<number>('tekun.basic_living_permille'),
    careStandardFen: get<TekunParams['careStandardFen']>('tekun.care_standard_fen'),
    fundingPercent: get<FundingPercent>('tekun.funding_percent'),
  };
  return missingKeys.length ? { ok: false, missingKeys } : { ok: true, params, used };
}
