import { EditOutlined, KeyOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { StatusToggle } from '../../app/StatusToggle';
import { ApiClientDialog } from './ApiClientForm';
import {
  type ApiCall,
  type ApiCallPage,
  type ApiClient,
  type NewApiClient,
  OPERATION_LABELS,
  type Platform,
  PURPOSE_LABELS,
} from './api';

const fmt = (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN') : '—');

/**
 * Registry exchange API clients (administrator): list, register (the secret is shown once), edit, rotate the secret
 * (the new one shown once), disable / enable, and each client's call log. docs/exchange-api.md.
 */
export default function ApiClientsPage() {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ApiClient | null>(null);
  /** A secret to show once: of a client just registered, or a new one after a rotation. */
  const [secret, setSecret] = useState<{ client: NewApiClient; rotated: boolean } | null>(null);
  const [logOf, setLogOf] = useState<ApiClient | null>(null);
  const list = useQuery({
    queryKey: ['api-clients'],
    queryFn: () => api.get<{ items: ApiClient[] }>('/v1/api-clients'),
  });
  const platforms = useQuery({
    queryKey: ['exchange-platforms'],
    queryFn: () => api.get<{ items: Platform[] }>('/v1/exchange/platforms'),
  });
  const platformName = (code: string) => platforms.data?.items.find((p) => p.code === code)?.name ?? code;
  const setStatus = async (c: ApiClient, to: 'disable' | 'enable') => {
    try {
      await api.post(`/v1/api-clients/${c.id}/${to}`, { version: c.version });
      message.success(
        to === 'disable' ? t('已停用，令牌立即失效', 'Disabled; tokens revoked') : t('已启用', 'Enabled'),
      );
    } catch (e) {
      message.error(
        e instanceof ApiError && e.code === 'VERSION_CONFLICT'
          ? t('该客户端已被他人修改，已刷新列表，请重试。', 'Changed meanwhile; the list was reloaded.')
          : applyProblem(null, e),
      );
    }
    await qc.invalidateQueries({ queryKey: ['api-clients'] });
  };
  const rotateSecret = async (c: ApiClient) => {
    try {
      const made = await api.post<NewApiClient>(`/v1/api-clients/${c.id}/secret`, { version: c.version });
      setSecret({ client: made, rotated: true });
    } catch (e) {
      message.error(
        e instanceof ApiError && e.code === 'VERSION_CONFLICT'
          ? t('该客户端已被他人修改，已刷新列表，请重试。', 'Changed meanwhile; the list was reloaded.')
          : applyProblem(null, e),
      );
    }
    await qc.invalidateQueries({ queryKey: ['api-clients'] });
  };

  return (
    <>
      <h1 className="jz-page-title">{t('数据交换接口客户端', 'Exchange API clients')}</h1>
      <Typography.Paragraph type="secondary">
        {t(
          '其他政府系统以客户端凭证（client credentials）调用登记信息交换接口：只能查询授权区划内的人员与家庭，按用途授权、按接收平台脱敏、按分钟限流，每次调用都有记录。',
          'Other government systems call the exchange API with client credentials: only inside their regions, for their purposes, masked per platform, rate limited; every call is logged.',
        )}
      </Typography.Paragraph>
      <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)}>
        {t('登记客户端', 'Register a client')}
      </Button>
      {list.error && <Alert type="error" showIcon title={applyProblem(null, list.error)} />}
      <Table<ApiClient>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: 'client_id',
            dataIndex: 'clientId',
            render: (v: string) => (
              <Typography.Text code copyable>
                {v}
              </Typography.Text>
            ),
          },
          {
            title: t('授权区划', 'Regions'),
            dataIndex: 'regionCodes',
            render: (v: string[]) => v.map((r) => <Tag key={r}>{r}</Tag>),
          },
          {
            title: t('用途', 'Purposes'),
            dataIndex: 'purposes',
            render: (v: string[]) => v.map((p) => <Tag key={p}>{PURPOSE_LABELS[p]?.[lang] ?? p}</Tag>),
          },
          { title: t('脱敏规则', 'Masking'), dataIndex: 'platform', render: platformName },
          { title: t('限流（次/分钟）', 'Rate (per minute)'), dataIndex: 'ratePerMinute' },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (s: ApiClient['status']) =>
              s === 'active' ? <Tag color="green">{t('启用', 'Active')}</Tag> : <Tag>{t('已停用', 'Disabled')}</Tag>,
          },
          { title: t('登记时间', 'Registered'), dataIndex: 'createdAt', render: fmt },
          {
            title: '',
            render: (_: unknown, c) => (
              <Space size={4} wrap>
                <Button size="small" icon={<UnorderedListOutlined />} onClick={() => setLogOf(c)}>
                  {t('调用记录', 'Call log')}
                </Button>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)}>
                  {t('编辑', 'Edit')}
                </Button>
                <Popconfirm
                  title={t('重置密钥', 'Rotate the secret')}
                  description={t(
                    '原密钥与已发放的令牌立即失效，调用方须改用新密钥。确定重置？',
                    'The old secret and every token issued stop working at once; the caller must use the new secret. Rotate?',
                  )}
                  okText={t('重置', 'Rotate')}
                  cancelText={t('取消', 'Cancel')}
                  onConfirm={() => rotateSecret(c)}
                >
                  <Button size="small" icon={<KeyOutlined />}>
                    {t('重置密钥', 'Rotate secret')}
                  </Button>
                </Popconfirm>
                <StatusToggle
                  active={c.status === 'active'}
                  confirm={t('停用后该客户端的令牌立即失效，确定停用？', 'Disable? Its tokens stop working at once.')}
                  onChange={(to) => setStatus(c, to)}
                />
              </Space>
            ),
          },
        ]}
      />
      {creating && (
        <ApiClientDialog
          platforms={platforms.data?.items ?? []}
          onClose={async (made) => {
            setCreating(false);
            if (made) {
              setSecret({ client: made, rotated: false });
              await qc.invalidateQueries({ queryKey: ['api-clients'] });
            }
          }}
        />
      )}
      {editing && (
        <ApiClientDialog
          platforms={platforms.data?.items ?? []}
          client={editing}
          onClose={async (changed) => {
            setEditing(null);
            if (changed) message.success(t('已保存，下一次调用即按新设置执行', 'Saved; applies from the next call'));
            await qc.invalidateQueries({ queryKey: ['api-clients'] });
          }}
        />
      )}
      <Modal
        open={secret !== null}
        title={secret?.rotated ? t('密钥已重置', 'Secret rotated') : t('客户端已登记', 'Client registered')}
        closable={false}
        maskClosable={false}
        keyboard={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('我已妥善保存密钥', 'I have stored the secret')}
        onOk={() => setSecret(null)}
        destroyOnHidden
      >
        {secret && (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={
                secret.rotated
                  ? t(
                      '新的客户端密钥只显示这一次，系统只保存其不可逆的摘要，关闭后无法再次查看。原密钥与已发放的令牌已失效，请尽快交给调用方。',
                      'The new secret is shown only now; only a one-way hash is kept. The old secret and all tokens issued no longer work — hand the new one to the caller.',
                    )
                  : t(
                      '客户端密钥只显示这一次，系统只保存其不可逆的摘要。关闭后无法再次查看；遗失须重置密钥。',
                      'The secret is shown only now; only a one-way hash is kept. If it is lost, rotate the secret.',
                    )
              }
            />
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label="client_id">
                <Typography.Text code copyable>
                  {secret.client.clientId}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="client_secret">
                <Typography.Text
                  code
                  copyable={{ tooltips: [t('复制', 'Copy'), t('已复制', 'Copied')] }}
                  data-testid="client-secret"
                >
                  {secret.client.clientSecret}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('换取令牌', 'Token endpoint')}>
                <Typography.Text code>POST /api/v1/exchange/oauth/token</Typography.Text>
              </Descriptions.Item>
            </Descriptions>
          </>
        )}
      </Modal>
      {logOf && <CallLogDrawer client={logOf} onClose={() => setLogOf(null)} />}
    </>
  );
}

