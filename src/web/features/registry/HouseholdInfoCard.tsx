import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Space, Tag, Tooltip } from 'antd';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, REG } from './api';
import { HOUSING_RATING, HUKOU } from './labels';

/**
 * 基本信息与住房: the household's facts, its housing, and the payment account (masked; the eye shows the full number,
 * audited; 设置 / 更换 opens the account dialog).
 */
export function HouseholdInfoCard({
  household: h,
  writable,
  canReveal,
  account,
  onAccountRevealed,
  onSetAccount,
}: {
  household: HouseholdDetail;
  writable: boolean;
  canReveal: boolean;
  /** The full account number once revealed. */
  account: string | null;
  onAccountRevealed(account: string): void;
  onSetAccount(): void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const revealAccount = async () => {
    try {
      const r = await api.post<{ account: string | null }>(REG.revealAccount(h.id), {});
      onAccountRevealed(r.account ?? '—');
    } catch (e) {
      message.error(applyProblem(null, e));
    }
  };
  return (
    <Card title={t('基本信息与住房', 'Household and housing')} size="small" style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('户编号', 'Household no.')}>{h.householdNo ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('户籍性质', 'Hukou')}>{HUKOU[h.hukouType][lang]}</Descriptions.Item>
        <Descriptions.Item label={t('立户日期', 'Formed on')}>{h.formedOn ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('房屋结构', 'Structure')}>{h.housing.structure ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('住房安全等级', 'Housing rating')}>
          {h.housing.rating ? (
            <Tag color={h.housing.rating >= 'C' ? 'red' : 'green'}>{HOUSING_RATING[h.housing.rating][lang]}</Tag>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('鉴定', 'Appraisal')}>
          {[h.housing.appraisedOn, h.housing.appraisalBody].filter(Boolean).join(' · ') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('发放账户', 'Payment account')}>
          {h.paymentAccount.accountMasked ? (
            <Space size={4}>
              <span>{h.paymentAccount.bankName}</span>
              <span className="jz-mono" data-testid="account">
                {account ?? h.paymentAccount.accountMasked}
              </span>
              <span>{h.paymentAccount.holder}</span>
              {!account && canReveal && (
                <Tooltip title={t('查看完整账号（记入审计）', 'Show the full account (audited)')}>
                  <Button
                    size="small"
                    type="link"
                    icon={<EyeOutlined />}
                    onClick={revealAccount}
                    aria-label={t('查看完整账号', 'Show the full account')}
                  />
                </Tooltip>
              )}
            </Space>
          ) : (
            t('未登记', 'None')
          )}
          {writable && (
            <Button size="small" type="link" className="jz-no-print" onClick={onSetAccount}>
              {h.paymentAccount.accountMasked ? t('更换', 'Change') : t('设置', 'Set')}
            </Button>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('最近变更', 'Last change')}>
          {new Date(h.changedAt).toLocaleString('zh-CN')}
          {h.changeReason ? `（${h.changeReason}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('版本', 'Version')}>{h.version}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
