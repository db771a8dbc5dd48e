import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/server/db/client.js';
import { migrate } from '../../src/server/db/migrate.js';
import { upsertRegions } from '../../src/server/modules/regions/repo.js';
import { datasetRegions, DATASET_EDITION, DATASET_SOURCE } from '../../src/server/modules/regions/service.js';

let cachedRegions: ReturnType<typeof datasetRegions> | null = null;

/**
 * A fresh, migrated database with 平凉市's division codes: PGlite in memory by default; with TEST_DATABASE_URL a
 * new PostgreSQL database created for this test file and dropped by `close()`.
 */
export async function freshDatabase(opts: { regions?: boolean } = {}): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  let database: Database;
  let drop: (() => Promise<void>) | null = null;
  if (url) {
    const name = `jz_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    database = await openDatabase({ url: u.toString(), poolSize: 5 });
    drop = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    database = await openDatabase({});
  }
  await migrate(database);
  if (opts.regions !== false) {
    cachedRegions ??= datasetRegions('6208');
    await upsertRegions(database.db, cachedRegions, DATASET_EDITION, DATASET_SOURCE);
  }
  const close = database.close;
  database.close = async () => {
    await close();
    if (drop) await drop();
  };
  return database;
}
