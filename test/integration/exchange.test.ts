import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R, startTestApp, type TestApp } from '../support/app.js';
import { type MadeHousehold, makeHousehold } from '../support/factories-rosters.js';

let t: TestApp;
let admin: Client;
let countyAdminB: Client;
let exporter: Client;
let a: MadeHousehold;
let a2: MadeHousehold;
let b: MadeHousehold;
let startedAt: string;

async function newClient(body: Record<string, unknown>) {
  const res = await admin.post('/api/v1/api-clients', {
    name: '核对平台',
    regionCodes: [R.countyA],
    purposes: ['verification'],
    platform: 'gov_info',
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; clientId: string; clientSecret: string; version: number };
}

async function token(clientId: string, secret: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/exchange/oauth/token',
    payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
  });
  return res;
}

function searchBody(items: unknown[], purpose?: string) {
  return {
    header: { action: 'search', ...(purpose ? { purpose } : {}) },
    message: { transaction_id: 'tx-0001', search_request: items },
  };
}

const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });

beforeAll(async () => {
  t = await startTestApp();
  await makeUser(t.database, { username: 'city_admin', role: 'admin', regionCode: R.city });
  await makeUser(t.database, { username: 'b_admin', role: 'admin', regionCode: R.countyB });
  await makeUser(t.database, { username: 'sup_a', role: 'supervisor', regionCode: R.countyA });
  admin = await login(t.app, 'city_admin');
  countyAdminB = await login(t.app, 'b_admin');
  exporter = await login(t.app, 'sup_a');
  a = await makeHousehold(t.database.db, {
    regionCode: R.villageA,
    names: ['周国平', '周小丽'],
    phone: '13912345678',
    enrollments: [{ programme: 'dibao', amountFen: 40000 }],
  });
  b = await makeHousehold(t.database.db, {
    regionCode: R.villageB,
    names: ['吴外县'],
    enrollments: [{ programme: 'dibao', amountFen: 40000 }],
  });
  startedAt = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  a2 = await makeHousehold(t.database.db, {
    regionCode: R.villageA,
    names: ['郑新户'],
    enrollments: [{ programme: 'disability_nursing', amountFen: 10000, member: 0 }],
  });
});
afterAll(() => t.close());

describe('API clients', () => {
  it('registers a client with an argon2id-hashed secret shown once, and audits it', async () => {
    const c = await newClient({});
    expect(c.clientSecret.length).toBeGreaterThan(30);
    const [row] = await rows<{ secret_hash: string }>(
      t.database.db,
      sql`SELECT secret_hash FROM api_clients WHERE id = ${c.id}`,
    );
    expect(row!.secret_hash.startsWith('$argon2id$')).toBe(true);
    const list = (await admin.get('/api/v1/api-clients')).json().items;
    expect(JSON.stringify(list)).not.toContain(c.clientSecret);
    expect((await rows(t.database.db, sql`SELECT 1 FROM audit_log WHERE action = 'api_client.create'`)).length).toBe(1);
    // a county B admin may not grant county A, and does not see the city's clients
    const out = await countyAdminB.post('/api/v1/api-clients', {
      name: '越权客户端',
      regionCodes: [R.countyA],
      purposes: ['verification'],
      platform: 'gov_info',
    });
    expect(out.statusCode).toBe(403);
    expect((await countyAdminB.get('/api/v1/api-clients')).json().items).toEqual([]);
    expect((await countyAdminB.post(`/api/v1/api-clients/${c.id}/disable`, { version: 1 })).statusCode).toBe(404);
  });

  it('exchanges client credentials for a bearer token; a wrong secret is 401', async () => {
    const c = await newClient({});
    expect((await token(c.clientId, 'wrong-secret')).statusCode).toBe(401);
    const ok = await token(c.clientId, c.clientSecret);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().token_type).toBe('Bearer');
    const noAuth = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      payload: searchBody([]),
    });
    expect(noAuth.statusCode).toBe(400); // body validated first: empty search_request
    const noAuth2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      payload: searchBody([
        {
          reference_id: 'r1',
          search_criteria: { query_type: 'idtype-value', query: { type: 'ID_NUMBER', value: a.idNumbers[0] } },
        },
      ]),
    });
    expect(noAuth2.statusCode).toBe(401);
  });
});

