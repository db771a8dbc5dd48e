import { Checkbox, Form, Input, InputNumber, Row, Select } from 'antd';
import { api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import { type PersonView, REG } from './api';
import { dropEmpty, FieldCol, ReasonCol, RequiredReason, requiredText } from './fields';
import { FormDialog, useFormDialog } from './FormDialog';
import { DISABILITY, options } from './labels';

/** 残疾人证: registers or changes a member's disability certificate (generation 2 needs a level, as on the server). */
export function CertDialog({ person, onClose }: { person: PersonView; onClose(saved: boolean): void }) {
  const { lang, t } = useI18n();
  const { form, error, busy, save } = useFormDialog();
  const c = person.disabilityCert;
  const submit = async () => {
    const v = await form.validateFields();
    const body = dropEmpty({ ...v, needsLongTermCare: !!v.needsLongTermCare });
    await save(async () => {
      // Replacing a certificate needs its version (optimistic concurrency); the server refuses a replace without one.
      await api.put(`${REG.person(person.id)}/disability-cert`, c ? { ...body, version: c.version } : body);
      onClose(true);
    });
  };
  return (
    <FormDialog
      width={640}
      title={t(`残疾人证：${person.name}`, `Disability certificate: ${person.name}`)}
      busy={busy}
      error={error}
      onOk={submit}
      onCancel={() => onClose(false)}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          c
            ? {
                certNo: c.certNo,
                generation: c.generation,
                type: c.type,
                level: c.level ?? undefined,
                issuedOn: c.issuedOn ?? undefined,
                expiresOn: c.expiresOn ?? undefined,
                needsLongTermCare: c.needsLongTermCare,
                careSince: c.careSince ?? undefined,
              }
            : { generation: 2 }
        }
      >
        <Row gutter={12}>
          <FieldCol
            xs={24}
            md={12}
            name="certNo"
            label={t('残疾人证号', 'Certificate no.')}
            rules={requiredText(t('请输入残疾人证号', 'Enter the certificate number'), 40)}
          >
            <Input className="jz-mono" />
          </FieldCol>
          <FieldCol xs={12} md={6} name="generation" label={t('证件代别', 'Generation')} rules={[{ required: true }]}>
            <Select
              options={[
                { value: 1, label: t('第一代', '1st') },
                { value: 2, label: t('第二代', '2nd') },
              ]}
            />
          </FieldCol>
          <FieldCol
            xs={12}
            md={6}
            name="type"
            label={t('残疾类别', 'Type')}
            rules={[{ required: true, message: t('请选择类别', 'Choose the type') }]}
          >
            <Select options={options(DISABILITY, lang)} />
          </FieldCol>
          <FieldCol
            xs={12}
            md={6}
            name="level"
            label={t('残疾等级', 'Level')}
            dependencies={['generation']}
            rules={[
              ({ getFieldValue }) => ({
                required: getFieldValue('generation') === 2,
                message: t('第二代证须填写残疾等级', 'A 2nd-generation certificate needs a level'),
              }),
            ]}
          >
            <InputNumber min={1} max={4} precision={0} style={{ width: '100%' }} />
          </FieldCol>
          <FieldCol xs={12} md={9} name="issuedOn" label={t('发证日期', 'Issued on')}>
            <Input type="date" />
          </FieldCol>
          <FieldCol xs={12} md={9} name="expiresOn" label={t('有效期至', 'Valid until')}>
            <Input type="date" />
          </FieldCol>
          <FieldCol xs={12} md={12} name="needsLongTermCare" valuePropName="checked" label=" ">
            <Checkbox>{t('需长期照护', 'Needs long-term care')}</Checkbox>
          </FieldCol>
          <FieldCol xs={12} md={12} name="careSince" label={t('照护起始日期', 'Care since')}>
            <Input type="date" />
          </FieldCol>
          <ReasonCol />
        </Row>
      </Form>
    </FormDialog>
  );
}

/** 迁出: a member leaves the household (death, marriage out, moving away); the person record and history stay. */
export function LeaveDialog({
  person,
  onClose,
}: {
  person: PersonView;
  onClose(saved: boolean, conflict?: boolean): void;
}) {
  const { t } = useI18n();
  const { form, error, busy, save } = useFormDialog();
  const submit = async () => {
    const v = await form.validateFields();
    await save(
      async () => {
        await api.post(REG.leave(person.id), {
          reason: v.reason,
          ...(v.leftOn ? { leftOn: v.leftOn } : {}),
          version: person.version,
        });
        onClose(true);
      },
      { onConflict: () => onClose(false, true) },
    );
  };
  return (
    <FormDialog
      title={t(`${person.name} 迁出本户`, `${person.name} leaves the household`)}
      okText={t('确认迁出', 'Confirm')}
      okButtonProps={{ danger: true }}
      busy={busy}
      error={error}
      onOk={submit}
      onCancel={() => onClose(false)}
    >
      <Form form={form} layout="vertical">
        <RequiredReason
          label={t('迁出原因', 'Reason')}
          message={t('请说明迁出原因', 'Give the reason')}
          placeholder={t('如：死亡、婚出、户口迁出', 'e.g. death, marriage, moved away')}
        />
        <Form.Item name="leftOn" label={t('迁出日期（默认今天）', 'Date (default today)')}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </FormDialog>
  );
}
