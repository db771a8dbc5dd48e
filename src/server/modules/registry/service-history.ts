import type { HistoryEntry } from '../../../contracts/registry-history.js';
import { endOfDayCst, todayCst } from '../../../domain/calendar.js';
import { INCOME_KIND_LABELS, PROPERTY_KIND_LABELS } from '../../../contracts/registry-codes.js';
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import type { UseCaseContext } from '../../platform/context.js';
import { iso } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { presentHousehold } from './present.js';
import { findHousehold, membershipsOf, regionPathOf, userNames } from './repo.js';
import {
  certsAsOf,
  enrollmentsAsOf,
  householdAsOf,
  incomeAsOf,
  membersAsOf,
  membershipsAsOf,
  propertyAsOf,
  type VersionRow,
  versionsOfHousehold,
} from './repo-history.js';
import { maskAccount } from './rules.js';

/**
 * A household as the record said at the end of a past CST date (the look-back campaign, POLICY.md §1 S1/S3, needs
 * what was known then): reconstructed from the current rows and the trigger-kept *_history rows.
 */
export async function householdAsOfDate(ctx: UseCaseContext, id: number, date: string) {
  if (date > todayCst()) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'asOf', code: 'future_date', message: `查询日期 ${date} 晚于今天` }],
    });
  }
  const at = endOfDayCst(date);
  const household = await householdAsOf(ctx.db, id, ctx.actor.scope, at);
  if (!household) {
    // Exists now in the scope but not yet on that date → say so; otherwise a plain 404.
    if (await findHousehold(ctx.db, id, ctx.actor.scope)) {
      throw new AppError('NOT_FOUND', { detail: `该户在 ${date} 尚未登记` });
    }
    throw new AppError('NOT_FOUND');
  }
  const members = await membersAsOf(ctx.db, id, ctx.actor.scope, at);
  const [certs, income, property, enrollments, memberships, regionPath] = await Promise.all([
    certsAsOf(
      ctx.db,
      members.map((m) => Number(m.id)),
      at,
    ),
    incomeAsOf(ctx.db, id, at),
    propertyAsOf(ctx.db, id, at),
    enrollmentsAsOf(ctx.db, id, at),
    membershipsAsOf(ctx.db, id, date),
    regionPathOf(ctx.db, household.region_code),
  ]);
  return presentHousehold({
    household,
    regionPath,
    members,
    certs,
    income,
    property,
    enrollments,
    memberships,
    onDate: date,
    asOf: date,
  });
}

/** Columns that describe the version rather than the facts. */
const META = new Set([
  'version',
  'valid_from',
  'valid_to',
  'changed_by',
  'change_reason',
  'created_at',
  'county_code',
  'hist_seq',
]);

function maskValue(key: string, v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  if (key === 'id_number') return maskIdNumber(v.trim());
  if (key === 'bank_account') return maskAccount(v);
  return v;
}

function factDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (META.has(k)) continue;
    const b = maskValue(k, before?.[k]);
    const a = maskValue(k, after?.[k]);
    if (JSON.stringify(b ?? null) !== JSON.stringify(a ?? null)) out[k] = [b ?? null, a ?? null];
  }
  return out;
}

function labelOf(v: VersionRow): string {
  const d = v.data;
  switch (v.entity) {
    case 'household':
      return `家庭户 #${v.id}`;
    case 'person':
      return String(d.name ?? `人员 #${v.id}`);
    case 'disability_cert':
      return `残疾人证 ${String(d.cert_no ?? '')}`;
    case 'income_item':
      return INCOME_KIND_LABELS[d.kind as keyof typeof INCOME_KIND_LABELS] ?? String(d.kind);
    case 'property_item':
      return PROPERTY_KIND_LABELS[d.kind as keyof typeof PROPERTY_KIND_LABELS] ?? String(d.kind);
  }
}

/**
 * The change timeline of a household: every version of it and of its members, certificates, income and property
 * items, with who, when and why (changed_by / change_reason on the rows) and what changed, newest first; plus the
 * joins and departures of household_memberships.
 */
