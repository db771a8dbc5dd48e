import type { Database, Db } from '../db/client.js';
import { type CopySession, copyLine, inCopyTransaction } from '../db/copy.js';
import { generateHouseholds, type SeedHousehold, type SeedOptions } from './generator.js';

/** Income items written from a ledger (import and seed alike) carry this source; one per person and kind. */
export const LEDGER_INCOME_SOURCE = '台账导入';

export const TABLE_COLUMNS = {
  households: [
    'id',
    'household_no',
    'region_code',
    'address',
    'hukou_type',
    'head_person_id',
    'formed_on',
    'housing_structure',
    'housing_rating',
    'housing_appraised_on',
    'housing_appraisal_body',
    'bank_name',
    'bank_account',
    'bank_account_holder',
    'changed_by',
    'change_reason',
  ],
  persons: [
    'id',
    'id_number',
    'name',
    'sex',
    'birth_date',
    'ethnicity',
    'phone',
    'hukou_region_code',
    'hukou_local',
    'education',
    'student_status',
    'health',
    'grave_illness',
    'labour_capacity',
    'household_id',
    'relation',
    'region_code',
    'changed_by',
    'change_reason',
  ],
  household_memberships: ['person_id', 'household_id', 'relation', 'region_code', 'joined_on', 'created_by'],
  disability_certs: [
    'person_id',
    'region_code',
    'cert_no',
    'generation',
    'disability_type',
    'disability_level',
    'issued_on',
    'needs_long_term_care',
    'care_since',
    'changed_by',
    'change_reason',
  ],
  income_items: [
    'household_id',
    'person_id',
    'region_code',
    'kind',
    'period',
    'amount_fen',
    'verified',
    'source',
    'changed_by',
    'change_reason',
  ],
  programme_enrollments: [
    'household_id',
    'person_id',
    'region_code',
    'programme',
    'dibao_kind',
    'rural_class',
    'status',
    'start_month',
    'monthly_amount_fen',
    'case_ref',
    'changed_by',
    'change_reason',
  ],
} as const;

export type SeedTable = keyof typeof TABLE_COLUMNS;

export interface ChunkText {
  households: number;
  persons: number;
  text: Record<SeedTable, string>;
}

/**
 * Renders generated households as COPY text for the registry tables, with ids from the reserved ranges.
 * `withEnrollments: false` leaves out programme_enrollments (what a ledger import writes is compared with this).
 */
export function renderChunk(
  batch: SeedHousehold[],
  firstHouseholdId: number,
  firstPersonId: number,
  meta: { reason: string; joinedOn: string; withEnrollments: boolean },
): ChunkText {
  const text: Record<SeedTable, string[]> = {
    households: [],
    persons: [],
    household_memberships: [],
    disability_certs: [],
    income_items: [],
    programme_enrollments: [],
  };
  let hid = firstHouseholdId;
  let pid = firstPersonId;
  for (const h of batch) {
    const headId = pid;
    const memberIds = h.members.map(() => pid++);
    text.households.push(
      copyLine([
        hid,
        h.householdNo,
        h.regionCode,
        h.address,
        h.hukouType,
        headId,
        h.formedOn,
        h.housingStructure,
        h.housingRating,
        h.housingAppraisedOn,
        h.housingAppraisalBody,
        h.bankName,
        h.bankAccount,
        h.bankAccount ? h.members[0]!.name : null,
        null,
        meta.reason,
      ]),
    );
    h.members.forEach((m, i) => {
      const id = memberIds[i]!;
      text.persons.push(
        copyLine([
          id,
          m.idNumber,
          m.name,
          m.sex,
          m.birthDate,
          m.ethnicity,
          m.phone,
          h.regionCode,
          m.hukouLocal,
          m.education,
          m.studentStatus,
          m.health,
          m.health === 'grave_illness',
          m.labourCapacity,
          hid,
          m.relation,
          h.regionCode,
          null,
          meta.reason,
        ]),
      );
      text.household_memberships.push(copyLine([id, hid, m.relation, h.regionCode, meta.joinedOn, null]));
      const d = m.disability;
      if (d) {
        text.disability_certs.push(
          copyLine([
            id,
            h.regionCode,
            d.certNo,
            d.generation,
            d.type,
            d.level,
            d.issuedOn,
            d.needsCare,
            d.needsCare ? d.issuedOn : null,
            null,
            meta.reason,
          ]),
        );
      }
      const incomes: Array<[string, number]> = [
        ['wages', m.wagesFen],
        ['business_net', m.businessFen],
        ['property_net', m.propertyFen],
        ['transfer_net', m.transferFen],
      ];
      for (const [kind, fen] of incomes) {
        if (fen > 0)
          text.income_items.push(
            copyLine([hid, id, h.regionCode, kind, 'monthly', fen, false, LEDGER_INCOME_SOURCE, null, meta.reason]),
          );
      }
    });
    if (meta.withEnrollments) {
      for (const e of h.enrollments) {
        text.programme_enrollments.push(
          copyLine([
            hid,
            e.member === null ? null : memberIds[e.member]!,
            h.regionCode,
            e.programme,
            e.dibaoKind,
            e.ruralClass,
            'active',
            e.startMonth,
            e.monthlyAmountFen,
            null,
            null,
            meta.reason,
          ]),
        );
      }
    }
    hid++;
  }
  return {
    households: batch.length,
    persons: pid - firstPersonId,
    text: Object.fromEntries(Object.entries(text).map(([k, v]) => [k, v.join('')])) as Record<SeedTable, string>,
  };
}

