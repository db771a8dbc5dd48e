import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/domain/identity/id-number.js';
import { first, openDatabase } from '../../src/server/db/client.js';
import { migrate } from '../../src/server/db/migrate.js';
import { upsertRegions } from '../../src/server/modules/regions/repo.js';
import { DATASET_EDITION, DATASET_SOURCE, datasetRegions } from '../../src/server/modules/regions/service.js';
import { createHousehold } from '../../src/server/modules/registry/service-households.js';
import { cliActor } from '../../src/cli/util.js';
import { R } from '../support/app.js';

const run = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync('node', ['bin/jiuzhu.js', ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('jiuzhu export', () => {
  it('exports a region to xlsx and csv with masked ID numbers, reveals on request, and audits each export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jz-export-'));
    const database = await openDatabase({ dataDir: join(dir, 'pglite') });
    await migrate(database);
    await upsertRegions(database.db, datasetRegions('6208'), DATASET_EDITION, DATASET_SOURCE);
    const ctx = { db: database.db, actor: cliActor(), locale: 'zh' as const };
    const ids = [makeIdNumber('620802', '1966-01-01', 11), makeIdNumber('620802', '1968-02-02', 12)];
    await createHousehold(ctx, {
      regionCode: R.villageA,
      address: '祁河村 7 号',
      hukouType: 'rural',
      members: [
        { idNumber: ids[0]!, name: '孙大河', relation: 'head' },
        { idNumber: ids[1]!, name: '周小梅', relation: 'spouse' },
      ],
    });
    await createHousehold(ctx, {
      regionCode: R.villageB,
      address: '西王村 2 号',
      hukouType: 'urban',
      members: [{ idNumber: makeIdNumber('620821', '1970-03-03', 13), name: '吴外县', relation: 'head' }],
    });
    await database.close();
    const env = { JIUZHU_DATA_DIR: dir };

    const xlsx = join(dir, 'a.xlsx');
    const r1 = run(['export', '--format', 'xlsx', '--region', R.countyA, '--out', xlsx], env);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stdout).toContain('已导出 2 人');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const values: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => values.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(values).toHaveLength(3);
    const idCol = values[0]!.indexOf('身份证号码');
    expect(values.slice(1).map((r) => r[idCol])).toEqual(ids.map((i) => `${i.slice(0, 6)}********${i.slice(14)}`));

    const csv = join(dir, 'a.csv');
    const r2 = run(['export', '--format', 'csv', '--region', R.city, '--reveal', '--out', csv], env);
    expect(r2.status, r2.stderr).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain(ids[0]);
    expect(text).toContain('吴外县');

    const bad = run(['export', '--format', 'pdf', '--out', join(dir, 'x.pdf')], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('format');
    const outside = run(['export', '--region', '620802999999', '--age-min', 'abc', '--out', join(dir, 'y.xlsx')], env);
    expect(outside.status).toBe(2);

    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    const audit = await first<{ n: number; reveal: number }>(
      db.db,
      sql`SELECT count(*) FILTER (WHERE action = 'registry.export')::int AS n,
                 count(*) FILTER (WHERE action = 'registry.export_reveal')::int AS reveal
          FROM audit_log WHERE actor_username LIKE 'cli:%'`,
    );
    expect(audit).toEqual({ n: 1, reveal: 1 });
    await db.close();
  }, 240_000);
});
