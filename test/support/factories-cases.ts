import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { checkCharOf } from '../../src/domain/identity/id-number.js';
import { type Db, first } from '../../src/server/db/client.js';
import type { Client } from './app.js';

let seq = 0;

/** A valid GB 11643 number for a birth date (unique per call within a process). */
export function idNumberFor(birthDate: string, region = '620802'): string {
  seq++;
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String((seq * 7 + (process.pid % 500)) % 1000).padStart(3, '0')}`;
  return first17 + checkCharOf(first17);
}

export interface MemberSpec {
  name: string;
  birthDate: string;
  relation?: 'head' | 'spouse' | 'child' | 'parent' | 'other';
  labour?: 'full' | 'partial' | 'none';
  hukouLocal?: boolean;
  graveIllness?: boolean;
  health?: 'healthy' | 'chronic' | 'grave_illness' | 'disabled';
  disabilityLevel?: number;
}

export interface HouseholdSpec {
  regionCode: string;
  hukouType?: 'urban' | 'rural';
  housingRating?: 'A' | 'B' | 'C' | 'D';
  address?: string;
  members: MemberSpec[];
  income?: Array<{ kind: string; period?: 'monthly' | 'annual'; amountFen: number }>;
  property?: Array<{ kind: string; valueFen: number }>;
}

/** Writes a registry household with members, income and property as real rows. */
export async function makeHousehold(db: Db, h: HouseholdSpec): Promise<{ householdId: number; personIds: number[] }> {
  const hh = await first<{ id: number }>(
    db,
    sql`INSERT INTO households (region_code, address, hukou_type, housing_rating) VALUES (${h.regionCode}, ${h.address ?? `${h.members[0]!.name}家`}, ${h.hukouType ?? 'rural'}, ${h.housingRating ?? 'A'}) RETURNING id`,
  );
  const householdId = Number(hh!.id);
  const personIds: number[] = [];
  for (const [i, m] of h.members.entries()) {
    const p = await first<{ id: number }>(
      db,
      sql`INSERT INTO persons (id_number, name, sex, birth_date, hukou_region_code, hukou_local, labour_capacity, health, grave_illness, household_id, relation, region_code)
          VALUES (${idNumberFor(m.birthDate, h.regionCode.slice(0, 6))}, ${m.name}, ${i % 2 ? 'F' : 'M'}, ${m.birthDate}::date, ${h.regionCode}, ${m.hukouLocal ?? true},
                  ${m.labour ?? 'full'}, ${m.health ?? 'healthy'}, ${m.graveIllness ?? false}, ${householdId}, ${m.relation ?? (i === 0 ? 'head' : 'child')}, ${h.regionCode})
          RETURNING id`,
    );
    personIds.push(Number(p!.id));
    if (m.disabilityLevel) {
      await db.execute(sql`INSERT INTO disability_certs (person_id, region_code, cert_no, generation, disability_type, disability_level)
        VALUES (${Number(p!.id)}, ${h.regionCode}, ${`CJ${Number(p!.id)}`}, 2, 'physical', ${m.disabilityLevel})`);
    }
  }
  await db.execute(sql`UPDATE households SET head_person_id = ${personIds[0]!} WHERE id = ${householdId}`);
  for (const inc of h.income ?? []) {
    await db.execute(
      sql`INSERT INTO income_items (household_id, region_code, kind, period, amount_fen) VALUES (${householdId}, ${h.regionCode}, ${inc.kind}, ${inc.period ?? 'monthly'}, ${inc.amountFen})`,
    );
  }
  for (const p of h.property ?? []) {
    await db.execute(
      sql`INSERT INTO property_items (household_id, region_code, kind, value_fen) VALUES (${householdId}, ${h.regionCode}, ${p.kind}, ${p.valueFen})`,
    );
  }
  return { householdId, personIds };
}

export const TEST_STANDARD = {
  urbanMonthlyFen: 80_000,
  ruralMonthlyFen: 50_000,
  classAmountsFen: { 1: 50_000, 2: 45_000, 3: 20_000, 4: 12_000 },
};

/** The county's 低保标准 for a year (a missing standard is CONFIGURATION_MISSING). */
export async function setStandard(db: Db, countyCode: string, year: number, value = TEST_STANDARD) {
  await db.execute(sql`INSERT INTO case_parameters (programme, key, region_code, effective_from, value, citation)
    VALUES ('dibao', 'standard', ${countyCode}, make_date(${year}, 1, 1), ${JSON.stringify(value)}::jsonb, '县级低保标准')
    ON CONFLICT (programme, key, region_code, effective_from) DO UPDATE SET value = EXCLUDED.value`);
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);

export function multipart(filename: string, content: Buffer) {
  const boundary = '----jiuzhucases';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a material through the API. */
export async function upload(
  app: FastifyInstance,
  c: Client,
  caseId: number,
  kind: string,
  filename = `${kind}.pdf`,
  content = PDF,
) {
  const m = multipart(filename, content);
  return app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/materials?kind=${kind}`,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': m.contentType },
    payload: m.body,
  });
}

export const INVESTIGATION = (on: string, rating = 6) => ({
  investigators: [{ name: '王调查' }, { name: '李调查' }],
  visitForm: {
    visitedOn: on,
    signedByApplicant: true,
    signedByInvestigators: true,
    hardshipRating: rating,
    notes: '住房简陋',
  },
  neighbourVisits: [{ name: '赵邻居', relation: '邻居', statement: '家中确实困难' }],
  verification: { requestedOn: on, resultOn: on, result: 'consistent', note: '' },
});

export const REVIEW = (on: string, votesFor = 8, against = 1) => ({
  heldOn: on,
  participants: Array.from({ length: 10 }, (_, i) => ({
    name: `评议代表${i + 1}`,
    role: i < 2 ? '乡镇干部' : '村民代表',
  })),
  votesFor,
  votesAgainst: against,
  abstentions: 10 - votesFor - against,
  minutes: '经民主评议，多数代表认为该户家庭困难',
});
