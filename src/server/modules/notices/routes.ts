import { IdParam } from '../../../contracts/common.js';
import { NoticeDeliveryRequest, NoticeEditRequest, NoticeIssueRequest, NoticeView } from '../../../contracts/cases.js';
import { type App, ctxOf, setEtag, typed } from '../../platform/http.js';
import { editNotice, getNotice, issueNotice, noticeFile, recordDelivery } from './service.js';

const tags = ['notices'];

export async function noticeRoutes(app: App) {
  const r = typed(app);
  r.get(
    '/v1/notices/:id',
    {
      config: { access: { permission: 'cases.read' } },
      schema: { tags, summary: '书面告知书', params: IdParam, response: { 200: NoticeView } },
    },
    async (req, reply) => {
      const n = await getNotice(ctxOf(req), req.params.id);
      setEtag(reply, n.version);
      return n;
    },
  );
  r.patch(
    '/v1/notices/:id',
    {
      config: { access: { permission: 'notices.draft' } },
      schema: {
        tags,
        summary: '修改告知书草稿（签发后冻结）',
        params: IdParam,
        body: NoticeEditRequest,
        response: { 200: NoticeView },
      },
    },
    async (req) => editNotice(ctxOf(req), req.params.id, req.body),
  );
  r.post(
    '/v1/notices/:id/issue',
    {
      config: { access: { permission: 'notices.issue' } },
      schema: {
        tags,
        summary: '签发：编号、生成 .docx、留存 SHA-256',
        params: IdParam,
        body: NoticeIssueRequest,
        response: { 200: NoticeView },
      },
    },
    async (req) => issueNotice(ctxOf(req), app.config.filesDir, req.params.id, req.body),
  );
  r.post(
    '/v1/notices/:id/delivery',
    {
      config: { access: { permission: ['notices.issue', 'notices.draft'] } },
      schema: {
        tags,
        summary: '登记送达（方式、日期、回执）',
        params: IdParam,
        body: NoticeDeliveryRequest,
        response: { 200: NoticeView },
      },
    },
    async (req) => recordDelivery(ctxOf(req), req.params.id, req.body),
  );
  r.get(
    '/v1/notices/:id/file',
    {
      config: { access: { permission: 'cases.read' } },
      schema: { tags, summary: '下载告知书 .docx（草稿为预览）', params: IdParam },
    },
    async (req, reply) => {
      const f = await noticeFile(ctxOf(req), req.params.id);
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      reply.header(
        'content-disposition',
        `attachment; filename="notice-${req.params.id}.docx"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      );
      return reply.send(f.buffer);
    },
  );
}
