import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Config } from './config.js';
import { type Database, first, openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { loadDivisionDataset } from './modules/regions/service.js';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, otherwise PGlite under JIUZHU_DATA_DIR. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ url: config.databaseUrl });
  mkdirSync(config.dataDir, { recursive: true });
  return openDatabase({ dataDir: join(config.dataDir, 'pglite') });
}

/** Migrates and makes sure the configured city's division codes are present. */
export async function prepareDatabase(database: Database, config: Config) {
  const m = await migrate(database);
  const have = await first<{ n: number }>(
    database.db,
    sql`SELECT count(*) AS n FROM regions WHERE code LIKE ${`${config.regionRoot}%`}`,
  );
  let regions: Awaited<ReturnType<typeof loadDivisionDataset>> | null = null;
  if (!have || Number(have.n) === 0) regions = await loadDivisionDataset(database.db, config.regionRoot, null);
  return { migrations: m, regions };
}

export async function hasDemoAccounts(database: Database): Promise<boolean> {
  const r = await first<{ n: number }>(database.db, sql`SELECT count(*) AS n FROM users WHERE is_demo`);
  return Number(r?.n ?? 0) > 0;
}
