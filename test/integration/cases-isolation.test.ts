import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { casesIsolationCases, casesSetup } from './cases-isolation.js';
import { buildWorld, type IsolationWorld, ROLES } from './isolation-world.js';

/**
 * The case engine's routes against county A's data, as anonymous and as every county B role (the same checks as
 * isolation.test.ts, limited to this module so it runs on its own): 401 / 403 / 404 only, and no county A data.
 */
let t: TestApp;
let w: IsolationWorld;

async function call(
  method: string,
  url: string,
  c: ReturnType<(typeof casesIsolationCases)[string]>,
  auth?: { cookie: string; csrf: string },
) {
  const headers: Record<string, string> = auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrf } : {};
  if (c.multipart) {
    const boundary = '----jzcasesiso';
    const content = typeof c.multipart.content === 'string' ? Buffer.from(c.multipart.content) : c.multipart.content;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${c.multipart.filename}"\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: method as 'POST',
      url,
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  }
  return t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(c.body === undefined ? {} : { payload: c.body as object }),
  });
}

beforeAll(async () => {
  t = await startTestApp({ filesDir: `/tmp/jiuzhu-test-files-iso-${process.pid}` });
  w = await buildWorld(t.app, t.database);
  await casesSetup(w);
}, 300_000);
afterAll(async () => {
  await t?.close();
});

describe('case engine route isolation', () => {
  it('covers every case, notice and archive route of the OpenAPI document', () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const mine = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.some((tag) => ['cases', 'notices', 'archive'].includes(tag)))
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    expect(mine.length).toBeGreaterThan(30);
    expect(mine.filter((r) => !casesIsolationCases[r])).toEqual([]);
  });

  it('answers anonymous 401 and county B 401/403/404 without county A data', async () => {
    expect(w.markers.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const [route, fn] of Object.entries(casesIsolationCases)) {
      const [method] = route.split(' ');
      const c = fn(w);
      const anon = await call(method!, c.url, c);
      if (anon.statusCode !== 401) failures.push(`${route} anonymous → ${anon.statusCode}`);
      for (const role of ROLES) {
        const res = await call(method!, c.url, c, w.clientsB[role]);
        const leaked = w.markers.filter((m) => res.body.includes(m));
        if (leaked.length) failures.push(`${route} as ${role} leaks ${leaked.join(',')}`);
        if (![401, 403, 404].includes(res.statusCode))
          failures.push(`${route} as ${role} → ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
