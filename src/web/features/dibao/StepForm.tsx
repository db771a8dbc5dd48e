import { Button, Checkbox, Form, Input, InputNumber, Select, Space } from 'antd';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import type { CaseDetail } from './api';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
export const lines = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

/** 六项日常生活活动 [C arts.21–23]. */
export const SIX = [
  { key: 'eating', zh: '进食' },
  { key: 'dressing', zh: '穿衣' },
  { key: 'transferring', zh: '上下床' },
  { key: 'toileting', zh: '如厕' },
  { key: 'walkingIndoors', zh: '室内行走' },
  { key: 'bathing', zh: '洗澡' },
];

/** The form of the case's pending step (the server validates the same rules and answers what is missing). */
export function StepForm({
  c,
  step,
  act,
}: {
  c: CaseDetail;
  step: string;
  act: (fn: () => Promise<unknown>, ok: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const post = (data: Record<string, unknown>) =>
    api.post(`/v1/cases/${c.id}/steps/${step}`, { version: c.version, data });
  const done = t('已完成本步骤', 'Step completed');
  const def = c.steps.find((s) => s.code === step);
  if (def && !can(def.permission)) return <div>{t(`待“${def.nameZh}”办理人处理`, `Waiting for ${def.nameZh}`)}</div>;

  if (step === 'acceptance') {
    return (
      <Button type="primary" onClick={() => act(() => post({}), done)}>
        {t('受理', 'Accept')}
      </Button>
    );
  }
  if (step === 'township_review') {
    // Subsidy first review (POLICY.md §4): the server runs the rules as of the application date on submit.
    return (
      <Form
        layout="vertical"
        onFinish={(v) =>
          act(
            () => post({ opinion: v.opinion }),
            t('初审完成，已按申请日规则评估', 'First review done; assessed as of the application date'),
          )
        }
      >
        <Form.Item
          name="opinion"
          label={t('乡镇（街道）初审意见', 'Township opinion')}
          rules={[{ required: true, message: t('请填写初审意见', 'Enter the opinion') }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('完成初审并评估', 'Complete first review and assess')}
        </Button>
      </Form>
    );
  }
  if (step === 'investigation' && c.programme === 'tekun') {
    // 特困 [C arts.14–15, 21–23]: the six activities set the care tier; supporters found by the investigation.
    return (
      <Form
        layout="vertical"
        initialValues={{ investigators: '', visitedOn: today(), achieved: SIX.map((a) => a.key), noSupporters: false }}
        onFinish={(v) =>
          act(
            () =>
              post({
                investigators: lines(v.investigators).map((name) => ({ name })),
                visitedOn: v.visitedOn,
                supporters: [],
                selfCare: Object.fromEntries(SIX.map((a) => [a.key, (v.achieved as string[]).includes(a.key)])),
                note: v.note || undefined,
              }),
            done,
          )
        }
      >
        <Form.Item
          name="investigators"
          label={t('调查人员（每行一人，至少 2 人）', 'Investigators (one per line, ≥ 2)')}
        >
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="visitedOn" label={t('入户调查日期', 'Visited on')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="achieved" label={t('生活自理能力：能独立完成的活动', 'Activities done unaided')}>
          <Checkbox.Group options={SIX.map((a) => ({ value: a.key, label: a.zh }))} />
        </Form.Item>
        <Form.Item
          name="noSupporters"
          valuePropName="checked"
          rules={[
            {
              validator: (_, ok) =>
                ok ? Promise.resolve() : Promise.reject(new Error(t('请确认法定义务人调查结果', 'Confirm supporters'))),
            },
          ]}
        >
          <Checkbox>
            {t(
              '经调查无法定赡养、抚养、扶养义务人（有义务人的，通过接口录入其情况）',
              'No legal supporter found (supporters are recorded through the API)',
            )}
          </Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('说明', 'Note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('完成调查与评估', 'Complete investigation')}
        </Button>
      </Form>
    );
  }
  if (step === 'investigation') {
    return (
      <Form
        layout="vertical"
        initialValues={{ investigators: '', visitedOn: today(), hardshipRating: 5, result: 'consistent' }}
        onFinish={(v) =>
          act(
            () =>
              post({
                investigators: lines(v.investigators).map((name) => ({ name })),
                visitForm: {
                  visitedOn: v.visitedOn,
                  signedByApplicant: true,
                  signedByInvestigators: true,
                  hardshipRating: v.hardshipRating,
                  notes: v.notes ?? '',
                },
                neighbourVisits: [{ name: v.neighbour, relation: '邻居', statement: v.statement }],
                verification: { requestedOn: v.visitedOn, resultOn: today(), result: v.result, note: '' },
              }),
            done,
          )
        }
      >
        <Space wrap align="start">
          <Form.Item
            name="investigators"
            label={t('调查人员（每行一人，至少2人）', 'Investigators (one per line, ≥2)')}
            rules={[{ required: true }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="visitedOn" label={t('入户日期', 'Visited on')}>
            <Input />
          </Form.Item>
          <Form.Item name="hardshipRating" label={t('入户困难评价（0–10）', 'Hardship rating (0–10)')}>
            <InputNumber min={0} max={10} />
          </Form.Item>
          <Form.Item name="notes" label={t('入户调查记录（双方已签字）', 'Visit notes (signed by both)')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="neighbour" label={t('走访邻居', 'Neighbour')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="statement" label={t('邻里证言', 'Statement')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="result" label={t('信息核对结果', 'Verification')}>
            <Select
              style={{ width: 140 }}
              options={[
                { value: 'consistent', label: '一致' },
                { value: 'inconsistent', label: '不一致' },
              ]}
            />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit">
          {t('完成调查', 'Complete investigation')}
        </Button>
      </Form>
    );
  }
  if (step === 'democratic_review') {
    return (
      <Form
        layout="vertical"
        initialValues={{ heldOn: today(), votesFor: 0, votesAgainst: 0, abstentions: 0 }}
        onFinish={(v) =>
          act(
            () =>
              post({
                heldOn: v.heldOn,
                participants: lines(v.participants).map((l) => ({ name: l, role: '参加人员' })),
                votesFor: v.votesFor,
                votesAgainst: v.votesAgainst,
                abstentions: v.abstentions,
                minutes: v.minutes,
              }),
            done,
          )
        }
      >
        <Space wrap align="start">
          <Form.Item name="heldOn" label={t('评议日期', 'Held on')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="participants"
            label={t('参加人员（每行一人）', 'Participants (one per line)')}
            rules={[{ required: true }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="votesFor" label={t('赞成', 'For')}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="votesAgainst" label={t('反对', 'Against')}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="abstentions" label={t('弃权', 'Abstain')}>
            <InputNumber min={0} />
          </Form.Item>
          <Form.Item name="minutes" label={t('评议记录', 'Minutes')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit">
          {t('完成民主评议', 'Complete review')}
        </Button>
      </Form>
    );
  }
  if (step === 'assessment') {
    return (
      <Button type="primary" onClick={() => act(() => post({}), t('已完成“3+1”综合评估', 'Assessed'))}>
        {t('进行“3+1”综合评估（乡镇初审）', 'Run the "3+1" assessment')}
      </Button>
    );
  }
  if (step === 'publicity') {
    const started = c.flags.publicityStartOn as string | undefined;
    if (!started) {
      return (
        <Form
          layout="inline"
          initialValues={{ startOn: today(), place: '' }}
          onFinish={(v) =>
            act(
              () => api.post(`/v1/cases/${c.id}/publicity`, { version: c.version, startOn: v.startOn, place: v.place }),
              t('公示已开始', 'Publicity started'),
            )
          }
        >
          <Form.Item name="startOn" label={t('公示开始', 'Start')}>
            <Input />
          </Form.Item>
          <Form.Item name="place" label={t('公示地点', 'Place')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('开始公示（7天）', 'Start (7 days)')}
          </Button>
        </Form>
      );
    }
    return (
      <Space direction="vertical">
        <div>
          {t(`公示自 ${started} 开始，地点：${String(c.flags.publicityPlace ?? '')}`, `Publicity since ${started}`)}
        </div>
        <Space wrap>
          <Button type="primary" onClick={() => act(() => post({}), t('公示结束', 'Publicity completed'))}>
            {t('公示期满，结束公示', 'Complete publicity')}
          </Button>
          <Form
            layout="inline"
            onFinish={(v) =>
              act(
                () =>
                  api.post(`/v1/cases/${c.id}/objections`, {
                    version: c.version,
                    raisedBy: v.raisedBy,
                    content: v.content,
                    handling: v.handling,
                  }),
                t('已登记异议，案件退回重新办理', 'Objection recorded'),
              )
            }
            initialValues={{ handling: 'democratic_review' }}
          >
            <Form.Item name="raisedBy" label={t('异议人', 'By')} rules={[{ required: true }]}>
              <Input style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="content" label={t('异议内容', 'Objection')} rules={[{ required: true }]}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="handling">
              <Select
                style={{ width: 130 }}
                options={[
                  { value: 'democratic_review', label: '民主评议' },
                  { value: 're_investigate', label: '重新调查' },
                ]}
              />
            </Form.Item>
            <Button htmlType="submit">{t('登记异议', 'Record objection')}</Button>
          </Form>
        </Space>
      </Space>
    );
  }
  if (step === 'county_visit') {
    return (
      <Form
        layout="inline"
        initialValues={{ visitedOn: today() }}
        onFinish={(v) =>
          act(() => post({ visitedOn: v.visitedOn, visitors: lines(v.visitors), findings: v.findings }), done)
        }
      >
        <Form.Item name="visitedOn" label={t('核查日期', 'Visited on')}>
          <Input />
        </Form.Item>
        <Form.Item name="visitors" label={t('核查人员（每行一人）', 'Visitors')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="findings" label={t('核查情况', 'Findings')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('完成县级入户核查', 'Complete county visit')}
        </Button>
      </Form>
    );
  }
  if (step === 'decision') {
    const rc = c.recheck as { sampled?: boolean; checked_on?: string | null } | null | undefined;
    const needsRecheck = c.programme === 'tekun' && rc?.sampled === true && !rc.checked_on;
    return (
      <Form
        layout="inline"
        onFinish={(v) =>
          act(
            () =>
              api.post(`/v1/cases/${c.id}/decision`, {
                version: c.version,
                decision: v.decision,
                reason: v.reason || undefined,
                ...(needsRecheck
                  ? { recheck: { checkedOn: v.checkedOn, findings: v.findings, confirmed: v.confirmed ?? false } }
                  : {}),
              }),
            t('已作出审核确认决定', 'Decided'),
          )
        }
        initialValues={{ decision: c.assessedEligible ? 'approve' : 'reject', checkedOn: today(), confirmed: true }}
      >
        {needsRecheck && (
          <>
            <Form.Item name="checkedOn" label={t('县级抽查日期（本案被抽中）', 'Re-check date (sampled)')}>
              <Input style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name="findings" label={t('抽查核实情况', 'Findings')} rules={[{ required: true }]}>
              <Input.TextArea rows={2} style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="confirmed" valuePropName="checked">
              <Checkbox>{t('情况属实', 'Confirmed')}</Checkbox>
            </Form.Item>
          </>
        )}
        <Form.Item name="decision" label={t('决定', 'Decision')}>
          <Select
            style={{ width: 140 }}
            options={
              c.programme.startsWith('disability_')
                ? [
                    { value: 'approve', label: t('审定发放', 'Approve') },
                    { value: 'reject', label: t('不予审定', 'Refuse') },
                  ]
                : [
                    { value: 'approve', label: t('确认纳入', 'Approve') },
                    { value: 'reject', label: t('不予确认', 'Refuse') },
                  ]
            }
          />
        </Form.Item>
        <Form.Item name="reason" label={t('理由（不予确认必填）', 'Reason (required to refuse)')}>
          <Input.TextArea rows={2} style={{ width: 320 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('提交决定', 'Submit')}
        </Button>
      </Form>
    );
  }
  return null;
}
