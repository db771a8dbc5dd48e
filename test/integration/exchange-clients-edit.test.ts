import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first, rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

/**
 * Editing a registered API client (PATCH /api-clients/{id}) and rotating its secret (POST /api-clients/{id}/secret):
 * the new regions, purposes, masking and rate apply to the client's next call — with a token issued (and cached)
 * before the change — and a rotation ends the old secret and every token at once. docs/exchange-api.md.
 */
let t: TestApp;
let admin: Client;
let adminB: Client;
let a: MadeHousehold;
let b: MadeHousehold;

type Made = {
  id: number;
  clientId: string;
  clientSecret: string;
  version: number;
  regionCodes: string[];
  purposes: string[];
};

async function newClient(by: Client, body: Record<string, unknown> = {}): Promise<Made> {
  const res = await by.post('/api/v1/api-clients', {
    name: '市核对中心',
    regionCodes: [R.countyA, R.countyB],
    purposes: ['verification', 'statistics'],
    platform: 'verification',
    ratePerMinute: 600,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const inject = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const tokenRes = (clientId: string, secret: string) =>
  inject('POST', '/api/v1/exchange/oauth/token', {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
  });

async function token(clientId: string, secret: string): Promise<string> {
  const res = await tokenRes(clientId, secret);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token;
}

const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });

/** One idtype-value search for an ID number; answers the HTTP response. */
const searchId = (tok: string, idNumber: string, purpose?: string) =>
  inject(
    'POST',
    '/api/v1/exchange/registry/sync/search',
    {
      header: { action: 'search', ...(purpose ? { purpose } : {}) },
      message: {
        transaction_id: 'tx-edit',
        search_request: [
          {
            reference_id: 'r1',
            search_criteria: { query_type: 'idtype-value', query: { type: 'ID_NUMBER', value: idNumber } },
          },
        ],
      },
    },
    bearer(tok),
  );

const lookup = (tok: string, idNumber: string) =>
  inject('POST', '/api/v1/exchange/registry/persons/lookup', { id_number: idNumber }, bearer(tok));

async function audits(action: string, id: number) {
  const list = await rows<{ diff: string }>(
    t.database.db,
    sql`SELECT diff::text AS diff FROM audit_log WHERE action = ${action} AND entity_id = ${String(id)} ORDER BY seq`,
  );
  return list.map((r) => JSON.parse(r.diff) as Record<string, unknown>);
}

async function stored(id: number) {
  return (await first<{ version: number; region_codes: string[]; secret_hash: string; name: string }>(
    t.database.db,
    sql`SELECT version, region_codes, secret_hash, name FROM api_clients WHERE id = ${id}`,
  ))!;
}

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'ed_admin', role: 'admin', regionCode: R.city });
  await makeUser(t.database, { username: 'ed_admin_b', role: 'admin', regionCode: R.countyB });
  admin = await login(t.app, 'ed_admin');
  adminB = await login(t.app, 'ed_admin_b');
  a = await makeHousehold(t.database.db, {
    regionCode: R.villageA,
    names: ['秦甲县'],
    phone: '13912345678',
    enrollments: [{ programme: 'dibao', amountFen: 40000 }],
  });
  b = await makeHousehold(t.database.db, {
    regionCode: R.villageB,
    names: ['韩乙县'],
    enrollments: [{ programme: 'dibao', amountFen: 40000 }],
  });
});
afterAll(() => t.close());

