import type { Config } from '../config.js';
import type { Database } from './client.js';
import { seedDemoAccounts } from './demo.js';

/**
 * Everything the demo needs on a fresh database: demo accounts (one per role). Capabilities that own demo data
 * (registry households, cases …) add their seeding step here; each step is idempotent.
 */
export async function seedDemo(database: Database, config: Config, log: (msg: string) => void) {
  const accounts = await seedDemoAccounts(database, config);
  void log;
  return { accounts };
}
