import { Alert, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type PersonView, REG } from './api';
import { DISABILITY, options } from './labels';

/** 残疾人证: registers or changes a member's disability certificate (generation 2 needs a level, as on the server). */
export function CertDialog({ person, onClose }: { person: PersonView; onClose(saved: boolean): void }) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const c = person.disabilityCert;
  const submit = async () => {
    const v = await form.validateFields();
    const body = Object.fromEntries(
      Object.entries({ ...v, needsLongTermCare: !!v.needsLongTermCare }).filter(
        ([, x]) => x !== undefined && x !== null && x !== '',
      ),
    );
    setBusy(true);
    setError(null);
    try {
      // Replacing a certificate needs its version (optimistic concurrency); the server refuses a replace without one.
      await api.put(`${REG.person(person.id)}/disability-cert`, c ? { ...body, version: c.version } : body);
      onClose(true);
    } catch (e) {
      setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={640}
      title={t(`残疾人证：${person.name}`, `Disability certificate: ${person.name}`)}
      okText={t('保存', 'Save')}
      cancelText={t('取消', 'Cancel')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
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
          <Col xs={24} md={12}>
            <Form.Item
              name="certNo"
              label={t('残疾人证号', 'Certificate no.')}
              rules={[
                { required: true, whitespace: true, message: t('请输入残疾人证号', 'Enter the certificate number') },
                { max: 40 },
              ]}
            >
              <Input className="jz-mono" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="generation" label={t('证件代别', 'Generation')} rules={[{ required: true }]}>
              <Select
                options={[
                  { value: 1, label: t('第一代', '1st') },
                  { value: 2, label: t('第二代', '2nd') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="type"
              label={t('残疾类别', 'Type')}
              rules={[{ required: true, message: t('请选择类别', 'Choose the type') }]}
            >
              <Select options={options(DISABILITY, lang)} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
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
            </Form.Item>
          </Col>
          <Col xs={12} md={9}>
            <Form.Item name="issuedOn" label={t('发证日期', 'Issued on')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={12} md={9}>
            <Form.Item name="expiresOn" label={t('有效期至', 'Valid until')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="needsLongTermCare" valuePropName="checked" label=" ">
              <Checkbox>{t('需长期照护', 'Needs long-term care')}</Checkbox>
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="careSince" label={t('照护起始日期', 'Care since')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="reason" label={t('变更原因', 'Reason')} rules={[{ max: 500 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
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
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post(REG.leave(person.id), {
        reason: v.reason,
        ...(v.leftOn ? { leftOn: v.leftOn } : {}),
        version: person.version,
      });
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') onClose(false, true);
      else setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t(`${person.name} 迁出本户`, `${person.name} leaves the household`)}
      okText={t('确认迁出', 'Confirm')}
      okButtonProps={{ danger: true }}
      cancelText={t('取消', 'Cancel')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('迁出原因', 'Reason')}
          rules={[{ required: true, whitespace: true, message: t('请说明迁出原因', 'Give the reason') }, { max: 500 }]}
        >
          <Input placeholder={t('如：死亡、婚出、户口迁出', 'e.g. death, marriage, moved away')} />
        </Form.Item>
        <Form.Item name="leftOn" label={t('迁出日期（默认今天）', 'Date (default today)')}>
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
