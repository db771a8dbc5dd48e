import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first } from '../../src/server/db/client.js';
import { login, makeUser, R, startTestApp, TEST_PASSWORD, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'worker', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'locky', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'fresh', role: 'caseworker', regionCode: R.townA, mustChange: true });
  await makeUser(t.database, { username: 'idle', role: 'caseworker', regionCode: R.townA });
  await makeUser(t.database, { username: 'boss', role: 'admin', regionCode: R.city });
});
afterAll(() => t.close());

const loginRaw = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and returns permissions and a CSRF token', async () => {
    const res = await loginRaw('worker', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'jz_sid')!;
    expect(c.httpOnly).toBe(true);
    expect(String(c.sameSite).toLowerCase()).toBe('strict');
    const body = res.json();
    expect(body.user.role).toBe('caseworker');
    expect(body.user.region.path).toContain('崆峒区');
    expect(body.permissions).toContain('registry.read');
    expect(body.permissions).not.toContain('users.manage');
    expect(body.csrfToken.length).toBeGreaterThan(20);
  });

  it('rejects a state-changing call without the CSRF token', async () => {
    const c = await login(t.app, 'boss');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: c.cookie },
      payload: {
        username: 'nocsrf',
        displayName: 'x',
        role: 'caseworker',
        regionCode: R.townA,
        initialPassword: 'Good-Passw0rd!',
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_FAILED');
    expect(await first(t.database.db, sql`SELECT 1 FROM users WHERE username = 'nocsrf'`)).toBeUndefined();
  });

  it('locks an account after 5 failures and says how many attempts are left', async () => {
    for (let i = 1; i <= 4; i++) {
      const res = await loginRaw('locky', 'wrong-password');
      expect(res.statusCode).toBe(401);
      expect(res.json().attemptsLeft).toBe(5 - i);
    }
    const fifth = await loginRaw('locky', 'wrong-password');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
    // even the right password is refused while locked
    const right = await loginRaw('locky', TEST_PASSWORD);
    expect(right.statusCode).toBe(423);
    const audit = await first<{ n: number }>(
      t.database.db,
      sql`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.locked'`,
    );
    expect(Number(audit!.n)).toBe(1);
  });

  it('answers an unknown user like a wrong password', async () => {
    const res = await loginRaw('nobody-here', 'whatever');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('forces a change of an initial password before anything else', async () => {
    const c = await login(t.app, 'fresh');
    expect((await c.get('/api/v1/regions/children')).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await c.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    const weak = await c.post('/api/v1/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('WEAK_PASSWORD');
    expect(weak.json().errors.map((e: { code: string }) => e.code)).toEqual(expect.arrayContaining(['TOO_SHORT']));
    const ok = await c.post('/api/v1/auth/change-password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Brand-New-Pass9',
    });
    expect(ok.statusCode).toBe(200);
    expect((await c.get('/api/v1/regions/children')).statusCode).toBe(200);
  });

  it('expires a session after the idle timeout', async () => {
    const c = await login(t.app, 'idle');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    await t.database.db.execute(sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes'
      WHERE user_id = (SELECT id FROM users WHERE username = 'idle')`);
    const res = await c.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });

  it("ends a disabled user's existing session", async () => {
    const id = await makeUser(t.database, { username: 'tobedisabled', role: 'caseworker', regionCode: R.townA });
    const victim = await login(t.app, 'tobedisabled');
    const admin = await login(t.app, 'boss');
    const res = await admin.post(`/api/v1/users/${id}/disable`, { version: 1 });
    expect(res.statusCode).toBe(200);
    expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await loginRaw('tobedisabled', TEST_PASSWORD)).json().code).toBe('ACCOUNT_DISABLED');
  });

  it('logs out', async () => {
    const c = await login(t.app, 'worker');
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('login rate limit per client address', () => {
  it('answers 429 after 20 failed sign-ins from one address, whatever the account', async () => {
    const t2 = await startTestApp();
    try {
      await makeUser(t2.database, { username: 'victim', role: 'caseworker', regionCode: R.townA });
      const codes: number[] = [];
      for (let i = 0; i < 21; i++) {
        const res = await t2.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `guess${i}`, password: 'x' },
        });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
      expect(codes[20]).toBe(429);
      const blocked = await t2.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'victim', password: TEST_PASSWORD },
      });
      expect(blocked.json().code).toBe('RATE_LIMITED');
    } finally {
      await t2.close();
    }
  });
});