describe('registry search (DCI-style)', () => {
  let tok = '';
  beforeAll(async () => {
    const c = await newClient({});
    tok = (await token(c.clientId, c.clientSecret)).json().access_token;
  });

  it('finds a person by ID number with the platform masking and logs the call', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      headers: bearer(tok),
      payload: searchBody(
        [
          {
            reference_id: 'r1',
            search_criteria: { query_type: 'idtype-value', query: { type: 'ID_NUMBER', value: a.idNumbers[0] } },
          },
        ],
        'verification',
      ),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.header.action).toBe('on-search');
    expect(body.message.transaction_id).toBe('tx-0001');
    const item = body.message.search_response[0];
    expect(item.status).toBe('succ');
    expect(item.pagination.total_count).toBe(1);
    const rec = item.data.reg_records[0];
    expect(rec.name).toBe('周国平');
    expect(rec.id_number).toBe(`${a.idNumbers[0]!.slice(0, 6)}********${a.idNumbers[0]!.slice(14)}`); // gov_info: masked
    expect(rec.address).toBeNull();
    expect(rec.programmes).toEqual([
      expect.objectContaining({ programme: 'dibao', status: 'active', monthly_amount_fen: 40000 }),
    ]);
    expect(res.body).not.toContain(a.idNumbers[0]!);
    const log = await rows<{ operation: string; transaction_id: string; person_ids: number[] }>(
      t.database.db,
      sql`SELECT operation, transaction_id, person_ids FROM exchange_call_log WHERE operation = 'search'`,
    );
    const last = log.at(-1)!;
    expect({ ...last, person_ids: last.person_ids.map(Number) }).toEqual({
      operation: 'search',
      transaction_id: 'tx-0001',
      person_ids: [a.personIds[0]],
    });
  });

  it('answers a person outside the client regions as not found, and a region predicate outside them 404', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      headers: bearer(tok),
      payload: searchBody([
        {
          reference_id: 'r2',
          search_criteria: { query_type: 'idtype-value', query: { type: 'ID_NUMBER', value: b.idNumbers[0] } },
        },
      ]),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().message.search_response[0].status).toBe('rjct');
    expect(res.body).not.toContain('吴外县');
    const one = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/persons/lookup',
      headers: bearer(tok),
      payload: { id_number: b.idNumbers[0] },
    });
    expect(one.statusCode).toBe(404);
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/persons/lookup',
      headers: bearer(tok),
      payload: { id_number: a.idNumbers[1] },
    });
    expect(mine.statusCode).toBe(200);
    const pred = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      headers: bearer(tok),
      payload: searchBody([
        {
          reference_id: 'r3',
          search_criteria: {
            query_type: 'predicate',
            query: [{ attribute_name: 'region_code', operator: 'eq', attribute_value: R.countyB }],
          },
        },
      ]),
    });
    expect(pred.statusCode).toBe(404);
  });

  it('runs a paginated predicate query over households', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      headers: bearer(tok),
      payload: searchBody([
        {
          reference_id: 'r4',
          search_criteria: {
            reg_record_type: 'household',
            query_type: 'predicate',
            query: [{ attribute_name: 'region_code', operator: 'eq', attribute_value: R.townA }],
            pagination: { page_size: 1, page_number: 2 },
          },
        },
        {
          reference_id: 'r5',
          search_criteria: {
            query_type: 'predicate',
            query: [{ attribute_name: 'programme', operator: 'eq', attribute_value: 'dibao' }],
          },
        },
      ]),
    });
    expect(res.statusCode).toBe(200);
    const [hhPage, dibao] = res.json().message.search_response;
    expect(hhPage.pagination).toEqual({ page_size: 1, page_number: 2, total_count: 2 });
    expect(hhPage.data.reg_records).toHaveLength(1);
    expect(dibao.data.reg_records.map((r: { name: string }) => r.name).sort()).toEqual(['周国平', '周小丽']);
  });

  it('refuses a purpose the client is not authorised for (403) and a malformed query (400)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      headers: bearer(tok),
      payload: searchBody(
        [
          {
            reference_id: 'r1',
            search_criteria: { query_type: 'idtype-value', query: { type: 'ID_NUMBER', value: a.idNumbers[0] } },
          },
        ],
        'statistics',
      ),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('PURPOSE_NOT_ALLOWED');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/registry/sync/search',
      headers: bearer(tok),
      payload: searchBody([
        {
          reference_id: 'r1',
          search_criteria: {
            query_type: 'predicate',
            query: [{ attribute_name: 'birth_date', operator: 'ge', attribute_value: 'yesterday' }],
          },
        },
      ]),
    });
    expect(bad.statusCode).toBe(400);
  });

  it('limits a client to its rate (429) and logs the refusal', async () => {
    const c = await newClient({ ratePerMinute: 3 });
    const tk = (await token(c.clientId, c.clientSecret)).json().access_token;
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/exchange/registry/persons/lookup',
            headers: bearer(tk),
            payload: { id_number: a.idNumbers[0] },
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const log = await rows(
      t.database.db,
      sql`SELECT 1 FROM exchange_call_log WHERE client_pk = ${c.id} AND status = 429`,
    );
    expect(log).toHaveLength(2);
  });

  it('a disabled client loses its tokens at once', async () => {
    const c = await newClient({});
    const tk = (await token(c.clientId, c.clientSecret)).json().access_token;
    expect((await admin.post(`/api/v1/api-clients/${c.id}/disable`, { version: c.version })).statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/exchange/registry/persons/lookup',
          headers: bearer(tk),
          payload: { id_number: a.idNumbers[0] },
        })
      ).statusCode,
    ).toBe(401);
    expect((await token(c.clientId, c.clientSecret)).statusCode).toBe(401);
  });
});

