import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, first } from '../src/server/db/client.js';
import { migrate } from '../src/server/db/migrate.js';
import { upsertRegions } from '../src/server/modules/regions/repo.js';
import { DATASET_EDITION, DATASET_SOURCE, datasetRegions } from '../src/server/modules/regions/service.js';

/** A dedicated PostgreSQL database for a benchmark run, created fresh and dropped at the end. */
export async function createPgDatabase(adminUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function dropPgDatabase(adminUrl: string, name: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
}

/** Migrated, with 平凉市's division codes; optionally with the registry tables emptied (same run, same tables). */
export async function prepareBenchDatabase(database: Database, truncate: boolean) {
  await migrate(database);
  const have = await first<{ n: number }>(database.db, sql`SELECT count(*) AS n FROM regions WHERE code LIKE '6208%'`);
  if (Number(have?.n ?? 0) === 0)
    await upsertRegions(database.db, datasetRegions('6208'), DATASET_EDITION, DATASET_SOURCE);
  if (truncate) {
    await database.db.execute(sql`TRUNCATE households, persons, household_memberships, disability_certs, income_items,
      property_items, programme_enrollments, households_history, persons_history, disability_certs_history,
      income_items_history, property_items_history, programme_enrollments_history, import_staging, import_row_errors,
      import_household_keys RESTART IDENTITY CASCADE`);
    // A checkpoint so that the next step does not pay for the previous one's dirty pages.
    await database.db.execute(sql`CHECKPOINT`);
  }
}
