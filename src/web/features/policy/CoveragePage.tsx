import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { Chart } from '../../app/Chart';
import { useT } from '../../app/i18n';
import { type Coverage, POLICY, yuan } from './api';

type Row = Coverage['counties'][number];

/** Disability two subsidies coverage per county (issue 6 item 3): eligible vs paid, counties without a class 3–4 standard. */
export default function CoveragePage() {
  const t = useT();
  const [asOf, setAsOf] = useState<string>('');
  const q = useQuery({
    queryKey: ['policy', 'coverage', asOf],
    queryFn: () => api.get<Coverage>(POLICY.coverage, { query: { asOf: asOf || undefined } }),
  });
  const rows = q.data?.counties ?? [];
  const gaps = rows.filter((r) => !r.hasClass34Standard);
  return (
    <Card
      title={t('两项补贴覆盖情况', 'Disability subsidies coverage')}
      extra={
        <Space>
          <span>{t('评估日期', 'As of')}</span>
          <Input
            placeholder="YYYY-MM-DD"
            style={{ width: 130 }}
            onPressEnter={(e) => setAsOf((e.target as HTMLInputElement).value)}
          />
        </Space>
      }
    >
      {gaps.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            `${gaps.length} 个县区尚未确定农村三四类低保家庭困难残疾人生活补贴标准：${gaps.map((g) => g.countyName).join('、')}`,
            `${gaps.length} counties have no class 3–4 living-subsidy standard`,
          )}
          description={t(
            `这些县区的 ${gaps.reduce((a, g) => a + g.coverageGapPersons, 0)} 名符合其他条件的残疾人因此领不到生活补贴（保障缺口）。`,
            'People meeting every other condition receive nothing there (coverage gap).',
          )}
        />
      ) : null}
      <Chart
        label={t('应享与实发人数', 'Eligible vs paid')}
        height={280}
        option={{
          tooltip: { trigger: 'axis' },
          legend: {},
          xAxis: { type: 'category', data: rows.map((r) => r.countyName ?? r.countyCode) },
          yAxis: { type: 'value' },
          series: [
            { name: t('生活补贴应享', 'Living eligible'), type: 'bar', data: rows.map((r) => r.livingEligible) },
            { name: t('生活补贴实发', 'Living paid'), type: 'bar', data: rows.map((r) => r.livingPaid) },
            { name: t('护理补贴应享', 'Nursing eligible'), type: 'bar', data: rows.map((r) => r.nursingEligible) },
            { name: t('护理补贴实发', 'Nursing paid'), type: 'bar', data: rows.map((r) => r.nursingPaid) },
            { name: t('保障缺口', 'Coverage gap'), type: 'bar', data: rows.map((r) => r.coverageGapPersons) },
          ],
        }}
      />
      <Table<Row>
        rowKey="countyCode"
        size="small"
        loading={q.isLoading}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('县区', 'County'), render: (_, r) => `${r.countyName ?? ''} ${r.countyCode}` },
          {
            title: t('三四类标准', 'Class 3–4 standard'),
            render: (_, r) =>
              r.hasClass34Standard ? yuan(r.class34StandardFen ?? 0) : <Tag color="red">{t('未确定', 'none')}</Tag>,
          },
          {
            title: t('生活补贴 应享/实发', 'Living eligible/paid'),
            render: (_, r) => `${r.livingEligible} / ${r.livingPaid}`,
          },
          { title: t('应享未发', 'Eligible, unpaid'), dataIndex: 'livingEligibleNotPaid' },
          { title: t('已发不符', 'Paid, ineligible'), dataIndex: 'livingPaidNotEligible' },
          {
            title: t('护理补贴 应享/实发', 'Nursing eligible/paid'),
            render: (_, r) => `${r.nursingEligible} / ${r.nursingPaid}`,
          },
          { title: t('应享未发', 'Eligible, unpaid'), dataIndex: 'nursingEligibleNotPaid' },
          { title: t('已发不符', 'Paid, ineligible'), dataIndex: 'nursingPaidNotEligible' },
          { title: t('保障缺口（人）', 'Coverage gap'), dataIndex: 'coverageGapPersons' },
        ]}
      />
    </Card>
  );
}
