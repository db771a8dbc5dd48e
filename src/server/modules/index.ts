import type { App } from '../platform/http.js';
import { auditRoutes } from './audit/routes.js';
import { authRoutes } from './auth/routes.js';
import { healthRoutes } from './health/routes.js';
import { regionRoutes } from './regions/routes.js';
import { userRoutes } from './users/routes.js';

/**
 * Where a capability plugs in: add its routes here. Every route declares `config.access`
 * and is then covered by test/integration/isolation.test.ts (which fails for an uncovered route).
 */
export async function registerModules(api: App) {
  await healthRoutes(api);
  api.get('/v1/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () =>
    api.swagger(),
  );
  await authRoutes(api);
  await userRoutes(api);
  await regionRoutes(api);
  await auditRoutes(api);
}
