import { sql } from 'drizzle-orm';
import { makeIdNumber } from '../../src/domain/identity/id-number.js';
import { type Database, rows } from '../../src/server/db/client.js';
import type { Client } from '../support/app.js';
import { R } from '../support/app.js';

/** Registry test data: valid ID numbers by sequence, household bodies, and villages of county A. */

let seq = 100;
/** A fresh valid ID number (address 620802) for a birth date; odd sequence = male, even = female. */
export function idFor(birthDate: string, sex: 'M' | 'F'): string {
  seq += 1;
  if ((seq % 2 === 1) !== (sex === 'M')) seq += 1;
  return makeIdNumber('620802', birthDate, seq);
}

/** A wrong check character for a valid number. */
export function withWrongCheck(id: string): string {
  const c = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + c;
}

export function householdBody(over: Record<string, unknown> = {}, members?: unknown[]) {
  return {
    regionCode: R.villageA,
    address: '崆峒镇祁河村一社 12 号',
    hukouType: 'rural',
    formedOn: '2001-03-01',
    housing: { structure: '土木', rating: 'B', appraisedOn: '2024-05-10', appraisalBody: '崆峒区住建局' },
    members: members ?? [
      { idNumber: idFor('1968-04-12', 'M'), name: '张建国', relation: 'head', ethnicity: '汉族', phone: '13800000001' },
      { idNumber: idFor('1970-09-30', 'F'), name: '李秀英', relation: 'spouse' },
      { idNumber: idFor('2008-01-15', 'M'), name: '张小军', relation: 'child', studentStatus: 'senior' },
    ],
    ...over,
  };
}

export async function createHousehold(c: Client, over: Record<string, unknown> = {}, members?: unknown[]) {
  const res = await c.post('/api/v1/registry/households', householdBody(over, members));
  if (res.statusCode !== 201) throw new Error(`create household: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Villages of county A: two in township A and one in another township. */
export async function villagesOfCountyA(database: Database) {
  const sameTown = await rows<{ code: string }>(
    database.db,
    sql`SELECT code FROM regions WHERE parent_code = ${R.townA} AND retired_in IS NULL ORDER BY code LIMIT 2`,
  );
  const otherTown = await rows<{ code: string }>(
    database.db,
    sql`SELECT code FROM regions WHERE length(code) = 12 AND code LIKE ${`${R.countyA}%`} AND code NOT LIKE ${`${R.townA}%`}
        AND retired_in IS NULL ORDER BY code LIMIT 1`,
  );
  return { village1: sameTown[0]!.code, village2: sameTown[1]!.code, otherTownVillage: otherTown[0]!.code };
}

/** Moves every registry timestamp of a household's rows back by `days` (test-only: simulates data entered earlier). */
export async function backdate(database: Database, days: number) {
  const tables = [
    'households',
    'persons',
    'disability_certs',
    'income_items',
    'property_items',
    'programme_enrollments',
  ];
  for (const t of tables) {
    await database.db.execute(sql.raw(`ALTER TABLE ${t} DISABLE TRIGGER ${t}_history_trg`));
    await database.db.execute(sql.raw(`UPDATE ${t} SET valid_from = valid_from - interval '${days} days'`));
    await database.db.execute(sql.raw(`ALTER TABLE ${t} ENABLE TRIGGER ${t}_history_trg`));
  }
  for (const t of tables) {
    await database.db.execute(
      sql.raw(
        `UPDATE ${t}_history SET valid_from = valid_from - interval '${days} days', valid_to = valid_to - interval '${days} days'`,
      ),
    );
  }
}
