import { DownloadOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Dropdown, Form, Input, InputNumber, Row, Select, Space, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { download } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';
import { type PersonFilters, type PersonListItem, REG } from './api';
import { codeText, householdLink, personColumns } from './columns';
import { FieldCol } from './fields';
import { idNumberRule } from './idRule';
import { KeysetTable, useKeysetList } from './KeysetTable';
import { DISABILITY, ENROLLMENT_STATUS, HOUSING_RATING, HUKOU, options, PROGRAMME, RELATION, SEX } from './labels';

const FILTER_KEYS = [
  'idNumber',
  'name',
  'regionCode',
  'disabilityType',
  'disabilityLevel',
  'hasDisability',
  'programme',
  'programmeStatus',
  'ageMin',
  'ageMax',
  'housingRating',
  'hukouType',
  'sex',
] as const;

/** Filters live in the URL, so a search can be bookmarked, shared and exported exactly as shown. */
function filtersFrom(params: URLSearchParams): PersonFilters {
  const f: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f as unknown as PersonFilters;
}

/** A filter column choosing one code of a table (or none). */
function CodeFilter({
  name,
  label,
  codes,
}: {
  name: (typeof FILTER_KEYS)[number];
  label: string;
  codes: Record<string, { zh: string; en: string }>;
}) {
  const { lang } = useI18n();
  return (
    <FieldCol xs={12} md={6} lg={4} name={name} label={label}>
      <Select allowClear options={options(codes, lang)} />
    </FieldCol>
  );
}

export default function RegistryListPage() {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const nav = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const [form] = Form.useForm();
  const keyset = useKeysetList<PersonListItem>(['registry', 'persons', filters], REG.persons, filters);
  const [exporting, setExporting] = useState(false);

  const search = (v: Record<string, unknown>) => {
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const x = v[k];
      if (x !== undefined && x !== null && String(x).trim() !== '') next.set(k, String(x).trim());
    }
    keyset.restart();
    setParams(next);
  };

  const doExport = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    try {
      const name = await download(REG.export, { query: { ...filters, format }, fallbackName: `registry.${format}` });
      message.success(t(`已导出 ${name}`, `Exported ${name}`));
    } catch (e) {
      message.error(applyProblem(null, e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          flexWrap: 'wrap',
          gap: 8,
          marginBottom: 16,
        }}
      >
        <h1 className="jz-page-title" style={{ margin: 0 }}>
          {t('家庭与人员', 'Households & persons')}
        </h1>
        <Space wrap>
          {can('registry.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/registry/households/new')}>
              {t('新建家庭', 'New household')}
            </Button>
          )}
          {can('registry.export') && (
            <Dropdown
              menu={{
                items: [
                  { key: 'xlsx', label: t('导出当前结果（Excel）', 'Export these results (Excel)') },
                  { key: 'csv', label: t('导出当前结果（CSV）', 'Export these results (CSV)') },
                ],
                onClick: (e) => void doExport(e.key as 'xlsx' | 'csv'),
              }}
            >
              <Button icon={<DownloadOutlined />} loading={exporting}>
                {t('导出', 'Export')}
              </Button>
            </Dropdown>
          )}
        </Space>
      </div>
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingBottom: 8 } }}>
        <Form
          form={form}
          layout="vertical"
          initialValues={filters}
          onFinish={search}
          aria-label={t('查询条件', 'Search filters')}
        >
          <Row gutter={12}>
            <FieldCol
              xs={24}
              md={12}
              lg={6}
              name="idNumber"
              label={t('身份证号码（精确）', 'ID number (exact)')}
              rules={[idNumberRule(lang)]}
            >
              <Input allowClear maxLength={18} className="jz-mono" />
            </FieldCol>
            <FieldCol xs={12} md={6} lg={4} name="name" label={t('姓名（前缀）', 'Name (starts with)')}>
              <Input allowClear maxLength={50} />
            </FieldCol>
            <FieldCol xs={12} md={6} lg={6} name="regionCode" label={t('区划', 'Region')}>
              <RegionPicker style={{ width: '100%' }} />
            </FieldCol>
            <CodeFilter name="programme" label={t('救助项目', 'Programme')} codes={PROGRAMME} />
            <CodeFilter name="programmeStatus" label={t('享受状态', 'Programme status')} codes={ENROLLMENT_STATUS} />
            <CodeFilter name="disabilityType" label={t('残疾类别', 'Disability type')} codes={DISABILITY} />
            <FieldCol xs={12} md={6} lg={3} name="disabilityLevel" label={t('残疾等级', 'Disability level')}>
              <Select
                allowClear
                options={[1, 2, 3, 4].map((n) => ({ value: String(n), label: t(`${n} 级`, `Level ${n}`) }))}
              />
            </FieldCol>
            <Col xs={12} md={6} lg={5}>
              <Form.Item label={t('年龄段', 'Age band')} style={{ marginBottom: 0 }}>
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="ageMin" noStyle>
                    <InputNumber
                      min={0}
                      max={150}
                      placeholder={t('最小', 'from')}
                      aria-label={t('最小年龄', 'Minimum age')}
                      style={{ width: '50%' }}
                    />
                  </Form.Item>
                  <Form.Item name="ageMax" noStyle>
                    <InputNumber
                      min={0}
                      max={150}
                      placeholder={t('最大', 'to')}
                      aria-label={t('最大年龄', 'Maximum age')}
                      style={{ width: '50%' }}
                    />
                  </Form.Item>
                </Space.Compact>
              </Form.Item>
            </Col>
            <CodeFilter name="housingRating" label={t('住房等级', 'Housing rating')} codes={HOUSING_RATING} />
            <CodeFilter name="hukouType" label={t('户籍性质', 'Hukou')} codes={HUKOU} />
            <CodeFilter name="sex" label={t('性别', 'Sex')} codes={SEX} />
            <Col xs={24} style={{ display: 'flex', gap: 8, marginBottom: 16 }}>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('查询', 'Search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  form.setFieldsValue(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
                  search({});
                }}
              >
                {t('重置', 'Reset')}
              </Button>
            </Col>
          </Row>
        </Form>
      </Card>
      <KeysetTable<PersonListItem>
        keyset={keyset}
        rowKey="id"
        scrollX={1050}
        testId="person-results"
        emptyText={t('没有符合条件的人员', 'No matching persons')}
        unit={{ zh: '人', en: 'persons' }}
        columns={[
          {
            title: t('姓名', 'Name'),
            dataIndex: 'name',
            fixed: 'left',
            width: 110,
            render: (n: string, p) => (p.householdId ? householdLink(p.householdId, n) : n),
          },
          ...personColumns<PersonListItem>(lang, t),
          {
            title: t('与户主关系', 'Relation'),
            dataIndex: 'relation',
            width: 100,
            render: codeText(RELATION, lang),
          },
          { title: t('村（社区）', 'Village'), dataIndex: 'regionName', width: 140, ellipsis: true },
          { title: t('地址', 'Address'), dataIndex: 'address', ellipsis: true },
          {
            title: t('残疾', 'Disability'),
            width: 110,
            render: (_: unknown, p) =>
              p.disabilityType
                ? `${DISABILITY[p.disabilityType][lang]}${p.disabilityLevel ? t(` ${p.disabilityLevel}级`, ` L${p.disabilityLevel}`) : ''}`
                : '—',
          },
          {
            title: t('住房', 'Housing'),
            dataIndex: 'housingRating',
            width: 70,
            render: (r: string | null) => (r ? <Tag color={r === 'C' || r === 'D' ? 'red' : undefined}>{r}</Tag> : '—'),
          },
          {
            title: t('享受救助', 'Programmes'),
            dataIndex: 'programmes',
            width: 170,
            render: (ps: (keyof typeof PROGRAMME)[]) =>
              ps.length
                ? ps.map((p) => (
                    <Tag key={p} color="volcano">
                      {PROGRAMME[p][lang]}
                    </Tag>
                  ))
                : '—',
          },
        ]}
      />
    </>
  );
}
