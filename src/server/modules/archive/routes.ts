import { z } from 'zod';
import { CompletenessQuery, CompletenessRow, MaterialUploadQuery, MaterialView } from '../../../contracts/cases.js';
import { IdParam } from '../../../contracts/common.js';
import { AppError } from '../../platform/errors.js';
import { type App, ctxOf, typed } from '../../platform/http.js';
import { archiveCompleteness, materialFile, uploadMaterial } from './service.js';

const tags = ['archive'];

export async function archiveRoutes(app: App) {
  const r = typed(app);
  r.post(
    '/v1/cases/:id/materials',
    {
      config: { access: { permission: 'archive.upload' } },
      schema: {
        tags,
        summary: '上传档案材料（PDF/JPG/PNG，校验真实类型与大小，留存哈希）',
        params: IdParam,
        querystring: MaterialUploadQuery,
        consumes: ['multipart/form-data'],
        response: { 201: MaterialView },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: '请以 multipart/form-data 上传文件' });
      const file = await req.file();
      if (!file) throw new AppError('FILE_INVALID', { detail: '没有收到文件' });
      let buffer: Buffer;
      try {
        buffer = await file.toBuffer();
      } catch {
        throw new AppError('FILE_TOO_LARGE');
      }
      const m = await uploadMaterial(ctxOf(req), app.config.filesDir, req.params.id, {
        kind: req.query.kind,
        filename: file.filename,
        buffer,
        truncated: file.file.truncated,
      });
      return reply.status(201).send(m);
    },
  );
  r.get(
    '/v1/materials/:id/file',
    { config: { access: { permission: 'cases.read' } }, schema: { tags, summary: '下载档案材料', params: IdParam } },
    async (req, reply) => {
      const f = await materialFile(ctxOf(req), req.params.id);
      reply.header('content-type', f.mime);
      reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
      return reply.send(f.buffer);
    },
  );
  r.get(
    '/v1/archive/completeness',
    {
      config: { access: { permission: 'cases.read' } },
      schema: {
        tags,
        summary: '档案完整性报告（按区县/乡镇，最差在前）',
        querystring: CompletenessQuery,
        response: { 200: z.object({ items: z.array(CompletenessRow) }) },
      },
    },
    async (req) => archiveCompleteness(ctxOf(req), req.query),
  );
}
