import { PassThrough } from 'node:stream';
import { page } from '../../../contracts/common.js';
import {
  AssistanceMemberItem,
  DangerousHousingItem,
  DisabledPersonItem,
  ExportQuery,
  LiaisonListQuery,
  RegistryStats,
  StatsQuery,
} from '../../../contracts/registry-search.js';
import { todayCst } from '../../../domain/calendar.js';
import { type App, ctxOf, typed } from '../../platform/http.js';
import { planExport, runExport } from './export.js';
import { base, tags } from './routes-common.js';
import { listAssistanceMembers, listDangerousHousing, listDisabledPersons, registryStats } from './service-search.js';

/** Read-only registry routes: the department liaison lists, the dashboard figures and the streamed export. */
export function listRoutes(app: App) {
  const r = typed(app);
  r.get(
    `${base}/dangerous-housing`,
    {
      config: { access: { permission: ['housing.read', 'registry.read'] } },
      schema: {
        tags,
        summary: '危房（C/D 级）家庭户清单（住建部门）',
        querystring: LiaisonListQuery,
        response: { 200: page(DangerousHousingItem) },
      },
    },
    async (req) => listDangerousHousing(ctxOf(req), req.query),
  );
  r.get(
    `${base}/disabled-persons`,
    {
      config: { access: { permission: ['disability.read', 'registry.read'] } },
      schema: {
        tags,
        summary: '持证残疾人清单（残联，身份证号脱敏）',
        querystring: LiaisonListQuery,
        response: { 200: page(DisabledPersonItem) },
      },
    },
    async (req) => listDisabledPersons(ctxOf(req), req.query),
  );
  r.get(
    `${base}/assistance-members`,
    {
      config: { access: { permission: ['medical.read', 'registry.read'] } },
      schema: {
        tags,
        summary: '低保、特困人员清单（医保部门，身份证号脱敏）',
        querystring: LiaisonListQuery,
        response: { 200: page(AssistanceMemberItem) },
      },
    },
    async (req) => listAssistanceMembers(ctxOf(req), req.query),
  );

  // ── Figures and export ──
  r.get(
    `${base}/stats`,
    {
      config: { access: { permission: 'dashboard.read' } },
      schema: {
        tags,
        summary: '首页统计（户数、人数、救助对象、本月变更、下级区划、近 12 个月趋势）',
        querystring: StatsQuery,
        response: { 200: RegistryStats },
      },
    },
    async (req) => registryStats(ctxOf(req), req.query),
  );
  r.get(
    `${base}/export`,
    {
      config: { access: { permission: 'registry.export' } },
      schema: { tags, summary: '导出人员查询结果（xlsx 或 csv，流式；身份证号默认脱敏）', querystring: ExportQuery },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const plan = planExport(ctx, req.query);
      const out = new PassThrough();
      const name = `人员名单-${todayCst()}.${plan.format}`;
      reply
        .header(
          'content-type',
          plan.format === 'xlsx'
            ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
            : 'text/csv; charset=utf-8',
        )
        .header(
          'content-disposition',
          `attachment; filename="registry-export.${plan.format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .header('cache-control', 'no-store');
      runExport(ctx, plan, out).catch((err) => {
        req.log.error({ err }, 'export failed');
        out.destroy(err as Error);
      });
      return reply.send(out);
    },
  );
}
