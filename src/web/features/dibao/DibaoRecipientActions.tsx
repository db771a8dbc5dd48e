import { App, Button, Input, InputNumber, Select, Space } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import type { CaseDetail } from './api';

/**
 * A 低保 recipient's dynamic management (S3): re-assess on current registry data, apply the review's result (re-class
 * or amount change from next month with a 调整 notice), and stop / exit with its reason (渐退期 only when work lifted
 * income above the line [A art.33]).
 */
export function DibaoRecipientActions({
  c,
  act,
}: {
  c: CaseDetail;
  act: (fn: () => Promise<unknown>, ok: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { modal } = App.useApp();
  return (
    <Space wrap style={{ marginTop: 16 }}>
      <Button
        onClick={() =>
          act(
            async () => {
              const r = await api.post<CaseDetail>(`/v1/cases/${c.id}/reassess`, { version: c.version });
              modal.info({ title: t('复核结果', 'Review result'), content: r.proposedOutcome });
              return r;
            },
            t('已按当前登记数据重新评估', 'Re-assessed'),
          )
        }
      >
        {t('复核（重新评估）', 'Re-assess')}
      </Button>
      {can('dibao.approve') && (
        <Button
          onClick={() =>
            act(
              () => api.post(`/v1/cases/${c.id}/review-result`, { version: c.version }),
              t('已执行复核结果', 'Applied'),
            )
          }
        >
          {t('执行复核结果', 'Apply review')}
        </Button>
      )}
      {can('dibao.approve') && (
        <Button
          danger
          onClick={() => {
            let facts = '';
            let reason = 'ineligible';
            let taper = 0;
            modal.confirm({
              title: t('停发 / 退出', 'Stop / exit'),
              content: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Select
                    aria-label="exit reason"
                    defaultValue="ineligible"
                    style={{ width: '100%' }}
                    onChange={(v) => {
                      reason = v;
                    }}
                    options={[
                      { value: 'ineligible', label: '不再符合条件' },
                      { value: 'income_above_line', label: '就业后收入超过标准（渐退期）' },
                      { value: 'death', label: '成员死亡复核' },
                      { value: 'non_cooperation', label: '拒不配合' },
                      { value: 'voluntary', label: '本人申请退出' },
                    ]}
                  />
                  <InputNumber
                    aria-label="taper months"
                    min={0}
                    max={6}
                    defaultValue={0}
                    addonAfter={t('个月渐退期', 'taper months')}
                    onChange={(v) => {
                      taper = Number(v ?? 0);
                    }}
                  />
                  <Input.TextArea
                    aria-label="facts"
                    rows={3}
                    placeholder={t('事实', 'Facts')}
                    onChange={(e) => {
                      facts = e.target.value;
                    }}
                  />
                </Space>
              ),
              onOk: () =>
                act(
                  () => api.post(`/v1/cases/${c.id}/exit`, { version: c.version, reason, taperMonths: taper, facts }),
                  t('已退出，停发告知书草稿已生成', 'Exited; notice drafted'),
                ),
            });
          }}
        >
          {t('停发/退出', 'Stop / exit')}
        </Button>
      )}
    </Space>
  );
}
