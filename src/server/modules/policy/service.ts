/**
 * Policy engine use cases (issue 6): parameters as effective-dated data, evaluation of household facts, bulk
 * evaluation over the registry, the disability-subsidy coverage report and what-if simulation.
 */
import { isValidDate, todayCst } from '../../../domain/calendar.js';
import {
  checkParameterValue,
  PARAMETERS,
  type ParamValue,
  parameterDef,
  SEED_PARAMETERS,
} from '../../../domain/parameters/catalogue.js';
import { disabilityParams, tekunParams } from '../../../domain/parameters/extract.js';
import { inForce, type ParameterRow, resolveParameters } from '../../../domain/parameters/resolve.js';
import { evaluateHousehold, MAX_DATE, MIN_AS_OF } from '../../../domain/programs/evaluate.js';
import type { Decision, HouseholdFacts } from '../../../domain/programs/facts.js';
import type { Db } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, codeInScope, type Scope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { type CountyParams, countySummaries, coverageCounts, whatIfCounts } from './bulk-repo.js';
import {
  closeParameter,
  countiesOf,
  findOpenPredecessor,
  findParameter,
  insertParameter,
  insertSeedParameter,
  listParameters as listParametersRepo,
  loadRegistryFacts,
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

function toRow(p: ParameterRecord): ParameterRow {
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

function pgCodeOf(e: unknown): string | undefined {
  let cur = e as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; i < 4 && cur; i++) {
    if (typeof cur.code === 'string' && /^[0-9A-Z]{5}$/.test(cur.code)) return cur.code;
    cur = cur.cause as typeof cur;
  }
  return undefined;
}

function asOfOrToday(asOf: string | undefined, field = 'asOf'): string {
  const d = asOf ?? todayCst();
  if (!isValidDate(d) || d < MIN_AS_OF || d > MAX_DATE) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field, code: 'out_of_range', message: `日期应在 ${MIN_AS_OF} 至 ${MAX_DATE} 之间` }],
    });
  }
  return d;
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
function parameterProblems(programme: string, key: string, regionCode: string, value: unknown, prefix = '') {
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

// ── Evaluation ───────────────────────────────────────────────────────────────────────────────────────────
const PROGRAMME_ZH: Record<Decision['programme'], string> = {
  disability_living: '困难残疾人生活补贴',
  disability_nursing: '重度残疾人护理补贴',
  tekun: '特困人员救助供养',
};

export function presentDecision(d: Decision) {
  const outcome = d.eligible === true ? 'eligible' : d.eligible === false ? 'not_eligible' : 'undetermined';
  const verdict =
    outcome === 'eligible'
      ? `符合条件，每月${(d.monthlyAmountFen / 100).toFixed(2)}元`
      : outcome === 'not_eligible'
        ? '不符合条件'
        : '缺少必要信息，暂不能认定';
  const reasons = d.clauses
    .filter((c) => c.outcome !== 'met' || outcome !== 'not_eligible')
    .filter((c) => outcome !== 'not_eligible' || c.outcome === 'not_met')
    .map((c) => `${c.text}（依据：${c.citation}）`);
  const missing = d.missingFacts.map((m) => m.message);
  return {
    ...d,
    outcome,
    explanation: `${PROGRAMME_ZH[d.programme]}：${verdict}。${[...reasons, ...missing].join('；')}。`,
  } as const;
}

async function resolvedFor(db: Db, countyCode: string, asOf: string, extra: ParameterRow[] = []) {
  const base = (await parametersFor(db, countyCode)).map(toRow);
  return resolveParameters([...base, ...extra], countyCode, asOf);
}

/** Evaluates household facts (no persistence) against the parameters in force on `asOf` in the household's county. */
export async function evaluateFacts(ctx: UseCaseContext, input: { asOf: string; household: HouseholdFacts }) {
  if (!codeInScope(input.household.regionCode, ctx.actor.scope))
    throw new AppError('NOT_FOUND', { detail: '该行政区划不在您的管辖范围内' });
  const county = input.household.regionCode.slice(0, 6);
  const resolved = isValidDate(input.asOf) ? await resolvedFor(ctx.db, county, input.asOf) : {};
  return evaluateResolved(input.household, input.asOf, county, resolved);
}

export function evaluateResolved(
  household: HouseholdFacts,
  asOf: string,
  county: string,
  resolved: ReturnType<typeof resolveParameters>,
) {
  const out = evaluateHousehold(household, asOf, resolved);
  if (!out.ok && 'problems' in out) {
    throw new AppError('FACTS_CONTRADICTORY', {
      fields: out.problems.map((p) => ({ field: p.field, code: p.code, message: p.message })),
    });
  }
  if (!out.ok) {
    throw new AppError('CONFIGURATION_MISSING', {
      detail: `${county} 在 ${asOf} 缺少生效的政策参数：${out.missingParameters.join('、')}`,
      extra: { missingParameters: out.missingParameters },
    });
  }
  const decisions = out.result.decisions.map(presentDecision);
  const sum = (f: (d: Decision) => number) => decisions.reduce((a, d) => a + f(d), 0);
  return {
    asOf,
    countyCode: county,
    decisions,
    totals: {
      monthlyFen: sum((d) => d.monthlyAmountFen),
      funding: {
        provinceFen: sum((d) => d.funding.provinceFen),
        cityFen: sum((d) => d.funding.cityFen),
        countyFen: sum((d) => d.funding.countyFen),
      },
    },
    parameters: out.result.parameters,
  };
}

/** Registry rows → the facts shape the rules read (supporters: none recorded = unknown). */
export async function registryHouseholdFacts(
  db: Db,
  scope: Scope,
  householdIds: number[],
  asOf: string,
): Promise<Map<number, HouseholdFacts>> {
  const r = await loadRegistryFacts(db, scope, householdIds, asOf);
  const out = new Map<number, HouseholdFacts>();
  for (const h of r.households)
    out.set(Number(h.id), {
      regionCode: h.region_code,
      hukouType: h.hukou_type,
      members: [],
      incomeItems: [],
      propertyItems: [],
      enrollments: [],
    });
  const certs = new Map(r.certs.map((c) => [Number(c.person_id), c]));
  const group = <T extends { person_id: number | null }>(xs: T[]) => {
    const m = new Map<number, T[]>();
    for (const x of xs)
      if (x.person_id !== null) m.set(Number(x.person_id), [...(m.get(Number(x.person_id)) ?? []), x]);
    return m;
  };
  const benefits = group(r.benefits);
  const supporters = group(r.supporters);
  for (const p of r.persons) {
    const h = out.get(Number(p.household_id));
    if (!h) continue;
    const c = certs.get(Number(p.id));
    const bs = benefits.get(Number(p.id)) ?? [];
    const ss = supporters.get(Number(p.id));
    h.members.push({
      ref: String(p.id),
      birthDate: p.birth_date,
      hukouLocal: p.hukou_local,
      studentStatus: (p.student_status as never) ?? null,
      deathDate: p.death_date,
      disabilityCert: c
        ? {
            generation: Number(c.generation) as 1 | 2,
            disabilityType: c.disability_type as never,
            disabilityLevel: c.disability_level === null ? null : (Number(c.disability_level) as 1 | 2 | 3 | 4),
            needsLongTermCare: c.needs_long_term_care,
            issuedOn: c.issued_on,
            expiresOn: c.expires_on,
          }
        : null,
      otherBenefits: bs.map((b) => ({
        kind: b.kind as never,
        monthlyAmountFen: b.monthly_amount_fen === null ? null : Number(b.monthly_amount_fen),
      })),
      choosesChildScheme: bs.some((b) => b.kind === 'orphan_basic_living' || b.kind === 'de_facto_unsupported_child'),
      supporters: ss
        ? ss.map((s) => ({
            name: s.name,
            relation: s.relation as never,
            birthDate: s.birth_date,
            isTekun: s.is_tekun,
            isDibao: s.is_dibao,
            annualIncomeFen: s.annual_income_fen === null ? null : Number(s.annual_income_fen),
            propertyFen: s.property_fen === null ? null : Number(s.property_fen),
            disabilityType: (s.disability_type as never) ?? null,
            disabilityLevel: s.disability_level === null ? null : (Number(s.disability_level) as 1 | 2 | 3 | 4),
            lacksCivilCapacity: s.lacks_civil_capacity,
            declaredMissing: s.declared_missing,
            imprisoned: s.imprisoned,
          }))
        : null,
    });
  }
  for (const i of r.income)
    out.get(Number(i.household_id))?.incomeItems?.push({
      personRef: i.person_id === null ? null : String(i.person_id),
      kind: i.kind as never,
      period: i.period,
      amountFen: Number(i.amount_fen),
    });
  for (const i of r.property)
    out.get(Number(i.household_id))?.propertyItems?.push({
      personRef: i.person_id === null ? null : String(i.person_id),
      kind: i.kind as never,
      valueFen: Number(i.value_fen),
    });
  for (const e of r.enrollments)
    out.get(Number(e.household_id))?.enrollments?.push({
      programme: e.programme as never,
      personRef: e.person_id === null ? null : String(e.person_id),
      dibaoKind: e.dibao_kind,
      ruralClass: e.rural_class === null ? null : (Number(e.rural_class) as 1 | 2 | 3 | 4),
      status: e.status as never,
    });
  return out;
}

/** Evaluates one registry household (current rows) with the pure rules: every member's decisions and explanations. */
export async function evaluateRegistryHousehold(ctx: UseCaseContext, householdId: number, asOfInput?: string) {
  const asOf = asOfOrToday(asOfInput);
  const facts = (await registryHouseholdFacts(ctx.db, ctx.actor.scope, [householdId], asOf)).get(householdId);
  if (!facts || facts.members.length === 0) throw new AppError('NOT_FOUND');
  const county = facts.regionCode.slice(0, 6);
  return evaluateResolved(facts, asOf, county, await resolvedFor(ctx.db, county, asOf));
}

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
  const counts = params.length ? await whatIfCounts(ctx.db, ctx.actor.scope, region, asOf, params) : [];
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
      diff: { asOf, changes: input.changes, elapsedMs },
    }),
  );
  return { asOf, regionCode: region, elapsedMs, counties, total };
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