function CallLogDrawer({ client, onClose }: { client: ApiClient; onClose(): void }) {
  const { lang, t } = useI18n();
  const [operation, setOperation] = useState<string | undefined>();
  const [failedOnly, setFailedOnly] = useState(false);
  const log = useInfiniteQuery({
    queryKey: ['api-clients', client.id, 'calls', operation, failedOnly],
    queryFn: ({ pageParam }) =>
      api.get<ApiCallPage>(`/v1/api-clients/${client.id}/calls`, {
        query: { operation, failedOnly, cursor: pageParam, limit: 50 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const stats = log.data?.pages[0]?.stats;
  return (
    <Drawer open size="large" title={t(`调用记录：${client.name}`, `Call log: ${client.name}`)} onClose={onClose}>
      {stats && (
        <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('累计调用', 'Calls')}>{stats.calls}</Descriptions.Item>
          <Descriptions.Item label={t('失败', 'Failed')}>{stats.failed}</Descriptions.Item>
          <Descriptions.Item label={t('近 24 小时', 'Last 24 h')}>{stats.lastDay}</Descriptions.Item>
          <Descriptions.Item label={t('最近调用', 'Last call')}>{fmt(stats.lastCallAt)}</Descriptions.Item>
        </Descriptions>
      )}
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder={t('全部操作', 'All operations')}
          value={operation}
          onChange={setOperation}
          style={{ width: 180 }}
          options={Object.entries(OPERATION_LABELS).map(([value, l]) => ({ value, label: l[lang] }))}
        />
        <Space>
          <Switch checked={failedOnly} onChange={setFailedOnly} />
          {t('只看失败', 'Failures only')}
        </Space>
      </Space>
      {log.error && <Alert type="error" showIcon title={applyProblem(null, log.error)} />}
      <Table<ApiCall>
        size="small"
        rowKey="id"
        loading={log.isLoading}
        dataSource={items}
        pagination={false}
        columns={[
          { title: t('时间', 'Time'), dataIndex: 'at', render: fmt },
          {
            title: t('操作', 'Operation'),
            dataIndex: 'operation',
            render: (o: string) => OPERATION_LABELS[o]?.[lang] ?? o,
          },
          {
            title: t('结果', 'Status'),
            dataIndex: 'status',
            render: (s: number) => <Tag color={s >= 400 ? 'red' : 'green'}>{s}</Tag>,
          },
          { title: 'transaction_id', dataIndex: 'transactionId', render: (v: string | null) => v ?? '—' },
          {
            title: t('用途', 'Purpose'),
            dataIndex: 'purpose',
            render: (p: string | null) => (p ? (PURPOSE_LABELS[p]?.[lang] ?? p) : '—'),
          },
          { title: t('返回人数', 'Persons'), dataIndex: 'personCount' },
          {
            title: t('请求结构', 'Request'),
            dataIndex: 'request',
            render: (r: unknown) =>
              r ? (
                <Typography.Text code style={{ fontSize: 12 }}>
                  {JSON.stringify(r)}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          { title: 'IP', dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
        ]}
      />
      {log.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t('加载更多', 'Load more')}
        </Button>
      )}
    </Drawer>
  );
}
