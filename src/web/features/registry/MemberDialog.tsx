import { Alert, Button, Checkbox, Form, Input, Row, Select } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { useI18n } from '../../app/i18n';
import { type PersonView, REG } from './api';
import type { ConflictState } from './Conflict';
import { FieldCol, ReasonCol, requiredText } from './fields';
import { FormDialog, useFormDialog } from './FormDialog';
import { idNumberRule } from './idRule';
import { HEALTH, LABOUR, options, RELATION, STUDENT } from './labels';

const EDITABLE = [
  'name',
  'relation',
  'phone',
  'ethnicity',
  'education',
  'studentStatus',
  'health',
  'graveIllness',
  'labourCapacity',
  'hukouLocal',
  'deathDate',
] as const;

export function memberLabels(t: (zh: string, en: string) => string): Record<string, string> {
  return {
    idNumber: t('身份证号码', 'ID number'),
    name: t('姓名', 'Name'),
    relation: t('与户主关系', 'Relation to head'),
    phone: t('联系电话', 'Phone'),
    ethnicity: t('民族', 'Ethnicity'),
    education: t('文化程度', 'Education'),
    studentStatus: t('在校情况', 'Student status'),
    health: t('健康状况', 'Health'),
    graveIllness: t('重病', 'Grave illness'),
    labourCapacity: t('劳动能力', 'Labour capacity'),
    hukouLocal: t('本地户籍', 'Local hukou'),
    deathDate: t('死亡日期', 'Date of death'),
    reason: t('变更原因', 'Reason'),
  };
}

