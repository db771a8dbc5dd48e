/**
 * Bulk evaluation over the registry, the disability-subsidy coverage report and what-if simulation (issue 6): the
 * parameters are resolved per county here, the evaluation itself is one set-based statement (bulk-repo.ts).
 */
import type { ParamValue } from '../../../domain/parameters/catalogue.js';
import { disabilityParams, tekunParams } from '../../../domain/parameters/extract.js';
import { inForce, type ParameterRow, resolveParameters } from '../../../domain/parameters/resolve.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, type Scope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { type CountyParams, countySummaries, coverageCounts, whatIfCounts } from './bulk-repo.js';
import { asOfOrToday, toRow } from './common.js';
import { countiesOf, parametersFor } from './repo.js';
import { parameterProblems } from './service.js';
import { snapshotCoverage } from './snapshots.js';

// ── Bulk, coverage, what-if ──────────────────────────────────────────────────────────────────────────────
/** The bulk SQL's parameter row of one county, or the names of the missing parameters. */
export function countyParamsOf(
  county: string,
  scenario: 0 | 1,
  resolved: ReturnType<typeof resolveParameters>,
): CountyParams | { missing: string[] } {
  const d = disabilityParams(resolved);
  const t = tekunParams(resolved);
  if (!d.ok || !t.ok) return { missing: [...(d.ok ? [] : d.missingKeys), ...(t.ok ? [] : t.missingKeys)] };
  return {
    countyCode: county,
    scenario,
    livingStd: d.params.livingStandardFen,
    livingProv: d.params.livingProvinceShareFen,
    class34: d.params.livingRuralClass34Fen,
    nursingStd: d.params.nursingStandardFen,
    nursingProv: d.params.nursingProvinceShareFen,
    cityPct: d.params.localShareCityPercent,
    nursingTable: d.params.nursingTable,
    elderlyAge: t.params.elderlyAge,
    minorBelow: Math.max(t.params.minorAge, t.params.minorCoverUntilAge),
    minorCoverUntil: t.params.minorCoverUntilAge,
    dibaoUrban: t.params.dibaoStandardUrbanFen,
    dibaoRural: t.params.dibaoStandardRuralFen,
    propertyLimit: t.params.propertyLimitFen,
    supporterIncome: t.params.supporterIncomeLimitFen,
    supporterProperty: t.params.supporterPropertyLimitFen,
    permille: t.params.basicLivingPermille,
    tkProvPct: t.params.fundingPercent.province,
    tkCityPct: t.params.fundingPercent.city,
  };
}

async function countyParamSet(db: Db, scope: Scope, regionCode: string, asOf: string, extra: ParameterRow[] = []) {
  const counties = await countiesOf(db, scope, regionCode);
  const rowsAll = [...(await parametersFor(db, regionCode)).map(toRow)];
  const out: Array<{
    code: string;
    name: string;
    base: CountyParams;
    resolved: ReturnType<typeof resolveParameters>;
    variant?: CountyParams;
  }> = [];
  const missing: string[] = [];
  for (const c of counties) {
    const countyRows = rowsAll.filter((r) => c.code.startsWith(r.regionCode));
    const resolved = resolveParameters(countyRows, c.code, asOf);
    const base = countyParamsOf(c.code, 0, resolved);
    if ('missing' in base) {
      missing.push(`${c.code} ${c.name}: ${base.missing.join('、')}`);
      continue;
    }
    const entry: (typeof out)[number] = { code: c.code, name: c.name, base, resolved };
    if (extra.length) {
      const applicable = extra.filter((x) => c.code.startsWith(x.regionCode));
      if (applicable.length) {
        const replaced = countyRows.filter(
          (r) =>
            !applicable.some(
              (x) =>
                x.programme === r.programme && x.key === r.key && x.regionCode === r.regionCode && inForce(r, asOf),
            ),
        );
        const v = countyParamsOf(c.code, 1, resolveParameters([...replaced, ...applicable], c.code, asOf));
        if (!('missing' in v)) entry.variant = v;
      }
    }
    out.push(entry);
  }
  if (missing.length)
    throw new AppError('CONFIGURATION_MISSING', {
      detail: `以下县区在 ${asOf} 缺少生效的政策参数：${missing.join('；')}`,
      extra: { missingParameters: missing },
    });
  return out;
}

function effectiveRegion(regionCode: string, scope: Scope) {
  // An ancestor filter is narrowed to the scope (the SQL also filters by scope).
  return scope.regionCode.startsWith(regionCode) && scope.regionCode.length <= 6 ? scope.regionCode : regionCode;
}