export async function householdHistory(ctx: UseCaseContext, id: number): Promise<{ items: HistoryEntry[] }> {
  const h = await findHousehold(ctx.db, id, ctx.actor.scope);
  if (!h) throw new AppError('NOT_FOUND');
  const versions = await versionsOfHousehold(ctx.db, id, ctx.actor.scope);
  const groups = new Map<string, VersionRow[]>();
  for (const v of versions) {
    const k = `${v.entity}:${v.id}`;
    const list = groups.get(k) ?? [];
    list.push(v);
    groups.set(k, list);
  }
  type Raw = Omit<HistoryEntry, 'changedByName' | 'at'> & { at: string };
  const out: Raw[] = [];
  for (const list of groups.values()) {
    // Order: history rows by (valid_from, hist_seq), the current row (valid_to NULL) last.
    list.sort((a, b) => {
      if (a.valid_to === null) return 1;
      if (b.valid_to === null) return -1;
      return a.valid_from.localeCompare(b.valid_from) || Number(a.seq) - Number(b.seq);
    });
    const last = list[list.length - 1]!;
    const deleted = last.valid_to !== null ? last : null;
    // Versions that never held (several changes in one transaction, the stamp before a delete) are skipped.
    const real = list.filter((v, i) => i === 0 || v.valid_to === null || v.valid_to !== v.valid_from);
    // A person's versions count while they belonged to this household (before or after the change).
    const tracked = (d: Record<string, unknown> | null) =>
      d !== null && (v0entity(list) !== 'person' || Number(d.household_id) === id);
    let prev: VersionRow | null = null;
    for (const v of real) {
      const changes = factDiff(prev?.data ?? null, v.data);
      if (prev === null || Object.keys(changes).length > 0) {
        if (tracked(prev?.data ?? null) || tracked(v.data)) {
          out.push({
            at: v.valid_from,
            entity: v.entity,
            entityId: Number(v.id),
            label: labelOf(v),
            action: prev === null ? 'create' : 'update',
            changedBy: v.changed_by === null ? null : Number(v.changed_by),
            reason: v.change_reason,
            changes: prev === null ? factDiff(null, v.data) : changes,
          });
        }
      }
      prev = v;
    }
    if (deleted) {
      out.push({
        at: deleted.valid_to!,
        entity: deleted.entity,
        entityId: Number(deleted.id),
        label: labelOf(deleted),
        action: 'delete',
        changedBy: deleted.changed_by === null ? null : Number(deleted.changed_by),
        reason: deleted.change_reason,
        changes: factDiff(deleted.data, null),
      });
    }
  }
  for (const m of await membershipsOf(ctx.db, id)) {
    out.push({
      at: startOfDayCst(m.joined_on),
      entity: 'membership',
      entityId: Number(m.id),
      label: m.person_name,
      action: 'create',
      changedBy: null,
      reason: '迁入',
      changes: { joined_on: [null, m.joined_on], relation: [null, m.relation] },
    });
    if (m.left_on) {
      out.push({
        at: startOfDayCst(m.left_on),
        entity: 'membership',
        entityId: Number(m.id),
        label: m.person_name,
        action: 'delete',
        changedBy: null,
        reason: m.leave_reason,
        changes: { left_on: [null, m.left_on] },
      });
    }
  }
  const names = await userNames(ctx.db, [
    ...new Set(out.map((e) => e.changedBy).filter((x): x is number => x !== null)),
  ]);
  const items = out
    .map((e) => ({
      ...e,
      at: iso(e.at) ?? e.at,
      changedByName: e.changedBy === null ? null : (names.get(e.changedBy) ?? null),
    }))
    .sort((a, b) => b.at.localeCompare(a.at));
  return { items };
}

const startOfDayCst = (d: string) => new Date(Date.parse(`${d}T00:00:00+08:00`)).toISOString();

function v0entity(list: VersionRow[]) {
  return list[0]!.entity;
}
