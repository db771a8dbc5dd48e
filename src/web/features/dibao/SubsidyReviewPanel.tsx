import { Alert, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import {
  SUBSIDY_STOP_REASONS,
  type SubsidyReviewOutcome,
  type SubsidyReviewProposal,
  type SubsidyStopReason,
} from '../../../domain/programs/disability/review';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type CaseDetail, yuan } from './api';
import { ReviewResultAlert } from './ReviewResultAlert';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export const SUBSIDY_REVIEW_OUTCOME: Record<SubsidyReviewOutcome, { zh: string; en: string; color: string }> = {
  continue: { zh: '继续发放', en: 'Continue', color: 'green' },
  adjust: { zh: '调整金额', en: 'Adjust amount', color: 'gold' },
  stop: { zh: '停发', en: 'Stop', color: 'red' },
  undetermined: { zh: '事实不全', en: 'Facts missing', color: 'orange' },
};

/** Reasons a caseworker may give without a review: a death recorded in the registry, the recipient's own request. */
const WITHOUT_REVIEW: SubsidyStopReason[] = ['death', 'voluntary'];

/**
 * Review and stopping of a paid disability subsidy (POLICY.md §4 [K]) on the case page: re-assessment on today's
 * registry facts, the proposal with the clauses no longer met, applying it, and the stop dialog (reason with its
 * citation; a death is paid to its month and the rest recovered by the next roster).
 */
