import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page } from '../../api/types';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type CaseDetail, type CaseRow, CLASS_ZH, PROGRAMME, programmeLabel, STATUS, WORKLISTS, yuan } from './api';

/** Intake (application by household number) and the worklists per role (S4: eligible cases left waiting are listed). */
export default function CasesPage() {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const worklist = params.get('worklist') ?? 'all';
  const programme = params.get('programme') ?? undefined;
  const programmes = (Object.keys(PROGRAMME) as Array<keyof typeof PROGRAMME>).filter((p) => can(PROGRAMME[p].apply));
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['dibao', 'cases', worklist, programme],
    queryFn: ({ pageParam }) =>
      api.get<Page<CaseRow>>('/v1/cases', { query: { worklist, programme, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = async (v: {
    programme?: keyof typeof PROGRAMME;
    householdId: number;
    applicantPersonId?: number;
    relatedToStaff?: boolean;
    relationNote?: string;
  }) => {
    setError(null);
    try {
      const c = await api.post<CaseDetail>('/v1/cases', {
        programme: v.programme ?? 'dibao',
        householdId: v.householdId,
        applicantPersonId: v.applicantPersonId || undefined,
        relatedToStaff: v.relatedToStaff ?? false,
        relationNote: v.relationNote || undefined,
      });
      message.success(
        c.existing
          ? t('该户已有在办案件，已打开', 'This household already has an open case')
          : t(`已登记申请 ${c.caseNo}`, `Application ${c.caseNo} registered`),
      );
      navigate(`/dibao/cases/${c.id}`);
    } catch (e) {
      setError(applyProblem(form, e));
    }
  };

  return (
    <>
      <h1 className="jz-page-title">
        {t('低保、特困与残疾人两项补贴审核', 'Dibao, special hardship and disability subsidy cases')}
      </h1>
      {programmes.length > 0 && (
        <Card
          title={t(
            '受理申请（低保按家庭；特困、残疾人生活补贴、护理补贴按个人）',
            'New application (dibao by household; special hardship and the disability subsidies by person)',
          )}
          style={{ marginBottom: 16 }}
        >
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Form form={form} layout="inline" onFinish={apply} initialValues={{ programme: programmes[0] }}>
            <Form.Item name="programme" label={t('申请项目', 'Programme')}>
              <Select
                style={{ width: 190 }}
                options={programmes.map((p) => ({ value: p, label: PROGRAMME[p][lang] }))}
              />
            </Form.Item>
            <Form.Item
              name="applicantPersonId"
              label={t('申请人编号（按人申请的项目必填）', 'Applicant id (per-person programmes)')}
            >
              <InputNumber min={1} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="householdId" label={t('家庭编号', 'Household id')} rules={[{ required: true }]}>
              <InputNumber min={1} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="relatedToStaff" valuePropName="checked">
              <Checkbox>
                {t(
                  '与经办人员或村干部有近亲属关系（单独登记备案）',
                  'Related to staff or village cadres (registered separately)',
                )}
              </Checkbox>
            </Form.Item>
            <Form.Item name="relationNote" label={t('关系说明', 'Relation')}>
              <Input style={{ width: 220 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('登记申请', 'Register application')}
            </Button>
          </Form>
        </Card>
      )}
      <Card>
        <Space style={{ marginBottom: 8 }}>
          <Select
            aria-label={t('项目筛选', 'Programme filter')}
            allowClear
            placeholder={t('全部项目', 'All programmes')}
            style={{ width: 200 }}
            value={programme}
            onChange={(p?: string) => setParams({ worklist, ...(p ? { programme: p } : {}) })}
            options={(Object.keys(PROGRAMME) as Array<keyof typeof PROGRAMME>).map((p) => ({
              value: p,
              label: PROGRAMME[p][lang],
            }))}
          />
        </Space>
        <Tabs
          activeKey={worklist}
          onChange={(k) => setParams({ worklist: k, ...(programme ? { programme } : {}) })}
          items={WORKLISTS.map((w) => ({ key: w.key, label: w[lang] }))}
        />
        <Table<CaseRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('案件编号', 'Case'),
              dataIndex: 'caseNo',
              render: (v, r) => <Link to={`/dibao/cases/${r.id}`}>{v}</Link>,
            },
            { title: t('项目', 'Programme'), dataIndex: 'programme', render: (p: string) => programmeLabel(p, lang) },
            {
              title: t('户主 / 申请人', 'Head / applicant'),
              render: (_, r) =>
                r.programme === 'dibao' || !r.applicantName
                  ? r.headName
                  : `${r.applicantName}（${r.headName ?? ''}户）`,
            },
            { title: t('村（社区）', 'Village'), dataIndex: 'regionName' },
            {
              title: t('状态', 'Status'),
              dataIndex: 'status',
              render: (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.[lang] ?? s}</Tag>,
            },
            {
              title: t('当前步骤', 'Step'),
              dataIndex: 'currentStepName',
              render: (v, r) =>
                v ? (
                  <Space>
                    {v}
                    {r.separateRegistration && <Tag color="purple">{t('单独登记', 'Separate')}</Tag>}
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: t('期限', 'Due'),
              dataIndex: 'currentDueOn',
              render: (v, r) => (v ? <Tag color={r.overdue ? 'red' : 'default'}>{v}</Tag> : '—'),
            },
            {
              title: t('类别', 'Class'),
              render: (_, r) =>
                r.dibaoKind === 'urban' ? t('城市', 'Urban') : r.ruralClass ? CLASS_ZH[r.ruralClass] : '—',
            },
            {
              title: t('月保障金（元）', 'Monthly (yuan)'),
              dataIndex: 'monthlyAmountFen',
              align: 'right',
              render: (v) => yuan(v),
            },
            { title: t('有效期至', 'Valid until'), dataIndex: 'validUntil', render: (v) => v ?? '—' },
            { title: t('下次复核', 'Next review'), dataIndex: 'nextReviewOn', render: (v) => v ?? '—' },
          ]}
        />
        {list.hasNextPage && (
          <Button style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('加载更多', 'More')}
          </Button>
        )}
      </Card>
    </>
  );
}
