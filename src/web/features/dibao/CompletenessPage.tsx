import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { DISABILITY_MATERIALS } from '../../../domain/programs/disability/workflow';
import { TEKUN_MATERIALS } from '../../../domain/programs/tekun/workflow';
import { api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import { type Completeness, PROGRAMME } from './api';

const KIND_ZH: Record<string, string> = {
  ...TEKUN_MATERIALS,
  ...DISABILITY_MATERIALS,
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
  const { lang, t } = useI18n();
  const [groupBy, setGroupBy] = useState<'county' | 'township'>('township');
  const [programme, setProgramme] = useState<string | undefined>(undefined);
  const q = useQuery({
    queryKey: ['dibao', 'completeness', groupBy, programme],
    queryFn: () => api.get<{ items: Completeness[] }>('/v1/archive/completeness', { query: { groupBy, programme } }),
  });
  return (
    <>
      <h1 className="jz-page-title">{t('档案完整性报告', 'Archive completeness')}</h1>
      <Card
        extra={
          <Space wrap>
            <Select
              aria-label={t('项目', 'Programme')}
              allowClear
              placeholder={t('全部项目', 'All programmes')}
              style={{ width: 200 }}
              value={programme}
              onChange={(v?: string) => setProgramme(v)}
              options={(Object.keys(PROGRAMME) as Array<keyof typeof PROGRAMME>).map((p) => ({
                value: p,
                label: PROGRAMME[p][lang],
              }))}
            />
            <Segmented
              value={groupBy}
              onChange={(v) => setGroupBy(v as 'county' | 'township')}
              options={[
                { value: 'township', label: t('按乡镇', 'By township') },
                { value: 'county', label: t('按区县', 'By county') },
              ]}
            />
          </Space>
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
