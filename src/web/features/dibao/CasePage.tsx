import { UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api, download } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type CaseDetail, CLASS_ZH, eventLabel, NOTICE_KIND, type Notice, programmeLabel, STATUS, yuan } from './api';
import { ProgrammeAssessment } from './ProgrammeAssessment';
import { StepForm } from './StepForm';
import { SubsidyReviewPanel } from './SubsidyReviewPanel';
import { TekunReviewPanel } from './TekunReviewPanel';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** The case page: procedure and its next action, timeline, assessment with explanation, calculation, notices, archive. */
export default function CasePage() {
  const { id } = useParams();
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<Array<{ kind: string; nameZh: string }>>([]);
  const [editing, setEditing] = useState<Notice | null>(null);
  const [delivering, setDelivering] = useState<Notice | null>(null);
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
            <Space wrap style={{ marginTop: 12 }}>
              {['acceptance', 'publicity', 'assessment', 'township_review'].includes(pending.code) &&
                c.workflow.steps.some((s) => s.code === pending.code && can(String(s.permission))) && (
                  <Button
                    danger
                    onClick={() => {
                      let reason = '';
                      modal.confirm({
                        title: t('不予受理 / 初审不通过', 'Refuse'),
                        content: (
                          <Input.TextArea
                            aria-label="reason"
                            rows={3}
                            onChange={(e) => {
                              reason = e.target.value;
                            }}
                          />
                        ),
                        onOk: () =>
                          act(
                            () => api.post(`/v1/cases/${c.id}/reject`, { version: c.version, reason }),
                            t('已作出决定，告知书草稿已生成', 'Refused; notice drafted'),
                          ),
                      });
                    }}
                  >
                    {t('不予受理/初审不通过', 'Refuse')}
                  </Button>
                )}
              <Button
                onClick={() => {
                  let reason = '';
                  modal.confirm({
                    title: t('拒不配合，终止程序', 'End procedure (non-cooperation)'),
                    content: (
                      <Input.TextArea
                        aria-label="reason"
                        rows={3}
                        onChange={(e) => {
                          reason = e.target.value;
                        }}
                      />
                    ),
                    onOk: () =>
                      act(
                        () => api.post(`/v1/cases/${c.id}/end`, { version: c.version, reason }),
                        t('程序已终止', 'Ended'),
                      ),
                  });
                }}
              >
                {t('终止程序', 'End procedure')}
              </Button>
              <Select
                placeholder={t('转介救助', 'Refer to assistance')}
                style={{ width: 180 }}
                aria-label="referral"
                onChange={(k: string) =>
                  act(
                    () =>
                      api.post(`/v1/cases/${c.id}/referrals`, {
                        kind: k,
                        reason: t('不能立即纳入，先行救助（S4）', 'Cannot be included at once (S4)'),
                      }),
                    t('已转介', 'Referred'),
                  )
                }
                options={[
                  { value: 'temporary', label: t('临时救助', 'Temporary assistance') },
                  { value: 'medical', label: t('医疗救助', 'Medical assistance') },
                ]}
              />
            </Space>
          </div>
        )}
        {c.programme === 'dibao' && c.status === 'approved' && (can('dibao.review') || can('dibao.approve')) && (
          <Space wrap style={{ marginTop: 16 }}>
            <Button
              onClick={() =>
                act(
                  async () => {
                    const r = await api.post<CaseDetail>(`/v1/cases/${c.id}/reassess`, { version: c.version });
                    modal.info({ title: t('复核结果', 'Review result'), content: r.proposedOutcome });
                    return r;
                  },
                  t('已按当前登记数据重新评估', 'Re-assessed'),
                )
              }
            >
              {t('复核（重新评估）', 'Re-assess')}
            </Button>
            {can('dibao.approve') && (
              <Button
                onClick={() =>
                  act(
                    () => api.post(`/v1/cases/${c.id}/review-result`, { version: c.version }),
                    t('已执行复核结果', 'Applied'),
                  )
                }
              >
                {t('执行复核结果', 'Apply review')}
              </Button>
            )}
            {can('dibao.approve') && (
              <Button
                danger
                onClick={() => {
                  let facts = '';
                  let reason = 'ineligible';
                  let taper = 0;
                  modal.confirm({
                    title: t('停发 / 退出', 'Stop / exit'),
                    content: (
                      <Space direction="vertical" style={{ width: '100%' }}>
                        <Select
                          aria-label="exit reason"
                          defaultValue="ineligible"
                          style={{ width: '100%' }}
                          onChange={(v) => {
                            reason = v;
                          }}
                          options={[
                            { value: 'ineligible', label: '不再符合条件' },
                            { value: 'income_above_line', label: '就业后收入超过标准（渐退期）' },
                            { value: 'death', label: '成员死亡复核' },
                            { value: 'non_cooperation', label: '拒不配合' },
                            { value: 'voluntary', label: '本人申请退出' },
                          ]}
                        />
                        <InputNumber
                          aria-label="taper months"
                          min={0}
                          max={6}
                          defaultValue={0}
                          addonAfter={t('个月渐退期', 'taper months')}
                          onChange={(v) => {
                            taper = Number(v ?? 0);
                          }}
                        />
                        <Input.TextArea
                          aria-label="facts"
                          rows={3}
                          placeholder={t('事实', 'Facts')}
                          onChange={(e) => {
                            facts = e.target.value;
                          }}
                        />
                      </Space>
                    ),
                    onOk: () =>
                      act(
                        () =>
                          api.post(`/v1/cases/${c.id}/exit`, { version: c.version, reason, taperMonths: taper, facts }),
                        t('已退出，停发告知书草稿已生成', 'Exited; notice drafted'),
                      ),
                  });
                }}
              >
                {t('停发/退出', 'Stop / exit')}
              </Button>
            )}
          </Space>
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          {c.programme === 'tekun' && c.status === 'approved' && <TekunReviewPanel c={c} act={act} />}
          {(c.programme === 'disability_living' || c.programme === 'disability_nursing') && c.status === 'approved' && (
            <SubsidyReviewPanel c={c} act={act} />
          )}
          {c.programme !== 'dibao' && <ProgrammeAssessment c={c} />}
          {c.programme === 'dibao' && (
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
                    <Descriptions.Item label={t('民主评议得分', 'Review score')}>
                      {a.review_score ?? '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('综合得分', 'Combined')}>{a.combined_score}</Descriptions.Item>
                    <Descriptions.Item label={t('分项', 'Sub-scores')}>
                      {Object.entries(a.breakdown.subScores)
                        .map(([k, v]) => `${k} ${v}`)
                        .join('，')}
                    </Descriptions.Item>
                  </Descriptions>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>
                    {a.explanation}
                  </Typography.Paragraph>
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
          )}
          <Card title={t('书面告知书', 'Written notices')} style={{ marginBottom: 16 }}>
            <Table<Notice>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={c.notices as unknown as Notice[]}
              columns={[
                { title: t('种类', 'Kind'), dataIndex: 'kind', render: (k: string) => NOTICE_KIND[k]?.[lang] ?? k },
                { title: t('文号', 'No.'), dataIndex: 'docNo', render: (v) => v ?? <Tag>{t('草稿', 'Draft')}</Tag> },
                { title: t('签发机关', 'Issuer'), dataIndex: 'issuerName' },
                { title: t('送达', 'Delivered'), dataIndex: 'deliveredOn', render: (v) => v ?? '—' },
                {
                  title: '',
                  render: (_, n) => (
                    <Space wrap>
                      <Button
                        size="small"
                        onClick={() => download(`/v1/notices/${n.id}/file`, { fallbackName: 'notice.docx' })}
                      >
                        {t('下载 Word', 'Word')}
                      </Button>
                      {n.status === 'draft' && can('notices.draft') && (
                        <Button size="small" onClick={() => setEditing(n)}>
                          {t('修改', 'Edit')}
                        </Button>
                      )}
                      {n.status === 'draft' && can('notices.issue') && (
                        <Button
                          size="small"
                          type="primary"
                          onClick={() =>
                            act(
                              () => api.post(`/v1/notices/${n.id}/issue`, { version: n.version }),
                              t('已签发', 'Issued'),
                            )
                          }
                        >
                          {t('签发', 'Issue')}
                        </Button>
                      )}
                      {n.status === 'issued' && !n.deliveredOn && (
                        <Button size="small" onClick={() => setDelivering(n)}>
                          {t('登记送达', 'Delivery')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
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
      <Modal
        open={!!editing}
        title={t('修改告知书（签发前）', 'Edit notice (before issue)')}
        onCancel={() => setEditing(null)}
        footer={null}
        destroyOnHidden
      >
        {editing && (
          <Form
            layout="vertical"
            initialValues={editing}
            onFinish={(v) =>
              act(
                async () => {
                  await api.patch(`/v1/notices/${editing.id}`, {
                    version: editing.version,
                    decision: v.decision,
                    facts: v.facts,
                    reasons: v.reasons,
                  });
                  setEditing(null);
                },
                t('已保存', 'Saved'),
              )
            }
          >
            <Form.Item name="decision" label={t('决定', 'Decision')}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item name="facts" label={t('事实', 'Facts')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="reasons" label={t('理由', 'Reasons')}>
              <Input.TextArea rows={6} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('保存', 'Save')}
            </Button>
          </Form>
        )}
      </Modal>
      <Modal
        open={!!delivering}
        title={t('登记送达', 'Record delivery')}
        onCancel={() => setDelivering(null)}
        footer={null}
        destroyOnHidden
      >
        {delivering && (
          <Form
            layout="vertical"
            initialValues={{ method: 'in_person', deliveredOn: today() }}
            onFinish={(v) =>
              act(
                async () => {
                  await api.post(`/v1/notices/${delivering.id}/delivery`, {
                    version: delivering.version,
                    method: v.method,
                    deliveredOn: v.deliveredOn,
                  });
                  setDelivering(null);
                },
                t('已登记送达', 'Recorded'),
              )
            }
          >
            <Form.Item name="method" label={t('方式', 'Method')}>
              <Select
                options={[
                  { value: 'in_person', label: '直接送达' },
                  { value: 'post', label: '邮寄' },
                  { value: 'electronic', label: '电子送达' },
                  { value: 'public_notice', label: '公告送达' },
                ]}
              />
            </Form.Item>
            <Form.Item name="deliveredOn" label={t('送达日期', 'Date')}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('保存', 'Save')}
            </Button>
          </Form>
        )}
      </Modal>
    </>
  );
}
