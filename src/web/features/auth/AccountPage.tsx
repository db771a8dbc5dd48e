import { App, Card, Descriptions } from 'antd';
import { useAuth, useMe } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { roleName } from '../../app/roles';
import { PasswordForm } from './PasswordForm';

export default function AccountPage() {
  const me = useMe();
  const { refresh } = useAuth();
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  return (
    <>
      <h1 className="jz-page-title">{t('账号与密码', 'Account & password')}</h1>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('用户名', 'Username')}>{me.user.username}</Descriptions.Item>
          <Descriptions.Item label={t('姓名', 'Name')}>{me.user.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('角色', 'Role')}>
            {roleName(me.user.role, lang, me.user.roleName)}
          </Descriptions.Item>
          <Descriptions.Item label={t('管辖区划', 'Area')}>{me.user.region.path}</Descriptions.Item>
          <Descriptions.Item label={t('空闲超时', 'Idle timeout')}>
            {t(`${me.sessionIdleMinutes} 分钟无操作自动退出`, `${me.sessionIdleMinutes} minutes`)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('修改密码', 'Change password')}>
        <PasswordForm
          username={me.user.username}
          onDone={async () => {
            message.success(
              t('密码已修改，其他设备上的登录已退出', 'Password changed; other sessions were signed out'),
            );
            await refresh();
          }}
        />
      </Card>
    </>
  );
}
