import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  AddMemberRequest,
  CreateHouseholdRequest,
  DissolveHouseholdRequest,
  MovePersonRequest,
  PaymentAccountInput,
  RemoveMemberRequest,
  UpdateHouseholdRequest,
} from '../../../contracts/registry-households.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import { todayCst } from '../../../domain/calendar.js';
import type { Db } from '../../db/client.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import type { Actor, UseCaseContext } from '../../platform/context.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { codeInScope, type Scope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { presentHousehold } from './present.js';
import {
  closeMembership,
  dissolveMembers,
  findHousehold,
  findPerson,
  findVillage,
  type HouseholdRow,
  householdNoTaken,
  insertHousehold,
  insertMembers,
  membersOf,
  membershipsOf,
  moveHouseholdRegion,
  movePersonRecords,
  type NewPerson,
  openMembership,
  personsByIdNumbers,
  reservePersonIds,
  regionPathOf,
  updateHouseholdVersioned,
  updatePersonVersioned,
} from './repo.js';
import { certsOfPersons, enrollmentsOf, incomeOf, propertyOf } from './repo-items.js';
import { compositionErrors, maskAccount, notFuture, personFacts } from './rules.js';

/** Household and membership use cases: load → scope → rules → write in one transaction → audit in the same one. */

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
async function lockHousehold(tx: Db, scope: Scope, id: number, version: number) {
  const h = await findHousehold(tx, id, scope, true);
  if (!h) throw new AppError('NOT_FOUND');
  if (Number(h.version) !== version) throw conflict(Number(h.version));
  return h;
}

function householdAuditView(h: HouseholdRow) {
  return {
    householdNo: h.household_no,
    regionCode: h.region_code,
    address: h.address,
    hukouType: h.hukou_type,
    headPersonId: h.head_person_id === null ? null : Number(h.head_person_id),
    formedOn: h.formed_on,
    status: h.status,
    housingStructure: h.housing_structure,
    housingRating: h.housing_rating,
    housingAppraisedOn: h.housing_appraised_on,
    housingAppraisalBody: h.housing_appraisal_body,
    bankName: h.bank_name,
    bankAccount: maskAccount(h.bank_account),
    bankAccountHolder: h.bank_account_holder,
  };
}

export async function createHousehold(ctx: UseCaseContext, input: z.infer<typeof CreateHouseholdRequest>) {
  const today = todayCst();
  const errors: FieldError[] = [];
  const people: Array<Omit<NewPerson, 'id'>> = [];
  input.members.forEach((m, i) => {
    const r = personFacts(m, today, `members[${i}].`);
    errors.push(...r.errors);
    if (r.facts) people.push({ ...r.facts, relation: m.relation });
  });
  errors.push(
    ...compositionErrors(
      input.members.map((m, i) => ({
        relation: m.relation,
        idNumber: people.length === input.members.length ? people[i]!.idNumber : undefined,
      })),
    ),
  );
  errors.push(...notFuture(input.formedOn, today, 'formedOn', '立户日期'));
  errors.push(...notFuture(input.housing?.appraisedOn, today, 'housing.appraisedOn', '鉴定日期'));
  failIf(errors);
  const reason = input.reason ?? '新建家庭户';
  return inTransaction(ctx.db, async (tx) => {
    await assertVillage(tx, ctx.actor, input.regionCode);
    if (input.householdNo && (await householdNoTaken(tx, input.householdNo))) {
      throw new AppError('DUPLICATE', {
        detail: `户编号 ${input.householdNo} 已被使用`,
        fields: [{ field: 'householdNo', code: 'duplicate', message: `户编号 ${input.householdNo} 已被使用` }],
      });
    }
    await assertIdNumbersFree(
      tx,
      ctx.actor.scope,
      people.map((p, i) => ({ idNumber: p.idNumber, field: `members[${i}].idNumber` })),
    );
    const ids = await reservePersonIds(tx, people.length);
    const withIds: NewPerson[] = people.map((p, i) => ({ ...p, id: ids[i]! }));
    const head = withIds.find((p) => p.relation === 'head')!;
    const id = await insertHousehold(
      tx,
      {
        householdNo: input.householdNo ?? null,
        regionCode: input.regionCode,
        address: input.address,
        hukouType: input.hukouType,
        headPersonId: head.id,
        formedOn: input.formedOn ?? null,
        housing: {
          structure: input.housing?.structure ?? null,
          rating: input.housing?.rating ?? null,
          appraisedOn: input.housing?.appraisedOn ?? null,
          appraisalBody: input.housing?.appraisalBody ?? null,
        },
      },
      ctx.actor.id,
      reason,
    );
    await insertMembers(tx, id, input.regionCode, withIds, input.formedOn ?? today, ctx.actor.id, reason);
    await writeAudit(tx, ctx.actor, {
      action: 'household.create',
      entityType: 'household',
      entityId: id,
      regionCode: input.regionCode,
      diff: {
        reason,
        address: input.address,
        hukouType: input.hukouType,
        members: withIds.map((p) => ({ personId: p.id, idNumber: maskIdNumber(p.idNumber), relation: p.relation })),
      },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, id);
  });
}

export async function updateHousehold(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof UpdateHouseholdRequest> & { version: number },
) {
  const today = todayCst();
  failIf([
    ...notFuture(input.formedOn, today, 'formedOn', '立户日期'),
    ...notFuture(input.housing?.appraisedOn, today, 'housing.appraisedOn', '鉴定日期'),
  ]);
  const reason = input.reason ?? '修改家庭户信息';
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockHousehold(tx, ctx.actor.scope, id, input.version);
    if (before.status !== 'active') throw new AppError('INVALID_STATE', { detail: '该户已注销，不能修改' });
    const sets: SQL[] = [];
    if (input.regionCode && input.regionCode !== before.region_code) {
      await assertVillage(tx, ctx.actor, input.regionCode);
      sets.push(sql`region_code = ${input.regionCode}`);
    }
    if (input.address !== undefined) sets.push(sql`address = ${input.address}`);
    if (input.hukouType !== undefined) sets.push(sql`hukou_type = ${input.hukouType}`);
    if (input.formedOn !== undefined) sets.push(sql`formed_on = ${input.formedOn}`);
    if (input.householdNo !== undefined) {
      if (input.householdNo && (await householdNoTaken(tx, input.householdNo, id))) {
        throw new AppError('DUPLICATE', {
          fields: [{ field: 'householdNo', code: 'duplicate', message: `户编号 ${input.householdNo} 已被使用` }],
        });
      }
      sets.push(sql`household_no = ${input.householdNo}`);
    }
    const hs = input.housing;
    if (hs) {
      if (hs.structure !== undefined) sets.push(sql`housing_structure = ${hs.structure}`);
      if (hs.rating !== undefined) sets.push(sql`housing_rating = ${hs.rating}`);
      if (hs.appraisedOn !== undefined) sets.push(sql`housing_appraised_on = ${hs.appraisedOn}`);
      if (hs.appraisalBody !== undefined) sets.push(sql`housing_appraisal_body = ${hs.appraisalBody}`);
    }
    if (input.headPersonId !== undefined && input.headPersonId !== Number(before.head_person_id)) {
      const newHead = await findPerson(tx, input.headPersonId, ctx.actor.scope, true);
      if (!newHead || Number(newHead.household_id) !== id) {
        throw validationError([{ field: 'headPersonId', code: 'not_member', message: '新户主须是本户现有成员' }]);
      }
      if (!input.formerHeadRelation) {
        throw validationError([
          { field: 'formerHeadRelation', code: 'required', message: '变更户主时须填写原户主与新户主的关系' },
        ]);
      }
      if (before.head_person_id !== null) {
        await tx.execute(sql`UPDATE persons SET relation = ${input.formerHeadRelation}, version = version + 1,
          changed_by = ${ctx.actor.id}, change_reason = ${reason} WHERE id = ${before.head_person_id}`);
      }
      await tx.execute(sql`UPDATE persons SET relation = 'head', version = version + 1, changed_by = ${ctx.actor.id},
        change_reason = ${reason} WHERE id = ${input.headPersonId}`);
      sets.push(sql`head_person_id = ${input.headPersonId}`);
    }
    if (sets.length === 0) return loadHouseholdDetail(tx, ctx.actor.scope, id);
    const after = await updateHouseholdVersioned(tx, id, input.version, sql.join(sets, sql`, `), ctx.actor.id, reason);
    if (!after) throw conflict();
    if (after.region_code !== before.region_code)
      await moveHouseholdRegion(tx, id, after.region_code, ctx.actor.id, reason);
    await writeAudit(tx, ctx.actor, {
      action: 'household.update',
      entityType: 'household',
      entityId: id,
      regionCode: after.region_code,
      diff: { reason, ...diffOf(householdAuditView(before), householdAuditView(after)) },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, id);
  });
}

export async function dissolveHousehold(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof DissolveHouseholdRequest> & { version: number },
) {
  const on = input.dissolvedOn ?? todayCst();
  failIf(notFuture(on, todayCst(), 'dissolvedOn', '注销日期'));
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockHousehold(tx, ctx.actor.scope, id, input.version);
    if (before.status !== 'active') throw new AppError('INVALID_STATE', { detail: '该户已注销' });
    const active = await tx.execute(
      sql`SELECT 1 FROM programme_enrollments WHERE household_id = ${id} AND status = 'active' LIMIT 1`,
    );
    if ((active as unknown as { rows: unknown[] }).rows.length) {
      throw new AppError('INVALID_STATE', { detail: '该户仍在享受救助，须先办理停发后再注销' });
    }
    await dissolveMembers(tx, id, on, ctx.actor.id, input.reason);
    const after = await updateHouseholdVersioned(
      tx,
      id,
      input.version,
      sql`status = 'dissolved', head_person_id = NULL`,
      ctx.actor.id,
      input.reason,
    );
    if (!after) throw conflict();
    await writeAudit(tx, ctx.actor, {
      action: 'household.dissolve',
      entityType: 'household',
      entityId: id,
      regionCode: before.region_code,
      diff: { reason: input.reason, dissolvedOn: on },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, id);
  });
}

