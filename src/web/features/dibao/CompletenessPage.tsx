import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import type { Completeness } from './api';

const KIND_ZH: Record<string, string> = {
  application_form: '申请书',
  id_copies: '身份证户口簿复印件',
  income_declaration: '收入财产申报',
  verification_authorization: '核对授权书',
  household_visit_form: '入户调查表',
  neighbour_visit_record: '邻里访问记录',
  verification_report: '信息核对报告',
  review_minutes: '民主评议记录',
  publicity_record: '公示记录',
  county_visit_record: '县级核查记录',
  approval_form: '审核确认表',
  notice_receipt: '告知书送达回执',
};

/** Archive completeness by county or township, worst first (S6). */
export default function CompletenessPage() {
  const { t } = useI18n();
  const [groupBy, setGroupBy] = useState<'county' | 'township'>('township');
  const q = useQuery({
    queryKey: ['dibao', 'completeness', groupBy],
    queryFn: () => api.get<{ items: Completeness[] }>('/v1/archive/completeness', { query: { groupBy } }),
  });
  return (
    <>
      <h1 className="jz-page-title">{t('档案完整性报告', 'Archive completeness')}</h1>
      <Card
        extra={
          <Segmented
            value={groupBy}
            onChange={(v) => setGroupBy(v as 'county' | 'township')}
            options={[
              { value: 'township', label: t('按乡镇', 'By township') },
              { value: 'county', label: t('按区县', 'By county') },
            ]}
          />
        }
      >
        <Table<Completeness>
          size="small"
          rowKey="regionCode"
          loading={q.isLoading}
          pagination={false}
          dataSource={q.data?.items ?? []}
          columns={[
            { title: t('区划', 'Region'), render: (_, r) => `${r.regionName ?? ''} ${r.regionCode}` },
            {
              title: t('完整度', 'Complete'),
              dataIndex: 'pct',
              render: (p: number) => (
                <Progress percent={p} size="small" status={p < 80 ? 'exception' : 'normal'} style={{ width: 160 }} />
              ),
            },
            { title: t('案件（完整）', 'Cases (complete)'), render: (_, r) => `${r.cases}（${r.completeCases}）` },
            { title: t('应有/已有', 'Required/present'), render: (_, r) => `${r.required} / ${r.present}` },
            {
              title: t('缺少的材料', 'Missing'),
              render: (_, r) =>
                Object.entries(r.missingByKind).map(([k, n]) => (
                  <Tag key={k} color="red">
                    {KIND_ZH[k] ?? k} × {n}
                  </Tag>
                )),
            },
          ]}
        />
      </Card>
    </>
  );
}
