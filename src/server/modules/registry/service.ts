import { todayCst } from '../../../domain/calendar.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/context.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { codeInScope, type Scope } from '../../platform/scope.js';
import { presentHousehold } from './present.js';
import {
  findHousehold,
  findPerson,
  findVillage,
  membersOf,
  membershipsOf,
  personsByIdNumbers,
  regionPathOf,
} from './repo.js';
import { certsOfPersons, enrollmentsOf, incomeOf, propertyOf } from './repo-items.js';

/**
 * What the registry use cases share: their errors, the village and ID-number checks, loading a household or a person
 * for a change at the expected version, and the household detail every household change answers with. The use cases
 * are in service-households.ts, service-members.ts, service-persons.ts, service-items.ts, service-history.ts and
 * service-search.ts.
 */

export const validationError = (fields: FieldError[]) => new AppError('VALIDATION_FAILED', { fields });

export function failIf(fields: FieldError[]) {
  if (fields.length) throw validationError(fields);
}

export const conflict = (current?: number) =>
  new AppError('VERSION_CONFLICT', current === undefined ? {} : { extra: { currentVersion: current } });

/** The village of a household: a 12-digit code that exists, is not retired, and lies in the caller's area. */
export async function assertVillage(db: Db, actor: Actor, code: string, field = 'regionCode') {
  const v = await findVillage(db, code);
  if (!v || v.retired_in || code.length !== 12) {
    throw new AppError('REGION_NOT_FOUND', {
      fields: [{ field, code: 'not_found', message: `村（社区）代码 ${code} 不存在或已撤销` }],
    });
  }
  if (!codeInScope(code, actor.scope)) {
    throw new AppError('REGION_OUT_OF_SCOPE', {
      fields: [{ field, code: 'out_of_scope', message: `村（社区）${code} 不在您的管辖范围内` }],
    });
  }
}

/**
 * One record per ID number system-wide (POLICY.md §7 Resident ID number). A duplicate answers 409 naming the field;
 * the existing household is named only when it lies in the caller's area (no existence leak beyond "already registered").
 */
export async function assertIdNumbersFree(db: Db, scope: Scope, wanted: Array<{ idNumber: string; field: string }>) {
  const found = await personsByIdNumbers(
    db,
    wanted.map((w) => w.idNumber),
    scope,
  );
  if (found.length === 0) return;
  const byNo = new Map(found.map((f) => [f.id_number.trim(), f]));
  const fields: FieldError[] = [];
  // In the caller's area the existing person is named, so a screen can offer to take that person in instead.
  const existingPersons: Array<{ field: string; personId: number; householdId: number | null }> = [];
  for (const w of wanted) {
    const f = byNo.get(w.idNumber);
    if (!f) continue;
    if (f.in_scope)
      existingPersons.push({
        field: w.field,
        personId: Number(f.id),
        householdId: f.household_id === null ? null : Number(f.household_id),
      });
    const where = f.in_scope
      ? f.household_id
        ? `，已登记在家庭户 #${f.household_id}（人员 #${f.id}）`
        : `，已登记为人员 #${f.id}（当前无所属家庭户）`
      : '，已在其他地区登记';
    fields.push({
      field: w.field,
      code: 'duplicate',
      message: `身份证号码 ${maskIdNumber(w.idNumber)} 已登记${where}`,
    });
  }
  throw new AppError('DUPLICATE', { detail: fields[0]!.message, fields, extra: { existingPersons } });
}

export async function loadHouseholdDetail(db: Db, scope: Scope, id: number) {
  const household = await findHousehold(db, id, scope);
  if (!household) throw new AppError('NOT_FOUND');
  const members = await membersOf(db, id, scope);
  // One after another: inside a transaction the handle is a single connection.
  const certs = await certsOfPersons(
    db,
    members.map((m) => Number(m.id)),
    scope,
  );
  const income = await incomeOf(db, id, scope);
  const property = await propertyOf(db, id, scope);
  const enrollments = await enrollmentsOf(db, id, scope);
  const memberships = await membershipsOf(db, id);
  const regionPath = await regionPathOf(db, household.region_code);
  return presentHousehold({
    household,
    regionPath,
    members,
    certs,
    income,
    property,
    enrollments,
    memberships,
    onDate: todayCst(),
    asOf: null,
  });
}

/** Loads a household for a change at the expected version: 404 outside the scope, 409 when stale. */
export async function lockHousehold(tx: Db, scope: Scope, id: number, version: number) {
  const h = await findHousehold(tx, id, scope, true);
  if (!h) throw new AppError('NOT_FOUND');
  if (Number(h.version) !== version) throw conflict(Number(h.version));
  return h;
}

/** Loads a person for a change (404 outside the scope); at the expected version when one is given, else 409. */
export async function lockPerson(tx: Db, scope: Scope, id: number, version: number | null) {
  const p = await findPerson(tx, id, scope, true);
  if (!p) throw new AppError('NOT_FOUND');
  if (version !== null && Number(p.version) !== version) throw conflict(Number(p.version));
  return p;
}
