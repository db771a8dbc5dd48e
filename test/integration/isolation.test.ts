import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { cases, type IsolationCall, publicRoutes, unscopedRoutes } from './isolation-cases.js';
import { setups } from './isolation-setup.js';
import { buildWorld, type IsolationWorld, ROLES } from './isolation-world.js';

/**
 * Route-coverage isolation (platform issue §8): every route in the OpenAPI document is called as an anonymous
 * client and as every role of county B against county A's data. Each answer must be 401/403/404 (or, for public
 * and unscoped routes, a 2xx/4xx that carries no county A data). A route without a case here fails the test.
 */
let t: TestApp;
let w: IsolationWorld;
let routes: string[] = [];

function multipartBody(m: NonNullable<IsolationCall['multipart']>) {
  const boundary = '----jiuzhuisolation';
  const content = typeof m.content === 'string' ? Buffer.from(m.content) : m.content;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${m.field ?? 'file'}"; filename="${m.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function call(method: string, c: IsolationCall, auth?: { cookie: string; csrf: string }) {
  const headers: Record<string, string> = auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrf } : {};
  if (c.multipart) {
    const m = multipartBody(c.multipart);
    return t.app.inject({
      method: method as 'POST',
      url: c.url,
      headers: { ...headers, 'content-type': m.contentType },
      payload: m.body,
    });
  }
  return t.app.inject({
    method: method as 'GET',
    url: c.url,
    headers,
    ...(c.body === undefined ? {} : { payload: c.body as object }),
  });
}

beforeAll(async () => {
  t = await startTestApp();
  w = await buildWorld(t.app, t.database);
  for (const s of setups) await s(w);
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
  // Hidden routes (schema.hide) are not in the document but are public by construction; list them explicitly.
  routes.push('GET /api/health', 'GET /api/v1/openapi.json');
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('route-coverage isolation', () => {
  it('has a case for every route in the OpenAPI document', () => {
    const missing = routes.filter((r) => !cases[r] && !publicRoutes.has(r));
    expect(missing, `routes without an isolation case: ${missing.join(', ')}`).toEqual([]);
    expect(routes.length).toBeGreaterThan(10);
  });

  it('answers anonymous callers 401 on every protected route', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      if (publicRoutes.has(r)) continue;
      const [method] = r.split(' ');
      const res = await call(method!, cases[r]!(w));
      if (res.statusCode !== 401) failures.push(`${r} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives county B users of every role no access to county A data', async () => {
    expect(w.markers.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const r of routes) {
      const [method] = r.split(' ');
      if (publicRoutes.has(r)) {
        if (r.startsWith('POST /api/v1/auth/log')) continue; // login/logout are exercised in auth tests
        const res = await call(method!, cases[r]?.(w) ?? { url: r.split(' ')[1]! });
        for (const m of w.markers) if (res.body.includes(m)) failures.push(`${r} (public) leaks ${m}`);
        continue;
      }
      for (const role of ROLES) {
        const c = w.clientsB[role]!;
        const res = await call(method!, cases[r]!(w), c);
        const leaked = w.markers.filter((m) => res.body.includes(m));
        if (leaked.length) failures.push(`${r} as ${role} leaks ${leaked.join(',')}`);
        if (unscopedRoutes.has(r)) {
          if (res.statusCode >= 500) failures.push(`${r} as ${role} → ${res.statusCode}`);
        } else if (![401, 403, 404].includes(res.statusCode)) {
          failures.push(`${r} as ${role} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
