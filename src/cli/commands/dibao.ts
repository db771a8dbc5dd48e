import type { Command } from 'commander';
import { todayCst } from '../../domain/calendar.js';
import { parseYuan } from '../../domain/money.js';
import { archiveCompleteness } from '../../server/modules/archive/service.js';
import { applyBatchReview, runBatchReview } from '../../server/modules/cases/batch.js';
import { putParameter } from '../../server/modules/cases/config.js';
import { AppError } from '../../server/platform/errors.js';
import { cliActor, reportError, withDatabase } from '../util.js';

const yuan = (s: string, field: string) => {
  const v = parseYuan(s);
  if (v === null || v <= 0)
    throw new AppError('VALIDATION_FAILED', {
      fields: [{ field, code: 'invalid', message: `${field} 须为正的金额（元）` }],
    });
  return v;
};

/** 低保 commands: standards, the Q4 validity-expiry batch review, the archive completeness report. */
export function registerDibao(program: Command) {
  const dibao = program.command('dibao').description('低保：标准设置、Q4 有效期届满批量复核、档案完整性');
  dibao
    .command('standard')
    .requiredOption('--county <code>', '区县代码（6 位）')
    .requiredOption('--year <year>', '年度')
    .requiredOption('--urban <yuan>', '城市低保标准（元/人·月）')
    .requiredOption('--rural <yuan>', '农村低保标准（元/人·月）')
    .requiredOption('--classes <yuan,yuan,yuan,yuan>', '农村一至四类金额（元/人·月），逗号分隔')
    .description('设置区县某年度的低保标准（缺少标准时评估与复核会提示配置缺失）')
    .action((o) =>
      withDatabase(async (database) => {
        const c = String(o.classes).split(',');
        if (c.length !== 4)
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ field: 'classes', code: 'invalid', message: '须给出四个类别的金额' }],
          });
        await putParameter(
          { db: database.db, actor: cliActor(['parameters.manage']), locale: 'zh' },
          {
            programme: 'dibao',
            key: 'standard',
            regionCode: o.county,
            effectiveFrom: `${o.year}-01-01`,
            value: {
              urbanMonthlyFen: yuan(o.urban, 'urban'),
              ruralMonthlyFen: yuan(o.rural, 'rural'),
              classAmountsFen: {
                1: yuan(c[0]!, 'classes[0]'),
                2: yuan(c[1]!, 'classes[1]'),
                3: yuan(c[2]!, 'classes[2]'),
                4: yuan(c[3]!, 'classes[3]'),
              },
            },
            citation: '县级人民政府公布的当年低保标准',
          },
        );
        console.log(`已设置 ${o.county} ${o.year} 年低保标准`);
      }).catch(reportError),
    );
  dibao
    .command('batch-review')
    .requiredOption('--county <code>', '区县代码（6 位）')
    .option('--year <year>', '年度（有效期在该年底前届满的在保家庭）', String(Number(todayCst().slice(0, 4))))
    .option('--apply', '直接执行复核结果（续保、调档、调整金额、退出并生成告知书草稿）')
    .description('Q4 有效期届满批量复核（S3），按乡镇汇总')
    .action((o) =>
      withDatabase(async (database) => {
        const ctx = { db: database.db, actor: cliActor(['dibao.manage', 'dibao.approve']), locale: 'zh' as const };
        const b = await runBatchReview(ctx, { countyCode: o.county, year: Number(o.year) });
        const s = b.summary;
        console.log(
          `批次 ${b.id}：共 ${s.total} 户 — 续保 ${s.byOutcome.continue ?? 0}，调档 ${s.byOutcome.reclass ?? 0}，调整金额 ${s.byOutcome.amount_change ?? 0}，退出 ${s.byOutcome.exit ?? 0}（${s.elapsedMs} ms）`,
        );
        for (const t of s.byTownship)
          console.log(
            `  ${t.townshipCode} ${t.townshipName ?? ''}\t${t.total}\t续保 ${t.continue}\t调档 ${t.reclass}\t调额 ${t.amount_change}\t退出 ${t.exit}`,
          );
        if (o.apply) {
          await applyBatchReview(ctx, b.id);
          console.log('已执行；调整与停发告知书草稿待县级签发');
        }
      }).catch(reportError),
    );
  dibao
    .command('completeness')
    .option('--region <code>', '区划代码')
    .option('--by <level>', 'county | township', 'township')
    .description('档案完整性报告（最差在前，S6）')
    .action((o) =>
      withDatabase(async (database) => {
        const r = await archiveCompleteness(
          { db: database.db, actor: cliActor(['cases.read']), locale: 'zh' },
          { regionCode: o.region, groupBy: o.by === 'county' ? 'county' : 'township', programme: 'dibao' },
        );
        for (const x of r.items)
          console.log(
            `${x.regionCode} ${x.regionName ?? ''}\t${x.pct}%\t案件 ${x.cases}（完整 ${x.completeCases}）\t缺 ${Object.entries(
              x.missingByKind,
            )
              .map(([k, n]) => `${k}×${n}`)
              .join(' ')}`,
          );
      }).catch(reportError),
    );
}