export async function setPaymentAccount(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof PaymentAccountInput> & { version: number },
) {
  const reason = input.reason ?? '变更发放账户';
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockHousehold(tx, ctx.actor.scope, id, input.version);
    const after = await updateHouseholdVersioned(
      tx,
      id,
      input.version,
      sql`bank_name = ${input.bankName}, bank_account = ${input.account}, bank_account_holder = ${input.holder}`,
      ctx.actor.id,
      reason,
    );
    if (!after) throw conflict();
    await writeAudit(tx, ctx.actor, {
      action: 'household.payment_account',
      entityType: 'household',
      entityId: id,
      regionCode: before.region_code,
      diff: { reason, ...diffOf(householdAuditView(before), householdAuditView(after)) },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, id);
  });
}

/** The full payment account, for roles with pii.reveal; every reveal is an audited action. */
export async function revealAccount(ctx: UseCaseContext, id: number) {
  return inTransaction(ctx.db, async (tx) => {
    const h = await findHousehold(tx, id, ctx.actor.scope);
    if (!h) throw new AppError('NOT_FOUND');
    await writeAudit(tx, ctx.actor, {
      action: 'household.reveal_account',
      entityType: 'household',
      entityId: id,
      regionCode: h.region_code,
      diff: { accountMasked: maskAccount(h.bank_account) },
    });
    return { householdId: id, account: h.bank_account };
  });
}

