import { Checkbox, Form, Input, InputNumber, Row, Select } from 'antd';
import { api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, type IncomeItem, type PropertyItem, REG } from './api';
import { FieldCol, orNull, ReasonCol, requiredText, dropEmpty } from './fields';
import { FormDialog, useFormDialog } from './FormDialog';
import { INCOME, options, PERIOD, PROPERTY } from './labels';

type Kind = 'income' | 'property' | 'account';
type Values = Record<string, any>;

/** Amounts are typed in yuan and sent in fen (integers), as the API stores money. */
const toFen = (yuanValue: number | null | undefined) => (yuanValue == null ? undefined : Math.round(yuanValue * 100));

/**
 * Income and property items: the body of an item, the fields an edit sends as null when cleared (the member, the
 * source …), and where a new item is posted and an edit patched.
 */
const ITEMS = {
  income: {
    body: (v: Values) => ({
      personId: v.personId,
      kind: v.kind,
      period: v.period,
      amountFen: toFen(v.amount),
      verified: !!v.verified,
      source: v.source,
      reason: v.reason,
    }),
    clearable: ['personId', 'source'],
    collection: 'income-items',
    url: REG.incomeItem,
  },
  property: {
    body: (v: Values) => ({
      personId: v.personId,
      kind: v.kind,
      description: v.description,
      vehicleType: v.vehicleType,
      areaSqm: v.areaSqm,
      valueFen: toFen(v.value),
      source: v.source,
      reason: v.reason,
    }),
    clearable: ['personId', 'description', 'vehicleType', 'areaSqm', 'source'],
    collection: 'property-items',
    url: REG.propertyItem,
  },
};

/** An edit sends every field (null where cleared) with the item's version; a new item leaves empties out. */
function saveItem(
  kind: 'income' | 'property',
  householdId: number,
  item: IncomeItem | PropertyItem | undefined,
  v: Values,
) {
  const spec = ITEMS[kind];
  const body = dropEmpty(spec.body(v));
  if (!item) return api.post(`${REG.household(householdId)}/${spec.collection}`, body);
  const cleared = Object.fromEntries(spec.clearable.map((k) => [k, orNull(v[k])]));
  return api.patch(spec.url(item.id), { ...body, ...cleared, version: item.version });
}

const MONEY = <InputNumber min={0} max={1e11} precision={2} style={{ width: '100%' }} />;

/** The kind of an income or property item and the member it belongs to (none: the whole household). */
function KindAndMember({
  label,
  kinds,
  members,
}: {
  label: string;
  kinds: Record<string, { zh: string; en: string }>;
  members: { value: number; label: string }[];
}) {
  const { lang, t } = useI18n();
  return (
    <>
      <FieldCol
        xs={24}
        md={12}
        name="kind"
        label={label}
        rules={[{ required: true, message: t('请选择类别', 'Choose a kind') }]}
      >
        <Select options={options(kinds, lang)} />
      </FieldCol>
      <FieldCol xs={12} md={12} name="personId" label={t('成员（不选为全户）', 'Member (none = household)')}>
        <Select allowClear options={members} />
      </FieldCol>
    </>
  );
}

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
  const { form, error, busy, save } = useFormDialog();
  const members = household.members.map((m) => ({ value: m.id, label: m.name }));

  const submit = async () => {
    const v = await form.validateFields();
    await save(
      async () => {
        if (kind === 'account') {
          await api.put(
            `${REG.household(household.id)}/payment-account`,
            dropEmpty({
              bankName: v.bankName,
              account: v.account,
              holder: v.holder,
              version: household.version,
              reason: v.reason,
            }),
          );
        } else await saveItem(kind, household.id, item, v);
        onClose(true);
      },
      { onConflict: () => onClose(false, true) },
    );
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
    <FormDialog title={title} width={640} busy={busy} error={error} onOk={submit} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" initialValues={initialValues()}>
        <Row gutter={12}>
          {kind === 'income' && (
            <>
              <KindAndMember label={t('收入类别', 'Kind')} kinds={INCOME} members={members} />
              <FieldCol
                xs={12}
                md={8}
                name="amount"
                label={t('金额（元）', 'Amount (yuan)')}
                rules={[{ required: true, message: t('请输入金额', 'Enter the amount') }]}
              >
                {MONEY}
              </FieldCol>
              <FieldCol xs={12} md={8} name="period" label={t('周期', 'Per')} rules={[{ required: true }]}>
                <Select options={options(PERIOD, lang)} />
              </FieldCol>
              <FieldCol xs={12} md={8} name="verified" valuePropName="checked" label=" ">
                <Checkbox>{t('已经信息核对', 'Verified')}</Checkbox>
              </FieldCol>
            </>
          )}
          {kind === 'property' && (
            <>
              <KindAndMember label={t('财产类别', 'Kind')} kinds={PROPERTY} members={members} />
              <FieldCol xs={24} md={12} name="description" label={t('说明', 'Description')} rules={[{ max: 200 }]}>
                <Input />
              </FieldCol>
              <FieldCol
                xs={12}
                md={6}
                name="value"
                label={t('价值（元）', 'Value (yuan)')}
                rules={[{ required: true, message: t('请输入价值', 'Enter the value') }]}
              >
                {MONEY}
              </FieldCol>
              <FieldCol
                xs={12}
                md={6}
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
              </FieldCol>
              <FieldCol
                xs={12}
                md={12}
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
              </FieldCol>
            </>
          )}
          {kind === 'account' && (
            <>
              <FieldCol
                xs={24}
                md={12}
                name="bankName"
                label={t('开户银行', 'Bank')}
                rules={requiredText(t('请输入开户银行', 'Enter the bank'), 60)}
              >
                <Input />
              </FieldCol>
              <FieldCol
                xs={24}
                md={12}
                name="holder"
                label={t('户名', 'Account holder')}
                rules={requiredText(t('请输入户名', 'Enter the holder'), 50)}
              >
                <Input />
              </FieldCol>
              <FieldCol
                xs={24}
                name="account"
                label={t('银行账号', 'Account number')}
                rules={[
                  { required: true, message: t('请输入银行账号', 'Enter the account') },
                  { pattern: /^\d{8,30}$/, message: t('银行账号应为 8–30 位数字', '8–30 digits') },
                ]}
              >
                <Input inputMode="numeric" className="jz-mono" autoComplete="off" />
              </FieldCol>
            </>
          )}
          {kind !== 'account' && (
            <FieldCol xs={24} md={12} name="source" label={t('来源', 'Source')} rules={[{ max: 100 }]}>
              <Input placeholder={t('如：申报、信息核对', 'e.g. declared, data check')} />
            </FieldCol>
          )}
          <ReasonCol md={kind === 'account' ? 24 : 12} />
        </Row>
      </Form>
    </FormDialog>
  );
}
