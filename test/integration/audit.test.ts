import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/client.js';
import { openDatabase } from '../../src/server/db/client.js';
import { migrate } from '../../src/server/db/migrate.js';
import { verifyAuditChain, writeAudit } from '../../src/server/platform/audit.js';
import { inTransaction } from '../../src/server/platform/tx.js';
import { login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { freshDatabase } from '../support/db.js';

const actor = {
  id: 1,
  username: 'tester',
  role: 'admin',
  regionCode: '6208',
  scope: { regionCode: '6208' },
  permissions: new Set<string>(),
  requestId: 'req-1',
};

async function appendRows(db: Database, n: number) {
  for (let i = 0; i < n; i++) {
    await inTransaction(db.db, (tx) =>
      writeAudit(tx, actor, {
        action: 'test.write',
        entityType: 'thing',
        entityId: i,
        regionCode: '620802',
        diff: { n: [i, i + 1] },
      }),
    );
  }
}

/** Tampering needs the table owner to switch the append-only trigger off, as an attacker with DB access would. */
async function tamper(db: Database, statement: ReturnType<typeof sql>) {
  await db.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
  await db.db.execute(statement);
  await db.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
}

describe('hash-chained audit trail', () => {
  let db: Database;
  beforeEach(async () => {
    db = await freshDatabase({ regions: false });
    await appendRows(db, 6);
  });
  afterEach(async () => {
    await db.close().catch(() => {});
  });

  it('verifies an intact chain', async () => {
    expect(await verifyAuditChain(db.db)).toEqual({ ok: true, rows: 6 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the trigger', async () => {
    await expect(db.db.execute(sql`UPDATE audit_log SET action = 'x' WHERE seq = 2`)).rejects.toThrow();
    await expect(db.db.execute(sql`DELETE FROM audit_log WHERE seq = 2`)).rejects.toThrow();
    await expect(db.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });

  it('reports the first row edited directly in the database', async () => {
    await tamper(db, sql`UPDATE audit_log SET diff = '{"n":[0,999]}' WHERE seq = 3`);
    await tamper(db, sql`UPDATE audit_log SET actor_username = 'someone' WHERE seq = 5`);
    const r = await verifyAuditChain(db.db);
    expect(r.ok).toBe(false);
    expect(r.firstBreak).toMatchObject({ seq: 3, problem: 'altered' });
  });

  it('reports a deleted row at the row after it', async () => {
    await tamper(db, sql`DELETE FROM audit_log WHERE seq = 4`);
    const r = await verifyAuditChain(db.db);
    expect(r.firstBreak).toMatchObject({ seq: 5, problem: 'broken_link' });
  });

  it('reports reordered rows', async () => {
    await tamper(db, sql`UPDATE audit_log SET seq = -2 WHERE seq = 2`);
    await tamper(db, sql`UPDATE audit_log SET seq = 2 WHERE seq = 3`);
    await tamper(db, sql`UPDATE audit_log SET seq = 3 WHERE seq = -2`);
    const r = await verifyAuditChain(db.db);
    expect(r.ok).toBe(false);
    expect(r.firstBreak!.seq).toBeLessThanOrEqual(3);
  });

  it('rolls the audit row back with the change it describes', async () => {
    await expect(
      inTransaction(db.db, async (tx) => {
        await writeAudit(tx, actor, { action: 'test.rollback', entityType: 'thing' });
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    const r = await db.db.execute(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'test.rollback'`);
    expect(Number((r as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(0);
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});

describe('audit API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await makeUser(t.database, { username: 'aud', role: 'auditor', regionCode: R.countyA });
    await makeUser(t.database, { username: 'cw', role: 'caseworker', regionCode: R.townA });
    await makeUser(t.database, { username: 'cityaud', role: 'auditor', regionCode: R.city });
  });
  afterAll(() => t?.close());

  it('lets an auditor read the trail of the area and the chain status, not a caseworker', async () => {
    await login(t.app, 'cw'); // writes an auth.login row in 崆峒区
    const a = await login(t.app, 'aud');
    const list = (await a.get('/api/v1/audit?action=auth.login')).json();
    expect(list.items.length).toBeGreaterThanOrEqual(1);
    expect(list.items.every((x: { regionCode: string }) => x.regionCode.startsWith(R.countyA))).toBe(true);
    expect((await a.get('/api/v1/audit/verify')).json().ok).toBe(true);
    const cw = await login(t.app, 'cw');
    expect((await cw.get('/api/v1/audit')).statusCode).toBe(403);
    expect((await a.get('/api/v1/audit?from=notadate')).statusCode).toBe(400);
  });
});

describe('jiuzhu audit verify (CLI)', () => {
  it('exits 0 on an intact chain and 3 with the first broken row after a direct edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-audit-'));
    const env = { ...process.env, JIUZHU_DATA_DIR: dir, DATABASE_URL: '', JIUZHU_REGION_ROOT: '6208' };
    const ok = execFileSync('node', ['bin/jiuzhu.js', 'audit', 'verify'], { env, encoding: 'utf8' });
    expect(ok).toContain('校验通过');
    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    await migrate(db);
    await db.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
    await db.db.execute(sql`UPDATE audit_log SET entity_id = 'forged' WHERE seq = 1`);
    await db.close();
    let code = 0;
    let out = '';
    try {
      execFileSync('node', ['bin/jiuzhu.js', 'audit', 'verify'], { env, encoding: 'utf8' });
    } catch (e) {
      code = (e as { status: number }).status;
      out = (e as { stdout: string }).stdout;
    }
    expect(code).toBe(3);
    expect(out).toContain('第 1 条');
  }, 120_000);
});