export async function bulkEvaluate(ctx: UseCaseContext, input: { regionCode: string; asOf?: string }) {
  assertRegionFilter(input.regionCode, ctx.actor.scope);
  const asOf = asOfOrToday(input.asOf);
  const region = effectiveRegion(input.regionCode, ctx.actor.scope);
  const started = Date.now();
  const set = await countyParamSet(ctx.db, ctx.actor.scope, region, asOf);
  const sums = set.length
    ? await countySummaries(
        ctx.db,
        ctx.actor.scope,
        region,
        asOf,
        set.map((s) => s.base),
      )
    : [];
  const byCounty = new Map(sums.map((s) => [s.county_code, s]));
  const counties = set.map((c) => {
    const s = byCounty.get(c.code);
    const n = (x: number | undefined) => Number(x ?? 0);
    const block = (persons: number, total: number, prov: number, city: number) => ({
      persons,
      monthlyFen: total,
      provinceFen: prov,
      cityFen: city,
      countyFen: total - prov - city,
    });
    return {
      countyCode: c.code,
      countyName: c.name,
      persons: n(s?.persons),
      living: {
        ...block(n(s?.living_persons), n(s?.living_fen), n(s?.living_province_fen), n(s?.living_city_fen)),
        undetermined: n(s?.living_undetermined),
        coverageGap: n(s?.coverage_gap),
      },
      nursing: {
        ...block(n(s?.nursing_persons), n(s?.nursing_fen), n(s?.nursing_province_fen), n(s?.nursing_city_fen)),
        undetermined: n(s?.nursing_undetermined),
      },
      tekun: {
        labourCapacityMet: n(s?.tekun_c1),
        noLivingSourceMet: n(s?.tekun_c2),
        supportersMet: n(s?.tekun_c3),
        supportersUnknown: n(s?.tekun_c3_unknown),
        eligible: n(s?.tekun_eligible),
        candidates: n(s?.tekun_candidates),
        monthlyFen: n(s?.tekun_fen),
      },
    };
  });
  const elapsedMs = Date.now() - started;
  await inTransaction(ctx.db, (tx) =>
    writeAudit(tx, ctx.actor, {
      action: 'policy.bulk_evaluate',
      entityType: 'region',
      entityId: region,
      regionCode: region,
      diff: { asOf, counties: counties.length, elapsedMs },
    }),
  );
  return { asOf, regionCode: region, elapsedMs, counties };
}

export async function coverageReport(ctx: UseCaseContext, q: { regionCode?: string; asOf?: string }) {
  const requested = q.regionCode ?? ctx.actor.scope.regionCode.slice(0, 6);
  assertRegionFilter(requested, ctx.actor.scope);
  const asOf = asOfOrToday(q.asOf);
  const region = effectiveRegion(requested || ctx.actor.scope.regionCode, ctx.actor.scope);
  const set = await countyParamSet(ctx.db, ctx.actor.scope, region, asOf);
  const counts = set.length
    ? await coverageCounts(
        ctx.db,
        ctx.actor.scope,
        region,
        asOf,
        set.map((s) => s.base),
      )
    : [];
  const byCounty = new Map(counts.map((c) => [c.county_code, c]));
  const counties = set.map((c) => {
    const x = byCounty.get(c.code);
    const n = (v: number | undefined) => Number(v ?? 0);
    const std = c.base.class34;
    return {
      countyCode: c.code,
      countyName: c.name,
      hasClass34Standard: std != null && std > 0,
      class34StandardFen: std ?? null,
      livingEligible: n(x?.living_eligible),
      livingPaid: n(x?.living_paid),
      livingEligibleNotPaid: n(x?.living_eligible_not_paid),
      livingPaidNotEligible: n(x?.living_paid_not_eligible),
      nursingEligible: n(x?.nursing_eligible),
      nursingPaid: n(x?.nursing_paid),
      nursingEligibleNotPaid: n(x?.nursing_eligible_not_paid),
      nursingPaidNotEligible: n(x?.nursing_paid_not_eligible),
      coverageGapPersons: n(x?.coverage_gap),
    };
  });
  return {
    asOf,
    regionCode: region,
    counties,
    countiesWithoutClass34Standard: counties.filter((c) => !c.hasClass34Standard).map((c) => c.countyCode),
  };
}

