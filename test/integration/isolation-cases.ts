import { importCases, importUnscopedRoutes } from './import-isolation.js';
import { casesIsolationCases } from './cases-isolation.js';
import type { IsolationWorld } from './isolation-world.js';
import { registryCases } from './registry-isolation.js';
import { rosterCases, rosterPublicRoutes, rosterUnscopedRoutes } from './rosters-isolation.js';
import { policyCases, policyUnscopedRoutes } from './policy-isolation.js';

/**
 * Every route of the OpenAPI document, keyed `METHOD /path/{param}`, with how to call it against county A's data.
 * The isolation test fails for a route that is missing here. Give a body that passes validation, so the answer
 * tested is the access decision and not a 400.
 *
 * A module adds: (1) a setup in isolation-setup.ts that creates county A data and records ids/markers;
 * (2) one entry per route here.
 */
export interface IsolationCall {
  url: string;
  body?: unknown;
  /** multipart upload instead of JSON */
  multipart?: { filename: string; content: Buffer | string; field?: string };
}

export type CaseFn = (w: IsolationWorld) => IsolationCall;

/** Routes anyone may call without a session; they are checked to leak nothing of county A. */
export const publicRoutes = new Set([
  'GET /api/health',
  'GET /api/ready',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/demo-accounts',
  ...rosterPublicRoutes,
]);

/** Routes about the caller's own session or the whole system (not an area): they may answer 200 to county B, but must carry no county A data. */
export const unscopedRoutes = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/change-password',
  'GET /api/v1/roles',
  'GET /api/v1/audit/verify',
  ...rosterUnscopedRoutes,
  ...policyUnscopedRoutes,
  ...importUnscopedRoutes,
]);

export const cases: Record<string, CaseFn> = {
  'GET /api/v1/auth/me': () => ({ url: '/api/v1/auth/me' }),
  'POST /api/v1/auth/change-password': () => ({
    url: '/api/v1/auth/change-password',
    body: { currentPassword: 'wrong-password-1A', newPassword: 'Another-Passw0rd!' },
  }),
  'GET /api/v1/roles': () => ({ url: '/api/v1/roles' }),
  'GET /api/v1/users': () => ({ url: '/api/v1/users?regionCode=620802' }),
  'POST /api/v1/users': () => ({
    url: '/api/v1/users',
    body: {
      username: 'intruder1',
      displayName: '越权',
      role: 'caseworker',
      regionCode: '620802101',
      initialPassword: 'Intruder-Passw0rd!',
    },
  }),
  'GET /api/v1/users/{id}': (w) => ({ url: `/api/v1/users/${w.ids.userA}` }),
  'PATCH /api/v1/users/{id}': (w) => ({
    url: `/api/v1/users/${w.ids.userA}`,
    body: { displayName: '改名', version: 1 },
  }),
  'POST /api/v1/users/{id}/disable': (w) => ({ url: `/api/v1/users/${w.ids.userA}/disable`, body: { version: 1 } }),
  'POST /api/v1/users/{id}/enable': (w) => ({ url: `/api/v1/users/${w.ids.userA}/enable`, body: { version: 1 } }),
  'POST /api/v1/users/{id}/reset-password': (w) => ({
    url: `/api/v1/users/${w.ids.userA}/reset-password`,
    body: { newPassword: 'Intruder-Passw0rd!', version: 1 },
  }),
  'GET /api/v1/regions/children': () => ({ url: '/api/v1/regions/children?parent=620802' }),
  'GET /api/v1/regions/{code}': () => ({ url: '/api/v1/regions/620802101' }),
  'POST /api/v1/regions/import': () => ({
    url: '/api/v1/regions/import?edition=2024',
    multipart: { filename: 'villages.csv', content: '代码,名称\n620802101999,越权村\n' },
  }),
  'GET /api/v1/audit': () => ({ url: '/api/v1/audit?regionCode=620802' }),
  'GET /api/v1/audit/verify': () => ({ url: '/api/v1/audit/verify' }),
  ...registryCases,
  ...rosterCases,
  ...casesIsolationCases,
  ...policyCases,
  ...importCases,
};
