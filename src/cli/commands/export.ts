import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ExportQuery } from '../../contracts/registry-search.js';
import { exportRowCount, planExport, runExport } from '../../server/modules/registry/export.js';
import { AppError } from '../../server/platform/errors.js';
import { fieldErrorsFromZod } from '../../server/platform/validation.js';
import { cliActor, reportError, withDatabase } from '../util.js';

/** `jiuzhu export --format xlsx|csv --region CODE [filters] --out FILE` — the same export as the API, audited. */
export function registerExport(program: Command) {
  program
    .command('export')
    .description('导出人员名单（xlsx 或 csv/UTF-8 BOM；身份证号默认脱敏，--reveal 导出完整号码并记入审计）')
    .requiredOption('-o, --out <file>', '输出文件路径')
    .option('-f, --format <format>', 'xlsx | csv', 'xlsx')
    .option('-r, --region <code>', '区划代码（省、市、县、乡镇或村）')
    .option('--name <prefix>', '姓名前缀')
    .option('--id-number <id>', '身份证号码（精确）')
    .option('--disability-type <type>', 'visual | hearing | speech | physical | intellectual | mental | multiple')
    .option('--disability-level <n>', '残疾等级 1–4')
    .option('--has-disability <bool>', 'true | false')
    .option(
      '--programme <p>',
      'dibao | tekun | disability_living | disability_nursing | temporary | medical | left_behind_child | low_income_edge',
    )
    .option('--programme-status <s>', 'active | suspended | ended')
    .option('--age-min <n>', '最小年龄')
    .option('--age-max <n>', '最大年龄')
    .option('--housing-rating <r>', 'A | B | C | D')
    .option('--hukou-type <t>', 'urban | rural')
    .option('--sex <s>', 'M | F')
    .option('--include-dissolved', '包括已注销户及无户人员')
    .option('--reveal', '导出完整身份证号码（记入审计）')
    .action(async (o) => {
      try {
        const raw: Record<string, unknown> = {
          format: o.format,
          regionCode: o.region,
          name: o.name,
          idNumber: o.idNumber,
          disabilityType: o.disabilityType,
          disabilityLevel: o.disabilityLevel,
          hasDisability: o.hasDisability,
          programme: o.programme,
          programmeStatus: o.programmeStatus,
          ageMin: o.ageMin,
          ageMax: o.ageMax,
          housingRating: o.housingRating,
          hukouType: o.hukouType,
          sex: o.sex,
          includeDissolved: o.includeDissolved ? 'true' : undefined,
          reveal: o.reveal ? 'true' : undefined,
        };
        for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
        const parsed = ExportQuery.safeParse(raw);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({
            keyword: i.code,
            instancePath: `/${i.path.join('/')}`,
            message: i.message,
            params: {},
          }));
          throw new AppError('VALIDATION_FAILED', { fields: fieldErrorsFromZod(issues, undefined, 'zh') });
        }
        const out = resolve(o.out);
        await withDatabase(async (database) => {
          const ctx = { db: database.db, actor: cliActor(['registry.export', 'pii.reveal']), locale: 'zh' as const };
          const plan = planExport(ctx, parsed.data);
          const total = await exportRowCount(ctx, plan);
          const bar = new cliProgress.SingleBar(
            {
              format: '导出 [{bar}] {percentage}% | {value}/{total} 人 | {duration_formatted}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(Math.max(total, 1), 0);
          const file = createWriteStream(out);
          let rows = 0;
          try {
            rows = await runExport(ctx, plan, file, (done) => bar.update(done));
            await finished(file);
          } finally {
            bar.stop();
          }
          console.log(
            `已导出 ${rows} 人到 ${out}${plan.reveal ? '（含完整身份证号码，已记入审计）' : '（身份证号码已脱敏）'}`,
          );
        });
      } catch (e) {
        reportError(e);
      }
    });
}
