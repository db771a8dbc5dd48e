import { sql } from 'drizzle-orm';
import { first } from '../../src/server/db/client.js';
import { casesSetup } from './cases-isolation.js';
import { importSetup } from './import-isolation.js';
import type { IsolationWorld } from './isolation-world.js';
import { registrySetup } from './registry-isolation.js';
import { rosterSetup } from './rosters-isolation.js';
import { policySetup } from './policy-isolation.js';

/** County A data for the isolation test. Each module appends its setup (it may use w.clientA(role) or SQL). */
export const setups: Array<(w: IsolationWorld) => Promise<void>> = [
  async (w) => {
    const u = await first<{ id: number }>(w.database.db, sql`SELECT id FROM users WHERE username = 'a_caseworker'`);
    w.ids.userA = Number(u!.id);
    w.markers.push('a_caseworker');
  },
  registrySetup,
  rosterSetup,
  casesSetup,
  policySetup,
  importSetup,
];
