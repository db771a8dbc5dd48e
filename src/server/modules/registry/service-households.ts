import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CreateHouseholdRequest,
  DissolveHouseholdRequest,
  PaymentAccountInput,
  UpdateHouseholdRequest,
} from '../../../contracts/registry-households.js';
import { todayCst } from '../../../domain/calendar.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import {
  dissolveMembers,
  findHousehold,
  findPerson,
  type HouseholdRow,
  householdNoTaken,
  insertHousehold,
  insertMembers,
  moveHouseholdRegion,
  type NewPerson,
  reservePersonIds,
  setPersonRelation,
  updateHouseholdVersioned,
} from './repo.js';
import { compositionErrors, maskAccount, notFuture, personFacts } from './rules.js';
import {
  assertIdNumbersFree,
  assertVillage,
  conflict,
  failIf,
  loadHouseholdDetail,
  lockHousehold,
  validationError,
} from './service.js';

/**
 * Household use cases: create (with its members), edit (village, address, housing, a change of head), dissolve, the
 * payment account and its audited reveal. Each loads → checks scope → applies the rules → writes in one transaction
 * → audits in the same one.
 */

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
        await setPersonRelation(tx, before.head_person_id, input.formerHeadRelation, ctx.actor.id, reason);
      }
      await setPersonRelation(tx, input.headPersonId, 'head', ctx.actor.id, reason);
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
