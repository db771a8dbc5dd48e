import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { TERMINATION_REASONS, type TekunTerminationReason } from '../../../domain/programs/tekun/review';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { CARE_TIER, type CaseDetail, TEKUN_REVIEW_OUTCOME, yuan } from './api';
import { ReviewResultAlert } from './ReviewResultAlert';
import { lines, SIX } from './StepForm';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

interface Proposal {
  on: string;
  outcome: string;
  reasons: TekunTerminationReason[];
  careTier: string;
  monthlyAmountFen: number;
  previous: { careTier: string | null; monthlyAmountFen: number | null };
  appliedOn?: string;
}

const RELATIONS = [
  { value: 'spouse', label: '配偶' },
  { value: 'child', label: '子女' },
  { value: 'parent', label: '父母' },
  { value: 'grandchild', label: '孙子女、外孙子女' },
  { value: 'grandparent', label: '祖父母、外祖父母' },
  { value: 'sibling', label: '兄弟姐妹' },
  { value: 'other', label: '其他' },
];

/**
 * 特困 yearly review and termination (POLICY.md §3 [C arts.21–26; E item 7]) on the case page of a recipient:
 * re-assessment with the six activities and the legal supporters found, the proposal, applying it, and the
 * termination dialog (reason with its citation, 7-day 公示, support stops from next month).
 */
