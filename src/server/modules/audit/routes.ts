import { type SQL, sql } from 'drizzle-orm';
import { page } from '../../../contracts/common.js';
import { AuditQuery, AuditRow, AuditVerifyResult } from '../../../contracts/platform.js';
import { rows } from '../../db/client.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { decodeCursor, iso, pageOf } from '../../platform/cursor.js';
import { AppError } from '../../platform/errors.js';
import { type App, actorOf, typed } from '../../platform/http.js';
import { assertRegionFilter, inScope } from '../../platform/scope.js';

export async function auditRoutes(app: App) {
  const r = typed(app);
  r.get(
    '/v1/audit',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: '审计日志（本辖区，按时间倒序）',
        querystring: AuditQuery,
        response: { 200: page(AuditRow) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const q = req.query;
      assertRegionFilter(q.regionCode, actor.scope);
      const c = decodeCursor(q.cursor, 1);
      // Rows without a region (failed logins of unknown names, system jobs) are visible to city-level and wider scopes.
      const conds: SQL[] = [
        actor.regionCode.length <= 4
          ? sql`(${inScope(sql`region_code`, actor.scope)} OR region_code IS NULL)`
          : inScope(sql`region_code`, actor.scope),
      ];
      if (q.action) conds.push(sql`action LIKE ${`${q.action}%`}`);
      if (q.entityType) conds.push(sql`entity_type = ${q.entityType}`);
      if (q.entityId) conds.push(sql`entity_id = ${q.entityId}`);
      if (q.actor) conds.push(sql`actor_username = ${q.actor}`);
      if (q.regionCode) conds.push(sql`region_code LIKE ${`${q.regionCode}%`}`);
      for (const [k, v] of [
        ['from', q.from],
        ['to', q.to],
      ] as const) {
        if (v && Number.isNaN(Date.parse(v))) {
          throw new AppError('VALIDATION_FAILED', {
            fields: [{ field: k, code: 'invalid_date', message: '日期格式应为 YYYY-MM-DD 或 ISO 8601' }],
          });
        }
      }
      if (q.from) conds.push(sql`at >= ${q.from}::timestamptz`);
      if (q.to) conds.push(sql`at < ${q.to}::timestamptz`);
      if (c) conds.push(sql`seq < ${Number(c[0])}`);
      const fetched = await rows<Record<string, any>>(
        app.database.db,
        sql`SELECT seq, at, actor_id, actor_username, actor_role, action, entity_type, entity_id, region_code, request_id, diff
            FROM audit_log WHERE ${sql.join(conds, sql` AND `)} ORDER BY seq DESC LIMIT ${q.limit + 1}`,
      );
      return pageOf(
        fetched,
        q.limit,
        (x) => [Number(x.seq)],
        (x) => ({
          seq: Number(x.seq),
          at: iso(x.at)!,
          actorId: x.actor_id == null ? null : Number(x.actor_id),
          actorUsername: x.actor_username,
          actorRole: x.actor_role,
          action: x.action,
          entityType: x.entity_type,
          entityId: x.entity_id,
          regionCode: x.region_code,
          requestId: x.request_id,
          diff: x.diff,
        }),
      );
    },
  );

  r.get(
    '/v1/audit/verify',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链（报告第一条被修改、删除或调换的记录）',
        response: { 200: AuditVerifyResult },
      },
    },
    async () => verifyAuditChain(app.database.db),
  );
}
