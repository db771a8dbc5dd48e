/**
 * SQL factories for the policy tests: real registry rows (households, persons, certificates, income, property,
 * enrollments) and the policy facts tables (person_benefit_facts, legal_supporters), plus the seed parameters.
 */
import { sql } from 'drizzle-orm';
import { makeIdNumber } from '../../src/domain/identity/id-number.js';
import { type Db, first } from '../../src/server/db/client.js';

let seq = 0;

export async function villageOf(db: Db, county: string): Promise<string> {
  const r = await first<{ code: string }>(
    db,
    sql`SELECT code FROM regions WHERE level = 5 AND code LIKE ${`${county}%`} ORDER BY code LIMIT 1`,
  );
  if (!r) throw new Error(`no village in ${county}`);
  return r.code;
}

export async function makeHousehold(
  db: Db,
  h: { regionCode: string; hukouType?: 'urban' | 'rural'; address?: string },
): Promise<number> {
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO households (region_code, address, hukou_type) VALUES (${h.regionCode}, ${h.address ?? '测试地址'}, ${h.hukouType ?? 'rural'}) RETURNING id`,
  );
  return Number(r!.id);
}

export interface PersonInput {
  householdId: number;
  regionCode: string;
  birthDate: string;
  name?: string;
  hukouLocal?: boolean;
  studentStatus?: string | null;
  deathDate?: string | null;
  relation?: string;
}

export async function makePerson(db: Db, p: PersonInput): Promise<number> {
  seq++;
  const id = makeIdNumber(p.regionCode.slice(0, 6), p.birthDate, seq % 1000);
  const unique = `${id.slice(0, 14)}${String(seq % 10000).padStart(4, '0')}`;
  const r = await first<{ id: number }>(
    db,
    sql`INSERT INTO persons (id_number, name, sex, birth_date, hukou_local, student_status, death_date, household_id, relation, region_code)
        VALUES (${unique}, ${p.name ?? `测试${seq}`}, ${seq % 2 ? 'M' : 'F'}, ${p.birthDate}::date, ${p.hukouLocal ?? true}, ${p.studentStatus ?? null},
                ${p.deathDate ?? null}::date, ${p.householdId}, ${p.relation ?? 'head'}, ${p.regionCode})
        RETURNING id`,
  );
  return Number(r!.id);
}

export async function makeCert(
  db: Db,
  c: {
    personId: number;
    regionCode: string;
    generation: 1 | 2;
    type: string;
    level: number | null;
    care?: boolean;
    expiresOn?: string | null;
  },
) {
  seq++;
  await db.execute(sql`INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level, needs_long_term_care, expires_on)
    VALUES (${c.personId}, ${c.regionCode}, ${`C${seq}`}, ${c.generation}, ${c.type}, ${c.level}, ${c.care ?? false}, ${c.expiresOn ?? null}::date)`);
}

export async function makeIncome(
  db: Db,
  i: {
    householdId: number;
    personId: number | null;
    regionCode: string;
    kind: string;
    period: 'monthly' | 'annual';
    amountFen: number;
  },
) {
  await db.execute(sql`INSERT INTO income_items (household_id, person_id, region_code, kind, period, amount_fen)
    VALUES (${i.householdId}, ${i.personId}, ${i.regionCode}, ${i.kind}, ${i.period}, ${i.amountFen})`);
}

export async function makeProperty(
  db: Db,
  i: { householdId: number; personId: number | null; regionCode: string; kind: string; valueFen: number },
) {
  await db.execute(sql`INSERT INTO property_items (household_id, person_id, region_code, kind, value_fen)
    VALUES (${i.householdId}, ${i.personId}, ${i.regionCode}, ${i.kind}, ${i.valueFen})`);
}

export async function makeEnrollment(
  db: Db,
  e: {
    householdId: number;
    personId?: number | null;
    regionCode: string;
    programme: string;
    dibaoKind?: 'urban' | 'rural' | null;
    ruralClass?: number | null;
    status?: string;
    amountFen?: number;
  },
) {
  await db.execute(sql`INSERT INTO programme_enrollments (household_id, person_id, region_code, programme, dibao_kind, rural_class, status, start_month, monthly_amount_fen)
    VALUES (${e.householdId}, ${e.personId ?? null}, ${e.regionCode}, ${e.programme}, ${e.dibaoKind ?? null}, ${e.ruralClass ?? null}, ${e.status ?? 'active'}, '2024-01', ${e.amountFen ?? null})`);
}

export async function makeBenefitFact(
  db: Db,
  b: { personId: number; regionCode: string; kind: string; monthlyAmountFen?: number | null; validFrom?: string },
) {
  await db.execute(sql`INSERT INTO person_benefit_facts (person_id, region_code, kind, monthly_amount_fen, valid_from)
    VALUES (${b.personId}, ${b.regionCode}, ${b.kind}, ${b.monthlyAmountFen ?? null}, ${b.validFrom ?? '2020-01-01'}::date)`);
}

export async function makeSupporter(
  db: Db,
  s: {
    personId: number;
    regionCode: string;
    relation?: string;
    birthDate: string;
    isTekun?: boolean;
    isDibao?: boolean;
    annualIncomeFen?: number | null;
    propertyFen?: number | null;
    disabilityType?: string | null;
    disabilityLevel?: number | null;
    lacksCivilCapacity?: boolean;
    declaredMissing?: boolean;
    imprisoned?: boolean;
  },
) {
  await db.execute(sql`INSERT INTO legal_supporters (person_id, region_code, name, relation, birth_date, is_tekun, is_dibao, annual_income_fen, property_fen,
      disability_type, disability_level, lacks_civil_capacity, declared_missing, imprisoned)
    VALUES (${s.personId}, ${s.regionCode}, '义务人', ${s.relation ?? 'child'}, ${s.birthDate}::date, ${s.isTekun ?? false}, ${s.isDibao ?? false},
      ${s.annualIncomeFen ?? null}, ${s.propertyFen ?? null}, ${s.disabilityType ?? null}, ${s.disabilityLevel ?? null},
      ${s.lacksCivilCapacity ?? false}, ${s.declaredMissing ?? false}, ${s.imprisoned ?? false})`);
}
