import type { Config } from '../config.js';
import type { Database } from './client.js';
import { seedDemoCases } from './demo-cases.js';
import { seedDemoSubsidyCases } from './demo-subsidy-cases.js';
import { seedDemoAccounts } from './demo.js';
import { seedDemoRegistry } from '../seed/service.js';
import { seedPolicyParameters } from '../modules/policy/service.js';
import { seedDemoRosters } from '../modules/rosters/demo.js';

/**
 * Everything the demo needs on a fresh database: demo accounts (one per role). Capabilities that own demo data
 * (registry households, cases …) add their seeding step here; each step is idempotent.
 */
export async function seedDemo(database: Database, config: Config, log: (msg: string) => void) {
  const accounts = await seedDemoAccounts(database, config);
  // Policy parameters with the seed's defaults (甘肃 / 平凉; 华亭市 620881 has a class 3–4 living-subsidy standard).
  const parameters = await seedPolicyParameters(database.db, config.regionRoot);
  if (parameters) log(`政策参数：新增 ${parameters} 条默认参数`);
  // Registry: ~3000 synthetic households over the city's real villages when the registry is empty (issue 3 item 9).
  const registry = await seedDemoRegistry(database, config.regionRoot);
  if (registry) log(`户籍台账：生成演示数据 ${registry.households} 户、${registry.persons} 人`);
  // 低保 cases in various states (issue 5); runs after the registry seed.
  const cases = await seedDemoCases(database, config);
  if (cases) log(`低保案件：生成演示案件 ${cases} 件`);
  // Disability two-subsidy cases in various states and one 特困 recipient due for the yearly review (issue 6).
  const subsidy = await seedDemoSubsidyCases(database, config);
  if (subsidy) log(`两项补贴案件：生成演示案件 ${subsidy} 件，另有 1 名特困人员待年度复核`);
  // Last month's 低保 roster of one county, approved (issue 7); runs after the cases seed.
  const roster = await seedDemoRosters(database, config.regionRoot);
  if (roster) log(`发放名册：生成并审批上月低保名册 #${roster.rosterId}（${roster.lines} 行）`);
  void log;
  return { accounts };
}
