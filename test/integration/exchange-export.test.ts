import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/cli/util.js';
import { type Database, first, rows } from '../../src/server/db/client.js';
import { type ExportCounts, jsonLinesStream, platformRule } from '../../src/server/modules/exchange/export.js';
import { seedHouseholds } from '../../src/server/seed/service.js';
import { R } from '../support/app.js';
import { freshDatabase } from '../support/db.js';

/**
 * The big-data export's JSON Lines stream over a few thousand records. On PostgreSQL each record type is split into
 * id ranges copied on parallel connections and interleaved at line boundaries; on PGlite it is read in keyset
 * batches. Either way: every record exactly once, every line whole JSON, types in order, counts right.
 */
let db: Database;

beforeAll(async () => {
  db = await freshDatabase();
  await seedHouseholds(db, cliActor(), { households: 600, seed: 11, regionCode: R.countyA, withEnrollments: true });
});
afterAll(async () => {
  await db?.close();
});

async function exportAll(since?: string) {
  const rule = (await platformRule(db, 'verification'))!;
  let counts: ExportCounts | null = null;
  const chunks: Buffer[] = [];
  for await (const c of jsonLinesStream(db, { regionPrefix: R.countyA, rule, since }, (x) => (counts = x)))
    chunks.push(c as Buffer);
  return { text: Buffer.concat(chunks).toString('utf8'), counts: counts as ExportCounts | null };
}

describe('big-data export stream', () => {
  it('writes every record exactly once, as whole JSON lines, households then persons then enrollments', async () => {
    const { text, counts } = await exportAll();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const recs = lines.map((l) => JSON.parse(l) as { type: string; id: number; id_number?: string });
    const expected = await first<{ h: number; p: number; e: number }>(
      db.db,
      sql`SELECT (SELECT count(*) FROM households)::int AS h, (SELECT count(*) FROM persons)::int AS p,
                 (SELECT count(*) FROM programme_enrollments)::int AS e`,
    );
    expect(expected!.p).toBeGreaterThan(1000);
    expect(counts).toEqual({ household: expected!.h, person: expected!.p, enrollment: expected!.e });
    expect(recs).toHaveLength(expected!.h + expected!.p + expected!.e);
    for (const type of ['household', 'person', 'enrollment']) {
      const ids = recs.filter((r) => r.type === type).map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    // Type order: the last household comes before the first person, the last person before the first enrollment.
    const types = recs.map((r) => r.type);
    expect(types.lastIndexOf('household')).toBeLessThan(types.indexOf('person'));
    expect(types.lastIndexOf('person')).toBeLessThan(types.indexOf('enrollment'));
    // The verification platform gets full ID numbers: the exported ones are the registry's.
    const ids = await rows<{ id: number; id_number: string }>(db.db, sql`SELECT id, id_number FROM persons`);
    const byId = new Map(ids.map((r) => [Number(r.id), r.id_number]));
    for (const r of recs.filter((x) => x.type === 'person')) expect(r.id_number).toBe(byId.get(r.id));
  });

  it('exports only what changed since a timestamp, with deletions from the history', async () => {
    const [{ ts }] = (await rows<{ ts: string }>(db.db, sql`SELECT now()::text AS ts`)) as [{ ts: string }];
    const since = new Date(ts).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const victim = await first<{ id: number }>(db.db, sql`SELECT min(id)::int AS id FROM programme_enrollments`);
    await db.db.execute(sql`DELETE FROM programme_enrollments WHERE id = ${victim!.id}`);
    await db.db.execute(sql`UPDATE persons SET phone = '13800000000' WHERE id = (SELECT max(id) FROM persons)`);
    const { text, counts } = await exportAll(since);
    const recs = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; op: string; id: number });
    expect(recs.map((r) => `${r.type}:${r.op}`).sort()).toEqual(['enrollment:delete', 'person:upsert']);
    expect(recs.find((r) => r.op === 'delete')!.id).toBe(victim!.id);
    expect(counts).toEqual({ household: 0, person: 1, enrollment: 1 });
  });
  it('writes exactly what json_build_object would: escaping, nulls, dates, timestamps', async () => {
    // Awkward values: quotes, a backslash, a newline and a tab in a name and an address; no phone; a death date.
    const [p] = await rows<{ id: number; household_id: number }>(
      db.db,
      sql`SELECT id, household_id FROM persons WHERE household_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    await db.db.execute(
      sql`UPDATE persons SET name = ${'王"小\\二\n\t'}, phone = NULL, death_date = '2025-02-28' WHERE id = ${p!.id}`,
    );
    await db.db.execute(sql`UPDATE households SET address = ${'平凉"路"\\ 1号\r\n'} WHERE id = ${p!.household_id}`);
    const { text } = await exportAll();
    const recs = text
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const person = recs.find((r) => r.type === 'person' && r.id === Number(p!.id));
    const household = recs.find((r) => r.type === 'household' && r.id === Number(p!.household_id));
    const [ref] = await rows<{ p: string; h: string }>(
      db.db,
      sql`SELECT json_build_object('type', 'person', 'op', 'upsert', 'id', p.id, 'id_number', p.id_number, 'name', p.name,
                  'sex', p.sex, 'birth_date', p.birth_date, 'death_date', p.death_date, 'household_id', p.household_id,
                  'relation', p.relation, 'region_code', p.region_code, 'hukou_local', p.hukou_local, 'phone', p.phone,
                  'updated_at', p.valid_from)::text AS p,
                 json_build_object('type', 'household', 'op', 'upsert', 'id', h.id, 'household_no', h.household_no,
                  'region_code', h.region_code, 'hukou_type', h.hukou_type, 'status', h.status, 'address', h.address,
                  'head_person_id', h.head_person_id, 'housing_rating', h.housing_rating, 'updated_at', h.valid_from)::text AS h
          FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id = ${p!.id}`,
    );
    expect(person).toEqual(JSON.parse(ref!.p));
    expect(household).toEqual(JSON.parse(ref!.h));
    expect(person!.name).toBe('王"小\\二\n\t');
    expect(person!.phone).toBeNull();
    expect(person!.death_date).toBe('2025-02-28');
  });
});
