import { z } from 'zod';
import { RegionCode } from '../../../contracts/common.js';
import { RegionChildrenQuery, RegionNode } from '../../../contracts/platform.js';
import { AppError } from '../../platform/errors.js';
import { type App, actorOf, typed } from '../../platform/http.js';
import { codeInScope } from '../../platform/scope.js';
import { childrenOf, findRegion, type RegionRow, regionPath } from './repo.js';
import { importRegionFile } from './service.js';

const present = (r: RegionRow) => ({
  code: r.code,
  name: r.name,
  level: r.level,
  parentCode: r.parent_code,
  hasChildren: r.has_children,
  retired: r.retired_in !== null,
});

export async function regionRoutes(app: App) {
  const r = typed(app);
  r.get(
    '/v1/regions/children',
    {
      config: { access: { permission: 'regions.read' } },
      schema: {
        tags: ['regions'],
        summary: '下级行政区划（限本人辖区）；不带 parent 时返回本人所在区划节点',
        querystring: RegionChildrenQuery,
        response: { 200: z.object({ items: z.array(RegionNode) }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { db } = app.database;
      if (!req.query.parent) {
        const own = await findRegion(db, actor.regionCode);
        return { items: own ? [present(own)] : [] };
      }
      // Children of a node inside the scope, or of an ancestor (children then filtered to the scope in SQL).
      const parent = req.query.parent;
      if (!codeInScope(parent, actor.scope) && !actor.regionCode.startsWith(parent)) throw new AppError('NOT_FOUND');
      const items = await childrenOf(db, parent, actor.scope, req.query.includeRetired === 'true');
      return { items: items.map(present) };
    },
  );

  r.get(
    '/v1/regions/:code',
    {
      config: { access: { permission: 'regions.read' } },
      schema: {
        tags: ['regions'],
        summary: '行政区划节点及其全称路径',
        params: z.strictObject({ code: RegionCode }),
        response: { 200: RegionNode.extend({ path: z.string() }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { code } = req.params;
      // Own node and its descendants; ancestors are visible by name (needed to show one's own path).
      if (!codeInScope(code, actor.scope) && !actor.regionCode.startsWith(code)) throw new AppError('NOT_FOUND');
      const row = await findRegion(app.database.db, code);
      if (!row) throw new AppError('NOT_FOUND');
      return { ...present(row), path: await regionPath(app.database.db, code) };
    },
  );

  r.post(
    '/v1/regions/import',
    {
      config: { access: { permission: 'regions.manage' } },
      schema: {
        tags: ['regions'],
        summary: '导入新版村（社区）/乡镇代码表（xlsx 或 csv，表头：代码、名称）；全部成功或全部不导入',
        querystring: z.strictObject({ edition: z.string().min(4).max(20) }),
        consumes: ['multipart/form-data'],
        response: {
          200: z.object({
            rows: z.number().int(),
            inserted: z.number().int(),
            updated: z.number().int(),
            retired: z.number().int(),
          }),
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      if (!req.isMultipart())
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: '请以 multipart/form-data 上传文件' });
      const file = await req.file();
      if (!file) throw new AppError('FILE_INVALID', { detail: '没有收到文件' });
      const buffer = await file.toBuffer();
      return importRegionFile(app.database.db, actor, { buffer, filename: file.filename, edition: req.query.edition });
    },
  );
}
