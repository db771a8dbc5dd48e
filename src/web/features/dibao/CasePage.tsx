import { UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Row, Steps, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api, download } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type CaseDetail, CLASS_ZH, eventLabel, programmeLabel, STATUS, yuan } from './api';
import { ProgrammeAssessment } from './ProgrammeAssessment';
import { StepForm } from './StepForm';
import { SubsidyReviewPanel } from './SubsidyReviewPanel';
import { TekunReviewPanel } from './TekunReviewPanel';
import { DibaoAssessmentCard } from './DibaoAssessmentCard';
import { DibaoRecipientActions } from './DibaoRecipientActions';
import { NoticesCard } from './NoticesCard';
import { ProcedureActions } from './ProcedureActions';

/** The case page: procedure and its next action, timeline, assessment with explanation, calculation, notices, archive. */
export default function CasePage() {
  const { id } = useParams();
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<Array<{ kind: string; nameZh: string }>>([]);
  const q = useQuery({ queryKey: ['dibao', 'case', id], queryFn: () => api.get<CaseDetail>(`/v1/cases/${id}`) });
  const c = q.data;
  const refresh = () => qc.invalidateQueries({ queryKey: ['dibao'] });

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    setError(null);
    setMissing([]);
    try {
      const r = (await fn()) as { budgetWarning?: string | null } | undefined;
      message.success(ok);
      if (r?.budgetWarning)
        modal.warning({
          title: t('预算预警（不影响纳入）', 'Budget warning (inclusion not affected)'),
          content: r.budgetWarning,
        });
      await refresh();
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.fields.length ? e.fields.map((f) => `${f.field}: ${f.message}`).join('；') : e.detail);
        if (Array.isArray(e.problem.missing)) setMissing(e.problem.missing as Array<{ kind: string; nameZh: string }>);
      } else setError(String(e));
    }
  };
  if (q.isLoading) return <Card loading />;
  if (q.error || !c)
    return (
      <Alert
        type="error"
        showIcon
        message={q.error instanceof ApiError ? q.error.detail : t('未找到该案件', 'Case not found')}
      />
    );

  const pending = c.steps.find((s) => s.code === c.currentStep);
  const upload = async (kind: string, file: File) => {
    const fd = new FormData();
    fd.append('file', file);
    await act(() => api.upload(`/v1/cases/${c.id}/materials?kind=${kind}`, fd), t('已上传', 'Uploaded'));
  };
  const pick = (kind: string) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.pdf,.jpg,.jpeg,.png';
    input.onchange = () => input.files?.[0] && upload(kind, input.files[0]);
    input.click();
  };

  return (
    <>
      <h1 className="jz-page-title">
        {programmeLabel(c.programme, lang)} {t('案件', 'case')} {c.caseNo}{' '}
        <Tag color={STATUS[c.status]?.color}>{STATUS[c.status]?.[lang]}</Tag>
        {c.separateRegistration && <Tag color="purple">{t('单独登记备案', 'Registered separately')}</Tag>}
      </h1>
      {error && (
        <Alert
          type="error"
          showIcon
          closable
          message={error}
          description={
            missing.length ? (
              <ul>
                {missing.map((m) => (
                  <li key={m.kind}>{m.nameZh}</li>
                ))}
              </ul>
            ) : undefined
          }
          style={{ marginBottom: 12 }}
          onClose={() => setError(null)}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('户主', 'Head')}>{c.headName}</Descriptions.Item>
          {c.programme !== 'dibao' && (
            <Descriptions.Item label={t('申请人', 'Applicant')}>{c.applicantName ?? '—'}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('村（社区）', 'Village')}>{c.regionName}</Descriptions.Item>
          <Descriptions.Item label={t('流程', 'Procedure')}>{c.workflow.nameZh}</Descriptions.Item>
          <Descriptions.Item label={t('申请日期', 'Applied')}>{c.appliedOn}</Descriptions.Item>
          <Descriptions.Item label={t('决定日期', 'Decided')}>{c.decidedOn ?? '—'}</Descriptions.Item>
          {c.programme === 'dibao' ? (
            <Descriptions.Item label={t('保障类别与金额', 'Class and amount')}>
              {c.dibaoKind === 'urban' ? t('城市低保', 'Urban') : c.ruralClass ? `农村${CLASS_ZH[c.ruralClass]}` : '—'}{' '}
              · {yuan(c.monthlyAmountFen)} {t('元/月', 'yuan/month')}
            </Descriptions.Item>
          ) : (
            <Descriptions.Item label={t('月金额', 'Monthly amount')}>
              {yuan(c.monthlyAmountFen)} {t('元/月', 'yuan/month')}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('有效期至', 'Valid until')}>{c.validUntil ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('下次复核', 'Next review')}>{c.nextReviewOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('档案完整度', 'Archive')}>
            {c.completeness.pct}%（{c.completeness.present}/{c.completeness.required}）
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('办理流程', 'Procedure')} style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={c.steps.filter((s) => s.applies).findIndex((s) => s.code === c.currentStep)}
          items={c.steps
            .filter((s) => s.applies)
            .map((s) => ({
              title: s.nameZh,
              description: s.completedOn ?? (s.dueOn ? `${t('期限', 'due')} ${s.dueOn}` : undefined),
              status: s.completedOn ? 'finish' : s.code === c.currentStep ? 'process' : 'wait',
            }))}
        />
        {c.status === 'open' && pending && (
          <div style={{ marginTop: 16 }}>
            {pending.missingMaterials.length > 0 && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={t('本步骤缺少材料', 'Materials missing for this step')}
                description={pending.missingMaterials.map((m) => m.nameZh).join('、')}
                action={
                  can('notices.draft') && (
                    <Button
                      size="small"
                      onClick={() =>
                        act(
                          () => api.post(`/v1/cases/${c.id}/one-time-notice`, { step: pending.code }),
                          t('已生成一次性告知书', 'One-time notice drafted'),
                        )
                      }
                    >
                      {t('生成一次性告知书', 'Draft one-time notice')}
                    </Button>
                  )
                }
              />
            )}
            <StepForm c={c} step={pending.code} act={act} />
            <ProcedureActions c={c} step={pending.code} act={act} />
          </div>
        )}
        {c.programme === 'dibao' && c.status === 'approved' && (can('dibao.review') || can('dibao.approve')) && (
          <DibaoRecipientActions c={c} act={act} />
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          {c.programme === 'tekun' && c.status === 'approved' && <TekunReviewPanel c={c} act={act} />}
          {(c.programme === 'disability_living' || c.programme === 'disability_nursing') && c.status === 'approved' && (
            <SubsidyReviewPanel c={c} act={act} />
          )}
          {c.programme !== 'dibao' && <ProgrammeAssessment c={c} />}
          {c.programme === 'dibao' && <DibaoAssessmentCard c={c} />}
          <NoticesCard c={c} act={act} />
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('档案清单', 'Archive checklist')} style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="kind"
              pagination={false}
              dataSource={c.checklist}
              columns={[
                {
                  title: t('材料', 'Material'),
                  dataIndex: 'nameZh',
                  render: (v, m) => (
                    <span>
                      {v}
                      {m.required && (
                        <Tag style={{ marginLeft: 4 }} color={m.materials.length ? 'green' : 'red'}>
                          {m.materials.length ? t('已归档', 'filed') : t('缺', 'missing')}
                        </Tag>
                      )}
                    </span>
                  ),
                },
                {
                  title: t('文件', 'Files'),
                  render: (_, m) =>
                    m.materials.map((f) => (
                      <div key={String(f.id)}>
                        <Button
                          type="link"
                          size="small"
                          style={{ padding: 0 }}
                          onClick={() => download(`/v1/materials/${f.id}/file`)}
                        >
                          {String(f.filename)}
                        </Button>
                      </div>
                    )),
                },
                {
                  title: '',
                  render: (_, m) =>
                    can('archive.upload') && (
                      <Button
                        size="small"
                        icon={<UploadOutlined />}
                        aria-label={`upload ${m.kind}`}
                        onClick={() => pick(m.kind)}
                      />
                    ),
                },
              ]}
            />
          </Card>
          <Card title={t('时间线', 'Timeline')}>
            <Timeline
              items={c.timeline.map((e) => ({
                children: (
                  <span>
                    <b>{eventLabel(e.action, lang)}</b>{' '}
                    {e.step ? (c.steps.find((s) => s.code === e.step)?.nameZh ?? e.step) : ''} · {e.actor ?? ''} ·{' '}
                    {e.at.slice(0, 16)}
                  </span>
                ),
              }))}
            />
            {c.referrals.length > 0 && (
              <Alert type="info" message={t(`已转介 ${c.referrals.length} 次`, `${c.referrals.length} referral(s)`)} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