/**
 * Adds a member: a new person, or an existing person moved in from another household. A person is in one household
 * at a time; the move closes the old stay and opens a new one in household_memberships (recorded, not overwritten).
 */
export async function addMember(ctx: UseCaseContext, householdId: number, input: z.infer<typeof AddMemberRequest>) {
  const today = todayCst();
  if ((input.person ? 1 : 0) + (input.personId ? 1 : 0) !== 1) {
    throw validationError([
      { field: 'person', code: 'one_of', message: '请录入新成员信息（person）或选择已登记人员（personId），二者选一' },
    ]);
  }
  if (input.relation === 'head') {
    throw validationError([
      { field: 'relation', code: 'head_exists', message: '该户已有户主；变更户主请修改家庭户的户主' },
    ]);
  }
  const joinedOn = input.joinedOn ?? today;
  failIf(notFuture(joinedOn, today, 'joinedOn', '迁入日期'));
  if (input.personId) {
    return movePerson(
      ctx,
      input.personId,
      { toHouseholdId: householdId, relation: input.relation, movedOn: joinedOn, reason: input.reason },
      null,
    );
  }
  const r = personFacts(input.person!, today, 'person.');
  failIf(r.errors);
  const facts = r.facts!;
  const reason = input.reason ?? '新增家庭成员';
  return inTransaction(ctx.db, async (tx) => {
    const h = await findHousehold(tx, householdId, ctx.actor.scope, true);
    if (!h) throw new AppError('NOT_FOUND');
    if (h.status !== 'active') throw new AppError('INVALID_STATE', { detail: '该户已注销，不能新增成员' });
    await assertIdNumbersFree(tx, ctx.actor.scope, [{ idNumber: facts.idNumber, field: 'person.idNumber' }]);
    const [pid] = await reservePersonIds(tx, 1);
    await insertMembers(
      tx,
      householdId,
      h.region_code,
      [{ ...facts, id: pid!, relation: input.relation }],
      joinedOn,
      ctx.actor.id,
      reason,
    );
    await tx.execute(
      sql`UPDATE households SET version = version + 1, changed_by = ${ctx.actor.id}, change_reason = ${reason} WHERE id = ${householdId}`,
    );
    await writeAudit(tx, ctx.actor, {
      action: 'household.add_member',
      entityType: 'household',
      entityId: householdId,
      regionCode: h.region_code,
      diff: { reason, personId: pid, idNumber: maskIdNumber(facts.idNumber), relation: input.relation, joinedOn },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, householdId);
  });
}

/** Moves a person into another household (both in the caller's area). `version` is the person's, when given. */
export async function movePerson(
  ctx: UseCaseContext,
  personId: number,
  input: z.infer<typeof MovePersonRequest>,
  version: number | null,
) {
  const today = todayCst();
  const on = input.movedOn ?? today;
  failIf(notFuture(on, today, 'movedOn', '迁移日期'));
  if (input.relation === 'head') {
    throw validationError([
      { field: 'relation', code: 'head_exists', message: '迁入后不能直接成为户主；请迁入后再变更户主' },
    ]);
  }
  const reason = input.reason ?? '户间迁移';
  return inTransaction(ctx.db, async (tx) => {
    const p = await findPerson(tx, personId, ctx.actor.scope, true);
    if (!p) throw new AppError('NOT_FOUND');
    if (version !== null && Number(p.version) !== version) throw conflict(Number(p.version));
    const target = await findHousehold(tx, input.toHouseholdId, ctx.actor.scope, true);
    if (!target) throw new AppError('NOT_FOUND', { detail: '目标家庭户不存在或不在您的管辖范围内' });
    if (target.status !== 'active') throw new AppError('INVALID_STATE', { detail: '目标家庭户已注销' });
    if (Number(p.household_id) === input.toHouseholdId)
      throw new AppError('INVALID_STATE', { detail: '该人员已是本户成员' });
    if (p.relation === 'head')
      throw new AppError('INVALID_STATE', { detail: '户主不能直接迁出，请先变更户主或注销原户' });
    if (p.household_id !== null) {
      await closeMembership(tx, personId, on, reason);
      await tx.execute(sql`UPDATE households SET version = version + 1, changed_by = ${ctx.actor.id}, change_reason = ${reason}
        WHERE id = ${p.household_id}`);
    }
    await openMembership(
      tx,
      {
        personId,
        householdId: input.toHouseholdId,
        relation: input.relation,
        regionCode: target.region_code,
        joinedOn: on,
      },
      ctx.actor.id,
    );
    await updatePersonVersioned(
      tx,
      personId,
      Number(p.version),
      sql`household_id = ${input.toHouseholdId}, relation = ${input.relation}, region_code = ${target.region_code}`,
      ctx.actor.id,
      reason,
    );
    await movePersonRecords(tx, personId, input.toHouseholdId, target.region_code, ctx.actor.id, reason);
    await tx.execute(sql`UPDATE households SET version = version + 1, changed_by = ${ctx.actor.id}, change_reason = ${reason}
      WHERE id = ${input.toHouseholdId}`);
    await writeAudit(tx, ctx.actor, {
      action: 'person.move',
      entityType: 'person',
      entityId: personId,
      regionCode: target.region_code,
      diff: {
        reason,
        fromHouseholdId: p.household_id === null ? null : Number(p.household_id),
        toHouseholdId: input.toHouseholdId,
        relation: input.relation,
        movedOn: on,
      },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, input.toHouseholdId);
  });
}

/** Removes a person from their household (death, marriage out, emigration …); the person and the stay stay on record. */
export async function removeMember(
  ctx: UseCaseContext,
  personId: number,
  input: z.infer<typeof RemoveMemberRequest> & { version: number },
) {
  const today = todayCst();
  const on = input.leftOn ?? today;
  failIf(notFuture(on, today, 'leftOn', '迁出日期'));
  return inTransaction(ctx.db, async (tx) => {
    const p = await findPerson(tx, personId, ctx.actor.scope, true);
    if (!p) throw new AppError('NOT_FOUND');
    if (Number(p.version) !== input.version) throw conflict(Number(p.version));
    if (p.household_id === null) throw new AppError('INVALID_STATE', { detail: '该人员当前不属于任何家庭户' });
    if (p.relation === 'head')
      throw new AppError('INVALID_STATE', { detail: '户主不能直接迁出，请先变更户主或注销该户' });
    const householdId = Number(p.household_id);
    await closeMembership(tx, personId, on, input.reason);
    await updatePersonVersioned(
      tx,
      personId,
      input.version,
      sql`household_id = NULL, relation = NULL`,
      ctx.actor.id,
      input.reason,
    );
    await tx.execute(sql`UPDATE households SET version = version + 1, changed_by = ${ctx.actor.id}, change_reason = ${input.reason}
      WHERE id = ${householdId}`);
    await writeAudit(tx, ctx.actor, {
      action: 'person.leave',
      entityType: 'person',
      entityId: personId,
      regionCode: p.region_code,
      diff: { reason: input.reason, householdId, leftOn: on },
    });
    return loadHouseholdDetail(tx, ctx.actor.scope, householdId);
  });
}
