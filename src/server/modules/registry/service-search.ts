import type { z } from 'zod';
import type { Programme } from '../../../contracts/registry-codes.js';
import type {
  HouseholdSearchQuery,
  LiaisonListQuery,
  PersonListItem,
  PersonSearchQuery,
  RegistryStats,
  StatsQuery,
} from '../../../contracts/registry-search.js';
import { addMonths, monthCst, todayCst } from '../../../domain/calendar.js';
import { ageOn, maskIdNumber, normalizeIdNumber } from '../../../domain/identity/id-number.js';
import type { Db } from '../../db/client.js';
import type { UseCaseContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { assertRegionFilter, type Scope } from '../../platform/scope.js';
import {
  assistanceMembers,
  dangerousHousing,
  disabledPersons,
  type LiaisonPersonRow,
  type PersonFilter,
  type PersonSearchRow,
  searchHouseholds as searchHouseholdsRepo,
  searchPersons as searchPersonsRepo,
} from './repo-search.js';
import { presentIdentity } from './present.js';
import { changesByMonth, perChild, recipientsByProgramme, totals } from './repo-stats.js';
import { birthDateForAge } from './rules.js';

/** Search, department liaison lists and dashboard figures: region filters checked, everything scoped in SQL. */

type PersonQuery = Omit<z.infer<typeof PersonSearchQuery>, 'cursor' | 'limit'>;

/** Turns the API's person filters into SQL filters; age bands become birth-date bounds on today's CST date. */
export function personFilter(q: PersonQuery): PersonFilter {
  if (q.ageMin !== undefined && q.ageMax !== undefined && q.ageMin > q.ageMax) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'ageMax', code: 'range', message: '年龄上限不能小于下限' }],
    });
  }
  const today = todayCst();
  return {
    idNumber: q.idNumber ? normalizeIdNumber(q.idNumber) : undefined,
    name: q.name,
    regionCode: q.regionCode,
    householdId: q.householdId,
    disabilityType: q.disabilityType,
    disabilityLevel: q.disabilityLevel,
    hasDisability: q.hasDisability === undefined ? undefined : q.hasDisability === 'true',
    programme: q.programme,
    programmeStatus: q.programmeStatus,
    bornOnOrBefore: q.ageMin !== undefined ? birthDateForAge(today, q.ageMin) : undefined,
    bornAfter: q.ageMax !== undefined ? birthDateForAge(today, q.ageMax + 1) : undefined,
    housingRating: q.housingRating,
    hukouType: q.hukouType,
    sex: q.sex,
    includeDissolved: q.includeDissolved === 'true',
  };
}

export function presentPersonListItem(r: PersonSearchRow, today: string): PersonListItem {
  return {
    ...presentIdentity(r, today),
    relation: r.relation as PersonListItem['relation'],
    householdId: r.household_id === null ? null : Number(r.household_id),
    regionCode: r.region_code,
    regionName: r.region_name,
    address: r.address,
    hukouType: r.hukou_type,
    housingRating: r.housing_rating,
    disabilityType: r.disability_type as PersonListItem['disabilityType'],
    disabilityLevel: r.disability_level === null ? null : Number(r.disability_level),
    programmes: (r.programmes ?? []) as Programme[],
  };
}

function page<R extends { id: number }, T>(fetched: R[], limit: number, map: (r: R) => T) {
  const more = fetched.length > limit;
  const slice = more ? fetched.slice(0, limit) : fetched;
  return { items: slice.map(map), nextCursor: more ? encodeCursor([Number(slice[slice.length - 1]!.id)]) : null };
}

function afterOf(cursor: string | undefined): number | null {
  const c = decodeCursor(cursor, 1);
  if (!c) return null;
  const n = Number(c[0]);
  if (!Number.isSafeInteger(n))
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'cursor', code: 'invalid_cursor', message: '分页游标无效' }],
    });
  return n;
}

export async function searchPersons(ctx: UseCaseContext, q: z.infer<typeof PersonSearchQuery>) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const { cursor, limit, ...rest } = q;
  // A name-prefix search pages by (name, id); everything else by id.
  const byName = Boolean(rest.name) && !rest.idNumber;
  const c = decodeCursor(cursor, byName ? 2 : 1);
  const after = c ? (byName ? { name: String(c[0]), id: Number(c[1]) } : { id: Number(c[0]) }) : null;
  if (after && !Number.isSafeInteger(after.id)) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'cursor', code: 'invalid_cursor', message: '分页游标无效' }],
    });
  }
  const fetched = await searchPersonsRepo(ctx.db, ctx.actor.scope, personFilter(rest), after, limit + 1, byName);
  const today = todayCst();
  const more = fetched.length > limit;
  const slice = more ? fetched.slice(0, limit) : fetched;
  const last = slice[slice.length - 1];
  return {
    items: slice.map((r) => presentPersonListItem(r, today)),
    nextCursor: more && last ? encodeCursor(byName ? [last.name, Number(last.id)] : [Number(last.id)]) : null,
  };
}

