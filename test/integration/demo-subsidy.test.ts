import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, todayCst } from '../../src/domain/calendar.js';
import { loadConfig } from '../../src/server/config.js';
import { rows } from '../../src/server/db/client.js';
import { seedDemoSubsidyCases } from '../../src/server/db/demo-subsidy-cases.js';
import { seedPolicyParameters } from '../../src/server/modules/policy/service.js';
import { R, startTestApp, type TestApp } from '../support/app.js';

/** The demo's subsidy cases (POLICY.md §4) and the 特困 recipient due for review (§3): states, amounts, idempotence. */
let t: TestApp;
const config = loadConfig({ env: 'test', filesDir: `/tmp/jiuzhu-test-files-demo-subsidy-${process.pid}` });

beforeAll(async () => {
  t = await startTestApp({ filesDir: config.filesDir });
  await seedPolicyParameters(t.database.db, R.city);
}, 300_000);
afterAll(async () => {
  await t?.close();
});

describe('demo subsidy cases', () => {
  it('seeds cases in various states through the real use cases, and a second run adds nothing', async () => {
    expect(await seedDemoSubsidyCases(t.database, config)).toBe(7);
    const cases = await rows<{
      programme: string;
      status: string;
      current_step: string | null;
      assessed_eligible: boolean | null;
      monthly_amount_fen: number | null;
    }>(
      t.database.db,
      sql`SELECT programme, status, current_step, assessed_eligible, monthly_amount_fen FROM cases
          WHERE programme IN ('disability_living', 'disability_nursing') ORDER BY id`,
    );
    expect(cases.map((c) => [c.programme, c.status, c.current_step, c.assessed_eligible])).toEqual([
      ['disability_nursing', 'approved', null, true],
      ['disability_nursing', 'rejected', null, false],
      ['disability_living', 'open', 'decision', true],
      ['disability_nursing', 'open', 'decision', false],
      ['disability_living', 'open', 'decision', false],
      ['disability_living', 'open', 'township_review', null],
      ['disability_nursing', 'approved', null, true],
    ]);
    const enr = await rows<{ programme: string; start_month: string; monthly_amount_fen: number }>(
      t.database.db,
      sql`SELECT programme, start_month, monthly_amount_fen FROM programme_enrollments WHERE programme LIKE 'disability_%'`,
    );
    expect(enr.map((e) => [e.programme, e.start_month, Number(e.monthly_amount_fen)])).toEqual([
      ['disability_nursing', addMonths(todayCst().slice(0, 7), 1), 10000],
      ['disability_nursing', addMonths(todayCst().slice(0, 7), 1), 10000],
    ]);
    // The expired certificate raised a review task on the last approved case (migration 0014).
    const tasks = await rows<{ reason: string; table: string }>(
      t.database.db,
      sql`SELECT t.reason, t.detail->>'table' AS table FROM review_tasks t JOIN cases c ON c.id = t.case_id
          WHERE c.programme LIKE 'disability_%' AND t.status = 'open'`,
    );
    expect(tasks).toEqual([{ reason: 'registry_change', table: 'disability_certs' }]);
    const notices = await rows<{ kind: string; status: string }>(
      t.database.db,
      sql`SELECT n.kind, n.status FROM notices n JOIN cases c ON c.id = n.case_id WHERE c.programme LIKE 'disability_%' ORDER BY n.id`,
    );
    expect(notices).toEqual([
      { kind: 'approval', status: 'issued' },
      { kind: 'not_confirmed', status: 'issued' },
      { kind: 'approval', status: 'issued' },
    ]);
    const due = await rows<{ n: number }>(
      t.database.db,
      sql`SELECT count(*)::int AS n FROM cases WHERE programme = 'tekun' AND status = 'approved' AND next_review_on <= ${todayCst()}::date`,
    );
    expect(Number(due[0]!.n)).toBe(1);
    expect(await seedDemoSubsidyCases(t.database, config)).toBeNull();
  });
});
