import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { checkPassword } from '../../../domain/security/password';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page, RoleViewT, UserView } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';
import { roleName } from '../../app/roles';

interface Filters {
  q?: string;
  role?: string;
  status?: 'active' | 'disabled';
  regionCode?: string;
}

type Editing = { kind: 'create' } | { kind: 'edit'; user: UserView } | { kind: 'reset'; user: UserView } | null;

export default function UsersPage() {
  const { lang, t } = useI18n();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const [editing, setEditing] = useState<Editing>(null);
  const roles = useQuery({
    queryKey: ['roles'],
    queryFn: () => api.get<{ items: RoleViewT[] }>('/v1/roles'),
    staleTime: Infinity,
  });
  const list = useInfiniteQuery({
    queryKey: ['users', filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<UserView>>('/v1/users', { query: { ...filters, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const users = list.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () => qc.invalidateQueries({ queryKey: ['users'] });

  const conflictOr = (e: unknown) => {
    if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
      modal.warning({
        title: t('该记录已被他人修改', 'Someone else changed this record'),
        content: t('已重新加载最新数据，请核对后再操作。', 'The latest data was reloaded; check it and try again.'),
      });
      void refresh();
    } else message.error(applyProblem(null, e));
  };

  const setStatus = (u: UserView, to: 'disable' | 'enable') =>
    modal.confirm({
      title:
        to === 'disable'
          ? t(`停用用户 ${u.displayName}？`, `Disable ${u.displayName}?`)
          : t(`启用用户 ${u.displayName}？`, `Enable ${u.displayName}?`),
      content:
        to === 'disable'
          ? t('停用后该用户立即退出登录，且无法再登录。', 'The user is signed out at once and cannot sign in.')
          : t('启用后同时解除登录锁定。', 'This also lifts a sign-in lock.'),
      okText: t('确定', 'OK'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        try {
          await api.post(`/v1/users/${u.id}/${to}`, { version: u.version });
          message.success(t('已保存', 'Saved'));
        } catch (e) {
          conflictOr(e);
        }
        await refresh();
      },
    });

  return (
    <>
      <h1 className="jz-page-title">{t('用户管理', 'Users')}</h1>
      <Card style={{ marginBottom: 16 }}>
        <Form
          name="userFilters"
          layout="inline"
          onFinish={(v: Filters) => setFilters(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Filters)}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="q" label={t('用户名/姓名', 'Username/name')}>
            <Input allowClear style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="role" label={t('角色', 'Role')}>
            <Select
              allowClear
              style={{ width: 150 }}
              options={roles.data?.items.map((r) => ({ value: r.code, label: lang === 'en' ? r.nameEn : r.nameZh }))}
            />
          </Form.Item>
          <Form.Item name="status" label={t('状态', 'Status')}>
            <Select
              allowClear
              style={{ width: 100 }}
              options={[
                { value: 'active', label: t('启用', 'Active') },
                { value: 'disabled', label: t('停用', 'Disabled') },
              ]}
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('区划', 'Region')}>
            <RegionPicker />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('查询', 'Search')}
            </Button>
            <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'create' })}>
              {t('新建用户', 'New user')}
            </Button>
          </Space>
        </Form>
      </Card>
      {list.error && (
        <Alert type="error" showIcon title={applyProblem(null, list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<UserView>
        rowKey="id"
        loading={list.isLoading}
        dataSource={users}
        pagination={false}
        scroll={{ x: 1000 }}
        size="middle"
        columns={[
          {
            title: t('用户名', 'Username'),
            dataIndex: 'username',
            render: (v: string, u) => (
              <>
                <span>{v}</span>
                {u.isDemo && <Tag style={{ marginInlineStart: 6 }}>{t('演示', 'demo')}</Tag>}
              </>
            ),
          },
          { title: t('姓名', 'Name'), dataIndex: 'displayName' },
          { title: t('角色', 'Role'), dataIndex: 'role', render: (r: string, u) => roleName(r, lang, u.roleName) },
          { title: t('区划', 'Region'), dataIndex: 'regionName' },
          {
            title: t('状态', 'Status'),
            render: (_: unknown, u) => (
              <Space size={4} wrap>
                {u.status === 'active' ? (
                  <Tag color="green">{t('启用', 'Active')}</Tag>
                ) : (
                  <Tag>{t('停用', 'Disabled')}</Tag>
                )}
                {u.lockedUntil && new Date(u.lockedUntil) > new Date() && (
                  <Tag color="red">{t('已锁定', 'Locked')}</Tag>
                )}
                {u.mustChangePassword && <Tag color="gold">{t('待改密码', 'Must change password')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('最近登录', 'Last sign-in'),
            dataIndex: 'lastLoginAt',
            render: (v: string | null) => (v ? new Date(v).toLocaleString('zh-CN') : '—'),
          },
          {
            title: t('操作', 'Actions'),
            fixed: 'right',
            width: 230,
            render: (_: unknown, u) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setEditing({ kind: 'edit', user: u })}>
                  {t('修改', 'Edit')}
                </Button>
                <Button type="link" size="small" onClick={() => setEditing({ kind: 'reset', user: u })}>
                  {t('重置密码', 'Reset password')}
                </Button>
                {u.status === 'active' ? (
                  <Button type="link" size="small" danger onClick={() => setStatus(u, 'disable')}>
                    {t('停用', 'Disable')}
                  </Button>
                ) : (
                  <Button type="link" size="small" onClick={() => setStatus(u, 'enable')}>
                    {t('启用', 'Enable')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        {list.hasNextPage ? (
          <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('加载更多', 'Load more')}
          </Button>
        ) : (
          users.length > 0 && (
            <span style={{ color: '#888' }}>{t(`共 ${users.length} 个用户`, `${users.length} users`)}</span>
          )
        )}
        <Tooltip title={t('刷新', 'Refresh')}>
          <Button
            type="text"
            icon={<ReloadOutlined />}
            aria-label={t('刷新', 'Refresh')}
            onClick={refresh}
            style={{ marginInlineStart: 8 }}
          />
        </Tooltip>
      </div>
      {editing && (
        <UserDialog
          editing={editing}
          roles={roles.data?.items ?? []}
          onClose={(changed) => {
            setEditing(null);
            if (changed) {
              message.success(t('已保存', 'Saved'));
              void refresh();
            }
          }}
          onConflict={conflictOr}
        />
      )}
    </>
  );
}

function UserDialog({
  editing,
  roles,
  onClose,
  onConflict,
}: {
  editing: NonNullable<Editing>;
  roles: RoleViewT[];
  onClose(changed: boolean): void;
  onConflict(e: unknown): void;
}) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const user = editing.kind === 'create' ? null : editing.user;
  const passwordRule = {
    validator: async (_r: unknown, value: string) => {
      if (!value) return;
      const problems = checkPassword(value, form.getFieldValue('username') ?? user?.username);
      if (problems.length) throw new Error(problems.map((p) => p[lang]).join('；'));
    },
  };
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      if (editing.kind === 'create') await api.post('/v1/users', v);
      else if (editing.kind === 'edit')
        await api.patch(`/v1/users/${editing.user.id}`, { ...v, version: editing.user.version });
      else
        await api.post(`/v1/users/${editing.user.id}/reset-password`, {
          newPassword: v.newPassword,
          version: editing.user.version,
        });
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
        onClose(false);
        onConflict(e);
      } else setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };
  const title =
    editing.kind === 'create'
      ? t('新建用户', 'New user')
      : editing.kind === 'edit'
        ? t(`修改用户 ${user!.username}`, `Edit ${user!.username}`)
        : t(`重置 ${user!.username} 的密码`, `Reset the password of ${user!.username}`);
  return (
    <Modal
      open
      title={title}
      onOk={submit}
      onCancel={() => onClose(false)}
      confirmLoading={busy}
      okText={t('保存', 'Save')}
      cancelText={t('取消', 'Cancel')}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        name="userDialog"
        layout="vertical"
        initialValues={user ? { displayName: user.displayName, role: user.role, regionCode: user.regionCode } : {}}
      >
        {editing.kind === 'create' && (
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            rules={[
              { required: true, message: t('请输入用户名', 'Enter a username') },
              {
                pattern: /^[A-Za-z0-9_.-]{3,32}$/,
                message: t('用户名为 3–32 位字母、数字、下划线、点或减号', '3–32 letters, digits, _ . -'),
              },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
        )}
        {editing.kind !== 'reset' && (
          <>
            <Form.Item
              name="displayName"
              label={t('姓名', 'Name')}
              rules={[{ required: true, whitespace: true, message: t('请输入姓名', 'Enter a name') }, { max: 50 }]}
            >
              <Input />
            </Form.Item>
            <Form.Item
              name="role"
              label={t('角色', 'Role')}
              rules={[{ required: true, message: t('请选择角色', 'Choose a role') }]}
            >
              <Select
                options={roles.map((r) => ({
                  value: r.code,
                  label: `${lang === 'en' ? r.nameEn : r.nameZh} — ${r.description}`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="regionCode"
              label={t('管辖区划', 'Area')}
              rules={[{ required: true, message: t('请选择区划', 'Choose a region') }]}
            >
              <RegionPicker style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
        {editing.kind === 'create' && (
          <Form.Item
            name="initialPassword"
            label={t('初始密码（首次登录须修改）', 'Initial password (must be changed at first sign-in)')}
            rules={[{ required: true, message: t('请输入初始密码', 'Enter a password') }, passwordRule]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {editing.kind === 'reset' && (
          <Form.Item
            name="newPassword"
            label={t('新密码（下次登录须修改）', 'New password (must be changed at next sign-in)')}
            rules={[{ required: true, message: t('请输入新密码', 'Enter a password') }, passwordRule]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
