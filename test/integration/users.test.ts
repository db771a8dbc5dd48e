import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let admin: Client;
let countyAdmin: Client;
beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'cityadmin', role: 'admin', regionCode: R.city });
  await makeUser(t.database, { username: 'kadmin', role: 'admin', regionCode: R.countyA });
  admin = await login(t.app, 'cityadmin');
  countyAdmin = await login(t.app, 'kadmin');
});
afterAll(() => t.close());

const newUser = (over: Record<string, unknown> = {}) => ({
  username: 'wang.jingban',
  displayName: '王经办',
  role: 'caseworker',
  regionCode: R.townA,
  initialPassword: 'Initial-Passw0rd',
  ...over,
});

describe('user administration', () => {
  it('creates a user with an argon2id hash, a forced password change and an audit row in the same transaction', async () => {
    const res = await admin.post('/api/v1/users', newUser());
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const u = res.json();
    expect(u.mustChangePassword).toBe(true);
    expect(u.regionName).toBe('崆峒镇');
    const row = await first<{ password_hash: string }>(
      t.database.db,
      sql`SELECT password_hash FROM users WHERE id = ${u.id}`,
    );
    expect(row!.password_hash.startsWith('$argon2id$')).toBe(true);
    const audit = await rows<{ action: string; diff: Record<string, unknown> }>(
      t.database.db,
      sql`SELECT action, diff FROM audit_log WHERE entity_type = 'user' AND entity_id = ${String(u.id)}`,
    );
    expect(audit.map((a) => a.action)).toEqual(['user.create']);
    expect(JSON.stringify(audit[0]!.diff)).not.toContain('Initial-Passw0rd');
  });

  it.each([
    ['duplicate username (case-insensitive)', newUser({ username: 'WANG.jingban' }), 409, 'DUPLICATE', 'username'],
    ['unknown region', newUser({ username: 'user2', regionCode: '620802199' }), 400, 'REGION_NOT_FOUND', 'regionCode'],
    ['malformed region', newUser({ username: 'user3', regionCode: '62080' }), 400, 'VALIDATION_FAILED', 'regionCode'],
    [
      'weak password',
      newUser({ username: 'user4', initialPassword: 'alllowercase' }),
      400,
      'WEAK_PASSWORD',
      'initialPassword',
    ],
    ['unknown role', newUser({ username: 'user5', role: 'king' }), 400, 'VALIDATION_FAILED', 'role'],
    ['unknown field', { ...newUser({ username: 'user6' }), isAdmin: true }, 400, 'VALIDATION_FAILED', 'isAdmin'],
    ['wrong type', newUser({ username: 'user7', displayName: 42 }), 400, 'VALIDATION_FAILED', 'displayName'],
  ])('refuses %s with a field error and writes nothing', async (_name, body, status, code, field) => {
    const before = await first<{ n: number }>(t.database.db, sql`SELECT count(*) AS n FROM users`);
    const res = await admin.post('/api/v1/users', body);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const p = res.json();
    expect(p.code).toBe(code);
    expect(p.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(p.title).toMatch(/[\u4e00-\u9fa5]/);
    const after = await first<{ n: number }>(t.database.db, sql`SELECT count(*) AS n FROM users`);
    expect(after!.n).toBe(before!.n);
  });

  it('answers in English when asked', async () => {
    const res = await admin.request('POST', '/api/v1/users', newUser({ username: 'user8', regionCode: '620802199' }), {
      'accept-language': 'en-US,en',
    });
    expect(res.json().title).toBe('Unknown region code');
  });

  it('keeps a county admin inside the county (out-of-scope region → 403, other users → 404)', async () => {
    const res = await countyAdmin.post('/api/v1/users', newUser({ username: 'user9', regionCode: R.townB }));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('REGION_OUT_OF_SCOPE');
    const other = await makeUser(t.database, { username: 'jingchuan', role: 'caseworker', regionCode: R.townB });
    expect((await countyAdmin.get(`/api/v1/users/${other}`)).statusCode).toBe(404);
    const list = await countyAdmin.get('/api/v1/users?limit=200');
    expect(list.json().items.every((u: { regionCode: string }) => u.regionCode.startsWith(R.countyA))).toBe(true);
  });

  it('refuses a stale version with 409 and applies the fresh one', async () => {
    const id = await makeUser(t.database, { username: 'versioned', role: 'caseworker', regionCode: R.townA });
    const ok = await admin.patch(`/api/v1/users/${id}`, { displayName: '新名字', version: 1 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const stale = await admin.patch(`/api/v1/users/${id}`, { displayName: '旧版本', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const ifMatch = await admin.patch(
      `/api/v1/users/${id}`,
      { displayName: '用 If-Match', version: 99 },
      { 'if-match': '"2"' },
    );
    expect(ifMatch.statusCode).toBe(200);
  });

  it('stores SQL and HTML in strings verbatim', async () => {
    const evil = `<script>alert(1)</script>'; DROP TABLE users; --`;
    const res = await admin.post('/api/v1/users', newUser({ username: 'evil1', displayName: evil }));
    expect(res.statusCode).toBe(201);
    expect(res.json().displayName).toBe(evil);
    expect(await first(t.database.db, sql`SELECT 1 FROM users LIMIT 1`)).toBeDefined();
  });

  it('resets a password, forcing a change and ending sessions', async () => {
    const id = await makeUser(t.database, { username: 'forgetful', role: 'caseworker', regionCode: R.townA });
    const victim = await login(t.app, 'forgetful');
    const res = await admin.post(`/api/v1/users/${id}/reset-password`, { newPassword: 'Reset-Passw0rd!', version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
    expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});

describe('API conventions', () => {
  it('rejects malformed JSON and oversized bodies with problem+json', async () => {
    const bad = await admin.request('POST', '/api/v1/users', '{"username": ', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('MALFORMED_JSON');
    const big = await admin.post('/api/v1/users', newUser({ username: 'big', displayName: 'x'.repeat(1_100_000) }));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('BODY_TOO_LARGE');
  });

  it('returns request ids and a 404 problem for unknown routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(
      doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.properties.username,
    ).toBeDefined();
  });

  it('pages with cursors', async () => {
    const first2 = (await admin.get('/api/v1/users?limit=2')).json();
    expect(first2.items).toHaveLength(2);
    expect(first2.nextCursor).toBeTruthy();
    const next = (await admin.get(`/api/v1/users?limit=2&cursor=${first2.nextCursor}`)).json();
    expect(next.items[0].id).toBeGreaterThan(first2.items[1].id);
    const bad = await admin.get('/api/v1/users?cursor=garbage');
    expect(bad.statusCode).toBe(400);
  });
});
