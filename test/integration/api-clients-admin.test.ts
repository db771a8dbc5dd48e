import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

/** The administrator's view of API clients: registration with a secret shown once, bad input, the call log (issue 7). */
let t: TestApp;
let admin: Client;
let adminB: Client;
let approver: Client;
let hh: MadeHousehold;
let created: { id: number; clientId: string; clientSecret: string; version: number };

const inject = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'ac_admin', role: 'admin', regionCode: R.city });
  await makeUser(t.database, { username: 'ac_admin_b', role: 'admin', regionCode: R.countyB });
  await makeUser(t.database, { username: 'ac_approver', role: 'county_approver', regionCode: R.countyA });
  admin = await login(t.app, 'ac_admin');
  adminB = await login(t.app, 'ac_admin_b');
  approver = await login(t.app, 'ac_approver');
  hh = await makeHousehold(t.database.db, {
    regionCode: R.villageA,
    names: ['调用记录甲'],
    enrollments: [{ programme: 'dibao', amountFen: 40000 }],
  });
});
afterAll(() => t.close());

const body = (o: Record<string, unknown> = {}) => ({
  name: '市核对中心',
  regionCodes: [R.countyA],
  purposes: ['verification'],
  platform: 'verification',
  ratePerMinute: 120,
  ...o,
});

