import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  AddMemberRequest,
  MovePersonRequest,
  RemoveMemberRequest,
} from '../../../contracts/registry-households.js';
import { todayCst } from '../../../domain/calendar.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import { writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import {
  closeMembership,
  findHousehold,
  insertMembers,
  movePersonRecords,
  openMembership,
  reservePersonIds,
  touchHousehold,
  updatePersonVersioned,
} from './repo.js';
import { notFuture, personFacts } from './rules.js';
import { assertIdNumbersFree, failIf, loadHouseholdDetail, lockPerson, validationError } from './service.js';

/**
 * Membership use cases: a person joins a household (new, or moved in from another), moves between households, or
 * leaves one. A person is in one household at a time; every stay is kept in household_memberships.
 */

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
    await touchHousehold(tx, householdId, ctx.actor.id, reason);
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
    const p = await lockPerson(tx, ctx.actor.scope, personId, version);
    const target = await findHousehold(tx, input.toHouseholdId, ctx.actor.scope, true);
    if (!target) throw new AppError('NOT_FOUND', { detail: '目标家庭户不存在或不在您的管辖范围内' });
    if (target.status !== 'active') throw new AppError('INVALID_STATE', { detail: '目标家庭户已注销' });
    if (Number(p.household_id) === input.toHouseholdId)
      throw new AppError('INVALID_STATE', { detail: '该人员已是本户成员' });
    if (p.relation === 'head')
      throw new AppError('INVALID_STATE', { detail: '户主不能直接迁出，请先变更户主或注销原户' });
    if (p.household_id !== null) {
      await closeMembership(tx, personId, on, reason);
      await touchHousehold(tx, p.household_id, ctx.actor.id, reason);
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
    await touchHousehold(tx, input.toHouseholdId, ctx.actor.id, reason);
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
    const p = await lockPerson(tx, ctx.actor.scope, personId, input.version);
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
    await touchHousehold(tx, householdId, ctx.actor.id, input.reason);
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