describe('editing a client', () => {
  it('narrows the regions: the next search with the same (cached) token no longer finds a person outside them', async () => {
    const c = await newClient(admin);
    const tok = await token(c.clientId, c.clientSecret);
    // both counties first; the token is now remembered by the server for a few seconds
    expect((await searchId(tok, b.idNumbers[0]!)).json().message.search_response[0].status).toBe('succ');
    expect((await lookup(tok, b.idNumbers[0]!)).statusCode).toBe(200);

    const res = await admin.patch(`/api/v1/api-clients/${c.id}`, { regionCodes: [R.countyA], version: c.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: c.id, regionCodes: [R.countyA], version: c.version + 1 });
    expect(res.headers.etag).toBe(`"${c.version + 1}"`);

    const outside = await searchId(tok, b.idNumbers[0]!);
    expect(outside.statusCode).toBe(200);
    expect(outside.json().message.search_response[0]).toMatchObject({
      status: 'rjct',
      status_reason_code: 'rjct.reference_id.not_found',
    });
    expect(outside.body).not.toContain('韩乙县');
    expect((await lookup(tok, b.idNumbers[0]!)).statusCode).toBe(404);
    expect((await searchId(tok, a.idNumbers[0]!)).json().message.search_response[0].status).toBe('succ');
    // a region predicate on the county left out is now outside the client's regions → 404
    const pred = await inject(
      'POST',
      '/api/v1/exchange/registry/sync/search',
      {
        message: {
          transaction_id: 'tx-pred',
          search_request: [
            {
              reference_id: 'p',
              search_criteria: {
                query_type: 'predicate',
                query: [{ attribute_name: 'region_code', operator: 'eq', attribute_value: R.countyB }],
              },
            },
          ],
        },
      },
      bearer(tok),
    );
    expect(pred.statusCode).toBe(404);
    // a token issued after the change has the same scope
    const fresh = await token(c.clientId, c.clientSecret);
    expect((await lookup(fresh, b.idNumbers[0]!)).statusCode).toBe(404);
    expect((await lookup(fresh, a.idNumbers[0]!)).statusCode).toBe(200);

    // the list shows the new scope; the audit row holds only the changed field, before and after
    const listed = (await admin.get('/api/v1/api-clients')).json().items.find((x: { id: number }) => x.id === c.id);
    expect(listed).toMatchObject({ regionCodes: [R.countyA], version: c.version + 1, name: '市核对中心' });
    expect(await audits('api_client.update', c.id)).toEqual([{ regionCodes: [[R.countyA, R.countyB], [R.countyA]] }]);

    // widening again brings the person back at the next call
    const back = await admin.patch(`/api/v1/api-clients/${c.id}`, {
      regionCodes: [R.countyA, R.countyB],
      version: c.version + 1,
    });
    expect(back.statusCode).toBe(200);
    expect((await lookup(tok, b.idNumbers[0]!)).statusCode).toBe(200);
  });

  it('applies new purposes, masking platform and rate limit to the next call, and audits only what changed', async () => {
    const c = await newClient(admin);
    const tok = await token(c.clientId, c.clientSecret);
    const before = (await lookup(tok, a.idNumbers[0]!)).json();
    expect(before.id_number).toBe(a.idNumbers[0]); // verification platform: full ID number

    const res = await admin.patch(`/api/v1/api-clients/${c.id}`, {
      name: '  市统计中心  ',
      purposes: ['statistics'],
      platform: 'gov_info',
      ratePerMinute: 2,
      version: c.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: '市统计中心',
      purposes: ['statistics'],
      platform: 'gov_info',
      ratePerMinute: 2,
      regionCodes: [R.countyA, R.countyB],
      version: c.version + 1,
    });

    // 1st call of the new budget of 2: a purpose no longer granted → 403
    const refused = await searchId(tok, a.idNumbers[0]!, 'verification');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('PURPOSE_NOT_ALLOWED');
    // 2nd: the default purpose is now statistics, and the gov_info masking applies
    const ok = await searchId(tok, a.idNumbers[0]!);
    expect(ok.statusCode).toBe(200);
    const rec = ok.json().message.search_response[0].data.reg_records[0];
    expect(rec.id_number).toBe(`${a.idNumbers[0]!.slice(0, 6)}********${a.idNumbers[0]!.slice(14)}`);
    expect(rec.address).toBeNull();
    expect(ok.body).not.toContain(a.idNumbers[0]!);
    // 3rd: over the new rate
    const limited = await searchId(tok, a.idNumbers[0]!);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');

    const log = await rows<{ purpose: string | null; status: number }>(
      t.database.db,
      sql`SELECT purpose, status FROM exchange_call_log WHERE client_pk = ${c.id} AND operation = 'search' ORDER BY id`,
    );
    expect(log.map((l) => [l.purpose, Number(l.status)])).toEqual([['statistics', 200]]);

    expect(await audits('api_client.update', c.id)).toEqual([
      {
        name: ['市核对中心', '市统计中心'],
        purposes: [['verification', 'statistics'], ['statistics']],
        platform: ['verification', 'gov_info'],
        ratePerMinute: [600, 2],
      },
    ]);
  });

  it('an edit that changes nothing writes nothing', async () => {
    const c = await newClient(admin, { regionCodes: [R.countyA] });
    const res = await admin.patch(`/api/v1/api-clients/${c.id}`, {
      regionCodes: [R.countyA],
      ratePerMinute: 600,
      version: c.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(c.version);
    expect((await stored(c.id)).version).toBe(c.version);
    expect(await audits('api_client.update', c.id)).toEqual([]);
  });

  it('answers 409 VERSION_CONFLICT to a stale version (body or If-Match) and changes nothing', async () => {
    const c = await newClient(admin, { regionCodes: [R.countyA] });
    const first1 = await admin.patch(`/api/v1/api-clients/${c.id}`, { name: '第一次修改', version: c.version });
    expect(first1.statusCode).toBe(200);
    const stale = await admin.patch(`/api/v1/api-clients/${c.id}`, { name: '过期的修改', version: c.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: c.version + 1 });
    const staleHeader = await admin.patch(
      `/api/v1/api-clients/${c.id}`,
      { name: '过期的修改', version: c.version + 1 },
      { 'if-match': `"${c.version}"` },
    );
    expect(staleHeader.statusCode).toBe(409);
    const rotate = await admin.post(`/api/v1/api-clients/${c.id}/secret`, { version: c.version });
    expect(rotate.statusCode).toBe(409);
    expect(rotate.json().code).toBe('VERSION_CONFLICT');
    const s = await stored(c.id);
    expect(s).toMatchObject({ version: c.version + 1, name: '第一次修改' });
    expect(await audits('api_client.update', c.id)).toHaveLength(1);
    expect(await audits('api_client.rotate_secret', c.id)).toEqual([]);
    // with no version at all → 400 (the body requires it)
    expect((await admin.patch(`/api/v1/api-clients/${c.id}`, { name: '无版本' })).statusCode).toBe(400);
  });

  it('answers 404 for a client outside the admin’s area or unknown, for an edit and a rotation', async () => {
    const c = await newClient(admin, { regionCodes: [R.countyA] });
    const edit = await adminB.patch(`/api/v1/api-clients/${c.id}`, { name: '越权修改', version: c.version });
    expect(edit.statusCode).toBe(404);
    expect(edit.body).not.toContain('市核对中心');
    expect((await adminB.post(`/api/v1/api-clients/${c.id}/secret`, { version: c.version })).statusCode).toBe(404);
    expect((await admin.patch('/api/v1/api-clients/999999', { name: '不存在', version: 1 })).statusCode).toBe(404);
    expect((await admin.post('/api/v1/api-clients/999999/secret', { version: 1 })).statusCode).toBe(404);
    expect(await stored(c.id)).toMatchObject({ version: c.version, name: '市核对中心' });
    expect(await audits('api_client.update', c.id)).toEqual([]);
  });

  it('refuses regions out of scope, unknown or repeated and bad values, naming the field, without a 500', async () => {
    const mine = await newClient(adminB, { regionCodes: [R.countyB], name: '泾川县核对' });
    const out = await adminB.patch(`/api/v1/api-clients/${mine.id}`, {
      regionCodes: [R.countyB, R.countyA],
      version: mine.version,
    });
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({
      code: 'REGION_OUT_OF_SCOPE',
      errors: [{ field: 'regionCodes[1]', code: 'out_of_scope' }],
    });

    const c = await newClient(admin, { regionCodes: [R.countyA] });
    const unknown = await admin.patch(`/api/v1/api-clients/${c.id}`, {
      regionCodes: [R.countyA, '620899'],
      version: c.version,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'REGION_NOT_FOUND',
      errors: [{ field: 'regionCodes[1]', code: 'not_found' }],
    });
    const dupRegion = await admin.patch(`/api/v1/api-clients/${c.id}`, {
      regionCodes: [R.countyA, R.countyA],
      version: c.version,
    });
    expect(dupRegion.statusCode).toBe(400);
    expect(dupRegion.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'regionCodes[1]', code: 'duplicate' }],
    });
    const dupPurpose = await admin.patch(`/api/v1/api-clients/${c.id}`, {
      purposes: ['statistics', 'statistics'],
      version: c.version,
    });
    expect(dupPurpose.statusCode).toBe(400);
    expect(dupPurpose.json()).toMatchObject({ errors: [{ field: 'purposes[1]', code: 'duplicate' }] });

    for (const bad of [
      { ratePerMinute: 0 },
      { ratePerMinute: 1.5 },
      { ratePerMinute: '600' },
      { purposes: ['spying'] },
      { purposes: [] },
      { platform: 'nowhere' },
      { regionCodes: [] },
      { regionCodes: ['62080'] },
      { regionCodes: 'x' },
      { name: 'x' },
      { name: null },
      { status: 'disabled' },
      { clientSecret: 'mine' },
    ]) {
      const r = await admin.patch(`/api/v1/api-clients/${c.id}`, { ...bad, version: c.version });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.json().errors.length, JSON.stringify(bad)).toBeGreaterThan(0);
    }
    for (const weird of [{ version: 0 }, { version: 'x' }, []]) {
      expect((await admin.patch(`/api/v1/api-clients/${c.id}`, weird)).statusCode).toBe(400);
    }
    expect((await admin.patch('/api/v1/api-clients/abc', { version: 1 })).statusCode).toBe(400);
    expect((await admin.post(`/api/v1/api-clients/${c.id}/secret`, {})).statusCode).toBe(400);
    expect((await admin.post(`/api/v1/api-clients/${c.id}/secret`, { version: 1, secret: 'x' })).statusCode).toBe(400);
    expect(await stored(c.id)).toMatchObject({ version: c.version, region_codes: [R.countyA] });
    expect(await audits('api_client.update', c.id)).toEqual([]);
  });
});

