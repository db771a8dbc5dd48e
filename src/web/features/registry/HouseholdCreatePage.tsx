import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { RegionNode } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';
import { type HouseholdDetail, REG } from './api';
import { FieldCol, requiredText } from './fields';
import { idNumberRule } from './idRule';
import { HOUSING_RATING, HUKOU, options, RELATION } from './labels';

const villagesOnly = (r: RegionNode) => r.code.length === 12 && !r.retired;

/** New household with its members; the same checks as the server (ID numbers, one head) run before submitting. */
export default function HouseholdCreatePage() {
  const { lang, t } = useI18n();
  const nav = useNavigate();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: Record<string, any>) => {
    setBusy(true);
    setError(null);
    const n = (x: unknown) => (x === '' || x === undefined ? undefined : x);
    const housing = {
      structure: n(v.structure),
      rating: n(v.rating),
      appraisedOn: n(v.appraisedOn),
      appraisalBody: n(v.appraisalBody),
    };
    const body = {
      regionCode: v.regionCode,
      address: v.address,
      hukouType: v.hukouType,
      householdNo: n(v.householdNo),
      formedOn: n(v.formedOn),
      housing: Object.values(housing).some((x) => x !== undefined) ? housing : undefined,
      members: (v.members as Record<string, unknown>[]).map((m) =>
        Object.fromEntries(Object.entries(m).filter(([, x]) => x !== undefined && x !== '')),
      ),
      reason: n(v.reason),
    };
    try {
      const h = await api.post<HouseholdDetail>(REG.households, body);
      nav(`/registry/households/${h.id}`, { replace: true });
    } catch (e) {
      setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="jz-page-title">{t('新建家庭', 'New household')}</h1>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ hukouType: 'rural', members: [{ relation: 'head' }] }}
        scrollToFirstError
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Card title={t('家庭信息', 'Household')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={12}>
            <FieldCol
              xs={24}
              md={12}
              lg={8}
              name="regionCode"
              label={t('所在村（社区）', 'Village / community')}
              rules={[{ required: true, message: t('请选择村（社区）', 'Choose a village') }]}
            >
              <RegionPicker
                selectable={villagesOnly}
                style={{ width: '100%' }}
                placeholder={t('展开并选择村（社区）', 'Open the tree and choose a village')}
              />
            </FieldCol>
            <FieldCol
              xs={24}
              md={12}
              lg={10}
              name="address"
              label={t('地址', 'Address')}
              rules={requiredText(t('请输入地址', 'Enter the address'), 200)}
            >
              <Input />
            </FieldCol>
            <FieldCol
              xs={12}
              md={6}
              lg={6}
              name="hukouType"
              label={t('户籍性质', 'Hukou')}
              rules={[{ required: true }]}
            >
              <Select options={options(HUKOU, lang)} />
            </FieldCol>
            <FieldCol
              xs={12}
              md={6}
              lg={6}
              name="householdNo"
              label={t('户编号（可选）', 'Household no. (optional)')}
              rules={[{ max: 40 }]}
            >
              <Input />
            </FieldCol>
            <FieldCol xs={12} md={6} lg={6} name="formedOn" label={t('立户日期', 'Formed on')}>
              <Input type="date" />
            </FieldCol>
            <FieldCol xs={12} md={6} lg={4} name="structure" label={t('房屋结构', 'Structure')} rules={[{ max: 50 }]}>
              <Input />
            </FieldCol>
            <FieldCol xs={12} md={6} lg={4} name="rating" label={t('住房安全等级', 'Housing rating')}>
              <Select allowClear options={options(HOUSING_RATING, lang)} />
            </FieldCol>
            <FieldCol xs={12} md={6} lg={4} name="appraisedOn" label={t('鉴定日期', 'Appraised on')}>
              <Input type="date" />
            </FieldCol>
          </Row>
        </Card>
        <Card title={t('家庭成员', 'Members')} size="small" style={{ marginBottom: 16 }}>
          <Form.List
            name="members"
            rules={[
              {
                validator: async (_r, members: { relation?: string }[]) => {
                  const heads = (members ?? []).filter((m) => m?.relation === 'head').length;
                  if (heads !== 1) throw new Error(t('须有且只有一名户主', 'Exactly one member must be the head'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f, i) => (
                  <Row gutter={8} key={f.key} align="top">
                    <FieldCol
                      xs={24}
                      md={8}
                      name={[f.name, 'idNumber']}
                      label={i === 0 ? t('身份证号码', 'ID number') : undefined}
                      rules={[
                        { required: true, message: t('请输入身份证号码', 'Enter the ID number') },
                        idNumberRule(lang),
                      ]}
                    >
                      <Input
                        maxLength={18}
                        className="jz-mono"
                        placeholder={t('身份证号码', 'ID number')}
                        aria-label={t(`第 ${i + 1} 名成员的身份证号码`, `ID number of member ${i + 1}`)}
                      />
                    </FieldCol>
                    <FieldCol
                      xs={10}
                      md={6}
                      name={[f.name, 'name']}
                      label={i === 0 ? t('姓名', 'Name') : undefined}
                      rules={[{ required: true, whitespace: true, message: t('请输入姓名', 'Enter the name') }]}
                    >
                      <Input
                        placeholder={t('姓名', 'Name')}
                        aria-label={t(`第 ${i + 1} 名成员的姓名`, `Name of member ${i + 1}`)}
                      />
                    </FieldCol>
                    <FieldCol
                      xs={10}
                      md={6}
                      name={[f.name, 'relation']}
                      label={i === 0 ? t('与户主关系', 'Relation') : undefined}
                      rules={[{ required: true, message: t('请选择关系', 'Choose') }]}
                    >
                      <Select
                        options={options(RELATION, lang)}
                        aria-label={t(`第 ${i + 1} 名成员与户主关系`, `Relation of member ${i + 1}`)}
                      />
                    </FieldCol>
                    <Col xs={4} md={2} style={{ paddingTop: i === 0 ? 30 : 0 }}>
                      {fields.length > 1 && (
                        <Button
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('删除此成员', 'Remove this member')}
                          onClick={() => remove(f.name)}
                        />
                      )}
                    </Col>
                  </Row>
                ))}
                <Form.ErrorList errors={errors} />
                <Button icon={<PlusOutlined />} onClick={() => add({ relation: 'child' })}>
                  {t('添加成员', 'Add member')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('保存', 'Save')}
          </Button>
          <Button onClick={() => nav(-1)}>{t('取消', 'Cancel')}</Button>
        </Space>
      </Form>
    </>
  );
}