export async function searchHouseholds(ctx: UseCaseContext, q: z.infer<typeof HouseholdSearchQuery>) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const { cursor, limit, ...f } = q;
  const fetched = await searchHouseholdsRepo(ctx.db, ctx.actor.scope, f, afterOf(cursor), limit + 1);
  return page(fetched, limit, (h) => ({
    id: Number(h.id),
    householdNo: h.household_no,
    regionCode: h.region_code,
    regionName: h.region_name,
    address: h.address,
    hukouType: h.hukou_type,
    headName: h.head_name,
    headIdNumberMasked: h.head_id_number ? maskIdNumber(h.head_id_number.trim()) : null,
    memberCount: Number(h.member_count),
    housingRating: h.housing_rating,
    status: h.status,
    programmes: (h.programmes ?? []) as Programme[],
    version: Number(h.version),
  }));
}

type LiaisonQuery = z.infer<typeof LiaisonListQuery>;

/** A department liaison list: the region filter checked, one page of rows after the cursor, each presented. */
async function liaisonList<R extends { id: number }, T>(
  ctx: UseCaseContext,
  q: LiaisonQuery,
  fetch: (db: Db, scope: Scope, regionCode: string | undefined, after: number | null, limit: number) => Promise<R[]>,
  present: (row: R, today: string) => T,
) {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const fetched = await fetch(ctx.db, ctx.actor.scope, q.regionCode, afterOf(q.cursor), q.limit + 1);
  const today = todayCst();
  return page(fetched, q.limit, (row) => present(row, today));
}

/** 住建 liaison list: dangerous housing (C/D, 危房) — POLICY.md §1 S1/S9 (rural dibao households in dangerous housing). */
export function listDangerousHousing(ctx: UseCaseContext, q: LiaisonQuery) {
  return liaisonList(ctx, q, dangerousHousing, (h) => ({
    householdId: Number(h.id),
    regionCode: h.region_code,
    villageName: h.village_name,
    address: h.address,
    headName: h.head_name,
    rating: h.housing_rating,
    appraisedOn: h.housing_appraised_on,
    appraisalBody: h.housing_appraisal_body,
    dibaoKind: h.dibao_kind,
    dibaoClass: h.rural_class === null ? null : Number(h.rural_class),
  }));
}

/** The person columns of every liaison list: the ID number masked, the age today. */
function liaisonPerson(p: LiaisonPersonRow, today: string) {
  return {
    personId: Number(p.id),
    idNumberMasked: maskIdNumber(p.id_number.trim()),
    name: p.name,
    sex: p.sex,
    age: Math.max(0, ageOn(p.birth_date, today)),
    regionCode: p.region_code,
    villageName: p.village_name,
  };
}

/** 残联 liaison list: certificate holders, ID numbers masked (POLICY.md §4 beneficiaries). */
export function listDisabledPersons(ctx: UseCaseContext, q: LiaisonQuery) {
  return liaisonList(ctx, q, disabledPersons, (p, today) => ({
    ...liaisonPerson(p, today),
    certNo: p.cert_no,
    generation: Number(p.generation),
    type: p.disability_type as 'visual',
    level: p.disability_level === null ? null : Number(p.disability_level),
    needsLongTermCare: p.needs_long_term_care,
    hukouLocal: p.hukou_local,
  }));
}

/** 医保 liaison list: dibao members and 特困 persons, the medical-assistance targets (POLICY.md §5 Medical [D arts.28–30]). */
export function listAssistanceMembers(ctx: UseCaseContext, q: LiaisonQuery) {
  return liaisonList(ctx, q, assistanceMembers, (p, today) => ({
    ...liaisonPerson(p, today),
    householdId: Number(p.household_id),
    programmes: p.programmes as Array<'dibao' | 'tekun'>,
  }));
}

/** Home-page figures for the caller's area or a node inside it (changes counted per CST month). */
export async function registryStats(ctx: UseCaseContext, q: z.infer<typeof StatsQuery>): Promise<RegistryStats> {
  assertRegionFilter(q.regionCode, ctx.actor.scope);
  const scope = ctx.actor.scope;
  // A filter above the scope (an ancestor) means the scope itself.
  const node = q.regionCode && q.regionCode.length > scope.regionCode.length ? q.regionCode : scope.regionCode;
  const thisMonth = monthCst();
  const firstMonth = addMonths(thisMonth, -11);
  const fromTs = new Date(Date.parse(`${firstMonth}-01T00:00:00+08:00`)).toISOString();
  const [t, recipients, children, changes] = await Promise.all([
    totals(ctx.db, scope, node),
    recipientsByProgramme(ctx.db, scope, node),
    perChild(ctx.db, scope, node),
    changesByMonth(ctx.db, scope, node, fromTs),
  ]);
  const byMonth = new Map(changes.map((c) => [c.month, Number(c.n)]));
  const trend = Array.from({ length: 12 }, (_, i) => addMonths(firstMonth, i)).map((month) => ({
    month,
    changes: byMonth.get(month) ?? 0,
  }));
  return {
    regionCode: node,
    households: t.households,
    persons: t.persons,
    recipients: recipients.map((r) => ({
      programme: r.programme as Programme,
      households: Number(r.households),
      persons: Number(r.persons),
    })),
    changesThisMonth: byMonth.get(thisMonth) ?? 0,
    children: children.map((c) => ({
      regionCode: c.code,
      name: c.name,
      households: Number(c.households),
      persons: Number(c.persons),
      dibaoHouseholds: Number(c.dibao),
    })),
    trend,
  };
}
