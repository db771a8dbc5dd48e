import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page } from '../../api/types';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { PROGRAMME_LABELS, PROGRAMMES, type Roster, STATUS_LABELS, type Summary, thisMonth, yuan } from './api';

/** Roster list with the month's summary per county and programme, and generation (county approver). */
export default function RostersPage() {
  const { lang, t } = useI18n();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [month, setMonth] = useState(thisMonth());
  const [programme, setProgramme] = useState<string | undefined>();
  const [genError, setGenError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const summary = useQuery({
    queryKey: ['rosters', 'summary', month],
    queryFn: () => api.get<Summary>('/v1/rosters/summary', { query: { month } }),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const list = useInfiniteQuery({
    queryKey: ['rosters', 'list', month, programme],
    queryFn: ({ pageParam }) =>
      api.get<Page<Roster>>('/v1/rosters', { query: { month, programme, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const label = (p: string) => PROGRAMME_LABELS[p]?.[lang] ?? p;

  const generate = async (v: { countyCode: string; month: string; programme: string }) => {
    setGenError(null);
    try {
      const r = await api.post<Roster>('/v1/rosters', v);
      message.success(t(`已生成名册：${r.lineCount} 行`, `Roster generated: ${r.lineCount} lines`));
      await qc.invalidateQueries({ queryKey: ['rosters'] });
      navigate(`/rosters/${r.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ROSTER_EXISTS' && typeof e.problem.rosterId === 'number') {
        navigate(`/rosters/${e.problem.rosterId}`);
        return;
      }
      setGenError(applyProblem(form, e));
    }
  };

  return (
    <>
      <h1 className="jz-page-title">{t('发放名册', 'Payment rosters')}</h1>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t('月份', 'Month')}</span>
          <Input
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            style={{ width: 110 }}
            placeholder="YYYY-MM"
            data-testid="roster-month"
          />
          <Select
            allowClear
            placeholder={t('全部项目', 'All programmes')}
            value={programme}
            onChange={setProgramme}
            style={{ width: 200 }}
            options={PROGRAMMES.map((p) => ({ value: p, label: label(p) }))}
          />
        </Space>
      </Card>
      {can('roster.generate') && (
        <Card size="small" title={t('生成名册', 'Generate a roster')} style={{ marginBottom: 16 }}>
          {genError && <Alert type="error" showIcon title={genError} style={{ marginBottom: 12 }} />}
          <Form
            form={form}
            layout="inline"
            onFinish={generate}
            initialValues={{ countyCode: me?.user.region.code.slice(0, 6), month, programme: 'dibao' }}
          >
            <Form.Item
              name="countyCode"
              label={t('区县代码', 'County')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('6 位区县代码', '6-digit county code') }]}
            >
              <Input style={{ width: 100 }} />
            </Form.Item>
            <Form.Item
              name="month"
              label={t('月份', 'Month')}
              rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: 'YYYY-MM' }]}
            >
              <Input style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="programme" label={t('项目', 'Programme')}>
              <Select style={{ width: 200 }} options={PROGRAMMES.map((p) => ({ value: p, label: label(p) }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />}>
              {t('生成', 'Generate')}
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={t(`${month} 各区县汇总`, `${month} by county`)} style={{ marginBottom: 16 }}>
        {summary.error && <Alert type="error" showIcon title={applyProblem(null, summary.error)} />}
        <Table
          size="small"
          rowKey={(r) => `${r.countyCode}-${r.programme}`}
          loading={summary.isLoading}
          dataSource={summary.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('区县', 'County'), render: (_: unknown, r) => `${r.countyName ?? ''}（${r.countyCode}）` },
            { title: t('项目', 'Programme'), dataIndex: 'programme', render: label },
            { title: t('行数', 'Lines'), dataIndex: 'lines', align: 'right' },
            { title: t('金额（元）', 'Amount (yuan)'), dataIndex: 'totalFen', align: 'right', render: yuan },
          ]}
        />
      </Card>
      {list.error && (
        <Alert type="error" showIcon title={applyProblem(null, list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<Roster>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('编号', 'No.'), dataIndex: 'id', render: (id: number) => <Link to={`/rosters/${id}`}>{id}</Link> },
          { title: t('月份', 'Month'), dataIndex: 'month' },
          { title: t('区县', 'County'), render: (_: unknown, r) => r.countyName ?? r.countyCode },
          { title: t('项目', 'Programme'), dataIndex: 'programme', render: label },
          {
            title: t('类型', 'Kind'),
            dataIndex: 'kind',
            render: (k: string) =>
              k === 'reissue' ? <Tag color="orange">{t('重发名册', 'Re-issue')}</Tag> : t('月度名册', 'Monthly'),
          },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (s: Roster['status']) => <Tag color={STATUS_LABELS[s].color}>{STATUS_LABELS[s][lang]}</Tag>,
          },
          { title: t('行数', 'Lines'), dataIndex: 'lineCount', align: 'right' },
          { title: t('金额（元）', 'Amount (yuan)'), dataIndex: 'totalFen', align: 'right', render: yuan },
          {
            title: t('错误', 'Errors'),
            dataIndex: 'errorCount',
            align: 'right',
            render: (n: number) => (n ? <Tag color="red">{n}</Tag> : 0),
          },
          { title: t('调整', 'Adjustments'), dataIndex: 'adjustmentCount', align: 'right' },
        ]}
      />
      {list.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('加载更多', 'Load more')}
        </Button>
      )}
    </>
  );
}
