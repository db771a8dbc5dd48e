import { CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, download } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type CountyUpdate, PROGRAMME_LABELS, STATUS_LABELS, thisMonth, type UpdateList } from './api';

const PLATFORMS = [
  { value: 'poverty_bigdata', zh: '精准扶贫大数据平台', en: 'Poverty big-data platform' },
  { value: 'gov_info', zh: '政府信息平台（身份证号脱敏）', en: 'Government information platform (masked IDs)' },
  { value: 'verification', zh: '核对平台', en: 'Verification platform' },
  { value: 'statistics', zh: '统计分析（脱敏）', en: 'Statistics (masked)' },
];

/** Monthly update tracking per county (late counties for the city) and the big-data platform export. */
export default function MonthlyUpdatesPage() {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [month, setMonth] = useState(thisMonth());
  const [platform, setPlatform] = useState('poverty_bigdata');
  const [since, setSince] = useState<Dayjs | null>(null);
  const [format, setFormat] = useState<'jsonl' | 'xlsx'>('jsonl');
  const list = useQuery({
    queryKey: ['monthly-updates', month],
    queryFn: () => api.get<UpdateList>('/v1/monthly-updates', { query: { month } }),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const confirm = async (c: CountyUpdate) => {
    try {
      await api.post('/v1/monthly-updates/confirm', { countyCode: c.countyCode, month });
      message.success(t('已确认本月信息更新', 'Confirmed'));
      await qc.invalidateQueries({ queryKey: ['monthly-updates'] });
    } catch (e) {
      message.error(applyProblem(null, e));
    }
  };
  const fmt = (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN') : '—');

  return (
    <>
      <h1 className="jz-page-title">{t('按月更新与数据交换', 'Monthly updates & data exchange')}</h1>
      <Card style={{ marginBottom: 16 }}>
        <Space>
          <span>{t('月份', 'Month')}</span>
          <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 110 }} />
          {list.data && (
            <span>
              {t(`截止日 ${list.data.deadline}（本地设置）`, `Deadline ${list.data.deadline} (local setting)`)}
            </span>
          )}
        </Space>
      </Card>
      {list.error && <Alert type="error" showIcon title={applyProblem(null, list.error)} />}
      <Table<CountyUpdate>
        size="small"
        rowKey="countyCode"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('区县', 'County'), render: (_: unknown, c) => `${c.countyName ?? ''}（${c.countyCode}）` },
          { title: t('台账最近更新', 'Registry updated'), dataIndex: 'lastRegistryChangeAt', render: fmt },
          { title: t('待遇最近变更', 'Entitlements changed'), dataIndex: 'lastEntitlementChangeAt', render: fmt },
          { title: t('本月确认', 'Confirmed'), dataIndex: 'confirmedAt', render: fmt },
          {
            title: t('本月名册', 'Rosters'),
            render: (_: unknown, c) =>
              c.rosters.length
                ? c.rosters.map((r) => (
                    <Tag key={r.programme} color={STATUS_LABELS[r.status as keyof typeof STATUS_LABELS]?.color}>
                      {PROGRAMME_LABELS[r.programme]?.[lang] ?? r.programme}·
                      {STATUS_LABELS[r.status as keyof typeof STATUS_LABELS]?.[lang] ?? r.status}
                    </Tag>
                  ))
                : '—',
          },
          {
            title: t('是否滞后', 'Late'),
            render: (_: unknown, c) =>
              c.late ? (
                c.reasons.map((x) => (
                  <Tag key={x} color="red">
                    {x}
                  </Tag>
                ))
              ) : (
                <Tag color="green">{t('按时', 'On time')}</Tag>
              ),
          },
          {
            title: '',
            render: (_: unknown, c) =>
              can('monthly_updates.confirm') && !c.confirmedAt ? (
                <Button size="small" icon={<CheckOutlined />} onClick={() => confirm(c)}>
                  {t('确认本月已更新', 'Confirm update')}
                </Button>
              ) : null,
          },
        ]}
      />
      {can('exports.run') && (
        <Card size="small" title={t('大数据平台导出', 'Big-data platform export')} style={{ marginTop: 16 }}>
          <Space wrap>
            <Select
              value={platform}
              onChange={setPlatform}
              style={{ width: 300 }}
              options={PLATFORMS.map((p) => ({ value: p.value, label: p[lang] }))}
            />
            <Select
              value={format}
              onChange={setFormat}
              style={{ width: 120 }}
              options={[
                { value: 'jsonl', label: 'JSON Lines' },
                { value: 'xlsx', label: 'xlsx' },
              ]}
            />
            <DatePicker
              showTime
              value={since}
              onChange={setSince}
              placeholder={t('增量起点（留空为全量）', 'Since (empty: full)')}
            />
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              onClick={() =>
                download('/v1/exchange/exports', {
                  query: { platform, format, since: since ? since.toISOString() : undefined },
                }).catch((e) => message.error(applyProblem(null, e)))
              }
            >
              {t('导出', 'Export')}
            </Button>
          </Space>
        </Card>
      )}
    </>
  );
}
