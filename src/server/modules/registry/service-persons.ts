import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  CorrectIdRequest,
  DisabilityCertInput,
  UpdatePersonRequest,
} from '../../../contracts/registry-persons.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import { todayCst } from '../../../domain/calendar.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { inTransaction } from '../../platform/tx.js';
import { presentCert, presentPerson } from './present.js';
import { findPerson, type PersonRow, updatePersonVersioned } from './repo.js';
import { certOfPerson, deleteStamped, insertCert, updateCert } from './repo-items.js';
import { checkIdNumber, deathDateErrors, disabilityCertErrors } from './rules.js';
import { assertIdNumbersFree, conflict, failIf, lockPerson, validationError } from './service.js';

/** Person use cases: read, edit, ID-number correction and reveal, disability certificate. */

const SEX_ZH = { M: '男', F: '女' } as const;

async function personView(ctx: UseCaseContext, p: PersonRow) {
  const cert = await certOfPerson(ctx.db, Number(p.id));
  return presentPerson(p, cert, todayCst());
}

export async function getPerson(ctx: UseCaseContext, id: number) {
  const p = await findPerson(ctx.db, id, ctx.actor.scope);
  if (!p) throw new AppError('NOT_FOUND');
  return personView(ctx, p);
}

function personAuditView(p: PersonRow) {
  return {
    idNumber: maskIdNumber(p.id_number.trim()),
    name: p.name,
    ethnicity: p.ethnicity,
    phone: p.phone,
    hukouRegionCode: p.hukou_region_code,
    hukouLocal: p.hukou_local,
    education: p.education,
    studentStatus: p.student_status,
    health: p.health,
    graveIllness: p.grave_illness,
    labourCapacity: p.labour_capacity,
    deathDate: p.death_date,
    relation: p.relation,
  };
}

/**
 * Edits a person's facts. Sex and birth date come from the ID number (POLICY.md §7): an entered value that disagrees
 * is a field error. The relation to the head changes here, except to or from 户主 (that is a change of head).
 */
export async function updatePerson(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof UpdatePersonRequest> & { version: number },
) {
  const today = todayCst();
  const reason = input.reason ?? '修改人员信息';
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockPerson(tx, ctx.actor.scope, id, input.version);
    const errors: FieldError[] = [];
    if (input.sex && input.sex !== before.sex) {
      errors.push({
        field: 'sex',
        code: 'sex_mismatch',
        message: `性别「${SEX_ZH[input.sex]}」与身份证号码不符（号码显示为${SEX_ZH[before.sex]}）`,
      });
    }
    if (input.birthDate && input.birthDate !== before.birth_date) {
      errors.push({
        field: 'birthDate',
        code: 'birth_date_mismatch',
        message: `出生日期 ${input.birthDate} 与身份证号码不符（号码显示为 ${before.birth_date}）`,
      });
    }
    if (input.deathDate !== undefined)
      errors.push(...deathDateErrors(input.deathDate, before.birth_date, today, 'deathDate'));
    if (input.relation !== undefined) {
      if (before.household_id === null)
        errors.push({ field: 'relation', code: 'no_household', message: '该人员不属于任何家庭户，不能设置与户主关系' });
      else if (input.relation === 'head' || before.relation === 'head') {
        if (input.relation !== before.relation)
          errors.push({ field: 'relation', code: 'head_change', message: '变更户主请修改家庭户的户主' });
      }
    }
    failIf(errors);
    const sets: SQL[] = [];
    const put = (col: string, v: unknown) => {
      if (v !== undefined) sets.push(sql`${sql.raw(col)} = ${v}`);
    };
    put('name', input.name);
    put('ethnicity', input.ethnicity);
    put('phone', input.phone);
    put('hukou_region_code', input.hukouRegionCode);
    put('hukou_local', input.hukouLocal);
    put('education', input.education);
    put('student_status', input.studentStatus);
    put('health', input.health);
    put('grave_illness', input.graveIllness ?? (input.health === 'grave_illness' ? true : undefined));
    put('labour_capacity', input.labourCapacity);
    put('death_date', input.deathDate);
    put('relation', input.relation);
    if (sets.length === 0) return personView({ ...ctx, db: tx }, before);
    const after = await updatePersonVersioned(tx, id, input.version, sql.join(sets, sql`, `), ctx.actor.id, reason);
    if (!after) throw conflict();
    await writeAudit(tx, ctx.actor, {
      action: 'person.update',
      entityType: 'person',
      entityId: id,
      regionCode: after.region_code,
      diff: { reason, ...diffOf(personAuditView(before), personAuditView(after)) },
    });
    return personView({ ...ctx, db: tx }, after);
  });
}

/**
 * Corrects a mistyped ID number (rare; POLICY.md §7): the new number must be valid per GB 11643 and not registered;
 * sex and birth date follow the corrected number. Needs registry.correct_id; audited with both numbers masked.
 */
