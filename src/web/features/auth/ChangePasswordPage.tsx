import { App, Button, Card, Typography } from 'antd';
import { Navigate, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { useT } from '../../app/i18n';
import { PasswordForm } from './PasswordForm';

/** The forced password change after the first sign-in or an administrator's reset. */
export default function ChangePasswordPage() {
  const { me, loading, refresh, logout } = useAuth();
  const t = useT();
  const nav = useNavigate();
  const { message } = App.useApp();
  if (loading) return null;
  if (!me) return <Navigate to="/login" replace />;
  return (
    <main
      style={{
        minHeight: '100vh',
        background: '#f5f5f5',
        display: 'flex',
        justifyContent: 'center',
        padding: '8vh 16px',
      }}
    >
      <Card style={{ width: 480, maxWidth: '100%' }}>
        <Typography.Title level={3}>{t('修改密码', 'Change your password')}</Typography.Title>
        <Typography.Paragraph type="secondary">
          {me.mustChangePassword
            ? t(
                '首次登录或密码已被管理员重置，请先设置新密码后再使用系统。',
                'This is your first sign-in or your password was reset: set a new password to continue.',
              )
            : t('设置新的登录密码。', 'Set a new password.')}
        </Typography.Paragraph>
        <PasswordForm
          username={me.user.username}
          onDone={async () => {
            message.success(t('密码已修改', 'Password changed'));
            await refresh();
            nav('/', { replace: true });
          }}
        />
        <Button type="link" style={{ paddingInline: 0, marginTop: 8 }} onClick={() => void logout()}>
          {t('退出登录', 'Sign out')}
        </Button>
      </Card>
    </main>
  );
}
