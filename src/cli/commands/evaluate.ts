import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { EvaluateRequest } from '../../contracts/policy.js';
import { formatYuan } from '../../domain/money.js';
import { AppError } from '../../server/platform/errors.js';
import { bulkEvaluate, coverageReport, whatIf } from '../../server/modules/policy/bulk.js';
import { evaluateFacts } from '../../server/modules/policy/evaluate.js';
import { buildFactSnapshots } from '../../server/modules/policy/snapshots.js';
import { ensureDefaultParameters, listParameters, seedPolicyParameters } from '../../server/modules/policy/service.js';
import { cliActor, reportError, withDatabase } from '../util.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Zod issue path → `household.members[0].birthDate`. */
function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** Parses the evaluate request from JSON text; bad JSON or fields → AppError naming the fields. */
export function parseEvaluateInput(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
  const r = EvaluateRequest.safeParse(json);
  if (!r.success) {
    throw new AppError('VALIDATION_FAILED', {
      fields: r.error.issues.map((i) => ({ field: fieldOf(i.path), code: i.code, message: i.message })),
    });
  }
  return r.data;
}

const ctxFor = (database: { db: import('../../server/db/client.js').Db }, permissions: string[]) => ({
  db: database.db,
  actor: cliActor(permissions),
  locale: 'zh' as const,
});

/**
 * `jiuzhu evaluate` — household facts as JSON on stdin ({"asOf": "YYYY-MM-DD", "household": {...}}, the shape of
 * POST /api/v1/evaluate; docs/policy-engine.md), every programme's decision as JSON on stdout.
 * `jiuzhu evaluate --bulk <region>` sums the registry per county; `--what-if <json>` compares a parameter change.
 * `jiuzhu params` lists and seeds policy parameters.
 */
export function registerEvaluate(program: Command) {
  program
    .command('evaluate')
    .description('政策评估：从标准输入读取家庭情况 JSON，输出各项目认定结果及依据（JSON）；--bulk 对台账按县批量评估')
    .option('--bulk <region>', '对该区划（省/市/县代码）内台账所有人员批量评估，输出按县汇总')
    .option('--coverage <region>', '两项补贴覆盖情况报告（应享与实发、未定三四类标准的县）')
    .option(
      '--what-if <changes>',
      '与 --bulk 同用：参数修改 JSON 数组，如 [{"programme":"disability","key":"living_rural_class34_fen","regionCode":"620821","value":5000}]',
    )
    .option('--as-of <date>', '评估日期（YYYY-MM-DD，默认今天）')
    .action(async (o) => {
      try {
        const text = o.bulk || o.coverage ? '' : await readStdin();
        const input = o.bulk || o.coverage ? null : parseEvaluateInput(text);
        await withDatabase(async (database, config) => {
          await ensureDefaultParameters(database.db, config.regionRoot);
          let out: unknown;
          if (o.coverage) out = await coverageReport(ctxFor(database, []), { regionCode: o.coverage, asOf: o.asOf });
          else if (o.bulk && o.whatIf) {
            let changes: unknown;
            try {
              changes = JSON.parse(o.whatIf);
            } catch {
              throw new AppError('MALFORMED_JSON', { detail: '--what-if 不是有效的 JSON' });
            }
            out = await whatIf(ctxFor(database, []), { regionCode: o.bulk, asOf: o.asOf, changes: changes as never });
          } else if (o.bulk) out = await bulkEvaluate(ctxFor(database, []), { regionCode: o.bulk, asOf: o.asOf });
          else out = await evaluateFacts(ctxFor(database, []), input!);
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        });
      } catch (e) {
        reportError(e);
      }
    });

  const params = program.command('params').description('政策参数（按生效日期、区划覆盖：县 > 市 > 省）');
  params
    .command('list')
    .description('列出参数及来源')
    .option('-r, --region <code>', '区划（2/4/6 位）')
    .option('-p, --programme <p>', 'dibao | tekun | disability')
    .option('--as-of <date>', '只列该日生效的参数')
    .action(async (o) => {
      try {
        await withDatabase(async (database) => {
          const page = await listParameters(ctxFor(database, []), {
            regionCode: o.region,
            programme: o.programme,
            asOf: o.asOf,
            limit: 500,
          });
          for (const p of page.items) {
            const v =
              typeof p.value === 'number' && p.key.endsWith('_fen')
                ? `${formatYuan(p.value)} 元`
                : JSON.stringify(p.value);
            console.log(
              `${p.programme}.${p.key}\t${p.regionCode}\t${p.effectiveFrom}～${p.effectiveTo ?? ''}\t${v}\t${p.sourceDocument} ${p.sourceArticle}`,
            );
          }
        });
      } catch (e) {
        reportError(e);
      }
    });
  params
    .command('seed')
    .description('写入部署默认参数（seed：甘肃省、平凉市，华亭市三四类标准），已有的不覆盖')
    .option('--from <date>', '生效日期', '2024-01-01')
    .action(async (o) => {
      try {
        await withDatabase(async (database, config) => {
          const n = await seedPolicyParameters(database.db, config.regionRoot, o.from);
          console.log(`新增 ${n} 条默认参数`);
        });
      } catch (e) {
        reportError(e);
      }
    });
  program
    .command('policy-snapshot')
    .description('生成政策事实快照（按县；政策模拟据此在 1–2 秒内出结果），建议每月台账更新后执行')
    .requiredOption('-r, --region <code>', '区划代码（省、市或县）')
    .option('--as-of <date>', '事实日期 YYYY-MM-DD（默认今天，北京时间）')
    .action(async (o) => {
      try {
        await withDatabase(async (database) => {
          const bar = new cliProgress.SingleBar(
            {
              format: '快照 [{bar}] {value}/{total} 个县区 | {duration_formatted}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          let started = false;
          const r = await buildFactSnapshots(
            database,
            ctxFor(database, ['policy.snapshot']),
            { regionCode: o.region, asOf: o.asOf },
            (done, total) => {
              if (!started) {
                bar.start(total, 0);
                started = true;
              }
              bar.update(done);
            },
          );
          if (started) bar.stop();
          for (const c of r.counties) console.log(`${c.countyCode}  ${r.asOf}  ${c.persons} 人  ${c.seconds} 秒`);
          console.log(`共 ${r.persons} 人（任务 ${r.jobId}）`);
        });
      } catch (e) {
        reportError(e);
      }
    });
}
