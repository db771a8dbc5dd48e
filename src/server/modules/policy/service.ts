/**
 * Policy engine use cases (issue 6): parameters as effective-dated data — list, history, create (never rewritten in
 * place: a new effective-dated row closes its predecessor), the resolved set as of a date, and the shipped defaults.
 * Evaluation is in evaluate.ts, bulk evaluation / coverage / what-if in bulk.ts.
 */
import { isValidDate } from '../../../domain/calendar.js';
import {
  checkParameterValue,
  PARAMETERS,
  parameterDef,
  SEED_PARAMETERS,
} from '../../../domain/parameters/catalogue.js';
import { resolveParameters } from '../../../domain/parameters/resolve.js';
import { MAX_DATE, MIN_AS_OF } from '../../../domain/programs/evaluate.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { asOfOrToday, pgCodeOf, toRow } from './common.js';
import {
  closeParameter,
  findOpenPredecessor,
  findParameter,
  insertParameter,
  insertSeedParameter,
  listParameters as listParametersRepo,
  type ParameterRecord,
  parameterCount,
  parametersFor,
  regionExists,
} from './repo.js';

export function presentParameter(p: ParameterRecord) {
  return {
    id: Number(p.id),
    programme: p.programme,
    regionCode: p.region_code,
    regionName: p.region_name,
    key: p.key,
    nameZh: parameterDef(p.programme, p.key)?.zh ?? null,
    value: p.value,
    effectiveFrom: p.effective_from,
    effectiveTo: p.effective_to,
    sourceDocument: p.source_document,
    sourceArticle: p.source_article,
    note: p.note,
    supersedesId: p.supersedes_id === null ? null : Number(p.supersedes_id),
    createdBy: p.created_by,
    createdAt: iso(p.created_at)!,
  };
}

// ── Parameters ───────────────────────────────────────────────────────────────────────────────────────────
export async function listParameters(
  ctx: UseCaseContext,
  q: { programme?: string; key?: string; regionCode?: string; asOf?: string; cursor?: string; limit: number },
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const c = decodeCursor(q.cursor, 1);
  const fetched = await listParametersRepo(ctx.db, ctx.actor.scope, { ...q, after: c ? Number(c[0]) : undefined });
  return pageOf(fetched, q.limit, (p) => [Number(p.id)], presentParameter);
}

export async function getParameter(ctx: UseCaseContext, id: number) {
  const p = await findParameter(ctx.db, ctx.actor.scope, id);
  if (!p) throw new AppError('NOT_FOUND');
  return presentParameter(p);
}

export function parameterCatalogue() {
  return {
    items: PARAMETERS.map((p) => ({
      programme: p.programme,
      key: p.key,
      zh: p.zh,
      kind: p.kind,
      scopes: p.scopes,
      citation: p.citation,
    })),
  };
}

const LEVEL_OF: Record<number, 'province' | 'city' | 'county'> = { 2: 'province', 4: 'city', 6: 'county' };

/** Problems of a parameter (programme, key, region level, value) as field errors; `prefix` names the field path. */
export function parameterProblems(programme: string, key: string, regionCode: string, value: unknown, prefix = '') {
  const def = parameterDef(programme, key);
  if (!def)
    return [
      {
        field: `${prefix}key`,
        code: 'unknown_key',
        message: `未知的参数 ${programme}.${key}（见 GET /api/v1/parameters/catalogue）`,
      },
    ];
  const fields = [];
  const level = LEVEL_OF[regionCode.length];
  if (!level || !def.scopes.includes(level))
    fields.push({
      field: `${prefix}regionCode`,
      code: 'wrong_level',
      message: `${def.zh}只能在${def.scopes.map((s) => ({ province: '省', city: '市', county: '县' })[s]).join('、')}级设置`,
    });
  for (const m of checkParameterValue(def, value))
    fields.push({ field: `${prefix}value`, code: 'invalid', message: m });
  return fields;
}

/**
 * Adds a parameter row. Rows are never rewritten: a new value is a new row from its effective date; the open-ended
 * row it follows is closed on that date. Overlapping periods are rejected (409 PARAMETER_OVERLAP).
 */
