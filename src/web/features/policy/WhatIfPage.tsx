import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Space, Statistic, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { Chart } from '../../app/Chart';
import { useT } from '../../app/i18n';
import { POLICY, type WhatIf, yuan } from './api';
import { FactSnapshotsCard } from './FactSnapshotsCard';

type Row = WhatIf['counties'][number];
const TYPES = ['visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple'];

/** What-if (issue 7): set a county's class 3–4 living subsidy, or widen the nursing table, and see gainers and costs. Nothing is saved. */
export default function WhatIfPage() {
  const t = useT();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (body: unknown) => api.post<WhatIf>(POLICY.whatIf, body),
    onError: (e) => setError(applyProblem(form, e)),
  });
  const r = run.data;
  // The newest fact snapshot's date is offered as the simulation date (unless one was typed).
  const offerDate = useCallback(
    (asOf: string) => {
      if (!form.getFieldValue('asOf')) form.setFieldValue('asOf', asOf);
    },
    [form],
  );
  const regionWatch = (Form.useWatch('regionCode', form) as string | undefined) ?? '';
  const countyWatch = (Form.useWatch('county', form) as string | undefined) ?? '';
  return (
    <>
      <Card title={t('政策模拟（不保存任何修改）', 'What-if (changes nothing)')}>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form
          form={form}
          layout="inline"
          initialValues={{ scenario: 'class34', regionCode: '', county: '', yuan: 50, facts: 'auto' }}
          onFinish={(v) => {
            setError(null);
            const changes =
              v.scenario === 'class34'
                ? [
                    {
                      programme: 'disability',
                      key: 'living_rural_class34_fen',
                      regionCode: v.county,
                      value: Math.round(v.yuan * 100),
                    },
                  ]
                : [
                    {
                      programme: 'disability',
                      key: 'nursing_table',
                      regionCode: v.regionCode.slice(0, 2) || '62',
                      value: TYPES.flatMap((type) =>
                        [1, 2].map((level) => ({ type, level, requiresLongTermCare: false })),
                      ),
                    },
                  ];
            run.mutate({ regionCode: v.regionCode || v.county, asOf: v.asOf || undefined, changes, facts: v.facts });
          }}
        >
          <Form.Item name="scenario">
            <Radio.Group
              options={[
                { value: 'class34', label: t('县定三四类生活补贴标准', 'County class 3–4 standard') },
                { value: 'nursing', label: t('护理补贴扩至所有一二级', 'Nursing: all level 1–2') },
              ]}
            />
          </Form.Item>
          <Form.Item name="county" label={t('县（6位）', 'County')}>
            <Input style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="yuan" label={t('标准（元/月）', 'Standard (yuan/month)')}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="regionCode" label={t('统计范围（可空=该县）', 'Region (empty = county)')}>
            <Input style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="asOf" label={t('日期', 'As of')}>
            <Input placeholder="YYYY-MM-DD" style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="facts" label={t('事实来源', 'Facts')}>
            <Radio.Group
              options={[
                { value: 'auto', label: t('有快照用快照', 'Snapshot if any') },
                { value: 'snapshot', label: t('快照', 'Snapshot') },
                { value: 'live', label: t('实时台账', 'Live registry') },
              ]}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={run.isPending}>
            {t('模拟', 'Simulate')}
          </Button>
        </Form>
        {r ? (
          <>
            <Space size="large" style={{ margin: '16px 0' }}>
              <Statistic title={t('受益增加（人）', 'Gainers')} value={r.total.gainers} />
              <Statistic title={t('受益减少（人）', 'Losers')} value={r.total.losers} />
              <Statistic title={t('每月增加', 'Monthly delta')} value={yuan(r.total.delta.monthlyFen)} />
              <Statistic title={t('每年增加', 'Annual delta')} value={yuan(r.total.delta.annualFen)} />
              <Statistic
                title={t('其中县级', 'County share')}
                value={yuan(r.total.delta.countyFen * 12)}
                suffix={t('/年', '/yr')}
              />
              <Statistic title={t('耗时', 'Took')} value={`${r.elapsedMs} ms`} />
            </Space>
            <div style={{ marginBottom: 12 }} data-testid="whatif-facts">
              {r.facts.source === 'snapshot' ? (
                <Tag color="blue">
                  {t(
                    `依据 ${r.asOf} 的事实快照（生成于 ${new Date(r.facts.refreshedAt ?? '').toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}）`,
                    `From the fact snapshot of ${r.asOf} (built ${r.facts.refreshedAt})`,
                  )}
                </Tag>
              ) : (
                <Tag>{t('依据台账当前数据实时计算', 'Computed live from the registry')}</Tag>
              )}
            </div>
            <Chart
              label={t('各县每年新增支出（按资金来源）', 'Annual extra cost per county by source')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: {},
                xAxis: { type: 'category', data: r.counties.map((c) => c.countyName ?? c.countyCode) },
                yAxis: { type: 'value', name: t('元/年', 'yuan/yr') },
                series: [
                  {
                    name: t('省级', 'Province'),
                    type: 'bar',
                    stack: 'c',
                    data: r.counties.map((c) => (c.delta.provinceFen * 12) / 100),
                  },
                  {
                    name: t('市级', 'City'),
                    type: 'bar',
                    stack: 'c',
                    data: r.counties.map((c) => (c.delta.cityFen * 12) / 100),
                  },
                  {
                    name: t('县级', 'County'),
                    type: 'bar',
                    stack: 'c',
                    data: r.counties.map((c) => (c.delta.countyFen * 12) / 100),
                  },
                ],
              }}
            />
            <Table<Row>
              rowKey="countyCode"
              size="small"
              pagination={false}
              dataSource={r.counties}
              columns={[
                { title: t('县区', 'County'), render: (_, c) => `${c.countyName ?? ''} ${c.countyCode}` },
                { title: t('增加', 'Gainers'), dataIndex: 'gainers' },
                { title: t('减少', 'Losers'), dataIndex: 'losers' },
                { title: t('现行每月', 'Baseline/month'), render: (_, c) => yuan(c.baseline.monthlyFen) },
                { title: t('模拟每月', 'Scenario/month'), render: (_, c) => yuan(c.scenario.monthlyFen) },
                { title: t('每年增加', 'Annual delta'), render: (_, c) => yuan(c.delta.annualFen) },
                {
                  title: t('省/市/县（每月）', 'Province/city/county (month)'),
                  render: (_, c) =>
                    `${yuan(c.delta.provinceFen)} / ${yuan(c.delta.cityFen)} / ${yuan(c.delta.countyFen)}`,
                },
              ]}
            />
          </>
        ) : null}
      </Card>
      <FactSnapshotsCard regionCode={regionWatch || countyWatch} onBuilt={offerDate} />
    </>
  );
}
