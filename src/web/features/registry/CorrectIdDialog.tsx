import { Alert, Descriptions, Form, Input } from 'antd';
import { todayCst } from '../../../domain/calendar';
import { maskIdNumber, normalizeIdNumber, parseIdNumber } from '../../../domain/identity/id-number';
import { api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import { type PersonView, REG } from './api';
import type { ConflictState } from './Conflict';
import { requiredText } from './fields';
import { FormDialog, useFormDialog } from './FormDialog';
import { idNumberRule } from './idRule';
import { SEX } from './labels';

/**
 * 更正身份证号码 (POST /persons/:id/correct-id; county approvers, registry.correct_id): the new number is checked in
 * the browser by the server's GB 11643 rule; sex and birth date follow the corrected number; the reason is required
 * and the correction is audited with both numbers masked. A duplicate number comes back as a field error.
 */
export function CorrectIdDialog({
  person,
  onClose,
  onConflict,
}: {
  person: PersonView;
  onClose(saved: PersonView | null): void;
  onConflict(c: ConflictState): void;
}) {
  const { lang, t } = useI18n();
  const { form, error, busy, save } = useFormDialog();
  const typed: string | undefined = Form.useWatch('newIdNumber', form);
  const parsed = typed ? parseIdNumber(typed, todayCst()) : null;
  const preview = parsed?.ok ? parsed.info : null;

  const submit = async () => {
    const v = await form.validateFields();
    await save(
      async () => {
        const saved = await api.post<PersonView>(REG.correctId(person.id), {
          newIdNumber: (v.newIdNumber as string).trim(),
          reason: (v.reason as string).trim(),
          version: person.version,
        });
        onClose(saved);
      },
      {
        onConflict: () => {
          const mine = parseIdNumber(v.newIdNumber as string, todayCst());
          onConflict({
            mine: {
              idNumberMasked: maskIdNumber(normalizeIdNumber(v.newIdNumber as string)),
              ...(mine.ok ? { sex: mine.info.sex, birthDate: mine.info.birthDate } : {}),
            },
            labels: {
              idNumberMasked: t('身份证号码', 'ID number'),
              sex: t('性别', 'Sex'),
              birthDate: t('出生日期', 'Birth date'),
            },
            format: (k, x) => (k === 'sex' && (x === 'M' || x === 'F') ? SEX[x][lang] : undefined),
            loadTheirs: async () => {
              const cur = await api.get<PersonView>(REG.person(person.id));
              return { idNumberMasked: cur.idNumberMasked, sex: cur.sex, birthDate: cur.birthDate };
            },
          });
          onClose(null);
        },
      },
    );
  };

  return (
    <FormDialog
      width={600}
      title={t(`更正身份证号码：${person.name}`, `Correct the ID number: ${person.name}`)}
      okText={t('确认更正', 'Correct')}
      busy={busy}
      error={error}
      errorTestId="correct-id-error"
      notice={
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '仅用于更正录入错误的号码。性别和出生日期将按新号码自动更正；更正记入审计日志（新旧号码均脱敏）。',
            'Only for a mistyped number. Sex and birth date follow the new number; the correction is audited (both numbers masked).',
          )}
        />
      }
      onOk={submit}
      onCancel={() => onClose(null)}
    >
      <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('现号码', 'Current number')}>
          <span className="jz-mono">{person.idNumberMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('现性别 / 出生日期', 'Current sex / birth date')}>
          {SEX[person.sex][lang]} / {person.birthDate}
        </Descriptions.Item>
      </Descriptions>
      <Form form={form} layout="vertical">
        <Form.Item
          name="newIdNumber"
          label={t('正确的身份证号码', 'Correct ID number')}
          rules={[
            { required: true, whitespace: true, message: t('请输入正确的身份证号码', 'Enter the correct number') },
            idNumberRule(lang),
          ]}
          extra={
            preview
              ? t(
                  `按新号码：${SEX[preview.sex].zh}，出生日期 ${preview.birthDate}`,
                  `From the new number: ${SEX[preview.sex].en}, born ${preview.birthDate}`,
                )
              : undefined
          }
        >
          <Input maxLength={18} className="jz-mono" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('更正原因', 'Reason')}
          rules={requiredText(t('更正身份证号码须说明原因', 'Give the reason'), 500)}
        >
          <Input.TextArea
            rows={2}
            placeholder={t('如：核对户口簿发现录入错误', 'e.g. mistyped, checked against the hukou book')}
          />
        </Form.Item>
      </Form>
    </FormDialog>
  );
}
