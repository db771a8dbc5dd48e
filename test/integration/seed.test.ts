import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../src/domain/identity/id-number.js';
import type { Database } from '../../src/server/db/client.js';
import { rows } from '../../src/server/db/client.js';
import { cliActor } from '../../src/cli/util.js';
import { generateHouseholds, isUrbanVillage } from '../../src/server/seed/generator.js';
import { csvLine, ledgerRows } from '../../src/server/seed/ledger.js';
import { seedDemoRegistry, seedHouseholds } from '../../src/server/seed/service.js';
import { freshDatabase } from '../support/db.js';
import { R } from '../support/app.js';
import { villagesOf } from './import-support.js';

const villages = villagesOf('6208');

function hashOf(seed: number, n: number): string {
  const h = createHash('sha256');
  for (const hh of generateHouseholds({ households: n, seed, villages })) {
    for (const r of ledgerRows(hh)) h.update(csvLine(r));
    h.update(JSON.stringify(hh.enrollments));
  }
  return h.digest('hex');
}

describe('synthetic data generator', () => {
  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    expect(hashOf(7, 500)).toBe(hashOf(7, 500));
    expect(hashOf(7, 500)).not.toBe(hashOf(8, 500));
  });

  it('makes valid, unique ID numbers whose sex and birth date match, and realistic distributions', () => {
    const ids = new Set<string>();
    let persons = 0;
    let disabled = 0;
    let gen2 = 0;
    let dangerous = 0;
    let rural = 0;
    let dibao = 0;
    const sizes: number[] = [];
    const bad: string[] = [];
    const n = 2000;
    for (const h of generateHouseholds({ households: n, seed: 99, villages })) {
      sizes.push(h.members.length);
      if (h.members.filter((m) => m.relation === 'head').length !== 1) bad.push(`heads of ${h.householdNo}`);
      if (!villages.some((v) => v.code === h.regionCode)) bad.push(`village ${h.regionCode}`);
      if (h.housingRating === 'C' || h.housingRating === 'D') dangerous++;
      if (h.hukouType === 'rural') rural++;
      if (h.enrollments.some((e) => e.programme === 'dibao')) dibao++;
      for (const m of h.members) {
        persons++;
        const p = parseIdNumber(m.idNumber, '2025-06-30');
        if (!p.ok || p.info.sex !== m.sex || p.info.birthDate !== m.birthDate) bad.push(m.idNumber);
        if (ids.has(m.idNumber)) bad.push(`duplicate ${m.idNumber}`);
        ids.add(m.idNumber);
        if (m.disability) {
          disabled++;
          if (m.disability.generation === 2) {
            gen2++;
            const digit = { visual: 1, hearing: 2, speech: 3, physical: 4, intellectual: 5, mental: 6, multiple: 7 }[
              m.disability.type
            ];
            expect(m.disability.certNo).toBe(`${m.idNumber}${digit}${m.disability.level}`);
          }
        }
        for (const fen of [m.wagesFen, m.businessFen, m.propertyFen, m.transferFen])
          if (!Number.isInteger(fen) || fen < 0) bad.push(`amount ${fen}`);
      }
    }
    expect(bad).toEqual([]);
    expect(ids.size).toBe(persons);
    const mean = persons / n;
    expect(mean).toBeGreaterThan(2.3);
    expect(mean).toBeLessThan(3.1);
    expect(disabled / persons).toBeGreaterThan(0.04);
    expect(disabled / persons).toBeLessThan(0.09);
    expect(gen2 / disabled).toBeGreaterThan(0.8);
    expect(dangerous / n).toBeGreaterThan(0.02);
    expect(dangerous / n).toBeLessThan(0.15);
    expect(rural / n).toBeGreaterThan(0.4);
    expect(dibao / n).toBeGreaterThan(0.02);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(6);
    expect(villages.some((v) => isUrbanVillage(v.name))).toBe(true);
  });
});

describe('seeding a database', () => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDatabase();
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it('writes households, persons, memberships, certificates, incomes and enrollments with COPY, audited', {
    timeout: 180_000,
  }, async () => {
    const r = await seedHouseholds(db, cliActor(), { households: 400, seed: 5, regionCode: R.countyA });
    expect(r.households).toBe(400);
    const [c] = await rows<Record<string, number>>(
      db.db,
      sql`SELECT (SELECT count(*) FROM households) AS h, (SELECT count(*) FROM persons) AS p,
                 (SELECT count(*) FROM household_memberships) AS m, (SELECT count(*) FROM disability_certs) AS d,
                 (SELECT count(*) FROM programme_enrollments) AS e,
                 (SELECT count(*) FROM households WHERE region_code NOT LIKE '620802%') AS outside,
                 (SELECT count(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = h.head_person_id AND p.household_id = h.id)) AS headless,
                 (SELECT count(*) FROM audit_log WHERE action = 'registry.seed') AS audits`,
    );
    expect(Number(c!.h)).toBe(400);
    expect(Number(c!.p)).toBe(r.persons);
    expect(Number(c!.m)).toBe(r.persons);
    expect(Number(c!.d)).toBe(r.disabilityCerts);
    expect(Number(c!.e)).toBe(r.enrollments);
    expect(Number(c!.outside)).toBe(0);
    expect(Number(c!.headless)).toBe(0);
    expect(Number(c!.audits)).toBe(1);
    // Same seed tail again over the same villages: refused before anything is written.
    await expect(
      seedHouseholds(db, cliActor(), { households: 10, seed: 15, regionCode: R.countyA }),
    ).rejects.toMatchObject({ code: 'DUPLICATE' });
    // Another seed adds more, with no clash of ID numbers.
    const r2 = await seedHouseholds(db, cliActor(), { households: 100, seed: 6, regionCode: R.countyA });
    expect(r2.households).toBe(100);
    // Outside the actor's scope: refused.
    const countyB = { ...cliActor(), scope: { regionCode: R.countyB }, regionCode: R.countyB };
    await expect(seedHouseholds(db, countyB, { households: 5, seed: 7, regionCode: R.countyA })).rejects.toMatchObject({
      code: 'REGION_OUT_OF_SCOPE',
    });
  });

  it('demo step: seeds ~3000 households over the city only when the registry is empty', {
    timeout: 300_000,
  }, async () => {
    const empty = await freshDatabase();
    try {
      const t0 = Date.now();
      const r = await seedDemoRegistry(empty, '6208');
      expect(r?.households).toBe(3000);
      expect(Date.now() - t0).toBeLessThan(120_000);
      const counties = await rows<{ n: number }>(
        empty.db,
        sql`SELECT count(DISTINCT county_code) AS n FROM households`,
      );
      expect(Number(counties[0]!.n)).toBe(7);
      expect(await seedDemoRegistry(empty, '6208')).toBeNull();
    } finally {
      await empty.close();
    }
  });
});