describe('rotating the secret', () => {
  it('shows a new secret once, keeps only its argon2id hash, and ends the old secret and its tokens', async () => {
    const c = await newClient(admin, { regionCodes: [R.countyA] });
    const oldTok = await token(c.clientId, c.clientSecret);
    expect((await lookup(oldTok, a.idNumbers[0]!)).statusCode).toBe(200); // now cached by the server

    const res = await admin.post(`/api/v1/api-clients/${c.id}/secret`, { version: c.version });
    expect(res.statusCode, res.body).toBe(200);
    const rotated = res.json();
    expect(rotated).toMatchObject({ id: c.id, clientId: c.clientId, version: c.version + 1, status: 'active' });
    expect(rotated.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.clientSecret).not.toBe(c.clientSecret);
    expect(res.headers['cache-control']).toBe('no-store');

    const s = await stored(c.id);
    expect(s.secret_hash).toMatch(/^\$argon2id\$/);
    expect(s.secret_hash).not.toContain(rotated.clientSecret);

    // the token issued before is refused at once, though the server had it cached
    const old = await lookup(oldTok, a.idNumbers[0]!);
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('API_CLIENT_UNAUTHORIZED');
    // the old secret gets no token, the new one does
    expect((await tokenRes(c.clientId, c.clientSecret)).statusCode).toBe(401);
    const newTok = await token(c.clientId, rotated.clientSecret);
    expect((await lookup(newTok, a.idNumbers[0]!)).statusCode).toBe(200);
    const tokens = await rows(t.database.db, sql`SELECT 1 FROM api_tokens WHERE client_pk = ${c.id}`);
    expect(tokens).toHaveLength(1);

    // audited without the secret; the list never shows it
    const trail = await audits('api_client.rotate_secret', c.id);
    expect(trail).toEqual([{ clientId: c.clientId, tokensRevoked: 1 }]);
    const raw = await rows<{ diff: string }>(
      t.database.db,
      sql`SELECT coalesce(diff::text, '') AS diff FROM audit_log`,
    );
    expect(JSON.stringify(raw)).not.toContain(rotated.clientSecret);
    expect(JSON.stringify(raw)).not.toContain(c.clientSecret);
    const list = await admin.get('/api/v1/api-clients');
    expect(list.body).not.toContain(rotated.clientSecret);

    // the call log shows the refused old-secret token request
    const calls = (await admin.get(`/api/v1/api-clients/${c.id}/calls?operation=token`)).json();
    expect(calls.items.map((x: { status: number }) => x.status)).toEqual([200, 401, 200]);

    // the version moved on: enabling/disabling and editing take the new one
    expect((await admin.post(`/api/v1/api-clients/${c.id}/disable`, { version: c.version })).statusCode).toBe(409);
    expect((await admin.post(`/api/v1/api-clients/${c.id}/disable`, { version: c.version + 1 })).statusCode).toBe(200);
    expect((await lookup(newTok, a.idNumbers[0]!)).statusCode).toBe(401);
  });

  it('rotating a disabled client gives a secret that works once it is enabled again', async () => {
    const c = await newClient(admin, { regionCodes: [R.countyA] });
    expect((await admin.post(`/api/v1/api-clients/${c.id}/disable`, { version: c.version })).statusCode).toBe(200);
    const res = await admin.post(`/api/v1/api-clients/${c.id}/secret`, { version: c.version + 1 });
    expect(res.statusCode).toBe(200);
    const secret = res.json().clientSecret as string;
    expect((await tokenRes(c.clientId, secret)).statusCode).toBe(401); // still disabled
    expect((await admin.post(`/api/v1/api-clients/${c.id}/enable`, { version: c.version + 2 })).statusCode).toBe(200);
    expect((await tokenRes(c.clientId, c.clientSecret)).statusCode).toBe(401);
    expect((await tokenRes(c.clientId, secret)).statusCode).toBe(200);
  });
});
