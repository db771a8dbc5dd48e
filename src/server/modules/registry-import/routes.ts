import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdParam } from '../../../contracts/common.js';
import { ImportQuery, JobView } from '../../../contracts/registry-import.js';
import { AppError } from '../../platform/errors.js';
import { type App, actorOf, typed } from '../../platform/http.js';
import { findJobInScope } from '../jobs/repo.js';
import { presentJob } from '../jobs/routes.js';
import { errorWorkbookFile, queueImportJob, removeFile, runImportJob } from './service.js';
import { writeTemplate } from './workbooks.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) =>
  `attachment; filename="jiuzhu-import.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function registryImportRoutes(app: App) {
  const r = typed(app);
  const access = { access: { permission: 'registry.import' } };

  r.get(
    '/v1/registry/import/template.xlsx',
    { config: access, schema: { tags: ['registry-import'], summary: '下载户籍人口台账导入模板（xlsx，含填写说明）' } },
    async (_req, reply) => {
      const out = new PassThrough();
      reply.header('Content-Type', XLSX).header('Content-Disposition', attachment('户籍人口台账导入模板.xlsx'));
      void writeTemplate(out).catch((e) => out.destroy(e));
      return reply.send(out);
    },
  );

  r.post(
    '/v1/registry/import',
    {
      config: access,
      schema: {
        tags: ['registry-import'],
        summary: '上传台账（xlsx 或 csv）并作为后台任务导入；返回任务，进度见 GET /v1/registry/import/{id}',
        querystring: ImportQuery,
        consumes: ['multipart/form-data'],
        response: { 202: JobView },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const regionCode = req.query.regionCode ?? actor.regionCode;
      if (!req.isMultipart())
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: '请以 multipart/form-data 上传文件' });
      const part = await req.file();
      if (!part) throw new AppError('FILE_INVALID', { detail: '没有收到文件' });
      const dir = join(app.config.filesDir, 'imports', 'uploads');
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${randomUUID()}.upload`);
      const hash = createHash('sha256');
      part.file.on('data', (c: Buffer) => hash.update(c));
      await pipeline(part.file, createWriteStream(path));
      const maxBytes = app.config.maxUploadBytes;
      if (part.file.truncated) {
        await removeFile(path);
        throw new AppError('FILE_TOO_LARGE', {
          detail: `文件超过上限 ${Math.round(maxBytes / 1048576)} MB，请拆分后导入，或由管理员用命令行 jiuzhu import 导入`,
        });
      }
      const request = {
        path,
        filename: part.filename || 'upload',
        mode: req.query.mode,
        regionCode,
        sha256: hash.digest('hex'),
        maxBytes,
        filesDir: app.config.filesDir,
      };
      let jobId: number;
      try {
        jobId = await queueImportJob(app.database, actor, request);
      } catch (e) {
        await removeFile(path);
        throw e;
      }
      // The job runs in the background; its outcome (report or error) is stored on the job row.
      void runImportJob(app.database, actor, jobId, request)
        .catch((e) => {
          if (!(e instanceof AppError)) req.log.error({ err: e, jobId }, 'import job failed');
        })
        .finally(() => removeFile(path));
      const job = await findJobInScope(app.database.db, jobId, actor.scope);
      return reply.status(202).send(presentJob(job!));
    },
  );

  r.get(
    '/v1/registry/import/:id',
    {
      config: access,
      schema: {
        tags: ['registry-import'],
        summary: '导入任务的进度与报告（计数、按单元格的错误）',
        params: IdParam,
        response: { 200: JobView },
      },
    },
    async (req) => {
      const j = await findJobInScope(app.database.db, req.params.id, actorOf(req).scope);
      if (!j || j.kind !== 'registry.import') throw new AppError('NOT_FOUND');
      return presentJob(j);
    },
  );

  r.get(
    '/v1/registry/import/:id/errors.xlsx',
    {
      config: access,
      schema: {
        tags: ['registry-import'],
        summary: '下载错误工作簿：出错的原始行，错误单元格标红并附批注，含「错误说明」列',
        params: IdParam,
      },
    },
    async (req, reply) => {
      const j = await findJobInScope(app.database.db, req.params.id, actorOf(req).scope);
      if (!j || j.kind !== 'registry.import') throw new AppError('NOT_FOUND');
      const file = await errorWorkbookFile(app.config.filesDir, j.id);
      if (!file) throw new AppError('NOT_FOUND', { detail: '该导入任务没有错误工作簿（没有错误，或任务尚未完成）' });
      reply.header('Content-Type', XLSX).header('Content-Disposition', attachment(`导入错误-任务${j.id}.xlsx`));
      return reply.send(createReadStream(file));
    },
  );
}
