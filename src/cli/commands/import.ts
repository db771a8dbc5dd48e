import { copyFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { insertJob } from '../../server/modules/jobs/repo.js';
import {
  IMPORT_MODES,
  type ImportMode,
  preflightImport,
  runImportJob,
  sha256File,
} from '../../server/modules/registry-import/service.js';
import { writeTemplate } from '../../server/modules/registry-import/workbooks.js';
import { AppError } from '../../server/platform/errors.js';
import { cliActor, reportError, withDatabase } from '../util.js';

const PHASES = { reading: '读取并校验', checking: '跨行与库内核对', writing: '写入台账', report: '生成报告' } as const;

/** `jiuzhu import FILE --mode … --region …` and `jiuzhu import --template FILE`. */
export function registerImport(program: Command) {
  program
    .command('import [file]')
    .description('导入户籍人口台账（xlsx 或 csv，UTF-8 或 GBK）；--template 生成导入模板')
    .option('--template <out>', '生成导入模板（xlsx）到该路径，然后退出')
    .option(
      '-m, --mode <mode>',
      'dry-run（只校验） | valid-rows（导入有效行） | all-or-nothing（有错则全部不导入）',
      'dry-run',
    )
    .option('-r, --region <code>', '导入的区划范围（默认：本部署的市/省代码）')
    .option('-e, --errors <out>', '错误工作簿的保存路径（默认：与输入文件同目录的 <文件名>.errors.xlsx）')
    .option('--max-mb <n>', '文件大小上限（MB）', '4096')
    .option('--json', '以 JSON 输出报告')
    .action(async (file: string | undefined, o) => {
      try {
        if (o.template) {
          await writeTemplate(resolve(o.template));
          console.log(`已生成导入模板：${resolve(o.template)}`);
          return;
        }
        if (!file) throw new AppError('VALIDATION_FAILED', { detail: '请指定要导入的文件，或用 --template 生成模板' });
        const mode = String(o.mode).replaceAll('_', '-') as ImportMode;
        if (!IMPORT_MODES.includes(mode)) {
          throw new AppError('VALIDATION_FAILED', { detail: `--mode 应为 ${IMPORT_MODES.join(' | ')}` });
        }
        const path = resolve(file);
        await withDatabase(async (database, config) => {
          const actor = cliActor(['registry.import']);
          const regionCode = o.region ?? config.regionRoot;
          const req = {
            path,
            filename: basename(path),
            mode,
            regionCode,
            maxBytes: Number(o.maxMb) * 1048576,
            filesDir: config.filesDir,
          };
          await preflightImport(database, actor, req);
          const sha256 = await sha256File(path);
          const jobId = await insertJob(database.db, {
            kind: 'registry.import',
            regionCode,
            createdBy: null,
            params: { file: req.filename, sha256, mode, regionCode, via: 'cli' },
            total: null,
          });
          const bar = new cliProgress.SingleBar(
            {
              format: '{phase} [{bar}] {percentage}% | {value}/{total} 行 | {duration_formatted}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          let started = false;
          const report = await runImportJob(database, actor, jobId, { ...req, sha256 }, (p) => {
            const total = p.total ?? Math.max(p.done, 1);
            if (!started) {
              bar.start(total, 0, { phase: PHASES[p.phase] });
              started = true;
            }
            bar.setTotal(Math.max(total, p.done));
            bar.update(p.done, { phase: PHASES[p.phase] });
          }).finally(() => started && bar.stop());
          let errorsOut: string | null = null;
          if (report.errorWorkbook) {
            errorsOut = resolve(o.errors ?? `${path.slice(0, path.length - extname(path).length)}.errors.xlsx`);
            await copyFile(`${config.filesDir}/imports/${jobId}-errors.xlsx`, errorsOut);
          }
          if (o.json) {
            console.log(JSON.stringify({ ...report, errorWorkbookPath: errorsOut }, null, 2));
          } else {
            const c = report.counts;
            console.log(
              `导入任务 ${jobId}（${report.mode}）：${report.file}，${report.format}${report.encoding ? `/${report.encoding}` : ''}`,
            );
            console.log(
              `  数据行 ${report.rows}，有效 ${report.validRows}，有错 ${report.errorRows} 行 / ${report.errorCells} 处，空行 ${report.emptyRows}`,
            );
            if (c) {
              console.log(
                `  家庭：新增 ${c.households.inserted}，更新 ${c.households.updated}；人员：新增 ${c.persons.inserted}，更新 ${c.persons.updated}`,
              );
              console.log(
                `  残疾证：新增 ${c.disabilityCerts.inserted}，更新 ${c.disabilityCerts.updated}；收入：新增 ${c.incomeItems.inserted}，更新 ${c.incomeItems.updated}，删除 ${c.incomeItems.deleted}`,
              );
            } else {
              console.log(
                report.mode === 'dry-run'
                  ? '  只校验（dry-run），未写入任何数据'
                  : '  有错误，按「全部成功才导入」未写入任何数据',
              );
            }
            if (report.ignoredSheets.length) console.log(`  未读取的工作表：${report.ignoredSheets.join('、')}`);
            for (const e of report.errors.slice(0, 20)) console.log(`  - ${e.field}: ${e.message}`);
            if (report.errorRows > 20) console.log(`  …… 完整错误见错误工作簿`);
            if (errorsOut) console.log(`  错误工作簿：${errorsOut}`);
            console.log(`  用时 ${report.seconds} 秒`);
          }
          if (report.errorRows > 0) process.exitCode = 3;
        });
      } catch (e) {
        reportError(e);
      }
    });
}