/** Edit a member (PATCH with the version read) or add a new one (the ID number checked in the browser first). */
export function MemberDialog(props: {
  householdId: number;
  person: PersonView | null;
  onClose(saved: boolean): void;
  onConflict(c: ConflictState): void;
}) {
  const { lang, t } = useI18n();
  const { form, error, busy, save, showProblem } = useFormDialog();
  // Adding: the ID number is already registered in the user's area — offer to take that person in instead.
  const [existing, setExisting] = useState<{ personId: number; householdId: number | null } | null>(null);
  const p = props.person;
  const labels = memberLabels(t);
  const initial = p
    ? Object.fromEntries(EDITABLE.map((k) => [k, p[k] ?? undefined]))
    : { relation: 'child', hukouLocal: true, graveIllness: false };

  const submit = async () => {
    const v = await form.validateFields();
    const clean = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x])) as Record<
      string,
      unknown
    >;
    if (!clean.reason) delete clean.reason;
    await save(
      async () => {
        if (p) {
          // Only the fields that changed are sent, with the version the form was opened at.
          const changed = Object.fromEntries(
            Object.entries(clean).filter(
              ([k, x]) => k === 'reason' || (x ?? null) !== ((p as Record<string, unknown>)[k] ?? null),
            ),
          );
          await api.patch(REG.person(p.id), { ...changed, version: p.version });
        } else {
          const { relation, reason, ...person } = clean;
          for (const k of Object.keys(person)) if (person[k] === null || person[k] === undefined) delete person[k];
          await api.post(`${REG.household(props.householdId)}/members`, {
            person,
            relation,
            ...(reason ? { reason } : {}),
          });
        }
        props.onClose(true);
      },
      {
        onConflict: p
          ? () => {
              props.onConflict({
                mine: clean,
                labels,
                format: (k, v) => {
                  const table = { relation: RELATION, studentStatus: STUDENT, health: HEALTH, labourCapacity: LABOUR }[
                    k as 'relation'
                  ] as Record<string, { zh: string; en: string }> | undefined;
                  return table && typeof v === 'string' ? table[v]?.[lang] : undefined;
                },
                loadTheirs: async () => {
                  const cur = await api.get<PersonView>(REG.person(p.id));
                  return cur as unknown as Record<string, unknown>;
                },
              });
              props.onClose(false);
            }
          : undefined,
        onError: (e) => {
          if (!p && e instanceof ApiError && e.code === 'DUPLICATE') {
            const found = (e.problem.existingPersons as Array<{ personId: number; householdId: number | null }>) ?? [];
            setExisting(found[0] && found[0].householdId !== props.householdId ? found[0] : null);
          }
          showProblem(e);
        },
      },
    );
  };

  /** Takes the already registered person into this household (a recorded move when they belong to another one). */
  const takeIn = async () => {
    if (!existing) return;
    const v = form.getFieldsValue(['relation', 'reason']) as { relation?: string; reason?: string };
    await save(
      async () => {
        await api.post(`${REG.household(props.householdId)}/members`, {
          personId: existing.personId,
          relation: v.relation ?? 'other',
          ...(v.reason ? { reason: v.reason } : {}),
        });
        props.onClose(true);
      },
      { keepError: true },
    );
  };

  return (
    <FormDialog
      width={720}
      title={p ? t(`修改成员：${p.name}`, `Edit member: ${p.name}`) : t('添加家庭成员', 'Add a member')}
      busy={busy}
      error={error}
      onOk={submit}
      onCancel={() => props.onClose(false)}
    >
      {existing && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            existing.householdId
              ? t(
                  `该人员已登记在家庭户 #${existing.householdId}。可将其迁入本户（按所选关系与原因记录迁移）。`,
                  `This person belongs to household #${existing.householdId}. You can move them into this household.`,
                )
              : t(
                  '该人员已登记，当前无所属家庭户。可将其加入本户（按所选关系与原因记录）。',
                  'This person is registered without a household. You can add them to this household.',
                )
          }
          action={
            <Button size="small" type="primary" loading={busy} onClick={takeIn} data-testid="take-in-existing">
              {existing.householdId ? t('迁入本户', 'Move in') : t('加入本户', 'Add to household')}
            </Button>
          }
        />
      )}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Row gutter={12}>
          {!p && (
            <FieldCol
              xs={24}
              md={12}
              name="idNumber"
              label={labels.idNumber}
              rules={[{ required: true, message: t('请输入身份证号码', 'Enter the ID number') }, idNumberRule(lang)]}
            >
              <Input maxLength={18} className="jz-mono" />
            </FieldCol>
          )}
          <FieldCol
            xs={12}
            md={p ? 8 : 6}
            name="name"
            label={labels.name}
            rules={requiredText(t('请输入姓名', 'Enter the name'), 50)}
          >
            <Input />
          </FieldCol>
          <FieldCol xs={12} md={p ? 8 : 6} name="relation" label={labels.relation} rules={[{ required: true }]}>
            <Select options={options(RELATION, lang)} />
          </FieldCol>
          <FieldCol
            xs={12}
            md={8}
            name="phone"
            label={labels.phone}
            rules={[{ pattern: /^[0-9+\-() ]{5,20}$/, message: t('电话号码格式不正确', 'Invalid phone number') }]}
          >
            <Input inputMode="tel" />
          </FieldCol>
          <FieldCol xs={12} md={8} name="ethnicity" label={labels.ethnicity} rules={[{ max: 20 }]}>
            <Input />
          </FieldCol>
          <FieldCol xs={12} md={8} name="education" label={labels.education} rules={[{ max: 30 }]}>
            <Input />
          </FieldCol>
          <FieldCol xs={12} md={8} name="studentStatus" label={labels.studentStatus}>
            <Select allowClear options={options(STUDENT, lang)} />
          </FieldCol>
          <FieldCol xs={12} md={8} name="health" label={labels.health}>
            <Select allowClear options={options(HEALTH, lang)} />
          </FieldCol>
          <FieldCol xs={12} md={8} name="labourCapacity" label={labels.labourCapacity}>
            <Select allowClear options={options(LABOUR, lang)} />
          </FieldCol>
          <FieldCol xs={12} md={8} name="deathDate" label={labels.deathDate}>
            <Input type="date" />
          </FieldCol>
          <FieldCol xs={12} md={8} name="hukouLocal" valuePropName="checked" label=" ">
            <Checkbox>{labels.hukouLocal}</Checkbox>
          </FieldCol>
          <FieldCol xs={12} md={8} name="graveIllness" valuePropName="checked" label=" ">
            <Checkbox>{labels.graveIllness}</Checkbox>
          </FieldCol>
          <ReasonCol placeholder={t('例如：入户核查更正', 'e.g. corrected after a home visit')} />
        </Row>
      </Form>
    </FormDialog>
  );
}