describe('change feed', () => {
  it('lists upserts and deletes since a timestamp, in order, paginated, within the client regions', async () => {
    const c = await newClient({ platform: 'verification' });
    const tk = (await token(c.clientId, c.clientSecret)).json().access_token;
    await t.database.db.execute(
      sql`UPDATE persons SET name = '周国平改', change_reason = '更正姓名' WHERE id = ${a.personIds[0]!}`,
    );
    await t.database.db.execute(sql`UPDATE persons SET name = '吴改名' WHERE id = ${b.personIds[0]!}`);
    const all: Array<{ entity: string; op: string; id: number; record: Record<string, unknown> | null }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/exchange/registry/changes?since=${encodeURIComponent(startedAt)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(tk) });
      expect(res.statusCode).toBe(200);
      all.push(...res.json().items);
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThan(1);
    const persons = all.filter((x) => x.entity === 'person').map((x) => x.id);
    expect(persons).toContain(a.personIds[0]);
    expect(persons).toContain(a2.personIds[0]);
    expect(persons).not.toContain(a.personIds[1]); // unchanged since
    expect(persons).not.toContain(b.personIds[0]); // other county
    const changed = all.find((x) => x.entity === 'person' && x.id === a.personIds[0])!;
    expect(changed.record!.name).toBe('周国平改');
    expect(changed.record!.id_number).toBe(a.idNumbers[0]); // verification platform: full
  });
});

describe('big-data export', () => {
  it('streams JSON Lines of households, persons and programme status with the platform masking, audited', async () => {
    const res = await exporter.get('/api/v1/exchange/exports?platform=gov_info');
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const types = lines.map((l) => l.type);
    expect(types.filter((x) => x === 'household')).toHaveLength(2);
    expect(types.filter((x) => x === 'person')).toHaveLength(3);
    expect(types.filter((x) => x === 'enrollment')).toHaveLength(2);
    const p = lines.find((l) => l.type === 'person' && l.id === a.personIds[0]);
    expect(p.id_number).toContain('********');
    expect(p).not.toHaveProperty('phone');
    expect(res.body).not.toContain('吴外县');
    const full = (await exporter.get('/api/v1/exchange/exports?platform=verification')).body;
    expect(full).toContain(a.idNumbers[0]!);
    expect(full).toContain('13912345678');
    const bd = (await exporter.get('/api/v1/exchange/exports?platform=poverty_bigdata')).body;
    expect(bd).toContain('139****5678');
    const audits = await rows(t.database.db, sql`SELECT 1 FROM audit_log WHERE action = 'exchange.export'`);
    expect(audits).toHaveLength(3);
  });

  it('exports incrementally since a timestamp, including deletions', async () => {
    await t.database.db.execute(sql`DELETE FROM programme_enrollments WHERE id = ${a2.enrollmentIds[0]!}`);
    const res = await exporter.get(
      `/api/v1/exchange/exports?platform=statistics&since=${encodeURIComponent(startedAt)}`,
    );
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const ids = lines.map((l) => `${l.type}:${l.op}:${l.id}`);
    expect(ids).toContain(`household:upsert:${a2.householdId}`);
    expect(ids).toContain(`person:upsert:${a2.personIds[0]}`);
    expect(ids).toContain(`enrollment:delete:${a2.enrollmentIds[0]}`);
    expect(ids).not.toContain(`person:upsert:${a.personIds[1]}`);
    const p = lines.find((l) => l.type === 'person');
    expect(p.name).toMatch(/^.\*+$/); // statistics: masked names
  });

  it('writes the same records as xlsx; a region outside the scope is 404', async () => {
    const res = await exporter.get('/api/v1/exchange/exports?platform=gov_info&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await exporter.get(`/api/v1/exchange/exports?platform=gov_info&regionCode=${R.countyB}`)).statusCode).toBe(
      404,
    );
    expect((await exporter.get('/api/v1/exchange/exports?platform=nope')).statusCode).toBe(400);
  });
});
