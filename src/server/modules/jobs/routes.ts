import { IdParam } from '../../../contracts/common.js';
import { JobView } from '../../../contracts/registry-import.js';
import { iso } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { type App, actorOf, typed } from '../../platform/http.js';
import { findJobInScope, type JobRecord } from './repo.js';

export function presentJob(j: JobRecord): JobView {
  return {
    id: Number(j.id),
    kind: j.kind,
    status: j.status as JobView['status'],
    regionCode: j.region_code,
    progressDone: Number(j.progress_done),
    progressTotal: j.progress_total === null ? null : Number(j.progress_total),
    params: j.params ?? {},
    result: j.result,
    error: j.error,
    createdAt: iso(j.created_at)!,
    startedAt: iso(j.started_at),
    finishedAt: iso(j.finished_at),
  };
}

/** Status and progress of a long-running job (import, export …) inside the caller's area; outside it: 404. */
export async function jobRoutes(app: App) {
  typed(app).get(
    '/v1/jobs/:id',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['jobs'],
        summary: '后台任务的状态与进度（限本人辖区）',
        params: IdParam,
        response: { 200: JobView },
      },
    },
    async (req) => {
      const j = await findJobInScope(app.database.db, req.params.id, actorOf(req).scope);
      if (!j) throw new AppError('NOT_FOUND');
      return presentJob(j);
    },
  );
}
