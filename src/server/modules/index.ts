import type { App } from '../platform/http.js';
import { auditRoutes } from './audit/routes.js';
import { jobRoutes } from './jobs/routes.js';
import { registryImportRoutes } from './registry-import/routes.js';
import { authRoutes } from './auth/routes.js';
import { healthRoutes } from './health/routes.js';
import { regionRoutes } from './regions/routes.js';
import { registryRoutes } from './registry/routes.js';
import { userRoutes } from './users/routes.js';
import { rosterRoutes } from './rosters/routes.js';
import { ledgerRoutes } from './ledger/routes.js';
import { exchangeRoutes } from './exchange/routes.js';
import { monthlyUpdateRoutes } from './monthly-updates/routes.js';
import { archiveRoutes } from './archive/routes.js';
import { caseRoutes } from './cases/routes.js';
import { noticeRoutes } from './notices/routes.js';
import { policyRoutes } from './policy/routes.js';

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
  await registryRoutes(api);
  await rosterRoutes(api);
  await ledgerRoutes(api);
  await exchangeRoutes(api);
  await monthlyUpdateRoutes(api);
  await jobRoutes(api);
  await registryImportRoutes(api);
  await caseRoutes(api);
  await noticeRoutes(api);
  await archiveRoutes(api);
  await policyRoutes(api);
}
