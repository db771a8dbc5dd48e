import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  IncomeItemInput,
  PropertyItemInput,
  UpdateIncomeItemRequest,
  UpdatePropertyItemRequest,
} from '../../../contracts/registry-items.js';
import { type Db, first } from '../../db/client.js';
import { diffOf, writeAudit } from '../../platform/audit.js';
import type { UseCaseContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { inTransaction } from '../../platform/tx.js';
import { presentIncome, presentProperty } from './present.js';
import { findHousehold } from './repo.js';
import {
  deleteStamped,
  findIncome,
  findProperty,
  type IncomeRow,
  type IncomeValues,
  insertIncome,
  insertProperty,
  type PropertyRow,
  type PropertyValues,
  updateIncome,
  updateProperty,
} from './repo-items.js';
import { conflict, validationError } from './service.js';

/**
 * Income items (POLICY.md §2 [A art.13]: wages, net business, net property, net transfer income; the excluded kinds
 * are recorded too and left out when income is counted) and property items ([A art.14]: deposits, securities,
 * commercial insurance, vehicles, houses …), amounts in fen (POLICY.md §7 Money).
 */

async function activeHousehold(tx: Db, scope: Scope, id: number) {
  const h = await findHousehold(tx, id, scope, true);
  if (!h) throw new AppError('NOT_FOUND');
  if (h.status !== 'active') throw new AppError('INVALID_STATE', { detail: '该户已注销，不能修改收入或财产' });
  return h;
}

/** An item's person must be a current member of the item's household. */
async function assertMember(tx: Db, householdId: number, personId: number | null | undefined) {
  if (personId === undefined || personId === null) return;
  const m = await first(tx, sql`SELECT 1 FROM persons WHERE id = ${personId} AND household_id = ${householdId}`);
  if (!m) throw validationError([{ field: 'personId', code: 'not_member', message: `人员 #${personId} 不是本户成员` }]);
}

/** A vehicle needs its type; an area belongs to a house (POLICY.md §2 [A art.14] property kinds). */
function propertyErrors(v: PropertyValues) {
  const errors = [];
  if (v.kind === 'vehicle' && !v.vehicleType)
    errors.push({ field: 'vehicleType', code: 'required', message: '机动车辆须填写车辆类型' });
  if (v.areaSqm !== null && v.kind !== 'house')
    errors.push({ field: 'areaSqm', code: 'not_house', message: '只有房产可填写面积' });
  if (errors.length) throw validationError(errors);
}

/** What the steps shared by both kinds need: the table, the delete audit action, how to find and present an item. */
interface ItemKind<Row extends IncomeRow | PropertyRow> {
  table: 'income_items' | 'property_items';
  deleteAction: 'income_item.delete' | 'property_item.delete';
  find(tx: Db, id: number, scope: Scope): Promise<Row | undefined>;
  present(row: Row): Record<string, unknown>;
}

const INCOME: ItemKind<IncomeRow> = {
  table: 'income_items',
  deleteAction: 'income_item.delete',
  find: findIncome,
  present: presentIncome,
};
const PROPERTY: ItemKind<PropertyRow> = {
  table: 'property_items',
  deleteAction: 'property_item.delete',
  find: findProperty,
  present: presentProperty,
};

/** Loads an item for an edit: 404 outside the scope, 409 when stale; its household active, a named person a member. */
async function lockItem<Row extends IncomeRow | PropertyRow>(
  tx: Db,
  scope: Scope,
  kind: ItemKind<Row>,
  id: number,
  version: number,
  personId: number | null | undefined,
) {
  const before = await kind.find(tx, id, scope);
  if (!before) throw new AppError('NOT_FOUND');
  if (Number(before.version) !== version) throw conflict(Number(before.version));
  await activeHousehold(tx, scope, Number(before.household_id));
  await assertMember(tx, Number(before.household_id), personId);
  return before;
}

/** Deletes an item at the expected version (its household must be active); the history keeps it, the audit says so. */
async function deleteItem<Row extends IncomeRow | PropertyRow>(
  ctx: UseCaseContext,
  kind: ItemKind<Row>,
  id: number,
  version: number,
  why: string,
) {
  return inTransaction(ctx.db, async (tx) => {
    const before = await kind.find(tx, id, ctx.actor.scope);
    if (!before) throw new AppError('NOT_FOUND');
    await activeHousehold(tx, ctx.actor.scope, Number(before.household_id));
    if (!(await deleteStamped(tx, kind.table, id, version, ctx.actor.id, why))) throw conflict(Number(before.version));
    await writeAudit(tx, ctx.actor, {
      action: kind.deleteAction,
      entityType: 'household',
      entityId: Number(before.household_id),
      regionCode: before.region_code,
      diff: { reason: why, itemId: id, ...diffOf(kind.present(before), null) },
    });
    return { ok: true as const };
  });
}

export async function addIncomeItem(ctx: UseCaseContext, householdId: number, input: z.infer<typeof IncomeItemInput>) {
  const reason = input.reason ?? '登记收入';
  return inTransaction(ctx.db, async (tx) => {
    const h = await activeHousehold(tx, ctx.actor.scope, householdId);
    await assertMember(tx, householdId, input.personId);
    const v: IncomeValues = {
      personId: input.personId ?? null,
      kind: input.kind,
      period: input.period,
      amountFen: input.amountFen,
      verified: input.verified ?? false,
      source: input.source ?? null,
    };
    const row = (await insertIncome(tx, householdId, h.region_code, v, ctx.actor.id, reason))!;
    const view = presentIncome(row);
    await writeAudit(tx, ctx.actor, {
      action: 'income_item.create',
      entityType: 'household',
      entityId: householdId,
      regionCode: h.region_code,
      diff: { reason, ...diffOf(null, view) },
    });
    return view;
  });
}

export async function updateIncomeItem(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof UpdateIncomeItemRequest> & { version: number },
) {
  const reason = input.reason ?? '修改收入';
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockItem(tx, ctx.actor.scope, INCOME, id, input.version, input.personId);
    const v: IncomeValues = {
      personId:
        input.personId === undefined ? (before.person_id === null ? null : Number(before.person_id)) : input.personId,
      kind: input.kind ?? before.kind,
      period: input.period ?? before.period,
      amountFen: input.amountFen ?? Number(before.amount_fen),
      verified: input.verified ?? before.verified,
      source: input.source === undefined ? before.source : input.source,
    };
    const row = await updateIncome(tx, id, input.version, v, ctx.actor.id, reason);
    if (!row) throw conflict();
    const view = presentIncome(row);
    await writeAudit(tx, ctx.actor, {
      action: 'income_item.update',
      entityType: 'household',
      entityId: Number(row.household_id),
      regionCode: row.region_code,
      diff: { reason, itemId: id, ...diffOf(presentIncome(before), view) },
    });
    return view;
  });
}

