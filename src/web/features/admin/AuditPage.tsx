import { CheckCircleTwoTone, CloseCircleTwoTone, SafetyCertificateOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Space, Spin, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { AuditRowT, AuditVerify, Page } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';
import { roleName } from '../../app/roles';

interface Filters {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  regionCode?: string;
  from?: string;
  to?: string;
}

/** Chinese names of the audited actions; an action not listed shows its code. */
const ACTIONS: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Sign-in' },
  'auth.logout': { zh: '退出', en: 'Sign-out' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.locked': { zh: '账号锁定', en: 'Account locked' },
  'auth.change_password': { zh: '修改密码', en: 'Password changed' },
  'user.create': { zh: '新建用户', en: 'User created' },
  'user.create_demo': { zh: '创建演示账号', en: 'Demo account created' },
  'user.update': { zh: '修改用户', en: 'User changed' },
  'user.disable': { zh: '停用用户', en: 'User disabled' },
  'user.enable': { zh: '启用用户', en: 'User enabled' },
  'user.reset_password': { zh: '重置密码', en: 'Password reset' },
  'household.create': { zh: '新建家庭', en: 'Household created' },
  'household.update': { zh: '修改家庭', en: 'Household changed' },
  'household.dissolve': { zh: '注销家庭', en: 'Household dissolved' },
  'household.add_member': { zh: '添加成员', en: 'Member added' },
  'household.payment_account': { zh: '设置发放账户', en: 'Payment account set' },
  'household.reveal_account': { zh: '查看完整账号', en: 'Account revealed' },
  'person.update': { zh: '修改成员', en: 'Person changed' },
  'person.reveal_id': { zh: '查看完整身份证号', en: 'ID number revealed' },
  'person.move': { zh: '成员迁移', en: 'Person moved' },
  'person.leave': { zh: '成员迁出', en: 'Person left' },
  'person.correct_id': { zh: '更正身份证号', en: 'ID number corrected' },
  'income_item.create': { zh: '登记收入', en: 'Income added' },
  'income_item.update': { zh: '修改收入', en: 'Income changed' },
  'income_item.delete': { zh: '删除收入', en: 'Income deleted' },
  'property_item.create': { zh: '登记财产', en: 'Property added' },
  'property_item.update': { zh: '修改财产', en: 'Property changed' },
  'property_item.delete': { zh: '删除财产', en: 'Property deleted' },
  'registry.import': { zh: '导入台账', en: 'Registry import' },
  'registry.export': { zh: '导出台账', en: 'Registry export' },
  'registry.seed': { zh: '生成合成数据', en: 'Synthetic data' },
  'registry.seed_demo': { zh: '生成演示数据', en: 'Demo data' },
  'regions.import': { zh: '导入区划代码', en: 'Regions imported' },
  'regions.load_dataset': { zh: '加载区划数据', en: 'Regions loaded' },
  'case.open': { zh: '登记申请', en: 'Case opened' },
  'case.approve': { zh: '审批通过', en: 'Case approved' },
  'case.reject': { zh: '不予批准', en: 'Case rejected' },
  'case.terminate': { zh: '终止待遇', en: 'Benefit terminated' },
  'case.reassess': { zh: '重新评估', en: 'Case reassessed' },
  'step.complete': { zh: '完成办理环节', en: 'Step completed' },
  'material.upload': { zh: '上传材料', en: 'Material uploaded' },
  'notice.draft': { zh: '起草告知书', en: 'Notice drafted' },
  'notice.issue': { zh: '签发告知书', en: 'Notice issued' },
  'notice.deliver': { zh: '送达告知书', en: 'Notice delivered' },
  'publicity.start': { zh: '开始公示', en: 'Publicity started' },
  'publicity.objection': { zh: '公示异议', en: 'Publicity objection' },
  'parameter.create': { zh: '新增政策参数', en: 'Parameter added' },
  'parameter.close': { zh: '政策参数截止', en: 'Parameter closed' },
  'policy.bulk_evaluate': { zh: '批量评估', en: 'Bulk evaluation' },
  'policy.what_if': { zh: '政策模拟', en: 'What-if' },
  'policy.facts_snapshot': { zh: '生成政策事实快照', en: 'Fact snapshot built' },
  'roster.generate': { zh: '生成发放名册', en: 'Roster generated' },
  'roster.regenerate': { zh: '重新生成名册', en: 'Roster regenerated' },
  'roster.check': { zh: '名册审核', en: 'Roster checked' },
  'roster.approve': { zh: '名册审批（冻结）', en: 'Roster approved' },
  'roster.send': { zh: '名册报送银行', en: 'Roster sent' },
  'roster.reconcile': { zh: '名册对账', en: 'Roster reconciled' },
  'roster.bank_file.download': { zh: '下载银行代发文件', en: 'Bank file downloaded' },
  'roster.bank_return.import': { zh: '导入银行回盘', en: 'Bank return imported' },
  'ledger.export': { zh: '导出计财台账', en: 'Ledger exported' },
  'ledger.check': { zh: '台账一致性核对', en: 'Ledger checked' },
  'monthly_update.confirm': { zh: '确认月度更新', en: 'Monthly update confirmed' },
  'exchange.export': { zh: '大数据平台导出', en: 'Big-data export' },
  'api_client.create': { zh: '登记接口客户端', en: 'API client registered' },
  'api_client.update': { zh: '修改接口客户端', en: 'API client changed' },
  'api_client.rotate_secret': { zh: '重置接口密钥', en: 'API client secret rotated' },
  'api_client.disable': { zh: '停用接口客户端', en: 'API client disabled' },
  'api_client.enable': { zh: '启用接口客户端', en: 'API client enabled' },
  'bank_layout.create': { zh: '新建银行文件格式', en: 'Bank layout created' },
  'bank_layout.version': { zh: '银行文件格式新版本', en: 'Bank layout version' },
};

export default function AuditPage() {
  const { lang, t } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: () => api.get<AuditVerify>('/v1/audit/verify'),
    staleTime: 60_000,
  });
  const list = useInfiniteQuery({
    queryKey: ['audit', 'list', filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditRowT>>('/v1/audit', { query: { ...filters, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const onSearch = (v: Filters & { range?: [Dayjs | null, Dayjs | null] }) => {
    const { range, ...rest } = v;
    const f: Filters = Object.fromEntries(
      Object.entries(rest).filter(([, x]) => typeof x === 'string' && x.trim()),
    ) as Filters;
    // Whole days in China Standard Time.
    if (range?.[0]) f.from = `${range[0].format('YYYY-MM-DD')}T00:00:00+08:00`;
    if (range?.[1]) f.to = `${range[1].add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00`;
    setFilters(f);
  };

  return (
    <>
      <h1 className="jz-page-title">{t('审计日志', 'Audit trail')}</h1>
      <Card size="small" style={{ marginBottom: 16 }} data-testid="audit-verify">
        {verify.isLoading ? (
          <Spin size="small" />
        ) : verify.error ? (
          <Alert type="error" showIcon title={applyProblem(null, verify.error)} />
        ) : verify.data?.ok ? (
          <Space>
            <CheckCircleTwoTone twoToneColor="#52c41a" />
            <span>
              {t(
                `哈希链校验通过：全部 ${verify.data.rows} 条记录未被修改、删除或调换`,
                `Hash chain intact: all ${verify.data.rows} rows unaltered`,
              )}
            </span>
            <Button
              size="small"
              icon={<SafetyCertificateOutlined />}
              onClick={() => verify.refetch()}
              loading={verify.isFetching}
            >
              {t('重新校验', 'Verify again')}
            </Button>
          </Space>
        ) : (
          <Space>
            <CloseCircleTwoTone twoToneColor="#cf1322" />
            <Typography.Text type="danger">
              {t('哈希链校验失败', 'Hash chain broken')}：#{verify.data?.firstBreak?.seq}{' '}
              {verify.data?.firstBreak?.message}
            </Typography.Text>
          </Space>
        )}
      </Card>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline" onFinish={onSearch} style={{ rowGap: 8 }}>
          <Form.Item name="action" label={t('操作', 'Action')}>
            <Input allowClear placeholder="auth." style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="actor" label={t('操作人', 'User')}>
            <Input allowClear style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="entityType" label={t('对象类型', 'Entity')}>
            <Input allowClear style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="entityId" label={t('对象编号', 'Entity id')}>
            <Input allowClear style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="regionCode" label={t('区划', 'Region')}>
            <RegionPicker />
          </Form.Item>
          <Form.Item name="range" label={t('日期', 'Dates')}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('查询', 'Search')}
          </Button>
        </Form>
      </Card>
      {list.error && (
        <Alert type="error" showIcon title={applyProblem(null, list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<AuditRowT>
        rowKey="seq"
        size="small"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{
          rowExpandable: (r) => r.diff != null,
          expandedRowRender: (r) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(r.diff, null, 2)}</pre>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          {
            title: t('时间', 'Time'),
            dataIndex: 'at',
            width: 170,
            render: (v: string) => new Date(v).toLocaleString('zh-CN'),
          },
          {
            title: t('操作人', 'User'),
            render: (_: unknown, r) =>
              r.actorUsername
                ? `${r.actorUsername}${r.actorRole ? `（${roleName(r.actorRole, lang)}）` : ''}`
                : t('（系统/未知）', '(system/unknown)'),
          },
          {
            title: t('操作', 'Action'),
            dataIndex: 'action',
            render: (a: string) => (ACTIONS[a] ? `${ACTIONS[a][lang]} · ${a}` : a),
          },
          {
            title: t('对象', 'Entity'),
            render: (_: unknown, r) => `${r.entityType}${r.entityId ? ` #${r.entityId}` : ''}`,
          },
          { title: t('区划', 'Region'), dataIndex: 'regionCode', render: (v: string | null) => v ?? '—' },
          {
            title: t('请求编号', 'Request id'),
            dataIndex: 'requestId',
            className: 'jz-mono jz-hide-narrow',
            ellipsis: true,
          },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        {list.hasNextPage && (
          <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('加载更多', 'Load more')}
          </Button>
        )}
      </div>
    </>
  );
}