export async function createParameter(
  ctx: UseCaseContext,
  input: {
    programme: string;
    regionCode: string;
    key: string;
    value: unknown;
    effectiveFrom: string;
    effectiveTo?: string | null;
    sourceDocument: string;
    sourceArticle: string;
    note?: string;
  },
) {
  const fields = parameterProblems(input.programme, input.key, input.regionCode, input.value);
  const to = input.effectiveTo ?? null;
  if (!isValidDate(input.effectiveFrom) || input.effectiveFrom < MIN_AS_OF || input.effectiveFrom > MAX_DATE)
    fields.push({
      field: 'effectiveFrom',
      code: 'out_of_range',
      message: `生效日期应在 ${MIN_AS_OF} 至 ${MAX_DATE} 之间`,
    });
  if (to !== null && (!isValidDate(to) || to <= input.effectiveFrom || to > MAX_DATE))
    fields.push({ field: 'effectiveTo', code: 'out_of_range', message: '失效日期应晚于生效日期且不晚于 2100-12-31' });
  if (fields.length) throw new AppError('PARAMETER_INVALID', { fields });
  if (!codeInScope(input.regionCode, ctx.actor.scope))
    throw new AppError('REGION_OUT_OF_SCOPE', {
      fields: [{ field: 'regionCode', code: 'out_of_scope', message: `区划 ${input.regionCode} 不在您的管辖范围内` }],
    });
  try {
    return await inTransaction(ctx.db, async (tx) => {
      if (!(await regionExists(tx, input.regionCode)))
        throw new AppError('REGION_NOT_FOUND', {
          fields: [{ field: 'regionCode', code: 'not_found', message: `行政区划代码 ${input.regionCode} 不存在` }],
        });
      const prev = await findOpenPredecessor(tx, input.programme, input.regionCode, input.key, input.effectiveFrom);
      if (prev) await closeParameter(tx, Number(prev.id), input.effectiveFrom);
      const id = await insertParameter(tx, {
        programme: input.programme,
        regionCode: input.regionCode,
        key: input.key,
        value: input.value,
        effectiveFrom: input.effectiveFrom,
        effectiveTo: to,
        sourceDocument: input.sourceDocument.trim(),
        sourceArticle: input.sourceArticle.trim(),
        note: input.note ?? null,
        supersedesId: prev ? Number(prev.id) : null,
        createdBy: ctx.actor.id,
      });
      const audits = [
        {
          action: 'parameter.create',
          entityType: 'policy_parameter',
          entityId: id,
          regionCode: input.regionCode,
          diff: {
            programme: input.programme,
            key: input.key,
            value: input.value,
            effectiveFrom: input.effectiveFrom,
            effectiveTo: to,
            source: `${input.sourceDocument} ${input.sourceArticle}`,
          },
        },
      ];
      if (prev)
        audits.push({
          action: 'parameter.close',
          entityType: 'policy_parameter',
          entityId: Number(prev.id),
          regionCode: input.regionCode,
          diff: { effectiveTo: [null, input.effectiveFrom] } as never,
        });
      await writeAudit(tx, ctx.actor, audits);
      return presentParameter((await findParameter(tx, { regionCode: '' }, id))!);
    });
  } catch (e) {
    if (pgCodeOf(e) === '23P01') {
      throw new AppError('PARAMETER_OVERLAP', {
        fields: [
          {
            field: 'effectiveFrom',
            code: 'overlap',
            message: `${input.programme}.${input.key} 在 ${input.regionCode} 已有与该期间重叠的记录`,
          },
        ],
      });
    }
    throw e;
  }
}

/** The parameters in force for a county on a date, each with the region that set it and its source. */
export async function resolvedParameters(ctx: UseCaseContext, q: { regionCode: string; asOf?: string }) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const asOf = asOfOrToday(q.asOf);
  const rowsFor = (await parametersFor(ctx.db, q.regionCode)).map(toRow);
  const r = resolveParameters(rowsFor, q.regionCode, asOf);
  return {
    regionCode: q.regionCode,
    asOf,
    items: Object.entries(r).map(([name, v]) => ({
      name,
      value: v.value,
      regionCode: v.regionCode,
      effectiveFrom: v.effectiveFrom,
      effectiveTo: v.effectiveTo,
      source: v.source,
      id: v.id,
    })),
  };
}

/**
 * Seeds the deployment defaults (catalogue SEED_PARAMETERS: 甘肃省 province values, 平凉市 city values, 华亭市's
 * class 3–4 standard) from `effectiveFrom`, once per key and region. Audited as a system action.
 */
export async function seedPolicyParameters(db: Db, regionRoot: string, effectiveFrom = '2024-01-01'): Promise<number> {
  const province = regionRoot.slice(0, 2);
  const city = regionRoot.length >= 4 ? regionRoot.slice(0, 4) : null;
  let n = 0;
  await inTransaction(db, async (tx) => {
    for (const s of SEED_PARAMETERS) {
      const regionCode = s.at === 'province' ? province : s.at === 'city' ? city : s.at;
      if (!regionCode?.startsWith(province)) continue;
      const added = await insertSeedParameter(tx, {
        programme: s.programme,
        regionCode,
        key: s.key,
        value: s.value,
        effectiveFrom,
        sourceDocument: s.sourceDocument,
        sourceArticle: s.sourceArticle,
        note: s.note ?? null,
      });
      if (added) n++;
    }
    if (n)
      await writeAudit(tx, null, {
        action: 'parameter.seed',
        entityType: 'policy_parameter',
        regionCode: province,
        diff: { rows: n, effectiveFrom },
      });
  });
  return n;
}

/** A deployment without any parameter row gets the shipped defaults (POLICY.md: "[seed] — the deployment's default"). */
export async function ensureDefaultParameters(db: Db, regionRoot: string): Promise<number> {
  return (await parameterCount(db)) === 0 ? seedPolicyParameters(db, regionRoot) : 0;
}
