import { EditOutlined, PrinterOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';
import { todayCst } from '../../../domain/calendar';
import { useI18n } from '../../app/i18n';
import type { HouseholdDetail } from './api';

/**
 * The household page's title (the head, or the former head of a dissolved household), the as-of date in the URL, the
 * edit, dissolve and print buttons, and the banner of a dissolved household.
 */
export function HouseholdHeader({
  household: h,
  asOf,
  writable,
  onEdit,
  onDissolve,
}: {
  household: HouseholdDetail;
  asOf: string | undefined;
  writable: boolean;
  onEdit(): void;
  onDissolve(): void;
}) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  // A dissolved household has no head any more; its title names the last one from the recorded stays.
  const formerHead = h.memberships.filter((m) => m.relation === 'head').at(-1)?.personName;
  return (
    <>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'flex-start',
          flexWrap: 'wrap',
          gap: 8,
          marginBottom: 16,
        }}
      >
        <div>
          <h1 className="jz-page-title" style={{ marginBottom: 4 }}>
            {t('家庭档案', 'Household')}：
            {h.headName ?? (formerHead ? t(`${formerHead}（原户主）`, `${formerHead} (former head)`) : '—')}
            {h.status === 'dissolved' && <Tag style={{ marginInlineStart: 8 }}>{t('已注销', 'Dissolved')}</Tag>}
            {asOf && (
              <Tag color="purple" style={{ marginInlineStart: 8 }}>
                {t(`截至 ${asOf} 的状态`, `As of ${asOf}`)}
              </Tag>
            )}
          </h1>
          <div style={{ color: '#666' }}>
            {h.regionPath} · {h.address}
          </div>
        </div>
        <Space wrap className="jz-no-print">
          <Space.Compact>
            <DatePicker
              aria-label={t('查看历史日期', 'As-of date')}
              placeholder={t('查看某日状态', 'View as of a date')}
              value={asOf ? dayjs(asOf) : null}
              disabledDate={(d) => d.format('YYYY-MM-DD') > todayCst()}
              onChange={(d) => {
                const next = new URLSearchParams(params);
                if (d) next.set('asOf', d.format('YYYY-MM-DD'));
                else next.delete('asOf');
                setParams(next);
              }}
              data-testid="as-of"
            />
          </Space.Compact>
          {asOf && <Button onClick={() => setParams({})}>{t('回到当前', 'Back to now')}</Button>}
          {writable && (
            <Button icon={<EditOutlined />} onClick={onEdit}>
              {t('修改家庭信息', 'Edit household')}
            </Button>
          )}
          {writable && (
            <Button danger icon={<StopOutlined />} onClick={onDissolve}>
              {t('注销家庭户', 'Dissolve household')}
            </Button>
          )}
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </div>

      {h.status === 'dissolved' && !asOf && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="dissolved-banner"
          title={t(
            `该户已于 ${new Date(h.changedAt).toLocaleDateString('zh-CN')} 注销${h.changeReason ? `（${h.changeReason}）` : ''}，本页只读。`,
            `This household was dissolved on ${new Date(h.changedAt).toLocaleDateString('en-CA')}${h.changeReason ? ` (${h.changeReason})` : ''}; the page is read-only.`,
          )}
          description={t(
            '原成员的人员档案保留，见下方「迁入迁出记录」；选择日期可查看注销前的状态。',
            'The former members keep their person records (see the stays below); pick a date to see the state before.',
          )}
        />
      )}
    </>
  );
}