describe('registering a client', () => {
  it('answers the secret once; it is stored only as an argon2id hash and never listed again', async () => {
    const res = await admin.post('/api/v1/api-clients', body());
    expect(res.statusCode).toBe(201);
    created = res.json();
    expect(created.clientSecret.length).toBeGreaterThanOrEqual(40);
    expect(res.json()).toMatchObject({ regionCodes: [R.countyA], purposes: ['verification'], ratePerMinute: 120 });
    const stored = await first<{ secret_hash: string }>(
      t.database.db,
      sql`SELECT secret_hash FROM api_clients WHERE id = ${created.id}`,
    );
    expect(stored!.secret_hash).toMatch(/^\$argon2id\$/);
    const list = await admin.get('/api/v1/api-clients');
    expect(list.body).not.toContain(created.clientSecret);
    expect(list.json().items.find((c: { id: number }) => c.id === created.id)).not.toHaveProperty('clientSecret');
    const audit = await first<{ diff: string }>(
      t.database.db,
      sql`SELECT diff::text FROM audit_log WHERE action = 'api_client.create' AND entity_id = ${String(created.id)}`,
    );
    expect(audit!.diff).not.toContain(created.clientSecret);
  });

  it('refuses regions outside the admin’s area, unknown regions, duplicates and bad values, naming the field', async () => {
    const out = await admin.post('/api/v1/api-clients', body({ regionCodes: [R.countyA, '620100'] }));
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ code: 'REGION_OUT_OF_SCOPE', errors: [{ field: 'regionCodes[1]' }] });
    const unknown = await admin.post('/api/v1/api-clients', body({ regionCodes: ['620899'] }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'REGION_NOT_FOUND', errors: [{ field: 'regionCodes[0]' }] });
    const dup = await admin.post('/api/v1/api-clients', body({ purposes: ['verification', 'verification'] }));
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0]).toMatchObject({ field: 'purposes[1]', code: 'duplicate' });
    for (const bad of [
      body({ ratePerMinute: 0 }),
      body({ purposes: ['spying'] }),
      body({ platform: 'nowhere' }),
      body({ regionCodes: [] }),
      body({ name: 'x' }),
    ]) {
      const r = await admin.post('/api/v1/api-clients', bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.json().errors.length).toBeGreaterThan(0);
    }
    const n = await first<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM api_clients`);
    expect(n!.n).toBe(1);
  });
});

describe('the call log', () => {
  it('lists every call of the client newest first, with status, result counts and no ID number', async () => {
    const tok = await inject('POST', '/api/v1/exchange/oauth/token', {
      grant_type: 'client_credentials',
      client_id: created.clientId,
      client_secret: created.clientSecret,
    });
    expect(tok.statusCode).toBe(200);
    const auth = { authorization: `Bearer ${tok.json().access_token}` };
    const found = await inject(
      'POST',
      '/api/v1/exchange/registry/persons/lookup',
      { id_number: hh.idNumbers[0] },
      auth,
    );
    expect(found.statusCode).toBe(200);
    const missing = await inject(
      'POST',
      '/api/v1/exchange/registry/persons/lookup',
      { id_number: '62082119800101001X' },
      auth,
    );
    expect(missing.statusCode).toBe(404);
    await inject('POST', '/api/v1/exchange/oauth/token', {
      grant_type: 'client_credentials',
      client_id: created.clientId,
      client_secret: 'wrong-secret',
    });
    const res = await admin.get(`/api/v1/api-clients/${created.id}/calls`);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items.map((c: { operation: string; status: number }) => [c.operation, c.status])).toEqual([
      ['token', 401],
      ['person', 404],
      ['person', 200],
      ['token', 200],
    ]);
    expect(page.items[2]).toMatchObject({ resultCount: 1, personCount: 1, purpose: 'verification' });
    expect(page.stats).toMatchObject({ calls: 4, failed: 2, lastDay: 4 });
    expect(res.body).not.toContain(hh.idNumbers[0]);
    expect(res.body).not.toContain('62082119800101001X');
  });

  it('pages by cursor and filters by operation and failures', async () => {
    const p1 = (await admin.get(`/api/v1/api-clients/${created.id}/calls?limit=3`)).json();
    expect(p1.items).toHaveLength(3);
    const p2 = (
      await admin.get(`/api/v1/api-clients/${created.id}/calls?limit=3&cursor=${encodeURIComponent(p1.nextCursor)}`)
    ).json();
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(p2.items[0].id).toBeLessThan(p1.items[2].id);
    const failed = (await admin.get(`/api/v1/api-clients/${created.id}/calls?failedOnly=true`)).json();
    expect(failed.items.map((c: { status: number }) => c.status)).toEqual([401, 404]);
    const tokens = (await admin.get(`/api/v1/api-clients/${created.id}/calls?operation=token`)).json();
    expect(tokens.items).toHaveLength(2);
    const bad = await admin.get(`/api/v1/api-clients/${created.id}/calls?cursor=notacursor`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('cursor');
    expect((await admin.get(`/api/v1/api-clients/${created.id}/calls?limit=1000`)).statusCode).toBe(400);
    expect((await admin.get(`/api/v1/api-clients/${created.id}/calls?operation=drop`)).statusCode).toBe(400);
  });

  it('another county’s admin gets 404 for the client and its log; a county approver 403', async () => {
    expect((await adminB.get(`/api/v1/api-clients/${created.id}/calls`)).statusCode).toBe(404);
    expect((await adminB.get('/api/v1/api-clients')).json().items).toEqual([]);
    expect((await approver.get(`/api/v1/api-clients/${created.id}/calls`)).statusCode).toBe(403);
    expect((await admin.get('/api/v1/api-clients/999999/calls')).statusCode).toBe(404);
  });

  it('disabling stops the client at once (its token fails) and is audited; enabling needs the current version', async () => {
    const tok = await inject('POST', '/api/v1/exchange/oauth/token', {
      grant_type: 'client_credentials',
      client_id: created.clientId,
      client_secret: created.clientSecret,
    });
    const auth = { authorization: `Bearer ${tok.json().access_token}` };
    const d = await admin.post(`/api/v1/api-clients/${created.id}/disable`, { version: created.version });
    expect(d.statusCode).toBe(200);
    expect(d.json().status).toBe('disabled');
    const after = await inject(
      'POST',
      '/api/v1/exchange/registry/persons/lookup',
      { id_number: hh.idNumbers[0] },
      auth,
    );
    expect(after.statusCode).toBe(401);
    const stale = await admin.post(`/api/v1/api-clients/${created.id}/enable`, { version: created.version });
    expect(stale.statusCode).toBe(409);
    const e = await admin.post(`/api/v1/api-clients/${created.id}/enable`, { version: d.json().version });
    expect(e.json().status).toBe('active');
    const actions = await rows<{ action: string }>(
      t.database.db,
      sql`SELECT action FROM audit_log WHERE entity_type = 'api_client' ORDER BY seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(['api_client.create', 'api_client.disable', 'api_client.enable']);
  });
});
