import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Space, Statistic, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../../api/client';
import type { Page } from '../../api/types';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type Batch, type BatchItem, CLASS_ZH, OUTCOME, yuan } from './api';

/** Q4 validity-expiry batch review of a county (S3): run, summary per township, households by outcome, apply. */
export default function BatchReviewPage() {
  const { lang, t } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const [batch, setBatch] = useState<Batch | null>(null);
  const [outcome, setOutcome] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const items = useInfiniteQuery({
    queryKey: ['dibao', 'batch', batch?.id, outcome],
    queryFn: ({ pageParam }) =>
      api.get<Page<BatchItem>>(`/v1/batch-reviews/${batch!.id}/items`, {
        query: { outcome, cursor: pageParam, limit: 50 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    enabled: !!batch,
  });
  const run = async (v: { countyCode: string; year: number }) => {
    setError(null);
    try {
      setBatch(await api.post<Batch>('/v1/batch-reviews', v));
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  };
  const apply = async () => {
    try {
      setBatch(await api.post<Batch>(`/v1/batch-reviews/${batch!.id}/apply`));
      message.success(t('已执行；调整与停发告知书草稿待县级签发', 'Applied; notices drafted'));
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  };
  const s = batch?.summary;
  return (
    <>
      <h1 className="jz-page-title">{t('Q4 有效期届满批量复核', 'Q4 validity-expiry review')}</h1>
      <Card style={{ marginBottom: 16 }}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form
          layout="inline"
          initialValues={{ countyCode: me?.user.region.code.slice(0, 6), year: new Date().getFullYear() }}
          onFinish={run}
        >
          <Form.Item name="countyCode" label={t('区县代码', 'County')} rules={[{ required: true, pattern: /^\d{6}$/ }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="year" label={t('年度', 'Year')}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('运行复核', 'Run review')}
          </Button>
        </Form>
      </Card>
      {batch && s && (
        <>
          <Card
            style={{ marginBottom: 16 }}
            title={t(`批次 ${batch.id}（${batch.status === 'applied' ? '已执行' : '待执行'}）`, `Batch ${batch.id}`)}
            extra={
              batch.status === 'proposed' &&
              can('dibao.approve') && (
                <Button type="primary" onClick={apply}>
                  {t('执行复核结果', 'Apply')}
                </Button>
              )
            }
          >
            <Space size="large" wrap>
              <Statistic title={t('届满户数', 'Households')} value={s.total} />
              {Object.entries(OUTCOME).map(([k, o]) => (
                <Statistic key={k} title={o[lang]} value={s.byOutcome[k] ?? 0} />
              ))}
              {s.elapsedMs !== undefined && <Statistic title={t('用时（毫秒）', 'ms')} value={s.elapsedMs} />}
            </Space>
            <Table
              size="small"
              rowKey="townshipCode"
              style={{ marginTop: 16 }}
              pagination={false}
              dataSource={s.byTownship}
              columns={[
                { title: t('乡镇（街道）', 'Township'), render: (_, r) => `${r.townshipName ?? ''} ${r.townshipCode}` },
                { title: t('户数', 'Total'), dataIndex: 'total' },
                ...Object.entries(OUTCOME).map(([k, o]) => ({ title: o[lang], dataIndex: k })),
              ]}
            />
          </Card>
          <Card title={t('逐户结果', 'Households')}>
            <Space style={{ marginBottom: 12 }}>
              {[undefined, ...Object.keys(OUTCOME)].map((k) => (
                <Button
                  key={k ?? 'all'}
                  type={outcome === k ? 'primary' : 'default'}
                  size="small"
                  onClick={() => setOutcome(k)}
                >
                  {k ? OUTCOME[k]![lang] : t('全部', 'All')}
                </Button>
              ))}
            </Space>
            <Table<BatchItem>
              size="small"
              rowKey="caseId"
              pagination={false}
              scroll={{ x: 800 }}
              dataSource={items.data?.pages.flatMap((p) => p.items) ?? []}
              columns={[
                {
                  title: t('案件', 'Case'),
                  dataIndex: 'caseId',
                  render: (v) => <Link to={`/dibao/cases/${v}`}>{v}</Link>,
                },
                { title: t('人数', 'Members'), dataIndex: 'membersCount' },
                { title: t('人均收入', 'Per capita'), dataIndex: 'perCapitaFen', render: yuan },
                {
                  title: t('条件', 'Gates'),
                  render: (_, r) => (
                    <Space>
                      {(['hukou', 'income', 'property'] as const).map((g) => (
                        <Tag key={g} color={r.gates[g] ? 'green' : 'red'}>
                          {{ hukou: '户籍', income: '收入', property: '财产' }[g]}
                        </Tag>
                      ))}
                    </Space>
                  ),
                },
                { title: t('综合得分', 'Score'), dataIndex: 'combinedScore' },
                {
                  title: t('原→新类别', 'Class'),
                  render: (_, r) =>
                    `${r.oldClass ? CLASS_ZH[r.oldClass] : '—'} → ${r.newClass ? CLASS_ZH[r.newClass] : '—'}`,
                },
                {
                  title: t('原→新金额', 'Amount'),
                  render: (_, r) => `${yuan(r.oldAmountFen)} → ${yuan(r.newAmountFen)}`,
                },
                {
                  title: t('结果', 'Outcome'),
                  dataIndex: 'outcome',
                  render: (o: string) => <Tag color={OUTCOME[o]?.color}>{OUTCOME[o]?.[lang]}</Tag>,
                },
              ]}
            />
            {items.hasNextPage && (
              <Button style={{ marginTop: 12 }} onClick={() => items.fetchNextPage()}>
                {t('加载更多', 'More')}
              </Button>
            )}
          </Card>
        </>
      )}
    </>
  );
}