export function SubsidyReviewPanel({
  c,
  act,
}: {
  c: CaseDetail;
  act: (fn: () => Promise<unknown>, ok: string) => Promise<void>;
}) {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const [stopping, setStopping] = useState<SubsidyStopReason | null>(null);
  const [sform] = Form.useForm();
  const r = c.flags.subsidyReview as SubsidyReviewProposal | undefined;
  const pending = r && !r.appliedOn ? r : undefined;
  const due = c.nextReviewOn !== null && c.nextReviewOn <= today();
  const allowed = [...new Set([...(pending?.reasons ?? []), ...WITHOUT_REVIEW])];
  const reasonOptions = allowed.map((k) => ({
    value: k,
    label: lang === 'en' ? SUBSIDY_STOP_REASONS[k].nameEn : SUBSIDY_STOP_REASONS[k].nameZh,
  }));
  const reason = Form.useWatch('reason', sform) as SubsidyStopReason | undefined;
  const name = (x: SubsidyStopReason) =>
    lang === 'en' ? SUBSIDY_STOP_REASONS[x].nameEn : SUBSIDY_STOP_REASONS[x].nameZh;

  return (
    <Card title={t('补贴复核与停发', 'Review and stop')} style={{ marginBottom: 16 }} data-testid="subsidy-review">
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('每月金额', 'Monthly amount')}>{yuan(c.monthlyAmountFen)} 元</Descriptions.Item>
        <Descriptions.Item label={t('上次复核', 'Last review')}>
          {(c.flags.lastReviewOn as string | undefined) ?? c.decidedOn ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('下次复核', 'Next review')}>
          {c.nextReviewOn ?? '—'} {due && <Tag color="red">{t('已到期', 'Due')}</Tag>}
        </Descriptions.Item>
      </Descriptions>
      {pending && (
        <ReviewResultAlert
          testId="subsidy-review-result"
          on={pending.on}
          outcome={{
            label: SUBSIDY_REVIEW_OUTCOME[pending.outcome][lang],
            color: SUBSIDY_REVIEW_OUTCOME[pending.outcome].color,
          }}
          kind={pending.outcome === 'stop' ? 'end' : pending.outcome === 'continue' ? 'keep' : 'change'}
          change={
            pending.outcome === 'adjust' &&
            t(
              `每月 ${yuan(pending.previous.monthlyAmountFen)} 元 → ${yuan(pending.monthlyAmountFen)} 元（省级 ${yuan(pending.funding.provinceFen)}、市级 ${yuan(pending.funding.cityFen)}、县级 ${yuan(pending.funding.countyFen)}；次月起）`,
              `${yuan(pending.previous.monthlyAmountFen)} → ${yuan(pending.monthlyAmountFen)} yuan a month from next month`,
            )
          }
          reasons={pending.reasons.map((x) => ({ key: x, text: name(x), citation: SUBSIDY_STOP_REASONS[x].citation }))}
          action={
            !can('disability.approve')
              ? undefined
              : pending.outcome === 'continue' || pending.outcome === 'adjust'
                ? {
                    label: pending.outcome === 'adjust' ? t('执行调整', 'Apply adjustment') : t('继续发放', 'Continue'),
                    onClick: () =>
                      act(
                        () =>
                          api.post(`/v1/cases/${c.id}/subsidy-review/apply`, {
                            version: c.version,
                            outcome: pending.outcome,
                          }),
                        pending.outcome === 'adjust'
                          ? t('已调整，调整告知书草稿已生成', 'Adjusted; notice drafted')
                          : t('继续发放，下次复核已安排', 'Continued; next review scheduled'),
                      ),
                  }
                : pending.outcome === 'stop'
                  ? {
                      label: t('办理停发', 'Stop'),
                      danger: true,
                      onClick: () => setStopping(pending.reasons[0] ?? 'voluntary'),
                    }
                  : undefined
          }
        />
      )}
      <Space wrap style={{ marginTop: 12 }}>
        {(can('disability.review') || can('disability.approve')) && (
          <Button
            type="primary"
            onClick={() =>
              act(
                () => api.post(`/v1/cases/${c.id}/subsidy-review`, { version: c.version }),
                t('已按当前登记信息复核', 'Reviewed on current registry facts'),
              )
            }
          >
            {t('按当前登记信息复核', 'Review on current facts')}
          </Button>
        )}
        {can('disability.approve') && (
          <Button danger onClick={() => setStopping(pending?.reasons[0] ?? 'death')}>
            {t('停发补贴', 'Stop the subsidy')}
          </Button>
        )}
      </Space>
      <Modal
        open={stopping !== null}
        title={t('停发残疾人补贴', 'Stop the disability subsidy')}
        okText={t('作出停发决定', 'Stop')}
        okButtonProps={{ danger: true }}
        destroyOnHidden
        onCancel={() => setStopping(null)}
        onOk={() =>
          sform
            .validateFields()
            .then((v) =>
              act(
                () =>
                  api.post(`/v1/cases/${c.id}/subsidy-stop`, { version: c.version, reason: v.reason, facts: v.facts }),
                t('已停发，停发告知书草稿已生成', 'Stopped; notice drafted'),
              ).then(() => setStopping(null)),
            )
        }
      >
        <Form form={sform} layout="vertical" preserve={false} initialValues={{ reason: stopping ?? 'death' }}>
          <Form.Item name="reason" label={t('停发情形', 'Reason')} rules={[{ required: true }]}>
            <Select options={reasonOptions} />
          </Form.Item>
          {reason && (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              title={
                reason === 'death'
                  ? `${SUBSIDY_STOP_REASONS.death.citation}。${t('死亡日期以登记信息为准；死亡当月之后已发放的，下月名册扣减。', 'The registry’s date of death applies; months paid after it are recovered by the next roster.')}`
                  : SUBSIDY_STOP_REASONS[reason].citation
              }
            />
          )}
          {!pending && (
            <Alert
              type="warning"
              style={{ marginBottom: 12 }}
              title={t(
                '其他停发情形须先“按当前登记信息复核”，由复核认定。',
                'Other reasons must first be found by a review on current facts.',
              )}
            />
          )}
          <Form.Item
            name="facts"
            label={t('事实（写入告知书）', 'Facts (quoted in the notice)')}
            rules={[{ required: true, whitespace: true, message: t('请填写停发的事实', 'Enter the facts') }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
