import { Alert, Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../app/i18n';
import { CARE_TIER, type CaseDetail, CLAUSE_OUTCOME, yuan } from './api';

interface Clause {
  code: string;
  passed: boolean;
  outcome?: string;
  detail: string;
  citation?: string;
}
interface ClauseAssessmentView {
  eligible: boolean;
  as_of: string;
  explanation: string;
  monthly_amount_fen: number | null;
  gates: Clause[];
  breakdown: {
    funding?: { provinceFen: number; cityFen: number; countyFen: number };
    flags?: string[];
    missingFacts?: Array<{ fact: string; rule: string; message: string }>;
    careTier?: string;
    refusal?: Array<{ code: string; text: string; citation: string }>;
  };
  parameters?: { used?: Record<string, { regionCode: string; source: string }> };
}

/**
 * The assessment of a 特困 or disability-subsidy case (POLICY.md §3, §4): verdict, monthly amount, funding split
 * (province / city / county), every clause with its outcome and citation, missing facts, the explanation a notice
 * quotes, and which parameter row each figure came from.
 */
export function ProgrammeAssessment({ c }: { c: CaseDetail }) {
  const { lang, t } = useI18n();
  const a = c.assessment as ClauseAssessmentView | null;
  const subsidy = c.programme.startsWith('disability_');
  const title = subsidy
    ? t('补贴评估（按申请日规则）', 'Subsidy assessment (rules as of the application date)')
    : t('特困人员认定评估', 'Special hardship assessment');
  if (!a)
    return (
      <Card title={title} style={{ marginBottom: 16 }}>
        {subsidy
          ? t('乡镇（街道）初审时按申请日的登记信息评估', 'Assessed at the township first review')
          : t('调查核实时评估', 'Assessed at the investigation')}
      </Card>
    );
  const f = a.breakdown.funding;
  const used = Object.entries(a.parameters?.used ?? {});
  return (
    <Card title={title} style={{ marginBottom: 16 }}>
      <Tag color={a.eligible ? 'green' : 'red'}>
        {a.eligible
          ? subsidy
            ? t('符合条件，予以发放', 'Eligible, payable')
            : t('符合条件', 'Eligible')
          : subsidy
            ? t('不予发放', 'Not payable')
            : t('不符合条件', 'Not eligible')}
      </Tag>
      <Typography.Text type="secondary">
        {t('评估日期', 'As of')} {a.as_of}
      </Typography.Text>
      <Descriptions size="small" column={{ xs: 1, md: 4 }} bordered style={{ margin: '12px 0' }}>
        <Descriptions.Item label={t('月金额（元）', 'Monthly (yuan)')}>{yuan(a.monthly_amount_fen)}</Descriptions.Item>
        <Descriptions.Item label={t('省级', 'Province')}>{f ? yuan(f.provinceFen) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('市级', 'City')}>{f ? yuan(f.cityFen) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('县级', 'County')}>{f ? yuan(f.countyFen) : '—'}</Descriptions.Item>
        {a.breakdown.careTier && (
          <Descriptions.Item label={t('生活自理能力', 'Self-care')} span={4}>
            {CARE_TIER[a.breakdown.careTier]?.[lang] ?? a.breakdown.careTier}
          </Descriptions.Item>
        )}
      </Descriptions>
      {(a.breakdown.flags ?? []).includes('coverage_gap') && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '保障缺口：本县尚未确定农村三四类低保家庭残疾人生活补贴标准（POLICY.md §4）',
            'Coverage gap: the county has set no class 3–4 living-subsidy standard',
          )}
        />
      )}
      {(a.breakdown.missingFacts ?? []).length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('缺少规则所需的事实', 'Facts a rule needs are missing')}
          description={(a.breakdown.missingFacts ?? []).map((m) => <div key={m.fact}>{m.message}</div>)}
        />
      )}
      <Table<Clause>
        size="small"
        pagination={false}
        rowKey="code"
        dataSource={a.gates}
        scroll={{ x: 700 }}
        columns={[
          { title: t('条款', 'Clause'), dataIndex: 'code', width: 150 },
          {
            title: t('结果', 'Outcome'),
            dataIndex: 'outcome',
            width: 90,
            render: (o: string | undefined, r) => {
              const k = !r.passed && o !== 'not_met' ? 'not_met' : (o ?? (r.passed ? 'met' : 'not_met'));
              return <Tag color={CLAUSE_OUTCOME[k]?.color}>{CLAUSE_OUTCOME[k]?.[lang] ?? k}</Tag>;
            },
          },
          { title: t('说明', 'Detail'), dataIndex: 'detail' },
          {
            title: t('依据', 'Citation'),
            dataIndex: 'citation',
            render: (v: string) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {v}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{a.explanation}</Typography.Paragraph>
      {used.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('参数来源：', 'Parameters: ')}
          {used.map(([k, v]) => `${k}（${v.regionCode}，${v.source}）`).join('；')}
        </Typography.Text>
      )}
    </Card>
  );
}
