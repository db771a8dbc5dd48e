import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { first, openDatabase } from '../../src/server/db/client.js';
import { verifyPassword } from '../../src/server/platform/auth.js';

const run = (args: string[], env: NodeJS.ProcessEnv, input?: string) =>
  spawnSync('node', ['bin/jiuzhu.js', ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('jiuzhu CLI', () => {
  it('adds a user with the password from standard input, refuses a weak one, and lists users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-cli-'));
    const env = { JIUZHU_DATA_DIR: dir };
    const weak = run(
      ['user', 'add', '-u', 'li.si', '-n', '李四', '-r', 'caseworker', '--region', '620802101'],
      env,
      'weak\n',
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('WEAK_PASSWORD');
    const badRegion = run(
      ['user', 'add', '-u', 'li.si', '-n', '李四', '-r', 'caseworker', '--region', '620802999'],
      env,
      'Strong-Passw0rd\n',
    );
    expect(badRegion.status).toBe(2);
    expect(badRegion.stderr).toContain('REGION_NOT_FOUND');
    const ok = run(
      ['user', 'add', '-u', 'li.si', '-n', '李四', '-r', 'caseworker', '--region', '620802101'],
      env,
      'Strong-Passw0rd\n',
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('崆峒镇');
    const list = run(['user', 'list'], env);
    expect(list.stdout).toContain('li.si');
    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    const u = await first<{ password_hash: string; must_change_password: boolean }>(
      db.db,
      sql`SELECT password_hash, must_change_password FROM users WHERE username = 'li.si'`,
    );
    expect(await verifyPassword(u!.password_hash, 'Strong-Passw0rd')).toBe(true);
    expect(u!.must_change_password).toBe(true);
    const audit = await first<{ actor_username: string }>(
      db.db,
      sql`SELECT actor_username FROM audit_log WHERE action = 'user.create'`,
    );
    expect(audit!.actor_username).toMatch(/^cli:/);
    await db.close();
  }, 180_000);

  it('refuses to start in production while demo accounts exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-prod-'));
    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    const { migrate } = await import('../../src/server/db/migrate.js');
    const { prepareDatabase } = await import('../../src/server/bootstrap.js');
    const { loadConfig } = await import('../../src/server/config.js');
    const { seedDemoAccounts } = await import('../../src/server/db/demo.js');
    await migrate(db);
    const config = loadConfig({ dataDir: dir });
    await prepareDatabase(db, config);
    await seedDemoAccounts(db, config);
    await db.close();
    const r = run(['serve', '--port', '39123'], { JIUZHU_DATA_DIR: dir, NODE_ENV: 'production' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('演示账号');
  }, 180_000);
});