export function deleteIncomeItem(ctx: UseCaseContext, id: number, version: number, reason: string | undefined) {
  return deleteItem(ctx, INCOME, id, version, reason ?? '删除收入');
}

function propertyValues(input: Partial<z.infer<typeof PropertyItemInput>>, base?: PropertyValues): PropertyValues {
  const pick = <K extends keyof PropertyValues>(k: K, v: PropertyValues[K] | undefined, d: PropertyValues[K]) =>
    v === undefined ? (base ? base[k] : d) : v;
  return {
    personId: pick('personId', input.personId, null),
    kind: pick('kind', input.kind, 'other'),
    description: pick('description', input.description, null),
    vehicleType: pick('vehicleType', input.vehicleType, null),
    areaSqm: pick('areaSqm', input.areaSqm, null),
    valueFen: pick('valueFen', input.valueFen, 0),
    source: pick('source', input.source, null),
  };
}

export async function addPropertyItem(
  ctx: UseCaseContext,
  householdId: number,
  input: z.infer<typeof PropertyItemInput>,
) {
  const v = propertyValues(input);
  propertyErrors(v);
  const reason = input.reason ?? '登记财产';
  return inTransaction(ctx.db, async (tx) => {
    const h = await activeHousehold(tx, ctx.actor.scope, householdId);
    await assertMember(tx, householdId, input.personId);
    const view = presentProperty((await insertProperty(tx, householdId, h.region_code, v, ctx.actor.id, reason))!);
    await writeAudit(tx, ctx.actor, {
      action: 'property_item.create',
      entityType: 'household',
      entityId: householdId,
      regionCode: h.region_code,
      diff: { reason, ...diffOf(null, view) },
    });
    return view;
  });
}

export async function updatePropertyItem(
  ctx: UseCaseContext,
  id: number,
  input: z.infer<typeof UpdatePropertyItemRequest> & { version: number },
) {
  const reason = input.reason ?? '修改财产';
  return inTransaction(ctx.db, async (tx) => {
    const before = await lockItem(tx, ctx.actor.scope, PROPERTY, id, input.version, input.personId);
    const b = presentProperty(before);
    const v = propertyValues(input, { ...b });
    propertyErrors(v);
    const row = await updateProperty(tx, id, input.version, v, ctx.actor.id, reason);
    if (!row) throw conflict();
    const view = presentProperty(row);
    await writeAudit(tx, ctx.actor, {
      action: 'property_item.update',
      entityType: 'household',
      entityId: Number(row.household_id),
      regionCode: row.region_code,
      diff: { reason, itemId: id, ...diffOf(b, view) },
    });
    return view;
  });
}

export function deletePropertyItem(ctx: UseCaseContext, id: number, version: number, reason: string | undefined) {
  return deleteItem(ctx, PROPERTY, id, version, reason ?? '删除财产');
}
