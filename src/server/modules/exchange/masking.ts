/**
 * Registry records as an API client sees them: ID numbers, names, phones and addresses masked or left out per the
 * masking rule of the client's platform (shared by the registry search, the person lookup and the change feed).
 */
import { maskIdNumber } from '../../../domain/identity/id-number.js';
import { iso } from '../../platform/cursor.js';
import type { MaskRule } from './export.js';
import type { PersonHit } from './registry-repo.js';

export function maskPerson<T extends { id_number: string; name: string }>(rule: MaskRule, p: T): T {
  return {
    ...p,
    id_number: rule.id_number === 'full' ? p.id_number : maskIdNumber(p.id_number),
    name: rule.name_rule === 'full' ? p.name : `${p.name.slice(0, 1)}${'*'.repeat(Math.max(p.name.length - 1, 1))}`,
  };
}

/** A person found in the registry, masked; the phone only with `withPhone` (and never when the rule omits it). */
export function personRecord(rule: MaskRule, hit: PersonHit, withPhone: boolean) {
  const { total: _t, phone, address, ...p } = hit;
  return {
    ...maskPerson(rule, p),
    person_id: Number(p.person_id),
    household_id: p.household_id === null ? null : Number(p.household_id),
    address: rule.address === 'full' ? address : null,
    ...(!withPhone || rule.phone === 'omit'
      ? {}
      : { phone: rule.phone === 'full' ? phone : phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : null }),
    updated_at: iso(p.updated_at)!,
  };
}
