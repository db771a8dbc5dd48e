import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Segmented, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client';
import type { DemoAccounts, Me } from '../../api/types';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { roleName } from '../../app/roles';

interface LoginForm {
  username: string;
  password: string;
}

/** Where the login failure codes of the auth API lead: a message a caseworker understands, Chinese first. */
function loginMessage(
  err: ApiError,
  t: (zh: string, en: string) => string,
): { type: 'error' | 'warning'; text: string } {
  switch (err.code) {
    case 'INVALID_CREDENTIALS': {
      const left = typeof err.problem.attemptsLeft === 'number' ? err.problem.attemptsLeft : null;
      return {
        type: 'error',
        text:
          left !== null
            ? t(
                `用户名或密码错误，再失败 ${left} 次账号将被临时锁定`,
                `Wrong username or password; ${left} attempts left before a temporary lock`,
              )
            : t('用户名或密码错误', 'Wrong username or password'),
      };
    }
    case 'ACCOUNT_LOCKED': {
      const until = typeof err.problem.lockedUntil === 'string' ? new Date(err.problem.lockedUntil) : null;
      const when =
        until && !Number.isNaN(until.getTime())
          ? until.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' })
          : null;
      return {
        type: 'warning',
        text:
          err.detail ||
          (when
            ? t(`账号已临时锁定，请在 ${when} 后再试或联系管理员`, `The account is locked until ${when}`)
            : t('账号已临时锁定', 'The account is locked')),
      };
    }
    case 'ACCOUNT_DISABLED':
      return {
        type: 'error',
        text: t('账号已停用，请联系管理员', 'This account is disabled; contact your administrator'),
      };
    case 'RATE_LIMITED':
      return { type: 'warning', text: t('登录尝试过于频繁，请稍后再试', 'Too many attempts; try again later') };
    default:
      return { type: 'error', text: err.detail };
  }
}

const REASONS: Record<string, { zh: string; en: string }> = {
  SESSION_EXPIRED: {
    zh: '长时间未操作，登录已失效，请重新登录',
    en: 'Your session expired after a period of inactivity; please sign in again',
  },
  ACCOUNT_DISABLED: { zh: '账号已被停用，请联系管理员', en: 'Your account was disabled; contact your administrator' },
  UNAUTHENTICATED: { zh: '请先登录', en: 'Please sign in' },
};

export default function LoginPage() {
  const { me, signedIn } = useAuth();
  const { lang, setLang, t } = useI18n();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<{ type: 'error' | 'warning'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const demo = useQuery({
    queryKey: ['auth', 'demo-accounts'],
    queryFn: () => api.get<DemoAccounts>('/v1/auth/demo-accounts', { quiet401: true }),
  });
  const reason = params.get('reason');
  const next = params.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';

  if (me && !busy) return <Navigate to={me.mustChangePassword ? '/change-password' : safeNext} replace />;

  const submit = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const m = await api.post<Me>('/v1/auth/login', v, { quiet401: true });
      signedIn(m);
      nav(m.mustChangePassword ? '/change-password' : safeNext, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? loginMessage(e, t) : { type: 'error', text: String(e) });
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  const reasonText = reason && REASONS[reason] ? REASONS[reason][lang] : null;
  return (
    <main
      style={{
        minHeight: '100vh',
        background: 'linear-gradient(160deg,#fbeae8 0%,#f5f5f5 45%)',
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'flex-start',
        padding: '6vh 16px',
        gap: 24,
        flexWrap: 'wrap',
      }}
    >
      <Card style={{ width: 380, maxWidth: '100%' }} styles={{ body: { padding: 28 } }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('社会救助管理系统', 'Social Assistance')}
          </Typography.Title>
          <Segmented
            size="small"
            aria-label={t('界面语言', 'Language')}
            value={lang}
            onChange={(v) => setLang(v as 'zh' | 'en')}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'EN', value: 'en' },
            ]}
          />
        </div>
        <Typography.Paragraph type="secondary">
          {t('救助 Jiuzhu · 民政社会救助业务平台', 'Jiuzhu · civil-affairs social assistance')}
          {demo.data?.demo && (
            <Tag color="orange" style={{ marginInlineStart: 8 }} data-testid="demo-marker">
              {t('演示环境', 'Demo')}
            </Tag>
          )}
        </Typography.Paragraph>
        {reasonText && !error && (
          <Alert
            role="alert"
            type="warning"
            showIcon
            title={reasonText}
            style={{ marginBottom: 16 }}
            data-testid="login-reason"
          />
        )}
        {error && (
          <Alert
            role="alert"
            type={error.type}
            showIcon
            title={error.text}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
          <Form.Item
            label={t('用户名', 'Username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('请输入用户名', 'Enter your username') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            label={t('密码', 'Password')}
            name="password"
            rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('登录', 'Sign in')}
          </Button>
        </Form>
      </Card>
      {demo.data?.demo && (
        <Card
          title={t('演示账号（点击填入）', 'Demo accounts (click to fill in)')}
          style={{ width: 560, maxWidth: '100%' }}
          extra={
            <span>
              {t('密码', 'Password')}: <code data-testid="demo-password">{demo.data.password}</code>
            </span>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table
            size="small"
            rowKey="username"
            pagination={false}
            dataSource={demo.data.accounts}
            onRow={(a) => ({
              onClick: () => form.setFieldsValue({ username: a.username, password: demo.data?.password ?? '' }),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: t('用户名', 'Username'),
                dataIndex: 'username',
                render: (u: string) => (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => form.setFieldsValue({ username: u, password: demo.data?.password ?? '' })}
                  >
                    {u}
                  </Button>
                ),
              },
              { title: t('角色', 'Role'), dataIndex: 'role', render: (r: string, a) => roleName(r, lang, a.roleName) },
              { title: t('区划', 'Region'), dataIndex: 'regionName' },
              { title: t('姓名', 'Name'), dataIndex: 'displayName', responsive: ['md'] },
            ]}
          />
        </Card>
      )}
    </main>
  );
}
