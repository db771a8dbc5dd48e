import { Alert, Form, Modal, type ModalProps } from 'antd';
import { type ReactNode, useState } from 'react';
import { ApiError } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';

/** The record changed since the dialog read it (409 VERSION_CONFLICT from an optimistic-concurrency check). */
export const isVersionConflict = (e: unknown) => e instanceof ApiError && e.code === 'VERSION_CONFLICT';

/**
 * The state of a dialog that saves a form: the form, the message shown above it and `save`, which runs a request with
 * the OK button loading and the message cleared first (`keepError` leaves it). A version conflict goes to
 * `onConflict` when given; any other failure to `onError`, by default the problem's field errors on the form and the
 * rest in the message.
 */
export function useFormDialog() {
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const showProblem = (e: unknown) => setError(applyProblem(form, e));
  const save = async (
    request: () => Promise<void>,
    {
      onConflict,
      onError = showProblem,
      keepError = false,
    }: { onConflict?: () => void; onError?: (e: unknown) => void; keepError?: boolean } = {},
  ) => {
    setBusy(true);
    if (!keepError) setError(null);
    try {
      await request();
    } catch (e) {
      if (onConflict && isVersionConflict(e)) onConflict();
      else onError(e);
    } finally {
      setBusy(false);
    }
  };
  return { form, error, busy, save, showProblem };
}

/**
 * The modal of the registry's form dialogs: 保存 (or `okText`) and 取消, the OK button loading while `busy`, and the
 * error message above the content (after the `notice`, when there is one).
 */
export function FormDialog({
  title,
  width,
  okText,
  okButtonProps,
  busy,
  error,
  errorTestId,
  notice,
  onOk,
  onCancel,
  children,
}: {
  title: ReactNode;
  width?: number;
  okText?: string;
  okButtonProps?: ModalProps['okButtonProps'];
  busy: boolean;
  error?: string | null;
  errorTestId?: string;
  notice?: ReactNode;
  onOk(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open
      width={width}
      title={title}
      okText={okText ?? t('保存', 'Save')}
      okButtonProps={okButtonProps}
      cancelText={t('取消', 'Cancel')}
      onOk={onOk}
      confirmLoading={busy}
      onCancel={onCancel}
      destroyOnHidden
    >
      {notice}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid={errorTestId} />}
      {children}
    </Modal>
  );
}
