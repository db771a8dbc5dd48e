import { z } from 'zod';
import {
  CaseView,
  SubsidyReviewApplyRequest,
  SubsidyReviewRequest,
  SubsidyStopRequest,
} from '../../../contracts/cases.js';
import { IdParam } from '../../../contracts/common.js';
import { type App, ctxOf, setEtag, typed } from '../../platform/http.js';
import { applySubsidyReview, reviewSubsidy, stopSubsidy } from './subsidy-review.js';

const tags = ['cases'];

/** Review and stopping of a paid disability subsidy (POLICY.md §4 [K]); registered with the case routes. */
export async function subsidyReviewRoutes(app: App) {
  const r = typed(app);
  const withEtag = <T extends { version: number }>(reply: { header(k: string, v: string): unknown }, v: T) => {
    setEtag(reply as never, v.version);
    return v;
  };
  r.post(
    '/v1/cases/:id/subsidy-review',
    {
      config: { access: { permission: ['disability.review', 'disability.approve'] } },
      schema: {
        tags,
        summary: '残疾人两项补贴复核：按当前登记信息重新评估，提出继续发放、调整金额或停发（附停发情形及依据）',
        params: IdParam,
        body: SubsidyReviewRequest,
        response: { 200: CaseView.extend({ review: z.record(z.string(), z.unknown()) }) },
      },
    },
    async (req, reply) => withEtag(reply, await reviewSubsidy(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/subsidy-review/apply',
    {
      config: { access: { permission: 'disability.approve' } },
      schema: {
        tags,
        summary: '执行补贴复核结果：继续发放，或次月起按新金额发放（生成调整告知书）',
        params: IdParam,
        body: SubsidyReviewApplyRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await applySubsidyReview(ctxOf(req), req.params.id, req.body)),
  );
  r.post(
    '/v1/cases/:id/subsidy-stop',
    {
      config: { access: { permission: 'disability.approve' } },
      schema: {
        tags,
        summary:
          '停发残疾人两项补贴（复核认定的停发情形、死亡或本人申请；死亡的发放至死亡当月，多发的下月名册扣减；生成停发告知书）',
        params: IdParam,
        body: SubsidyStopRequest,
        response: { 200: CaseView },
      },
    },
    async (req, reply) => withEtag(reply, await stopSubsidy(ctxOf(req), req.params.id, req.body)),
  );
}
