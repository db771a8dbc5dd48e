/**
 * Policy evaluation (issue 6): household facts — posted, or read from the registry — against the parameters in force
 * on a date, with every decision's explanation (the clauses, facts, outcomes and citations a notice quotes).
 */
import { isValidDate } from '../../../domain/calendar.js';
import { type ParameterRow, resolveParameters } from '../../../domain/parameters/resolve.js';
import { evaluateHousehold } from '../../../domain/programs/evaluate.js';
import type { Decision, HouseholdFacts } from '../../../domain/programs/facts.js';
import type { Db } from '../../db/client.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { codeInScope, type Scope } from '../../platform/scope.js';
import { asOfOrToday, toRow } from './common.js';
import { loadRegistryFacts, parametersFor } from './repo.js';

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
