import { sql } from 'drizzle-orm';
import { first } from '../../src/server/db/client.js';
import type { CaseFn } from './isolation-cases.js';
import type { IsolationWorld } from './isolation-world.js';

/** Registry import and jobs routes in the route-coverage isolation test: a finished import job of county A. */
export async function importSetup(w: IsolationWorld) {
  const j = await first<{ id: number }>(
    w.database.db,
    sql`INSERT INTO jobs (kind, status, region_code, params, progress_done, progress_total, result, started_at, finished_at)
        VALUES ('registry.import', 'succeeded', '620802', '{"file": "isolation-A-ledger.xlsx", "mode": "valid-rows"}',
                3, 3, '{"file": "isolation-A-ledger.xlsx", "rows": 3, "errorRows": 0}', now(), now())
        RETURNING id`,
  );
  w.ids.importJobA = Number(j!.id);
  w.markers.push('isolation-A-ledger');
}

const ledger = [
  '户编号,村（社区）代码,家庭住址,户籍性质,与户主关系,姓名,公民身份号码,性别,出生日期,民族,联系电话,是否本地户籍,文化程度,在校情况,健康状况,劳动能力,残疾证号,残疾证代别,残疾类别,残疾等级,是否需长期照护,月工资性收入（元）,月经营净收入（元）,月财产净收入（元）,月转移净收入（元）,住房结构,住房安全等级,鉴定日期,鉴定机构,开户银行,银行账号',
  'ISO-A-1,620802101200,越权村1号,农村,户主,越权者,620802196503120418,男,1965-03-12,汉族,,是,,,健康,有劳动能力,,,,,,,,,,,,,,,',
].join('\n');

/** The template carries no one's data; every other route is scoped to the job's region. */
export const importUnscopedRoutes = ['GET /api/v1/registry/import/template.xlsx'];

export const importCases: Record<string, CaseFn> = {
  'GET /api/v1/jobs/{id}': (w) => ({ url: `/api/v1/jobs/${w.ids.importJobA}` }),
  'GET /api/v1/registry/import/template.xlsx': () => ({ url: '/api/v1/registry/import/template.xlsx' }),
  'POST /api/v1/registry/import': () => ({
    url: '/api/v1/registry/import?mode=valid-rows&regionCode=620802',
    multipart: { filename: 'intrude.csv', content: ledger },
  }),
  'GET /api/v1/registry/import/{id}': (w) => ({ url: `/api/v1/registry/import/${w.ids.importJobA}` }),
  'GET /api/v1/registry/import/{id}/errors.xlsx': (w) => ({
    url: `/api/v1/registry/import/${w.ids.importJobA}/errors.xlsx`,
  }),
};
