import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/server/db/client.js';
import { type Client, login, makeUser, R } from '../support/app.js';

/**
 * The world the route-coverage isolation test runs in: data of county A (崆峒区) created by each module's setup,
 * and signed-in users of every role in county B (泾川县), who must never see or touch county A's data.
 */
export interface IsolationWorld {
  app: FastifyInstance;
  database: Database;
  /** Ids of county A's records, by name (each module adds its own: householdId, personId, caseId …). */
  ids: Record<string, number | string>;
  /** Strings of county A's data (names, ID numbers, addresses …) that must not appear in any response to county B. */
  markers: string[];
  /** A signed-in client of county A with the given role (for setups that create data through the API). */
  clientA(role: string): Promise<Client>;
  /** Signed-in clients of county B, one per role. */
  clientsB: Record<string, Client>;
}

export const ROLES = [
  'caseworker',
  'township_reviewer',
  'county_approver',
  'supervisor',
  'auditor',
  'dept_housing',
  'dept_finance',
  'dept_disability',
  'dept_medical',
  'admin',
] as const;

const TOWNSHIP_ROLES = new Set(['caseworker', 'township_reviewer']);

export async function buildWorld(app: FastifyInstance, database: Database): Promise<IsolationWorld> {
  const clientsA: Record<string, Client> = {};
  const clientsB: Record<string, Client> = {};
  for (const role of ROLES) {
    // County-level users (not city) so that B's scope excludes A: townships for township roles, counties otherwise.
    await makeUser(database, {
      username: `a_${role}`,
      role,
      regionCode: TOWNSHIP_ROLES.has(role) ? R.townA : R.countyA,
    });
    await makeUser(database, {
      username: `b_${role}`,
      role,
      regionCode: TOWNSHIP_ROLES.has(role) ? R.townB : R.countyB,
    });
    clientsB[role] = await login(app, `b_${role}`);
  }
  return {
    app,
    database,
    ids: {},
    markers: [],
    clientsB,
    async clientA(role: string) {
      clientsA[role] ??= await login(app, `a_${role}`);
      return clientsA[role]!;
    },
  };
}
