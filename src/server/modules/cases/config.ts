/** Configuration use cases: effective-dated, region-scoped parameters, workflow definitions and the working-day calendar. */
import { todayCst } from '../../../domain/calendar.js';
import {
  type AssessmentParameters,
  DEFAULT_ASSESSMENT,
  type DibaoStandard,
  validateAssessmentParameters,
  validateStandard,
} from '../../../domain/programs/dibao/parameters.js';
import { DIBAO_WORKFLOWS } from '../../../domain/programs/dibao/workflow.js';
import { validateDefinition, type WorkflowDefinition } from '../../../domain/workflow/engine.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import {
  calendarDays,
  putCalendarDays,
  resolveParameter,
  resolveWorkflow,
  upsertParameter,
  upsertWorkflow,
} from './config-repo.js';
import { DEFAULT_WORKFLOWS } from './case-view.js';

function assertConfigRegion(ctx: UseCaseContext, regionCode: string) {
  // '' (the shipped default for all regions) only from a deployment-wide scope (CLI operator).
  if (regionCode === '' ? ctx.actor.scope.regionCode !== '' : !codeInScope(regionCode, ctx.actor.scope)) {
    throw new AppError('REGION_OUT_OF_SCOPE', {
      fields: [
        {
          field: 'regionCode',
          code: 'out_of_scope',
          message: `区划 ${regionCode || '（全局默认）'} 不在您的管辖范围内`,
        },
      ],
    });
  }
}

export async function putParameter(
  ctx: UseCaseContext,
  input: {
    programme: string;
    key: 'assessment' | 'standard' | 'budget';
    regionCode: string;
    effectiveFrom: string;
    value: Record<string, unknown>;
    citation: string;
  },
) {
  assertConfigRegion(ctx, input.regionCode);
  let value: unknown = input.value;
  let problems: string[] = [];
  if (input.key === 'assessment') {
    const merged = { ...DEFAULT_ASSESSMENT, ...input.value } as AssessmentParameters;
    problems = validateAssessmentParameters(merged);
    value = merged;
  } else if (input.key === 'standard') {
    if (input.regionCode.length !== 6) problems.push('低保标准按区县、按年度设置：regionCode 须为 6 位区县代码');
    if (!input.effectiveFrom.endsWith('-01-01') && !/^\d{4}-\d{2}-01$/.test(input.effectiveFrom))
      problems.push('标准生效日期须为某月 1 日');
    problems.push(...validateStandard(input.value as unknown as DibaoStandard));
  } else {
    const fen = (input.value as { annualFen?: unknown }).annualFen;
    if (!Number.isInteger(fen) || (fen as number) < 0) problems.push('annualFen 必须是非负整数（分）');
  }
  if (problems.length)
    throw new AppError('VALIDATION_FAILED', {
      fields: problems.map((m) => ({ field: 'value', code: 'invalid', message: m })),
    });
  return inTransaction(ctx.db, async (tx) => {
    await upsertParameter(tx, { ...input, value, by: ctx.actor.id });
    await writeAudit(tx, ctx.actor, {
      action: 'parameters.put',
      entityType: 'case_parameter',
      entityId: `${input.programme}.${input.key}`,
      regionCode: input.regionCode || null,
      diff: { effectiveFrom: input.effectiveFrom, value },
    });
    return getParameters(
      ctx,
      { regionCode: input.regionCode || ctx.actor.regionCode || '62', asOf: input.effectiveFrom },
      tx,
    );
  });
}

export async function getParameters(ctx: UseCaseContext, q: { regionCode: string; asOf?: string }, db = ctx.db) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const asOf = q.asOf ?? todayCst();
  const a = await resolveParameter<AssessmentParameters>(db, 'dibao', 'assessment', q.regionCode, asOf);
  const s = await resolveParameter<DibaoStandard>(db, 'dibao', 'standard', q.regionCode, asOf, true);
  const b = await resolveParameter<{ annualFen: number }>(db, 'dibao', 'budget', q.regionCode, asOf, true);
  return {
    regionCode: q.regionCode,
    asOf,
    assessment: {
      value: { ...DEFAULT_ASSESSMENT, ...(a?.value ?? {}) },
      source: a ? `${a.region_code || '全局'} 自 ${a.effective_from}` : '系统默认（本地设置）',
      localSetting: true,
    },
    standard: s ? { value: s.value, source: `${s.region_code} 自 ${s.effective_from}` } : null,
    budget: b ? { value: b.value, source: `${b.region_code} 自 ${b.effective_from}` } : null,
  };
}

