import { Alert, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, REG } from './api';
import type { ConflictState } from './Conflict';
import { HOUSING_RATING, HUKOU, options } from './labels';

const flat = (h: HouseholdDetail): Record<string, unknown> => ({
  address: h.address,
  hukouType: h.hukouType,
  householdNo: h.householdNo,
  formedOn: h.formedOn,
  structure: h.housing.structure,
  rating: h.housing.rating,
  appraisedOn: h.housing.appraisedOn,
  appraisalBody: h.housing.appraisalBody,
});

/** Edits the household's own facts and housing condition, with the version it was opened at. */
export function HouseholdDialog({
  household,
  onClose,
  onConflict,
}: {
  household: HouseholdDetail;
  onClose(saved: boolean): void;
  onConflict(c: ConflictState): void;
}) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const labels: Record<string, string> = {
    address: t('地址', 'Address'),
    hukouType: t('户籍性质', 'Hukou'),
    householdNo: t('户编号', 'Household no.'),
    formedOn: t('立户日期', 'Formed on'),
    structure: t('房屋结构', 'Structure'),
    rating: t('住房安全等级', 'Safety rating'),
    appraisedOn: t('鉴定日期', 'Appraised on'),
    appraisalBody: t('鉴定机构', 'Appraised by'),
    reason: t('变更原因', 'Reason'),
  };
  const submit = async () => {
    const v = await form.validateFields();
    const n = (x: unknown) => (x === '' || x === undefined ? null : x);
    const body = {
      address: v.address,
      hukouType: v.hukouType,
      householdNo: n(v.householdNo),
      formedOn: n(v.formedOn),
      housing: {
        structure: n(v.structure),
        rating: n(v.rating),
        appraisedOn: n(v.appraisedOn),
        appraisalBody: n(v.appraisalBody),
      },
      version: household.version,
      ...(v.reason ? { reason: v.reason } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      await api.patch(REG.household(household.id), body);
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
        onConflict({
          mine: v,
          labels,
          format: (k, x) =>
            k === 'hukouType' && typeof x === 'string'
              ? HUKOU[x as 'urban']?.[lang]
              : k === 'rating' && typeof x === 'string'
                ? HOUSING_RATING[x as 'A']?.[lang]
                : undefined,
          loadTheirs: async () => flat(await api.get<HouseholdDetail>(REG.household(household.id))),
        });
        onClose(false);
      } else {
        const msg = applyProblem(form, e);
        setError(msg);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={720}
      title={t('修改家庭信息', 'Edit household')}
      okText={t('保存', 'Save')}
      cancelText={t('取消', 'Cancel')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={flat(household)}>
        <Row gutter={12}>
          <Col xs={24} md={16}>
            <Form.Item
              name="address"
              label={labels.address}
              rules={[
                { required: true, whitespace: true, message: t('请输入地址', 'Enter the address') },
                { max: 200 },
              ]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="hukouType" label={labels.hukouType} rules={[{ required: true }]}>
              <Select options={options(HUKOU, lang)} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="householdNo" label={labels.householdNo} rules={[{ max: 40 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="formedOn" label={labels.formedOn}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="structure" label={labels.structure} rules={[{ max: 50 }]}>
              <Input placeholder={t('如：砖混、土木', 'e.g. brick-concrete')} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="rating" label={labels.rating}>
              <Select allowClear options={options(HOUSING_RATING, lang)} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="appraisedOn" label={labels.appraisedOn}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="appraisalBody" label={labels.appraisalBody} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="reason" label={labels.reason} rules={[{ max: 500 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
