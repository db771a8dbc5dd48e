import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayCst } from '../../src/domain/calendar.js';
import { DEFAULT_ASSESSMENT } from '../../src/domain/programs/dibao/parameters.js';
import { assessDibao, reviewOutcome } from '../../src/domain/programs/dibao/rules.js';
import { defaultDibaoWorkflow } from '../../src/domain/programs/dibao/workflow.js';
import { first, rows } from '../../src/server/db/client.js';
import { householdFacts } from '../../src/server/modules/cases/repo.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { makeHousehold, setStandard, TEST_STANDARD } from '../support/factories-cases.js';

/**
 * Q4 validity-expiry batch review (S3): the set-based SQL agrees with the pure "3+1" rule household by household
 * (POLICY §2 [A arts.13, 14, 23, 31]); apply writes enrollments and notices set-based.
 */
let t: TestApp;
let ca: Client;
const today = todayCst();
const year = Number(today.slice(0, 4));

const member = fc.record({
  birthDate: fc.constantFrom('1940-01-01', '1955-06-30', '1970-12-31', '1990-03-03', '2012-08-08', '2020-02-29'),
  labour: fc.constantFrom<'full' | 'partial' | 'none'>('full', 'partial', 'none'),
  hukouLocal: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  graveIllness: fc.boolean(),
  health: fc.constantFrom<'healthy' | 'chronic' | 'disabled'>('healthy', 'chronic', 'disabled'),
  disabilityLevel: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  dead: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
const household = fc.record({
  hukouType: fc.constantFrom<'urban' | 'rural'>('urban', 'rural'),
  housingRating: fc.constantFrom<'A' | 'B' | 'C' | 'D'>('A', 'B', 'C', 'D'),
  members: fc.array(member, { minLength: 1, maxLength: 5 }),
  income: fc.array(
    fc.record({
      kind: fc.constantFrom('wages', 'business_net', 'transfer_net', 'social_assistance', 'basic_pension'),
      period: fc.constantFrom<'monthly' | 'annual'>('monthly', 'annual'),
      amountFen: fc.integer({ min: 0, max: 600_000 }),
    }),
    { maxLength: 3 },
  ),
  property: fc.array(
    fc.record({
      kind: fc.constantFrom('deposit', 'vehicle', 'house', 'business'),
      valueFen: fc.integer({ min: 0, max: 8_000_000 }),
    }),
    { maxLength: 3 },
  ),
  oldClass: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
  oldAmount: fc.integer({ min: 0, max: 200_000 }),
  visit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  review: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  stopFirst: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-batch-${process.pid}` });
  await makeUser(t.database, { username: 'ca', role: 'county_approver', regionCode: R.countyA });
  ca = await login(t.app, 'ca');
  await setStandard(t.database.db, R.countyA, year);
}, 300_000);
afterAll(async () => {
  await t?.close();
});

describe('Q4 batch review (S3)', () => {
  it('the set-based SQL computes the same outcome as the pure rule for every household', async () => {
    const db = t.database.db;
    const villages = await rows<{ code: string }>(
      db,
      sql`SELECT code FROM regions WHERE code LIKE '620802%' AND level = 5 ORDER BY code LIMIT 40`,
    );
    const samples = fc.sample(household, { numRuns: 60, seed: 20261129 });
    const caseIds: number[] = [];
    for (const [i, h] of samples.entries()) {
      const village = villages[(i * 7) % villages.length]!.code;
      const { householdId, personIds } = await makeHousehold(db, {
        regionCode: village,
        hukouType: h.hukouType,
        housingRating: h.housingRating,
        members: h.members.map((m, j) => ({
          name: `批量${i}-${j}`,
          birthDate: m.birthDate,
          labour: m.labour,
          hukouLocal: m.hukouLocal,
          graveIllness: m.graveIllness,
          health: m.health,
          disabilityLevel: m.disabilityLevel,
        })),
        income: h.income,
        property: h.property,
      });
      for (const [j, m] of h.members.entries())
        if (m.dead)
          await db.execute(
            sql`UPDATE persons SET death_date = ${`${year - 1}-01-01`}::date WHERE id = ${personIds[j]!}`,
          );
      const flags = h.stopFirst ? { shareStopped: [personIds[0]] } : {};
      const c = await first<{ id: number }>(
        db,
        sql`INSERT INTO cases (case_no, programme, household_id, region_code, workflow, status, applied_on, decided_on, decision, dibao_kind, rural_class,
                               monthly_amount_fen, valid_until, last_visit_rating, last_review_score, flags)
            VALUES (${`DIBAO-T-${i}`}, 'dibao', ${householdId}, ${village}, ${JSON.stringify(defaultDibaoWorkflow)}::jsonb, 'approved', ${`${year - 1}-10-01`}::date,
                    ${`${year - 1}-10-20`}::date, 'approved', ${h.hukouType}, ${h.hukouType === 'rural' ? h.oldClass : null}, ${h.oldAmount},
                    ${i % 10 === 9 ? `${year + 1}-06-30` : `${year}-11-30`}::date, ${h.visit}, ${h.review}, ${JSON.stringify(flags)}::jsonb)
            RETURNING id`,
      );
      caseIds.push(Number(c!.id));
    }
    const run = await ca.post('/api/v1/batch-reviews', { countyCode: R.countyA, year });
    expect(run.statusCode, run.body).toBe(201);
    const batch = run.json();
    expect(batch.summary.total).toBe(samples.filter((_, i) => i % 10 !== 9).length);
    expect(batch.summary.byTownship.length).toBeGreaterThan(1);

    const items = await rows<Record<string, unknown>>(
      db,
      sql`SELECT * FROM batch_review_items WHERE batch_id = ${batch.id} ORDER BY case_id`,
    );
    const mismatches: string[] = [];
    for (const [i, h] of samples.entries()) {
      const item = items.find((x) => Number(x.case_id) === caseIds[i]);
      if (i % 10 === 9) {
        expect(item).toBeUndefined(); // validity does not end this year
        continue;
      }
      const c = await first<{ household_id: number; flags: { shareStopped?: number[] } }>(
        db,
        sql`SELECT household_id, flags FROM cases WHERE id = ${caseIds[i]!}`,
      );
      const facts = await householdFacts(db, Number(c!.household_id), new Set(c!.flags.shareStopped ?? []));
      const a = assessDibao({
        facts,
        asOf: today,
        standard: TEST_STANDARD,
        params: DEFAULT_ASSESSMENT,
        visitRating: h.visit,
        reviewScore: h.review,
      });
      const outcome = reviewOutcome(
        { ruralClass: h.hukouType === 'rural' ? h.oldClass : null, monthlyAmountFen: h.oldAmount },
        a,
      );
      const got = {
        outcome: item?.outcome,
        amount: Number(item?.new_amount_fen),
        cls: item?.new_class === null ? null : Number(item?.new_class),
        survey: Number(item?.survey_score),
        combined: Number(item?.combined_score),
        pci: Number(item?.per_capita_fen),
        hukou: item?.gate_hukou,
        income: item?.gate_income,
        property: item?.gate_property,
      };
      const want = {
        outcome,
        amount: a.monthlyAmountFen,
        cls: a.ruralClass,
        survey: a.surveyScore,
        combined: a.combinedScore,
        pci: a.perCapitaFen,
        hukou: a.gates[0]!.passed,
        income: a.gates[1]!.passed,
        property: a.gates[2]!.passed,
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`#${i}: sql ${JSON.stringify(got)} ≠ rule ${JSON.stringify(want)}`);
    }
    expect(mismatches).toEqual([]);
    const outcomes = new Set(items.map((x) => x.outcome));
    expect(outcomes.size).toBeGreaterThanOrEqual(3);

    // Apply: exits end enrollments and get 停发 notices, changes get 调整 notices; a second apply is idempotent.
    const applied = await ca.post(`/api/v1/batch-reviews/${batch.id}/apply`);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().status).toBe('applied');
    expect((await ca.post(`/api/v1/batch-reviews/${batch.id}/apply`)).statusCode).toBe(200);
    const exits = items.filter((x) => x.outcome === 'exit').length;
    const changes = items.filter((x) => x.outcome === 'reclass' || x.outcome === 'amount_change').length;
    const n = await first<{ term: number; adj: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE kind = 'termination')::int AS term, count(*) FILTER (WHERE kind = 'adjustment')::int AS adj FROM notices`,
    );
    expect(n).toEqual({ term: exits, adj: changes });
    const exited = await first<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM cases WHERE status = 'exited'`);
    expect(exited!.n).toBe(exits);
    const newEnrollments = await first<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM programme_enrollments WHERE status = 'active' AND change_reason = 'Q4 有效期届满复核调整'`,
    );
    expect(newEnrollments!.n).toBe(changes);
    const items2 = (await ca.get(`/api/v1/batch-reviews/${batch.id}/items?outcome=exit&limit=200`)).json();
    expect(items2.items).toHaveLength(exits);
  });

  it('a missing standard for the year is CONFIGURATION_MISSING', async () => {
    const r = await ca.post('/api/v1/batch-reviews', { countyCode: R.countyA, year: year + 1 });
    // the standard is looked up for today's year; with none for the county it is a configuration error
    await t.database.db.execute(sql`DELETE FROM case_parameters WHERE key = 'standard'`);
    const r2 = await ca.post('/api/v1/batch-reviews', { countyCode: R.countyA, year });
    expect(r.statusCode).toBe(201);
    expect(r2.statusCode).toBe(409);
    expect(r2.json().code).toBe('CONFIGURATION_MISSING');
  });
});
