import { App, Button, Input, Select, Space } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import type { CaseDetail } from './api';

/**
 * What can be done to an open case besides its step: refuse at acceptance or first review (不予受理 / 初审不通过, with
 * the refusal notice), end the procedure for non-cooperation [A art.29], refer to temporary or medical assistance (S4).
 */
export function ProcedureActions({
  c,
  step,
  act,
}: {
  c: CaseDetail;
  step: string;
  act: (fn: () => Promise<unknown>, ok: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { modal } = App.useApp();
  /** A confirmation dialog asking for the reason (the server refuses an empty one, naming the field). */
  const askReason = (title: string, onOk: (reason: string) => Promise<void>) => {
    let reason = '';
    modal.confirm({
      title,
      content: (
        <Input.TextArea
          aria-label="reason"
          rows={3}
          onChange={(e) => {
            reason = e.target.value;
          }}
        />
      ),
      onOk: () => onOk(reason),
    });
  };
  return (
    <Space wrap style={{ marginTop: 12 }}>
      {['acceptance', 'publicity', 'assessment', 'township_review'].includes(step) &&
        c.workflow.steps.some((s) => s.code === step && can(String(s.permission))) && (
          <Button
            danger
            onClick={() =>
              askReason(t('不予受理 / 初审不通过', 'Refuse'), (reason) =>
                act(
                  () => api.post(`/v1/cases/${c.id}/reject`, { version: c.version, reason }),
                  t('已作出决定，告知书草稿已生成', 'Refused; notice drafted'),
                ),
              )
            }
          >
            {t('不予受理/初审不通过', 'Refuse')}
          </Button>
        )}
      <Button
        onClick={() =>
          askReason(t('拒不配合，终止程序', 'End procedure (non-cooperation)'), (reason) =>
            act(() => api.post(`/v1/cases/${c.id}/end`, { version: c.version, reason }), t('程序已终止', 'Ended')),
          )
        }
      >
        {t('终止程序', 'End procedure')}
      </Button>
      <Select
        placeholder={t('转介救助', 'Refer to assistance')}
        style={{ width: 180 }}
        aria-label="referral"
        onChange={(k: string) =>
          act(
            () =>
              api.post(`/v1/cases/${c.id}/referrals`, {
                kind: k,
                reason: t('不能立即纳入，先行救助（S4）', 'Cannot be included at once (S4)'),
              }),
            t('已转介', 'Referred'),
          )
        }
        options={[
          { value: 'temporary', label: t('临时救助', 'Temporary assistance') },
          { value: 'medical', label: t('医疗救助', 'Medical assistance') },
        ]}
      />
    </Space>
  );
}