export async function getWorkflow(ctx: UseCaseContext, programme: string, q: { regionCode: string; asOf?: string }) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const w = await resolveWorkflow(ctx.db, programme, q.regionCode, q.asOf ?? todayCst());
  const def = w?.definition ?? DEFAULT_WORKFLOWS[programme];
  if (!def) throw new AppError('NOT_FOUND');
  return {
    source: w ? `${w.region_code || '全局'} 自 ${w.effective_from}` : '系统默认',
    definition: def as unknown as Record<string, unknown>,
    presets: Object.keys(DIBAO_WORKFLOWS),
  };
}

/** A province/city/county changes its procedure by configuration (e.g. 民主评议 only on objection, township approval). */
export async function putWorkflow(
  ctx: UseCaseContext,
  input: {
    programme: string;
    regionCode: string;
    effectiveFrom: string;
    preset?: string;
    definition?: Record<string, unknown>;
    note: string;
  },
) {
  assertConfigRegion(ctx, input.regionCode);
  // Presets are 低保 procedures; 特困 and the subsidies take a full definition (e.g. other local time limits).
  if (input.preset && input.programme !== 'dibao')
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'preset', code: 'not_allowed', message: '预置流程仅适用于低保；其他项目请给出完整的流程定义' }],
    });
  const def = (input.preset ? DIBAO_WORKFLOWS[input.preset] : input.definition) as WorkflowDefinition | undefined;
  if (def && !input.preset && def.programme !== input.programme)
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'definition.programme', code: 'mismatch', message: `流程定义的项目须为 ${input.programme}` }],
    });
  if (!def)
    throw new AppError('VALIDATION_FAILED', {
      fields: [
        {
          field: input.preset ? 'preset' : 'definition',
          code: 'required',
          message: `请给出预置流程（${Object.keys(DIBAO_WORKFLOWS).join('、')}）或完整的流程定义`,
        },
      ],
    });
  const problems =
    Array.isArray(def.steps) && Array.isArray(def.rejections)
      ? validateDefinition(def)
      : ['definition: 须包含 steps 与 rejections'];
  if (problems.length)
    throw new AppError('VALIDATION_FAILED', {
      fields: problems.map((m) => ({ field: 'definition', code: 'invalid', message: m })),
    });
  return inTransaction(ctx.db, async (tx) => {
    await upsertWorkflow(tx, {
      programme: input.programme,
      regionCode: input.regionCode,
      effectiveFrom: input.effectiveFrom,
      definition: def,
      note: input.note,
      by: ctx.actor.id,
    });
    await writeAudit(tx, ctx.actor, {
      action: 'workflow.put',
      entityType: 'workflow',
      entityId: def.code,
      regionCode: input.regionCode || null,
      diff: { effectiveFrom: input.effectiveFrom, code: def.code },
    });
    return {
      source: `${input.regionCode || '全局'} 自 ${input.effectiveFrom}`,
      definition: def as unknown as Record<string, unknown>,
      presets: Object.keys(DIBAO_WORKFLOWS),
    };
  });
}

export async function putCalendar(
  ctx: UseCaseContext,
  input: { regionCode: string; days: Array<{ day: string; kind: 'holiday' | 'workday'; note: string }> },
) {
  assertConfigRegion(ctx, input.regionCode);
  return inTransaction(ctx.db, async (tx) => {
    await putCalendarDays(tx, input.regionCode, input.days);
    await writeAudit(tx, ctx.actor, {
      action: 'calendar.put',
      entityType: 'calendar',
      entityId: input.regionCode,
      regionCode: input.regionCode,
      diff: { days: input.days },
    });
    return { items: await calendarDays(tx, input.regionCode, Number(input.days[0]!.day.slice(0, 4))) };
  });
}

export async function getCalendar(ctx: UseCaseContext, q: { regionCode: string; year: number }) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  return { items: await calendarDays(ctx.db, q.regionCode, q.year) };
}
