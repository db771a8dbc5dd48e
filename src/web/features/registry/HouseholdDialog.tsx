import { Form, Input, Row, Select } from 'antd';
import { api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, REG } from './api';
import type { ConflictState } from './Conflict';
import { FieldCol, orNull, ReasonCol, requiredText } from './fields';
import { FormDialog, useFormDialog } from './FormDialog';
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
  const { form, error, busy, save } = useFormDialog();
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
    const body = {
      address: v.address,
      hukouType: v.hukouType,
      householdNo: orNull(v.householdNo),
      formedOn: orNull(v.formedOn),
      housing: {
        structure: orNull(v.structure),
        rating: orNull(v.rating),
        appraisedOn: orNull(v.appraisedOn),
        appraisalBody: orNull(v.appraisalBody),
      },
      version: household.version,
      ...(v.reason ? { reason: v.reason } : {}),
    };
    await save(
      async () => {
        await api.patch(REG.household(household.id), body);
        onClose(true);
      },
      {
        onConflict: () => {
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
        },
      },
    );
  };
  return (
    <FormDialog
      width={720}
      title={t('修改家庭信息', 'Edit household')}
      busy={busy}
      error={error}
      onOk={submit}
      onCancel={() => onClose(false)}
    >
      <Form form={form} layout="vertical" initialValues={flat(household)}>
        <Row gutter={12}>
          <FieldCol
            xs={24}
            md={16}
            name="address"
            label={labels.address}
            rules={requiredText(t('请输入地址', 'Enter the address'), 200)}
          >
            <Input />
          </FieldCol>
          <FieldCol xs={12} md={8} name="hukouType" label={labels.hukouType} rules={[{ required: true }]}>
            <Select options={options(HUKOU, lang)} />
          </FieldCol>
          <FieldCol xs={12} md={8} name="householdNo" label={labels.householdNo} rules={[{ max: 40 }]}>
            <Input />
          </FieldCol>
          <FieldCol xs={12} md={8} name="formedOn" label={labels.formedOn}>
            <Input type="date" />
          </FieldCol>
          <FieldCol xs={12} md={8} name="structure" label={labels.structure} rules={[{ max: 50 }]}>
            <Input placeholder={t('如：砖混、土木', 'e.g. brick-concrete')} />
          </FieldCol>
          <FieldCol xs={12} md={8} name="rating" label={labels.rating}>
            <Select allowClear options={options(HOUSING_RATING, lang)} />
          </FieldCol>
          <FieldCol xs={12} md={8} name="appraisedOn" label={labels.appraisedOn}>
            <Input type="date" />
          </FieldCol>
          <FieldCol xs={24} md={8} name="appraisalBody" label={labels.appraisalBody} rules={[{ max: 100 }]}>
            <Input />
          </FieldCol>
          <ReasonCol />
        </Row>
      </Form>
    </FormDialog>
  );
}
