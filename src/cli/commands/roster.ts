import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { GenerateRosterRequest, Month, RosterProgramme } from '../../contracts/rosters.js';
import { rows } from '../../server/db/client.js';
import { formatYuan } from '../../domain/money.js';
import { jsonLinesStream, platformRule, xlsxStream } from '../../server/modules/exchange/export.js';
import { generateRoster, generateRosters, listRosters } from '../../server/modules/rosters/service.js';
import { writeAudit } from '../../server/platform/audit.js';
import { AppError } from '../../server/platform/errors.js';
import { inTransaction } from '../../server/platform/tx.js';
import { cliActor, reportError, withDatabase } from '../util.js';

const PAYING = ['dibao', 'tekun', 'disability_living', 'disability_nursing'] as const;

/**
 * `jiuzhu roster generate --county 620802 --month 2026-10 --programme dibao` (or `--county 6208 --all`: every county
 * of the city, every monthly programme), `jiuzhu roster list --month 2026-10`, and the big-data export
 * `jiuzhu exchange export --platform poverty_bigdata [--region] [--since] --out FILE`.
 */
export function registerRoster(program: Command) {
  const roster = program.command('roster').description('发放名册 (monthly payment rosters)');
  roster
    .command('generate')
    .description('生成发放名册（草稿）；--county 可为市代码，配合 --all 生成全部区县、全部按月发放项目')
    .requiredOption('-c, --county <code>', '区县代码（6 位），或配合 --all 的市代码')
    .requiredOption('-m, --month <YYYY-MM>', '发放月份')
    .option('-p, --programme <p>', 'dibao | tekun | disability_living | disability_nursing | temporary | medical')
    .option('--all', '全部按月发放项目（低保、特困、两项补贴）')
    .action((o) =>
      withDatabase(async (database) => {
        if (!Month.safeParse(o.month).success)
          throw new AppError('VALIDATION_FAILED', { detail: '月份格式应为 YYYY-MM' });
        const programmes = o.all ? [...PAYING] : [RosterProgramme.parse(o.programme)];
        const counties =
          o.county.length === 6
            ? [o.county as string]
            : (
                await rows<{ code: string }>(
                  database.db,
                  sql`SELECT code FROM regions WHERE level = 3 AND retired_in IS NULL AND code LIKE ${`${o.county}%`} ORDER BY code`,
                )
              ).map((r) => r.code);
        const ctx = { db: database.db, actor: cliActor(['roster.generate']), locale: 'zh' as const };
        const t0 = Date.now();
        let lines = 0;
        if (counties.length * programmes.length > 1) {
          const r = await generateRosters(ctx, { month: o.month, countyCodes: counties, programmes });
          for (const x of r.created) {
            lines += x.lineCount;
            console.log(
              `名册 ${x.id}：${x.countyCode} ${o.month} ${x.programme}，${x.lineCount} 行，合计 ${formatYuan(x.totalFen)} 元，错误 ${x.errorCount} 行`,
            );
          }
          for (const x of r.skipped)
            console.log(`跳过 ${x.countyCode} ${o.month} ${x.programme}：名册 ${x.rosterId} 已存在`);
        } else {
          const input = GenerateRosterRequest.parse({
            countyCode: counties[0],
            month: o.month,
            programme: programmes[0],
          });
          const r = await generateRoster(ctx, input);
          lines += r.lineCount;
          console.log(
            `名册 ${r.id}：${r.countyCode} ${o.month} ${r.programme}，${r.lineCount} 行，合计 ${formatYuan(r.totalFen)} 元，错误 ${r.errorCount} 行`,
          );
        }
        console.log(`共 ${lines} 行，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
      }).catch(reportError),
    );
  roster
    .command('list')
    .description('列出某月名册')
    .requiredOption('-m, --month <YYYY-MM>')
    .option('-r, --region <code>')
    .action((o) =>
      withDatabase(async (database) => {
        const ctx = { db: database.db, actor: cliActor(['roster.read']), locale: 'zh' as const };
        const page = await listRosters(ctx, { month: o.month, regionCode: o.region, limit: 200 });
        for (const r of page.items) {
          console.log(
            `${r.id}\t${r.countyCode} ${r.countyName ?? ''}\t${r.programme}\t${r.kind}\t${r.status}\t${r.lineCount} 行\t${formatYuan(r.totalFen)} 元\t错误 ${r.errorCount}`,
          );
        }
      }).catch(reportError),
    );

  const exchange = program.command('exchange').description('数据交换 (big-data platform export)');
  exchange
    .command('export')
    .description('大数据平台导出（JSON Lines 或 xlsx；全量或 --since 增量；按接收平台脱敏；记入审计）')
    .requiredOption('-p, --platform <code>', 'poverty_bigdata | gov_info | verification | statistics')
    .requiredOption('-o, --out <file>')
    .option('-f, --format <format>', 'jsonl | xlsx', 'jsonl')
    .option('-r, --region <code>', '区划代码前缀', '')
    .option('--since <iso>', '增量：自该时刻（ISO 8601）起的变化')
    .action((o) =>
      withDatabase(async (database) => {
        const rule = await platformRule(database, o.platform);
        if (!rule) throw new AppError('VALIDATION_FAILED', { detail: `接收平台 ${o.platform} 不存在` });
        if (!/^\d{0,12}$/.test(o.region)) throw new AppError('VALIDATION_FAILED', { detail: '区划代码应为数字' });
        if (o.since && Number.isNaN(new Date(o.since).getTime()))
          throw new AppError('VALIDATION_FAILED', { detail: '--since 应为 ISO 8601 时刻' });
        const actor = cliActor(['exports.run']);
        await inTransaction(database.db, (tx) =>
          writeAudit(tx, actor, {
            action: 'exchange.export',
            entityType: 'export',
            entityId: o.platform,
            regionCode: o.region || null,
            diff: { format: o.format, since: o.since ?? null, masking: rule },
          }),
        );
        const t0 = Date.now();
        let counts: Record<string, number> = {};
        const opts = { regionPrefix: o.region, since: o.since, rule };
        const src =
          o.format === 'xlsx'
            ? xlsxStream(database, opts, (c) => (counts = { ...c }))
            : jsonLinesStream(database, opts, (c) => (counts = { ...c }));
        await pipeline(src, createWriteStream(resolve(o.out)));
        const s = (Date.now() - t0) / 1000;
        console.log(`已导出 ${JSON.stringify(counts)} → ${o.out}，用时 ${s.toFixed(1)} 秒`);
      }).catch(reportError),
    );
}