export function TekunReviewPanel({
  c,
  act,
}: {
  c: CaseDetail;
  act: (fn: () => Promise<unknown>, ok: string) => Promise<void>;
}) {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const [form] = Form.useForm();
  const [terminating, setTerminating] = useState<TekunTerminationReason | null>(null);
  const [tform] = Form.useForm();
  const r = c.flags.tekunReview as Proposal | undefined;
  const pending = r && !r.appliedOn ? r : undefined;
  const due = c.nextReviewOn !== null && c.nextReviewOn <= today();
  const reasonOptions = (Object.keys(TERMINATION_REASONS) as TekunTerminationReason[]).map((k) => ({
    value: k,
    label: lang === 'en' ? TERMINATION_REASONS[k].nameEn : TERMINATION_REASONS[k].nameZh,
  }));
  const reason = Form.useWatch('reason', tform) as TekunTerminationReason | undefined;

  return (
    <Card title={t('特困年度复核与终止', 'Yearly review and termination')} style={{ marginBottom: 16 }}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('下次复核', 'Next review')}>
          {c.nextReviewOn ?? '—'} {due && <Tag color="red">{t('已到期', 'Due')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('生活自理能力', 'Self-care')}>
          {c.careTier ? (CARE_TIER[c.careTier]?.[lang] ?? c.careTier) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('上次复核', 'Last review')}>
          {(c.flags.lastReviewOn as string | undefined) ?? c.decidedOn ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      {pending && (
        <ReviewResultAlert
          on={pending.on}
          outcome={{
            label: TEKUN_REVIEW_OUTCOME[pending.outcome]?.[lang] ?? pending.outcome,
            color: TEKUN_REVIEW_OUTCOME[pending.outcome]?.color ?? 'default',
          }}
          kind={pending.outcome === 'terminate' ? 'end' : pending.outcome === 'continue' ? 'keep' : 'change'}
          change={
            pending.outcome === 'adjust' &&
            t(
              `${CARE_TIER[pending.previous.careTier ?? '']?.zh ?? '未评估'} ${yuan(pending.previous.monthlyAmountFen)} 元 → ${CARE_TIER[pending.careTier]?.zh} ${yuan(pending.monthlyAmountFen)} 元（次月起）`,
              `${yuan(pending.previous.monthlyAmountFen)} → ${yuan(pending.monthlyAmountFen)} yuan from next month`,
            )
          }
          reasons={pending.reasons.map((x) => ({
            key: x,
            text: lang === 'en' ? TERMINATION_REASONS[x].nameEn : TERMINATION_REASONS[x].nameZh,
            citation: TERMINATION_REASONS[x].citation,
          }))}
          action={
            !can('tekun.approve')
              ? undefined
              : pending.outcome === 'continue' || pending.outcome === 'adjust'
                ? {
                    label: pending.outcome === 'adjust' ? t('执行调整', 'Apply adjustment') : t('继续供养', 'Continue'),
                    onClick: () =>
                      act(
                        () =>
                          api.post(`/v1/cases/${c.id}/tekun-review/apply`, {
                            version: c.version,
                            outcome: pending.outcome,
                          }),
                        pending.outcome === 'adjust'
                          ? t('已调整，调整告知书草稿已生成', 'Adjusted; notice drafted')
                          : t('继续供养，下次复核已安排', 'Continued; next review scheduled'),
                      ),
                  }
                : pending.outcome === 'terminate'
                  ? {
                      label: t('办理终止', 'Terminate'),
                      danger: true,
                      onClick: () => setTerminating(pending.reasons[0] ?? 'income_or_property'),
                    }
                  : undefined
          }
        />
      )}
      {(can('tekun.review') || can('tekun.approve')) && (
        <Form
          form={form}
          layout="vertical"
          style={{ marginTop: 12 }}
          initialValues={{ investigators: '', visitedOn: today(), achieved: SIX.map((a) => a.key), supporters: [] }}
          onFinish={(v) =>
            act(
              () =>
                api.post(`/v1/cases/${c.id}/tekun-review`, {
                  version: c.version,
                  investigators: lines(v.investigators).map((name) => ({ name })),
                  visitedOn: v.visitedOn,
                  supporters: (v.supporters as Array<Record<string, unknown>>).map((s) => ({
                    name: s.name,
                    relation: s.relation,
                    birthDate: s.birthDate,
                    annualIncomeFen: s.incomeYuan == null ? null : Math.round(Number(s.incomeYuan) * 100),
                    propertyFen: s.propertyYuan == null ? null : Math.round(Number(s.propertyYuan) * 100),
                  })),
                  selfCare: Object.fromEntries(SIX.map((a) => [a.key, (v.achieved as string[]).includes(a.key)])),
                  note: v.note || undefined,
                }),
              t('已按当前登记数据复核评估', 'Re-assessed on current registry data'),
            )
          }
        >
          <Space wrap align="start">
            <Form.Item
              name="investigators"
              label={t('复核人员（每行一人，至少 2 人）', 'Reviewers (one per line, ≥ 2)')}
            >
              <Input.TextArea rows={2} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="visitedOn" label={t('入户日期', 'Visited on')}>
              <Input style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Form.Item name="achieved" label={t('生活自理能力：能独立完成的活动', 'Activities done unaided')}>
            <Checkbox.Group options={SIX.map((a) => ({ value: a.key, label: a.zh }))} />
          </Form.Item>
          <Form.List name="supporters">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="baseline">
                    <Form.Item
                      name={[f.name, 'name']}
                      label={t('法定义务人', 'Supporter')}
                      rules={[{ required: true }]}
                    >
                      <Input style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'relation']} label={t('关系', 'Relation')} rules={[{ required: true }]}>
                      <Select style={{ width: 130 }} options={RELATIONS} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'birthDate']}
                      label={t('出生日期', 'Born')}
                      rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
                    >
                      <Input style={{ width: 120 }} placeholder="YYYY-MM-DD" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'incomeYuan']} label={t('上年收入（元）', 'Income last year (yuan)')}>
                      <InputNumber min={0} style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'propertyYuan']} label={t('财产（元）', 'Property (yuan)')}>
                      <InputNumber min={0} style={{ width: 120 }} />
                    </Form.Item>
                    <Button onClick={() => remove(f.name)}>{t('删除', 'Remove')}</Button>
                  </Space>
                ))}
                <Button style={{ marginBottom: 12 }} onClick={() => add({ relation: 'child' })}>
                  {t('添加调查发现的法定义务人', 'Add a supporter found')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="note" label={t('说明', 'Note')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit">
              {t('年度复核评估', 'Run yearly review')}
            </Button>
            {can('tekun.approve') && (
              <Button danger onClick={() => setTerminating('death')}>
                {t('终止救助供养', 'Terminate support')}
              </Button>
            )}
          </Space>
        </Form>
      )}
      <Modal
        open={terminating !== null}
        title={t('终止特困人员救助供养', 'Terminate special hardship support')}
        okText={t('作出终止决定', 'Terminate')}
        okButtonProps={{ danger: true }}
        destroyOnHidden
        onCancel={() => setTerminating(null)}
        onOk={() =>
          tform.validateFields().then((v) =>
            act(
              () =>
                api.post(`/v1/cases/${c.id}/terminate`, {
                  version: c.version,
                  reason: v.reason,
                  facts: v.facts,
                  ...(TERMINATION_REASONS[v.reason as TekunTerminationReason].publicity
                    ? {
                        publicity: {
                          startOn: v.publicityStartOn,
                          place: v.publicityPlace,
                          objections: v.objections ?? '',
                        },
                      }
                    : {}),
                }),
              t('已终止，终止告知书草稿已生成', 'Terminated; notice drafted'),
            ).then(() => setTerminating(null)),
          )
        }
      >
        <Form form={tform} layout="vertical" preserve={false} initialValues={{ reason: terminating ?? 'death' }}>
          <Form.Item name="reason" label={t('终止情形', 'Reason')} rules={[{ required: true }]}>
            <Select options={reasonOptions} />
          </Form.Item>
          {reason && (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              message={`${TERMINATION_REASONS[reason].citation}；特困人员认定办法 ${TERMINATION_REASONS[reason].article}`}
            />
          )}
          <Form.Item
            name="facts"
            label={t('事实（写入告知书）', 'Facts (quoted in the notice)')}
            rules={[{ required: true, message: t('请填写终止的事实', 'Enter the facts') }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          {reason && TERMINATION_REASONS[reason].publicity && (
            <>
              <Alert
                type="warning"
                style={{ marginBottom: 12 }}
                message={t(
                  '终止前须在村（居）公示 7 天，期满无异议方可作出决定，自次月起停止供养（特困人员认定办法 第二十六条）',
                  'A 7-day public notice without objection must precede the decision; support stops from next month',
                )}
              />
              <Space wrap>
                <Form.Item
                  name="publicityStartOn"
                  label={t('公示开始日期', 'Publicity start')}
                  rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
                >
                  <Input style={{ width: 140 }} placeholder="YYYY-MM-DD" />
                </Form.Item>
                <Form.Item name="publicityPlace" label={t('公示地点', 'Place')} rules={[{ required: true }]}>
                  <Input style={{ width: 220 }} />
                </Form.Item>
              </Space>
              <Form.Item name="objections" label={t('公示期间的异议（无则留空）', 'Objections (empty if none)')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
