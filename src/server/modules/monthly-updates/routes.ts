import {
  ConfirmedUpdate,
  ConfirmUpdateRequest,
  MonthlyUpdateList,
  MonthlyUpdateQuery,
} from '../../../contracts/rosters.js';
import { AppError } from '../../platform/errors.js';
import { type App, ctxOf, typed } from '../../platform/http.js';
import { refreshAfterMonthlyUpdate } from '../policy/snapshots.js';
import { confirmMonthlyUpdate, monthlyUpdateStatus } from './service.js';

const tags = ['monthly-updates'];

export async function monthlyUpdateRoutes(app: App) {
  const r = typed(app);
  const read = { access: { permission: 'monthly_updates.read' } };
  r.get(
    '/v1/monthly-updates',
    {
      config: read,
      schema: {
        tags,
        summary: '各区县本月信息更新与名册情况',
        querystring: MonthlyUpdateQuery,
        response: { 200: MonthlyUpdateList },
      },
    },
    async (req) => monthlyUpdateStatus(ctxOf(req), req.query),
  );
  r.get(
    '/v1/monthly-updates/late',
    {
      config: read,
      schema: {
        tags,
        summary: '更新不及时的区县（首页看板）',
        querystring: MonthlyUpdateQuery,
        response: { 200: MonthlyUpdateList },
      },
    },
    async (req) => monthlyUpdateStatus(ctxOf(req), req.query, true),
  );
  r.post(
    '/v1/monthly-updates/confirm',
    {
      config: { access: { permission: 'monthly_updates.confirm' } },
      schema: {
        tags,
        summary: '区县确认本月信息已更新',
        body: ConfirmUpdateRequest,
        response: { 200: ConfirmedUpdate },
      },
    },
    async (req) => {
      const ctx = ctxOf(req);
      const status = await confirmMonthlyUpdate(ctx, req.body);
      const factSnapshotJobId = await refreshAfterMonthlyUpdate(app.database, ctx, req.body.countyCode, (e) => {
        if (!(e instanceof AppError))
          req.log.error({ err: e }, 'fact snapshot refresh after the monthly update failed');
      });
      return { ...status, factSnapshotJobId };
    },
  );
}
