/** Helpers shared by the policy engine's use cases (parameters, evaluation, bulk). */
import { isValidDate, todayCst } from '../../../domain/calendar.js';
import type { ParamValue } from '../../../domain/parameters/catalogue.js';
import type { ParameterRow } from '../../../domain/parameters/resolve.js';
import { MAX_DATE, MIN_AS_OF } from '../../../domain/programs/evaluate.js';
import { AppError } from '../../platform/errors.js';
import type { ParameterRecord } from './repo.js';

export function toRow(p: ParameterRecord): ParameterRow {
  return {
    id: Number(p.id),
    programme: p.programme,
    regionCode: p.region_code,
    key: p.key,
    value: p.value as ParamValue,
    effectiveFrom: p.effective_from,
    effectiveTo: p.effective_to,
    sourceDocument: p.source_document,
    sourceArticle: p.source_article,
  };
}

export function pgCodeOf(e: unknown): string | undefined {
  let cur = e as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; i < 4 && cur; i++) {
    if (typeof cur.code === 'string' && /^[0-9A-Z]{5}$/.test(cur.code)) return cur.code;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}

export function asOfOrToday(asOf: string | undefined, field = 'asOf'): string {
  const d = asOf ?? todayCst();
  if (!isValidDate(d) || d < MIN_AS_OF || d > MAX_DATE) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field, code: 'out_of_range', message: `日期应在 ${MIN_AS_OF} 至 ${MAX_DATE} 之间` }],
    });
  }
  return d;
}
