import { sql } from 'drizzle-orm';
import { makeIdNumber } from '../../src/domain/identity/id-number.js';
import { type Db, first } from '../../src/server/db/client.js';

/** Registry and entitlement rows written with plain SQL for roster, ledger and exchange tests. */
let seq = 100;

export interface EnrollmentSpec {
  programme: string;
  amountFen: number | null;
  startMonth?: string;
  endMonth?: string | null;
  status?: 'active' | 'suspended' | 'ended';
  /** index of the member for person-level programmes; omitted → household-level */
  member?: number;
  dibaoKind?: 'urban' | 'rural';
  ruralClass?: number;
}

export interface MadeHousehold {
  householdId: number;
  personIds: number[];
  idNumbers: string[];
  names: string[];
  enrollmentIds: number[];
  account: string | null;
}

export async function makeHousehold(
  db: Db,
  o: {
    regionCode: string;
    names: string[];
    bank?: { name: string; account: string | null; holder?: string } | null;
    enrollments: EnrollmentSpec[];
    phone?: string;
  },
): Promise<MadeHousehold> {
  const bank =
    o.bank === undefined
      ? {
          name: '农村信用社',
          account: `6229${String(1_000_000_000_000 + seq * 7919).slice(0, 13)}`,
          holder: o.names[0],
        }
      : o.bank;
  const h = await first<{ id: number }>(
    db,
    sql`INSERT INTO households (region_code, address, hukou_type, bank_name, bank_account, bank_account_holder)
        VALUES (${o.regionCode}, ${`${o.names[0]}家 某村${seq}号`}, 'rural', ${bank?.name ?? null}, ${bank?.account ?? null}, ${bank?.holder ?? null})
        RETURNING id`,
  );
  const householdId = Number(h!.id);
  const personIds: number[] = [];
  const idNumbers: string[] = [];
  for (const [i, name] of o.names.entries()) {
    seq++;
    const id = makeIdNumber(
      o.regionCode.slice(0, 6),
      `19${50 + (seq % 40)}-0${1 + (seq % 9)}-1${seq % 10}`,
      seq % 1000,
    );
    const p = await first<{ id: number }>(
      db,
      sql`INSERT INTO persons (id_number, name, sex, birth_date, household_id, relation, region_code, phone)
          VALUES (${id}, ${name}, ${Number(id[16]) % 2 === 1 ? 'M' : 'F'}, ${`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`},
                  ${householdId}, ${i === 0 ? 'head' : 'child'}, ${o.regionCode}, ${o.phone ?? null})
          RETURNING id`,
    );
    personIds.push(Number(p!.id));
    idNumbers.push(id);
  }
  await db.execute(sql`UPDATE households SET head_person_id = ${personIds[0]!} WHERE id = ${householdId}`);
  const enrollmentIds: number[] = [];
  for (const e of o.enrollments) {
    const r = await first<{ id: number }>(
      db,
      sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, dibao_kind, rural_class, status,
            start_month, end_month, monthly_amount_fen)
          VALUES (${householdId}, ${e.member === undefined ? null : personIds[e.member]!}, ${o.regionCode}, ${e.programme},
                  ${e.programme === 'dibao' ? (e.dibaoKind ?? 'rural') : null}, ${e.programme === 'dibao' ? (e.ruralClass ?? 2) : null},
                  ${e.status ?? 'active'}, ${e.startMonth ?? '2026-01'}, ${e.endMonth ?? null}, ${e.amountFen})
          RETURNING id`,
    );
    enrollmentIds.push(Number(r!.id));
  }
  return { householdId, personIds, idNumbers, names: o.names, enrollmentIds, account: bank?.account ?? null };
}
