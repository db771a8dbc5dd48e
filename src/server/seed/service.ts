import { sql } from 'drizzle-orm';
import { type Database, rows } from '../db/client.js';
import { writeAudit } from '../platform/audit.js';
import type { Actor } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import type { SeedVillage } from './generator.js';
import { type SeedResult, writeSeed } from './writer.js';

/** Current villages/communities (level 5) under a region code, in code order. */
export async function villagesUnder(database: Database, regionCode: string): Promise<SeedVillage[]> {
  return rows<SeedVillage>(
    database.db,
    sql`SELECT code, name FROM regions WHERE level = 5 AND retired_in IS NULL AND code LIKE ${`${regionCode}%`} ORDER BY code`,
  );
}

/**
 * `jiuzhu seed`: synthetic households over the real villages of a region, written with COPY in one transaction,
 * audited in the same transaction. Refused outside the actor's scope; a second run with a seed of the same last
 * digit over the same villages collides on 户编号 and is refused before anything is written.
 */
export async function seedHouseholds(
  database: Database,
  actor: Actor,
  input: {
    households: number;
    seed: number;
    regionCode: string;
    withEnrollments?: boolean;
    onProgress?: (done: number) => void;
  },
): Promise<SeedResult & { villages: number }> {
  if (!Number.isInteger(input.households) || input.households < 1 || input.households > 5_000_000) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'households', code: 'invalid', message: '户数应为 1 到 5,000,000 之间的整数' }],
    });
  }
  if (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > 2 ** 31 - 1) {
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field: 'seed', code: 'invalid', message: '种子应为 0 到 2147483647 之间的整数' }],
    });
  }
  if (!input.regionCode.startsWith(actor.scope.regionCode)) {
    throw new AppError('REGION_OUT_OF_SCOPE', { detail: `区划 ${input.regionCode} 不在您的管辖范围内` });
  }
  const villages = await villagesUnder(database, input.regionCode);
  if (villages.length === 0) {
    throw new AppError('REGION_NOT_FOUND', { detail: `区划 ${input.regionCode} 下没有村（社区），请先加载区划数据` });
  }
  const band = input.seed % 10;
  const clash = await rows<{ household_no: string }>(
    database.db,
    sql`SELECT household_no FROM households
        WHERE household_no IN (SELECT code || ${`${band}00001`} FROM regions WHERE level = 5 AND code LIKE ${`${input.regionCode}%`})
        LIMIT 1`,
  );
  if (clash.length) {
    throw new AppError('DUPLICATE', {
      detail: `户编号 ${clash[0]!.household_no} 已存在：尾数为 ${band} 的种子已在该区划生成过数据，请换一个 --seed`,
    });
  }
  const result = await writeSeed(database, {
    households: input.households,
    seed: input.seed,
    villages,
    withEnrollments: input.withEnrollments,
    onProgress: input.onProgress,
    afterWrite: (db) =>
      writeAudit(db, actor, {
        action: 'registry.seed',
        entityType: 'household',
        regionCode: input.regionCode,
        diff: { households: input.households, seed: input.seed, regionCode: input.regionCode },
      }),
  });
  return { ...result, villages: villages.length };
}

/**
 * Demo step (src/server/db/demo-data.ts): ~3000 synthetic households over the deployment's city when the registry
 * is empty. Idempotent: does nothing once any household exists.
 */
export async function seedDemoRegistry(
  database: Database,
  regionRoot: string,
  households = 3000,
): Promise<SeedResult | null> {
  const [existing] = await rows<{ n: number }>(
    database.db,
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM households LIMIT 1) x`,
  );
  if (Number(existing?.n ?? 0) > 0) return null;
  const villages = await villagesUnder(database, regionRoot);
  if (villages.length === 0) return null;
  return writeSeed(database, {
    households,
    seed: 2025,
    villages,
    afterWrite: (db) =>
      writeAudit(db, null, {
        action: 'registry.seed_demo',
        entityType: 'household',
        regionCode: regionRoot,
        diff: { households, seed: 2025 },
      }),
  });
}