export async function correctIdNumber(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof CorrectIdRequest> & { version: number },
) {
  const r = checkIdNumber(input.newIdNumber, todayCst(), 'newIdNumber');
  if (!r.ok) throw validationError([r.error]);
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockPerson(tx, ctx.actor.scope, id, input.version);
    if (before.id_number.trim() === r.idNumber) {
      throw validationError([{ field: 'newIdNumber', code: 'unchanged', message: '新号码与原号码相同' }]);
    }
    await assertIdNumbersFree(tx, ctx.actor.scope, [{ idNumber: r.idNumber, field: 'newIdNumber' }]);
    const after = await updatePersonVersioned(
      tx,
      id,
      input.version,
      sql`id_number = ${r.idNumber}, sex = ${r.sex}, birth_date = ${r.birthDate}`,
      ctx.actor.id,
      input.reason,
    );
    if (!after) throw conflict();
    await writeAudit(tx, ctx.actor, {
      action: 'person.correct_id',
      entityType: 'person',
      entityId: id,
      regionCode: after.region_code,
      diff: {
        reason: input.reason,
        idNumber: [maskIdNumber(before.id_number.trim()), maskIdNumber(r.idNumber)],
        sex: [before.sex, r.sex],
        birthDate: [before.birth_date, r.birthDate],
      },
    });
    return personView({ ...ctx, db: tx }, after);
  });
}

/** The full ID number for a role with pii.reveal; each reveal writes an audit row (person.reveal_id). */
export async function revealIdNumber(ctx: UseCaseContext, id: number, reason: string | undefined) {
  return inTransaction(ctx.db, async (tx) => {
    const p = await findPerson(tx, id, ctx.actor.scope);
    if (!p) throw new AppError('NOT_FOUND');
    await writeAudit(tx, ctx.actor, {
      action: 'person.reveal_id',
      entityType: 'person',
      entityId: id,
      regionCode: p.region_code,
      diff: { reason: reason ?? null, idNumberMasked: maskIdNumber(p.id_number.trim()) },
    });
    return { id, idNumber: p.id_number.trim() };
  });
}

/** Creates or replaces the person's disability certificate (残疾人证), rules in disabilityCertErrors (POLICY.md §4). */
export async function upsertDisabilityCert(
  ctx: UseCaseContext,
  personId: number,
  input: z.infer<typeof DisabilityCertInput>,
  version: number | null,
) {
  failIf(disabilityCertErrors(input, todayCst()));
  const values = {
    certNo: input.certNo,
    generation: input.generation,
    type: input.type,
    level: input.level ?? null,
    issuedOn: input.issuedOn ?? null,
    expiresOn: input.expiresOn ?? null,
    needsLongTermCare: input.needsLongTermCare ?? false,
    careSince: input.careSince ?? null,
  };
  return inTransaction(ctx.db, async (tx) => {
    const p = await lockPerson(tx, ctx.actor.scope, personId, null);
    const existing = await certOfPerson(tx, personId);
    let row: Awaited<ReturnType<typeof insertCert>>;
    if (existing) {
      if (version === null) throw new AppError('PRECONDITION_REQUIRED');
      if (Number(existing.version) !== version) throw conflict(Number(existing.version));
      row = await updateCert(
        tx,
        Number(existing.id),
        version,
        values,
        ctx.actor.id,
        input.reason ?? '修改残疾人证信息',
      );
      if (!row) throw conflict();
    } else {
      row = await insertCert(tx, personId, p.region_code, values, ctx.actor.id, input.reason ?? '登记残疾人证');
    }
    const view = presentCert(row!);
    await writeAudit(tx, ctx.actor, {
      action: existing ? 'disability_cert.update' : 'disability_cert.create',
      entityType: 'person',
      entityId: personId,
      regionCode: p.region_code,
      diff: { reason: input.reason ?? null, ...diffOf(existing ? presentCert(existing) : null, view) },
    });
    return view;
  });
}

export async function deleteDisabilityCert(
  ctx: UseCaseContext,
  personId: number,
  version: number,
  reason: string | undefined,
) {
  return inTransaction(ctx.db, async (tx) => {
    const p = await lockPerson(tx, ctx.actor.scope, personId, null);
    const existing = await certOfPerson(tx, personId);
    if (!existing) throw new AppError('NOT_FOUND', { detail: '该人员没有登记残疾人证' });
    const why = reason ?? '注销残疾人证';
    if (!(await deleteStamped(tx, 'disability_certs', Number(existing.id), version, ctx.actor.id, why))) {
      throw conflict(Number(existing.version));
    }
    await writeAudit(tx, ctx.actor, {
      action: 'disability_cert.delete',
      entityType: 'person',
      entityId: personId,
      regionCode: p.region_code,
      diff: { reason: why, certNo: existing.cert_no },
    });
    return { ok: true as const };
  });
}
