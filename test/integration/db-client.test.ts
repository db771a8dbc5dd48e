import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../support/db.js';

describe('database client', () => {
  it.runIf(process.env.TEST_DATABASE_URL)(
    'survives the server dropping a checked-out connection (the query fails, the process does not crash)',
    async () => {
      const database = await freshDatabase({ regions: false });
      try {
        const held = await database.pool!.connect();
        const pid = (await held.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await admin.end();
        await expect(held.query('SELECT 1')).rejects.toThrow();
        held.release(true);
        // the pool replaces the connection
        const r = await database.pool!.query('SELECT 1 AS one');
        expect(r.rows[0].one).toBe(1);
      } finally {
        await database.close();
      }
    },
  );
});
