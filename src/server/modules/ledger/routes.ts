import {
  LedgerCheckQuery,
  LedgerCheckResult,
  LedgerExportQuery,
  LedgerQuery,
  LedgerTotals,
} from '../../../contracts/rosters.js';
import { type App, ctxOf, typed } from '../../platform/http.js';
import { uploadedFile } from '../rosters/routes.js';
import { checkLedger, exportLedger, getLedgerTotals } from './service.js';

const tags = ['ledger'];

export async function ledgerRoutes(app: App) {
  const r = typed(app);
  r.get(
    '/v1/ledger',
    {
      config: { access: { permission: 'ledger.read' } },
      schema: {
        tags,
        summary: '计财台帐：某月各区县各项目合计（来自冻结的发放名册）',
        querystring: LedgerQuery,
        response: { 200: LedgerTotals },
      },
    },
    async (req) => getLedgerTotals(ctxOf(req), req.query),
  );
  r.get(
    '/v1/ledger/export',
    {
      config: { access: { permission: 'ledger.read' } },
      schema: { tags, summary: '导出计财台帐明细（xlsx 或 csv；下载留痕）', querystring: LedgerExportQuery },
    },
    async (req, reply) => {
      const f = await exportLedger(ctxOf(req), req.query);
      reply.header('content-type', f.contentType);
      reply.header('content-disposition', `attachment; filename="${f.filename}"`);
      reply.header('cache-control', 'no-store');
      return reply.send(f.body);
    },
  );
  r.post(
    '/v1/ledger/check',
    {
      config: { access: { permission: 'ledger.check' } },
      schema: {
        tags,
        summary: '用外部计财台帐文件（xlsx/csv，列序任意，GBK 可）与名册核对，列出每一处差异',
        querystring: LedgerCheckQuery,
        consumes: ['multipart/form-data'],
        response: { 200: LedgerCheckResult },
      },
    },
    async (req) => checkLedger(ctxOf(req), req.query, await uploadedFile(req)),
  );
}
