import { Alert, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, type IncomeItem, type PropertyItem, REG } from './api';
import { INCOME, options, PERIOD, PROPERTY } from './labels';

type Kind = 'income' | 'property' | 'account';

/** Amounts are typed in yuan and sent in fen (integers), as the API stores money. */
const toFen = (yuanValue: number | null | undefined) => (yuanValue == null ? undefined : Math.round(yuanValue * 100));

/**
 * Adds or edits an income or property item (an edit sends the item's version; a stale one answers 409 and the page
 * reloads), or sets the payment account of a household (with the household's version).
 */
export function ItemDialog({
  kind,
  household,
  item,
  onClose,
}: {
  kind: Kind;
  household: HouseholdDetail;
  /** The item being edited; none → a new one. */
  item?: IncomeItem | PropertyItem;
  onClose(saved: boolean, conflict?: boolean): void;
}) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const members = household.members.map((m) => ({ value: m.id, label: m.name }));

  const submit = async () => {
    const v = await form.validateFields();
    const drop = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined && x !== null && x !== ''));
    setBusy(true);
    setError(null);
    try {
      // An edit sends every field, null where cleared (the member, the source …); a new item leaves empties out.
      const orNull = (x: unknown) => (x === undefined || x === '' ? null : x);
      if (kind === 'income') {
        const body = {
          personId: v.personId,
          kind: v.kind,
          period: v.period,
          amountFen: toFen(v.amount),
          verified: !!v.verified,
          source: v.source,
          reason: v.reason,
        };
        if (item) {
          await api.patch(REG.incomeItem(item.id), {
            ...drop(body),
            personId: orNull(v.personId),
            source: orNull(v.source),
            version: item.version,
          });
        } else await api.post(`${REG.household(household.id)}/income-items`, drop(body));
      } else if (kind === 'property') {
        const body = {
          personId: v.personId,
          kind: v.kind,
          description: v.description,
          vehicleType: v.vehicleType,
          areaSqm: v.areaSqm,
          valueFen: toFen(v.value),
          source: v.source,
          reason: v.reason,
        };
        if (item) {
          await api.patch(REG.propertyItem(item.id), {
            ...drop(body),
            personId: orNull(v.personId),
            description: orNull(v.description),
            vehicleType: orNull(v.vehicleType),
            areaSqm: orNull(v.areaSqm),
            source: orNull(v.source),
            version: item.version,
          });
        } else await api.post(`${REG.household(household.id)}/property-items`, drop(body));
      } else {
        await api.put(
          `${REG.household(household.id)}/payment-account`,
          drop({
            bankName: v.bankName,
            account: v.account,
            holder: v.holder,
            version: household.version,
            reason: v.reason,
          }),
        );
      }
      onClose(true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') onClose(false, true);
      else setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };

  const title =
    kind === 'income'
      ? item
        ? t('修改收入', 'Edit income')
        : t('登记收入', 'Add income')
      : kind === 'property'
        ? item
          ? t('修改财产', 'Edit property')
          : t('登记财产', 'Add property')
        : household.paymentAccount.accountMasked
          ? t('更换发放账户', 'Change the payment account')
          : t('设置发放账户', 'Set the payment account');
  const initialValues = (): Record<string, unknown> => {
    if (kind === 'account') {
      const a = household.paymentAccount;
      return { bankName: a.bankName ?? undefined, holder: a.holder ?? household.headName ?? undefined };
    }
    if (!item) return kind === 'income' ? { period: 'monthly' } : {};
    if ('amountFen' in item) {
      return {
        kind: item.kind,
        personId: item.personId ?? undefined,
        amount: item.amountFen / 100,
        period: item.period,
        verified: item.verified,
        source: item.source ?? undefined,
      };
    }
    return {
      kind: item.kind,
      personId: item.personId ?? undefined,
      description: item.description ?? undefined,
      value: item.valueFen / 100,
      areaSqm: item.areaSqm ?? undefined,
      vehicleType: item.vehicleType ?? undefined,
      source: item.source ?? undefined,
    };
  };
  return (
    <Modal
      open
      title={title}
      width={640}
      okText={t('保存', 'Save')}
      cancelText={t('取消', 'Cancel')}
      onOk={submit}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={initialValues()}>
        <Row gutter={12}>
          {kind === 'income' && (
            <>
              <Col xs={24} md={12}>
                <Form.Item
                  name="kind"
                  label={t('收入类别', 'Kind')}
                  rules={[{ required: true, message: t('请选择类别', 'Choose a kind') }]}
                >
                  <Select options={options(INCOME, lang)} />
                </Form.Item>
              </Col>
              <Col xs={12} md={12}>
                <Form.Item name="personId" label={t('成员（不选为全户）', 'Member (none = household)')}>
                  <Select allowClear options={members} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item
                  name="amount"
                  label={t('金额（元）', 'Amount (yuan)')}
                  rules={[{ required: true, message: t('请输入金额', 'Enter the amount') }]}
                >
                  <InputNumber min={0} max={1e11} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name="period" label={t('周期', 'Per')} rules={[{ required: true }]}>
                  <Select options={options(PERIOD, lang)} />
                </Form.Item>
              </Col>
              <Col xs={12} md={8}>
                <Form.Item name="verified" valuePropName="checked" label=" ">
                  <Checkbox>{t('已经信息核对', 'Verified')}</Checkbox>
                </Form.Item>
              </Col>
            </>
          )}
          {kind === 'property' && (
            <>
              <Col xs={24} md={12}>
                <Form.Item
                  name="kind"
                  label={t('财产类别', 'Kind')}
                  rules={[{ required: true, message: t('请选择类别', 'Choose a kind') }]}
                >
                  <Select options={options(PROPERTY, lang)} />
                </Form.Item>
              </Col>
              <Col xs={12} md={12}>
                <Form.Item name="personId" label={t('成员（不选为全户）', 'Member (none = household)')}>
                  <Select allowClear options={members} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="description" label={t('说明', 'Description')} rules={[{ max: 200 }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item
                  name="value"
                  label={t('价值（元）', 'Value (yuan)')}
                  rules={[{ required: true, message: t('请输入价值', 'Enter the value') }]}
                >
                  <InputNumber min={0} max={1e11} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={6}>
                <Form.Item
                  name="areaSqm"
                  label={t('面积（㎡）', 'Area (m²)')}
                  dependencies={['kind']}
                  rules={[
                    ({ getFieldValue }) => ({
                      validator: async (_r, x: number | null | undefined) => {
                        if (x != null && getFieldValue('kind') !== 'house')
                          throw new Error(t('只有房产可填写面积', 'Only a house has an area'));
                      },
                    }),
                  ]}
                >
                  <InputNumber min={0} max={1e6} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={12} md={12}>
                <Form.Item
                  name="vehicleType"
                  label={t('车辆类型', 'Vehicle type')}
                  dependencies={['kind']}
                  rules={[
                    { max: 40 },
                    ({ getFieldValue }) => ({
                      required: getFieldValue('kind') === 'vehicle',
                      whitespace: true,
                      message: t('机动车辆须填写车辆类型', 'A vehicle needs its type'),
                    }),
                  ]}
                >
                  <Input placeholder={t('如：农用三轮车', 'e.g. farm tricycle')} />
                </Form.Item>
              </Col>
            </>
          )}
          {kind === 'account' && (
            <>
              <Col xs={24} md={12}>
                <Form.Item
                  name="bankName"
                  label={t('开户银行', 'Bank')}
                  rules={[
                    { required: true, whitespace: true, message: t('请输入开户银行', 'Enter the bank') },
                    { max: 60 },
                  ]}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item
                  name="holder"
                  label={t('户名', 'Account holder')}
                  rules={[
                    { required: true, whitespace: true, message: t('请输入户名', 'Enter the holder') },
                    { max: 50 },
                  ]}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col xs={24}>
                <Form.Item
                  name="account"
                  label={t('银行账号', 'Account number')}
                  rules={[
                    { required: true, message: t('请输入银行账号', 'Enter the account') },
                    { pattern: /^\d{8,30}$/, message: t('银行账号应为 8–30 位数字', '8–30 digits') },
                  ]}
                >
                  <Input inputMode="numeric" className="jz-mono" autoComplete="off" />
                </Form.Item>
              </Col>
            </>
          )}
          {kind !== 'account' && (
            <Col xs={24} md={12}>
              <Form.Item name="source" label={t('来源', 'Source')} rules={[{ max: 100 }]}>
                <Input placeholder={t('如：申报、信息核对', 'e.g. declared, data check')} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={kind === 'account' ? 24 : 12}>
            <Form.Item name="reason" label={t('变更原因', 'Reason')} rules={[{ max: 500 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
