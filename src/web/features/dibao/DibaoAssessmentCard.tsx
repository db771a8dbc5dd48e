import { Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../app/i18n';
import { type CaseDetail, yuan } from './api';

/** The "3+1" assessment of a 低保 case: the legal gates, the scores, the explanation and the calculation (POLICY.md §2). */
export function DibaoAssessmentCard({ c }: { c: CaseDetail }) {
  const { t } = useI18n();
  const a = c.assessment as null | {
    eligible: boolean;
    explanation: string;
    gates: Array<{ code: string; passed: boolean; detail: string; citation: string }>;
    survey_score: number;
    review_score: number | null;
    combined_score: number;
    rural_class: number | null;
    monthly_amount_fen: number;
    breakdown: {
      lines: string[];
      subScores: Record<string, number>;
      perCapitaFen: number;
      countedIncomeFen: number;
      excludedIncomeFen: number;
      standardFen: number;
      membersCount: number;
      benefitMembers: number;
    };
    parameters: { sources: Record<string, string> };
  };
  return (
    <Card title={t('“3+1”综合评估', '"3+1" assessment')} style={{ marginBottom: 16 }}>
      {!a ? (
        t('尚未评估', 'Not assessed yet')
      ) : (
        <>
          <Tag color={a.eligible ? 'green' : 'red'}>
            {a.eligible ? t('符合条件', 'Eligible') : t('不符合条件', 'Not eligible')}
          </Tag>
          <Table
            size="small"
            pagination={false}
            rowKey="code"
            style={{ margin: '12px 0' }}
            dataSource={a.gates}
            columns={[
              {
                title: t('法定条件', 'Gate'),
                dataIndex: 'code',
                render: (v: string) => ({ hukou: '户籍', income: '收入', property: '财产' })[v] ?? v,
              },
              {
                title: t('结果', 'Result'),
                dataIndex: 'passed',
                render: (p: boolean) => <Tag color={p ? 'green' : 'red'}>{p ? '✓' : '✗'}</Tag>,
              },
              { title: t('说明', 'Detail'), dataIndex: 'detail' },
              {
                title: t('依据', 'Basis'),
                dataIndex: 'citation',
                render: (v: string) => (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {v}
                  </Typography.Text>
                ),
              },
            ]}
          />
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('入户调查评分', 'Survey score')}>{a.survey_score}</Descriptions.Item>
            <Descriptions.Item label={t('民主评议得分', 'Review score')}>{a.review_score ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('综合得分', 'Combined')}>{a.combined_score}</Descriptions.Item>
            <Descriptions.Item label={t('分项', 'Sub-scores')}>
              {Object.entries(a.breakdown.subScores)
                .map(([k, v]) => `${k} ${v}`)
                .join('，')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{a.explanation}</Typography.Paragraph>
          <Card size="small" type="inner" title={t('计算明细', 'Calculation')}>
            <div>
              {t('计算收入', 'Counted income')} {yuan(a.breakdown.countedIncomeFen)} · {t('不计入', 'excluded')}{' '}
              {yuan(a.breakdown.excludedIncomeFen)} · {t('人数', 'members')} {a.breakdown.membersCount} ·{' '}
              {t('人均', 'per capita')} {yuan(a.breakdown.perCapitaFen)} · {t('标准', 'standard')}{' '}
              {yuan(a.breakdown.standardFen)}
            </div>
            {a.breakdown.lines.map((l) => (
              <div key={l}>{l}</div>
            ))}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('参数来源（本地设置）：', 'Parameters (local settings): ')}
              {Object.values(a.parameters.sources).join('；')}
            </Typography.Text>
          </Card>
        </>
      )}
    </Card>
  );
}