/** What-if: the same bulk evaluation with some parameters changed, compared per county. Nothing is written. */
export async function whatIf(
  ctx: UseCaseContext,
  input: {
    regionCode: string;
    asOf?: string;
    changes: Array<{ programme: string; key: string; regionCode: string; value: unknown }>;
    facts?: 'auto' | 'live' | 'snapshot';
  },
) {
  assertRegionFilter(input.regionCode, ctx.actor.scope);
  const asOf = asOfOrToday(input.asOf);
  const fields = input.changes.flatMap((c, i) =>
    parameterProblems(c.programme, c.key, c.regionCode, c.value, `changes[${i}].`),
  );
  if (fields.length) throw new AppError('PARAMETER_INVALID', { fields });
  for (const [i, c] of input.changes.entries()) {
    if (!(c.regionCode.startsWith(ctx.actor.scope.regionCode) || ctx.actor.scope.regionCode.startsWith(c.regionCode))) {
      throw new AppError('NOT_FOUND', {
        detail: '该行政区划不在您的管辖范围内',
        fields: [{ field: `changes[${i}].regionCode`, code: 'out_of_scope', message: '不在管辖范围内' }],
      });
    }
  }
  const region = effectiveRegion(input.regionCode, ctx.actor.scope);
  const started = Date.now();
  const extra: ParameterRow[] = input.changes.map((c, i) => ({
    id: -(i + 1),
    programme: c.programme as ParameterRow['programme'],
    regionCode: c.regionCode,
    key: c.key,
    value: c.value as ParamValue,
    effectiveFrom: asOf,
    effectiveTo: null,
    sourceDocument: '模拟（what-if）',
    sourceArticle: '',
  }));
  const set = await countyParamSet(ctx.db, ctx.actor.scope, region, asOf, extra);
  // Both scenarios for every county (one untouched by the changes is its own scenario 1): one pass over the facts.
  const params = set.flatMap((s) => [s.base, s.variant ?? { ...s.base, scenario: 1 as const }]);
  // The facts: the fact snapshot of asOf when every county has one (and the caller did not ask for live), else live.
  const mode = input.facts ?? 'auto';
  const snap =
    mode === 'live'
      ? null
      : await snapshotCoverage(
          ctx.db,
          set.map((s) => s.code),
          asOf,
        );
  if (mode === 'snapshot' && !snap?.complete) {
    throw new AppError('FACT_SNAPSHOT_MISSING', {
      detail: `以下县（区）没有 ${asOf} 的政策事实快照：${(snap?.missing ?? []).join('、')}；请先生成快照，或改用实时计算`,
      fields: [{ field: 'facts', code: 'snapshot_missing', message: `缺少快照：${(snap?.missing ?? []).join('、')}` }],
    });
  }
  const source = snap?.complete ? ('snapshot' as const) : ('live' as const);
  const counts = params.length ? await whatIfCounts(ctx.db, ctx.actor.scope, region, asOf, params, source) : [];
  const byCounty = new Map(counts.map((c) => [c.county_code, c]));
  const cost = (total: number, prov: number, city: number) => ({
    monthlyFen: total,
    annualFen: total * 12,
    provinceFen: prov,
    cityFen: city,
    countyFen: total - prov - city,
  });
  const minus = (a: ReturnType<typeof cost>, b: ReturnType<typeof cost>) => ({
    monthlyFen: a.monthlyFen - b.monthlyFen,
    annualFen: a.annualFen - b.annualFen,
    provinceFen: a.provinceFen - b.provinceFen,
    cityFen: a.cityFen - b.cityFen,
    countyFen: a.countyFen - b.countyFen,
  });
  const counties = set.map((s) => {
    const x = byCounty.get(s.code);
    const n = (v: number | undefined) => Number(v ?? 0);
    const baseline = cost(n(x?.b_total), n(x?.b_province), n(x?.b_city));
    const scenario = s.variant ? cost(n(x?.a_total), n(x?.a_province), n(x?.a_city)) : baseline;
    return {
      countyCode: s.code,
      countyName: s.name,
      gainers: s.variant ? n(x?.gainers) : 0,
      losers: s.variant ? n(x?.losers) : 0,
      baseline,
      scenario,
      delta: minus(scenario, baseline),
    };
  });
  const add = (k: 'baseline' | 'scenario') =>
    counties.reduce(
      (a, c) => cost(a.monthlyFen + c[k].monthlyFen, a.provinceFen + c[k].provinceFen, a.cityFen + c[k].cityFen),
      cost(0, 0, 0),
    );
  const total = {
    gainers: counties.reduce((a, c) => a + c.gainers, 0),
    losers: counties.reduce((a, c) => a + c.losers, 0),
    baseline: add('baseline'),
    scenario: add('scenario'),
    delta: minus(add('scenario'), add('baseline')),
  };
  const elapsedMs = Date.now() - started;
  await inTransaction(ctx.db, (tx) =>
    writeAudit(tx, ctx.actor, {
      action: 'policy.what_if',
      entityType: 'region',
      entityId: region,
      regionCode: region,
      diff: { asOf, changes: input.changes, elapsedMs, facts: source },
    }),
  );
  return {
    asOf,
    regionCode: region,
    elapsedMs,
    counties,
    total,
    facts: { source, refreshedAt: source === 'snapshot' ? (snap?.refreshedAt ?? null) : null },
  };
}
