import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Database } from '../../src/server/db/client.js';
import { first } from '../../src/server/db/client.js';
import { hashPassword } from '../../src/server/platform/auth.js';
import { freshDatabase } from './db.js';

export const TEST_PASSWORD = 'Test-Passw0rd!';
let passwordHash: Promise<string> | null = null;

/** Well-known regions of the demo city used across tests. */
export const R = {
  city: '6208',
  countyA: '620802', // 崆峒区
  townA: '620802101', // 崆峒镇
  villageA: '620802101200', // 祁河村委会
  countyB: '620821', // 泾川县
  townB: '620821101',
  villageB: '620821101200', // 西王村民委员会
} as const;

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Parameters<typeof loadConfig>[0] = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const config = loadConfig({ env: 'test', logLevel: 'silent', ...overrides });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Writes a real user row (argon2id hash of TEST_PASSWORD, no forced password change unless asked). */
export async function makeUser(
  database: Database,
  u: { username: string; role: string; regionCode: string; mustChange?: boolean; displayName?: string },
): Promise<number> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const r = await first<{ id: number }>(
    database.db,
    sql`INSERT INTO users (username, display_name, password_hash, role_code, region_code, must_change_password)
        VALUES (${u.username}, ${u.displayName ?? u.username}, ${await passwordHash}, ${u.role}, ${u.regionCode}, ${u.mustChange ?? false})
        RETURNING id`,
  );
  return Number(r!.id);
}

export interface Client {
  cookie: string;
  csrf: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

/** Signs in through the real login route and returns a client that sends the session cookie and CSRF token. */
export async function login(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'jz_sid')!;
  const csrf = res.json().csrfToken as string;
  const cookieHeader = `jz_sid=${cookie.value}`;
  const request = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { cookie: cookieHeader, 'x-csrf-token': csrf, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  return {
    cookie: cookieHeader,
    csrf,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body, h) => request('PATCH', url, body ?? {}, h),
    put: (url, body, h) => request('PUT', url, body ?? {}, h),
    delete: (url) => request('DELETE', url),
  };
}
