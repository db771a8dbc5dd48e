import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { checkPassword } from '../../../domain/security/password';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** Change one's own password; the rules are the server's (src/domain/security/password.ts), checked while typing. */
export function PasswordForm({ username, onDone }: { username: string; onDone(): void }) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/v1/auth/change-password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      onDone();
    } catch (e) {
      setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} style={{ maxWidth: 420 }}>
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item
        label={t('当前密码', 'Current password')}
        name="currentPassword"
        rules={[{ required: true, message: t('请输入当前密码', 'Enter the current password') }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label={t('新密码', 'New password')}
        name="newPassword"
        extra={t(
          '至少 10 位，包含小写字母、大写字母、数字、符号中的至少三类，且不含用户名',
          'At least 10 characters, three of lower/upper/digits/symbols, not containing the username',
        )}
        rules={[
          { required: true, message: t('请输入新密码', 'Enter a new password') },
          {
            validator: async (_r, value: string) => {
              if (!value) return;
              const problems = checkPassword(value, username);
              if (problems.length) throw new Error(problems.map((p) => p[lang]).join('；'));
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('确认新密码', 'Repeat the new password')}
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('请再次输入新密码', 'Repeat the new password') },
          ({ getFieldValue }) => ({
            validator: async (_r, value: string) => {
              if (value && value !== getFieldValue('newPassword'))
                throw new Error(t('两次输入的密码不一致', 'The passwords differ'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('修改密码', 'Change password')}
      </Button>
    </Form>
  );
}
