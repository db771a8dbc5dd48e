import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { seedHouseholds } from '../../server/seed/service.js';
import { cliActor, reportError, withDatabase } from '../util.js';

/** `jiuzhu seed --households N --seed S [--region CODE]`: deterministic synthetic registry data. */
export function registerSeed(program: Command) {
  program
    .command('seed')
    .description('生成合成的户籍人口数据（确定性：同一种子生成相同数据），用于演示与性能测试')
    .requiredOption('-n, --households <n>', '户数')
    .option('-s, --seed <s>', '随机种子（整数）', '1')
    .option('-r, --region <code>', '区划（默认：本部署的市/省代码）；数据分布在其下真实的乡镇和村（社区）')
    .option('--no-enrollments', '不生成低保、特困、残疾人两项补贴等享受记录')
    .action(async (o) => {
      try {
        await withDatabase(async (database, config) => {
          const households = Number(o.households);
          const bar = new cliProgress.SingleBar(
            {
              format: '生成 [{bar}] {percentage}% | {value}/{total} 户 | {duration_formatted}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(households, 0);
          const r = await seedHouseholds(database, cliActor(), {
            households,
            seed: Number(o.seed),
            regionCode: o.region ?? config.regionRoot,
            withEnrollments: o.enrollments !== false,
            onProgress: (done) => bar.update(done),
          }).finally(() => bar.stop());
          console.log(
            `已生成 ${r.households} 户、${r.persons} 人（残疾人证 ${r.disabilityCerts}，享受记录 ${r.enrollments}），分布在 ${r.villages} 个村（社区）`,
          );
        });
      } catch (e) {
        reportError(e);
      }
    });
}
