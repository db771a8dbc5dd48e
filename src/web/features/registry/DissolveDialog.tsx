import { Alert, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { todayCst } from '../../../domain/calendar';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, REG } from './api';
import { notAfterToday, RequiredReason } from './fields';
import { FormDialog } from './FormDialog';
import { PROGRAMME } from './labels';

/**
 * 注销家庭户 (POST /households/:id/dissolve): says what happens before it happens — the members leave and keep their
 * person records, the household becomes read-only, the history stays — and that a household still receiving
 * assistance is refused (INVALID_STATE) until the payments are stopped. The server's refusal is shown with its code.
 */
export function DissolveDialog({
  household,
  onClose,
}: {
  household: HouseholdDetail;
  onClose(saved: HouseholdDetail | null, stale?: boolean): void;
}) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const active = household.enrollments.filter((e) => e.status === 'active');
  const nameOf = (pid: number | null) =>
    pid ? (household.members.find((m) => m.id === pid)?.name ?? `#${pid}`) : t('全户', 'household');

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const saved = await api.post<HouseholdDetail>(REG.dissolve(household.id), {
        reason: (v.reason as string).trim(),
        ...(v.dissolvedOn ? { dissolvedOn: v.dissolvedOn as string } : {}),
        version: household.version,
      });
      onClose(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') onClose(null, true);
      else setError({ message: applyProblem(form, e) ?? '', code: e instanceof ApiError ? e.code : '' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      width={620}
      title={t(
        `注销家庭户：${household.headName ?? household.id}`,
        `Dissolve the household of ${household.headName ?? household.id}`,
      )}
      okText={t('确认注销', 'Dissolve')}
      okButtonProps={{ danger: true, disabled: active.length > 0 }}
      busy={busy}
      onOk={submit}
      onCancel={() => onClose(null)}
    >
      <Typography.Paragraph style={{ marginBottom: 8 }}>{t('注销后：', 'After dissolving:')}</Typography.Paragraph>
      <ul style={{ marginTop: 0, paddingInlineStart: 20 }} data-testid="dissolve-effects">
        <li>
          {household.members.length
            ? t(
                `本户 ${household.members.length} 名成员（${household.members.map((m) => m.name).join('、')}）转为无所属家庭户，人员档案保留；`,
                `the ${household.members.length} members (${household.members.map((m) => m.name).join(', ')}) no longer belong to a household; their person records stay;`,
              )
            : t('本户已没有成员；', 'the household has no members left;')}
        </li>
        <li>
          {t(
            '户状态变为「已注销」，不能再修改；收入、财产和变更记录保留，可按日期查看注销前的状态；',
            'the household becomes read-only; income, property and history stay, and the state before can be viewed by date;',
          )}
        </li>
        <li>
          {t(
            '仍在享受救助（低保、特困等）的家庭不能注销，须先办理停发。',
            'a household still receiving assistance (dibao, tekun …) cannot be dissolved until the payments are stopped.',
          )}
        </li>
      </ul>
      {active.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="dissolve-blocked"
          title={t('该户仍在享受救助，须先办理停发后再注销', 'This household still receives assistance; stop it first')}
          description={active
            .map((e) => `${PROGRAMME[e.programme][lang]}（${nameOf(e.personId)}，${e.startMonth} ${t('起', 'since')}）`)
            .join('；')}
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="dissolve-error"
          title={error.message}
          description={error.code ? t(`错误代码：${error.code}`, `Code: ${error.code}`) : undefined}
        />
      )}
      <Form form={form} layout="vertical" disabled={active.length > 0}>
        <RequiredReason
          label={t('注销原因', 'Reason')}
          message={t('请说明注销原因', 'Give the reason')}
          placeholder={t('如：户内人员均已死亡、全户迁出本地', 'e.g. all members died, moved away')}
        />
        <Form.Item
          name="dissolvedOn"
          label={t('注销日期（默认今天）', 'Date (default today)')}
          rules={[notAfterToday(t('注销日期不能晚于今天', 'The date cannot be in the future'))]}
        >
          <Input type="date" max={todayCst()} />
        </Form.Item>
      </Form>
    </FormDialog>
  );
}
