import type { DisabilityCertInput, MemberInput, PersonInput } from '../../../contracts/registry-persons.js';
import { ID_PROBLEM_MESSAGES, parseIdNumber } from '../../../domain/identity/id-number.js';
import type { FieldError } from '../../platform/errors.js';

/** Pure registry rules (no I/O): person facts, household composition, disability certificates, masking. */

export interface PersonFacts {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  ethnicity: string | null;
  phone: string | null;
  hukouRegionCode: string | null;
  hukouLocal: boolean;
  education: string | null;
  studentStatus: string | null;
  health: string | null;
  graveIllness: boolean;
  labourCapacity: string | null;
  deathDate: string | null;
}

const SEX_ZH = { M: '男', F: '女' } as const;

/**
 * Validates an ID number per GB 11643-1999 (POLICY.md §7 "Resident ID number": check character ISO 7064 MOD 11-2,
 * a real birth date not in the future; the address code is not required to exist today) and returns the normalised
 * number with the sex and birth date it encodes, or a field error.
 */
export function checkIdNumber(
  raw: string,
  today: string,
  field: string,
): { ok: true; idNumber: string; sex: 'M' | 'F'; birthDate: string } | { ok: false; error: FieldError } {
  const r = parseIdNumber(raw, today);
  if (!r.ok)
    return { ok: false, error: { field, code: `id_${r.problem}`, message: ID_PROBLEM_MESSAGES[r.problem].zh } };
  return { ok: true, idNumber: r.info.idNumber, sex: r.info.sex, birthDate: r.info.birthDate };
}

/**
 * Person facts from the entered values (POLICY.md §7 "Resident ID number": sex from the parity of the sequence
 * digit, birth date from digits 7–14). Sex and birth date are derived; an entered value that disagrees is a field
 * error, never silently overwritten. A death date lies between the birth date and today.
 */
export function personFacts(
  input: PersonInput,
  today: string,
  prefix: string,
): { facts?: PersonFacts; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const id = checkIdNumber(input.idNumber, today, `${prefix}idNumber`);
  if (!id.ok) return { errors: [id.error] };
  if (input.sex && input.sex !== id.sex) {
    errors.push({
      field: `${prefix}sex`,
      code: 'sex_mismatch',
      message: `性别「${SEX_ZH[input.sex]}」与身份证号码不符（号码显示为${SEX_ZH[id.sex]}）`,
    });
  }
  if (input.birthDate && input.birthDate !== id.birthDate) {
    errors.push({
      field: `${prefix}birthDate`,
      code: 'birth_date_mismatch',
      message: `出生日期 ${input.birthDate} 与身份证号码不符（号码显示为 ${id.birthDate}）`,
    });
  }
  errors.push(...deathDateErrors(input.deathDate ?? null, id.birthDate, today, `${prefix}deathDate`));
  const health = input.health ?? null;
  return {
    errors,
    facts: {
      idNumber: id.idNumber,
      name: input.name,
      sex: id.sex,
      birthDate: id.birthDate,
      ethnicity: input.ethnicity ?? null,
      phone: input.phone ?? null,
      hukouRegionCode: input.hukouRegionCode ?? null,
      hukouLocal: input.hukouLocal ?? true,
      education: input.education ?? null,
      studentStatus: input.studentStatus ?? null,
      health,
      graveIllness: input.graveIllness ?? health === 'grave_illness',
      labourCapacity: input.labourCapacity ?? null,
      deathDate: input.deathDate ?? null,
    },
  };
}

/** A death date cannot precede the birth date or lie in the future (POLICY.md §2 [F]: a death triggers a review). */
export function deathDateErrors(
  deathDate: string | null,
  birthDate: string,
  today: string,
  field: string,
): FieldError[] {
  if (!deathDate) return [];
  if (deathDate < birthDate)
    return [{ field, code: 'before_birth', message: `死亡日期 ${deathDate} 早于出生日期 ${birthDate}` }];
  if (deathDate > today) return [{ field, code: 'future_date', message: `死亡日期 ${deathDate} 晚于今天` }];
  return [];
}

/**
 * Household composition (POLICY.md §2 [A arts.4–8]: one application per household; members are related to the
 * head): exactly one head, and no ID number twice in the same household.
 */
export function compositionErrors(members: Array<Pick<MemberInput, 'relation'> & { idNumber?: string }>): FieldError[] {
  const errors: FieldError[] = [];
  const heads = members.map((m, i) => (m.relation === 'head' ? i : -1)).filter((i) => i >= 0);
  if (heads.length === 0)
    errors.push({ field: 'members', code: 'no_head', message: '须指定一名户主（与户主关系为「户主」）' });
  for (const i of heads.slice(1)) {
    errors.push({ field: `members[${i}].relation`, code: 'second_head', message: '一户只能有一名户主' });
  }
  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    if (!m.idNumber) return;
    const prev = seen.get(m.idNumber);
    if (prev !== undefined) {
      errors.push({
        field: `members[${i}].idNumber`,
        code: 'duplicate_in_request',
        message: `身份证号码与第 ${prev + 1} 名成员重复`,
      });
    } else seen.set(m.idNumber, i);
  });
  return errors;
}

/**
 * Disability certificate (残疾人证) rules, POLICY.md §4 [K; seed]: only the second-generation certificate counts for the
 * two subsidies and it always carries a level 1–4, so a 2nd-generation certificate without a level is refused; an old
 * 1st-generation certificate may lack one. Expiry cannot precede issue; a care-since date needs long-term care.
 */
export function disabilityCertErrors(c: DisabilityCertInput, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (c.generation === 2 && (c.level === undefined || c.level === null)) {
    errors.push({ field: 'level', code: 'required', message: '第二代残疾人证须填写残疾等级（1–4 级）' });
  }
  if (c.issuedOn && c.issuedOn > today)
    errors.push({ field: 'issuedOn', code: 'future_date', message: `发证日期 ${c.issuedOn} 晚于今天` });
  if (c.issuedOn && c.expiresOn && c.expiresOn < c.issuedOn) {
    errors.push({
      field: 'expiresOn',
      code: 'before_issue',
      message: `有效期至 ${c.expiresOn} 早于发证日期 ${c.issuedOn}`,
    });
  }
  if (c.careSince && !c.needsLongTermCare) {
    errors.push({ field: 'careSince', code: 'without_care', message: '未勾选「需要长期照护」时不应填写照护起始日期' });
  }
  if (c.careSince && c.careSince > today)
    errors.push({ field: 'careSince', code: 'future_date', message: `照护起始日期 ${c.careSince} 晚于今天` });
  return errors;
}

/** Bank account masked in every view (POLICY.md §2 [A art.24]: privacy protection): first 4 and last 4 digits. */
export function maskAccount(account: string | null): string | null {
  if (!account) return null;
  if (account.length <= 8) return '*'.repeat(account.length);
  return `${account.slice(0, 4)}${'*'.repeat(account.length - 8)}${account.slice(-4)}`;
}

/** A date not later than today (dates of formation, joining, leaving, appraisal). */
export function notFuture(date: string | null | undefined, today: string, field: string, label: string): FieldError[] {
  return date && date > today ? [{ field, code: 'future_date', message: `${label} ${date} 晚于今天` }] : [];
}

/**
 * The latest birth date of someone aged at least `years` on `today` (age bands in search). A birthday on 29 February
 * counts on 28 February in common years.
 */
export function birthDateForAge(today: string, years: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const ty = y - years;
  const leap = (ty % 4 === 0 && ty % 100 !== 0) || ty % 400 === 0;
  const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return `${String(ty).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