/** Reserves `n` consecutive ids of a serial column (the caller holds a lock that keeps other writers out). */
async function reserveIds(s: CopySession, table: string, n: number): Promise<number> {
  if (n === 0) return 0;
  const [r] = await s.query<{ base: string | number }>(
    `SELECT nextval(pg_get_serial_sequence('${table}', 'id')) AS base`,
  );
  const base = Number(r!.base);
  if (n > 1) await s.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), $1)`, [base + n - 1]);
  return base;
}

export async function copyChunk(s: CopySession, c: ChunkText): Promise<void> {
  // households first: persons reference them; the head reference (deferred FK) is checked at commit.
  for (const t of Object.keys(TABLE_COLUMNS) as SeedTable[]) await s.copy(t, TABLE_COLUMNS[t], c.text[t]);
}

export interface SeedResult {
  households: number;
  persons: number;
  disabilityCerts: number;
  enrollments: number;
}

/**
 * Generates and writes `opts.households` households in ONE transaction with COPY, chunk by chunk (constant memory).
 * Ids are reserved per chunk under a table lock, so the head reference can be written with the household.
 */
export async function writeSeed(
  database: Database,
  opts: SeedOptions & {
    chunkSize?: number;
    withEnrollments?: boolean;
    joinedOn?: string;
    onProgress?: (done: number) => void;
    afterWrite?: (db: Db) => Promise<void>;
  },
): Promise<SeedResult> {
  const chunkSize = opts.chunkSize ?? 10_000;
  const reason = `合成数据（seed ${opts.seed}）`;
  const joinedOn = opts.joinedOn ?? opts.refDate ?? '2025-06-30';
  const result: SeedResult = { households: 0, persons: 0, disabilityCerts: 0, enrollments: 0 };
  await inCopyTransaction(database, async (s) => {
    await s.query('LOCK TABLE households, persons IN SHARE ROW EXCLUSIVE MODE');
    let batch: SeedHousehold[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const persons = batch.reduce((n, h) => n + h.members.length, 0);
      const hBase = await reserveIds(s, 'households', batch.length);
      const pBase = await reserveIds(s, 'persons', persons);
      const chunk = renderChunk(batch, hBase, pBase, {
        reason,
        joinedOn,
        withEnrollments: opts.withEnrollments !== false,
      });
      await copyChunk(s, chunk);
      result.households += batch.length;
      result.persons += persons;
      for (const h of batch) {
        result.disabilityCerts += h.members.filter((m) => m.disability).length;
        result.enrollments += opts.withEnrollments === false ? 0 : h.enrollments.length;
      }
      batch = [];
      opts.onProgress?.(result.households);
    };
    for (const h of generateHouseholds(opts)) {
      batch.push(h);
      if (batch.length >= chunkSize) await flush();
    }
    await flush();
    await opts.afterWrite?.(s.db);
  });
  return result;
}
