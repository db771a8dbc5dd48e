import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type BankLayout, FORMAT_LABELS, LAYOUT_FIELDS, type LayoutPreview } from './api';

export type Editing = { kind: 'create'; from?: BankLayout } | { kind: 'version'; layout: BankLayout } | null;

interface FormValues {
  code?: string;
  name: string;
  bankName?: string | null;
  format: 'csv' | 'fixed' | 'xlsx';
  encoding: 'utf-8' | 'gbk';
  header: boolean;
  note?: string | null;
  columns: { field: string; header?: string; width?: number; align?: 'left' | 'right'; pad?: ' ' | '0' }[];
}

const EMPTY: FormValues = {
  name: '',
  format: 'csv',
  encoding: 'utf-8',
  header: true,
  columns: [
    { field: 'seq', header: '序号' },
    { field: 'account', header: '账号' },
    { field: 'holder', header: '户名' },
    { field: 'amount_yuan', header: '金额' },
  ],
};

/**
 * Creating a bank file layout (or a copy of one), or changing one by a new version: its columns with width, alignment
 * and padding, and a live preview of the file on sample lines.
 */
export function LayoutDialog({ editing, onClose }: { editing: NonNullable<Editing>; onClose(saved: boolean): void }) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<LayoutPreview | null>(null);
  const source = editing.kind === 'version' ? editing.layout : editing.from;
  const initial: FormValues = source
    ? {
        name: editing.kind === 'create' ? `${source.name}（副本）` : source.name,
        bankName: source.bankName,
        format: source.format,
        encoding: source.encoding,
        header: source.header,
        note: source.note,
        columns: source.columns.map((c) => ({ ...c, pad: c.pad === '0' ? '0' : c.pad === ' ' ? ' ' : undefined })),
      }
    : EMPTY;
  const values = Form.useWatch([], form) as FormValues | undefined;
  const format = Form.useWatch('format', form) ?? initial.format;

  // Live preview: the server renders three sample payments with the generator itself (debounced).
  useEffect(() => {
    if (!values?.columns) return;
    const timer = setTimeout(() => {
      const { code: _c, ...body } = values;
      api
        .post<LayoutPreview>('/v1/rosters/bank-layouts/preview', clean(body))
        .then(setPreview)
        .catch((e) =>
          setPreview({
            problems: [{ field: '', code: 'request', message: applyProblem(null, e) ?? '' }],
            lines: [],
            byteLengths: [],
            rows: [],
          }),
        );
    }, 400);
    return () => clearTimeout(timer);
  }, [values]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      if (editing.kind === 'version') {
        const { code: _c, ...body } = v;
        await api.post(`/v1/rosters/bank-layouts/${editing.layout.id}/versions`, clean(body));
      } else await api.post('/v1/rosters/bank-layouts', clean(v));
      onClose(true);
    } catch (e) {
      setError(
        e instanceof ApiError && e.code === 'VERSION_CONFLICT'
          ? t('该格式已被他人修改，请关闭后刷新再改。', 'Changed by someone else meanwhile; close and reload.')
          : applyProblem(form, e),
      );
    } finally {
      setBusy(false);
    }
  };

  const fieldOptions = LAYOUT_FIELDS.map((f) => ({ value: f.value, label: f[lang] }));
  return (
    <Modal
      open
      width={1040}
      title={
        editing.kind === 'version'
          ? t(
              `修改格式 ${editing.layout.code}（将生成第 ${editing.layout.version + 1} 版）`,
              `Change ${editing.layout.code} (new version ${editing.layout.version + 1})`,
            )
          : t('新建银行代发文件格式', 'New bank file layout')
      }
      onOk={submit}
      onCancel={() => onClose(false)}
      confirmLoading={busy}
      okText={t('保存', 'Save')}
      cancelText={t('取消', 'Cancel')}
      destroyOnHidden
    >
      {editing.kind === 'version' && editing.layout.bankFiles > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            `该格式已用于 ${editing.layout.bankFiles} 份代发文件：保存后生成新版本，原版本保持不变，已生成的文件仍记录原版本。`,
            `Used by ${editing.layout.bankFiles} bank files: saving makes a new version; the old one stays as it was.`,
          )}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name="bankLayout" layout="vertical" initialValues={initial}>
        <Space wrap align="start">
          {editing.kind === 'create' && (
            <Form.Item
              name="code"
              label={t('格式代码', 'Code')}
              rules={[
                { required: true, message: t('请输入格式代码', 'Enter a code') },
                {
                  pattern: /^[a-z][a-z0-9_]{1,39}$/,
                  message: t('小写字母开头，2–40 位小写字母、数字或下划线', 'a–z first, 2–40 of a–z 0–9 _'),
                },
              ]}
            >
              <Input style={{ width: 180 }} placeholder="rcc_pingliang" />
            </Form.Item>
          )}
          <Form.Item
            name="name"
            label={t('名称', 'Name')}
            rules={[
              { required: true, whitespace: true, min: 2, message: t('请输入名称（至少 2 个字）', 'Enter a name') },
            ]}
          >
            <Input style={{ width: 280 }} />
          </Form.Item>
          <Form.Item name="bankName" label={t('银行（留空为通用）', 'Bank (empty: any)')}>
            <Input style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="format" label={t('文件类型', 'File type')}>
            <Radio.Group
              optionType="button"
              options={(['csv', 'fixed', 'xlsx'] as const).map((f) => ({ value: f, label: FORMAT_LABELS[f]![lang] }))}
              onChange={(e) => {
                if (e.target.value === 'xlsx') form.setFieldValue('encoding', 'utf-8');
              }}
            />
          </Form.Item>
          <Form.Item name="encoding" label={t('编码', 'Encoding')}>
            <Radio.Group
              optionType="button"
              disabled={format === 'xlsx'}
              options={[
                { value: 'utf-8', label: 'UTF-8' },
                { value: 'gbk', label: 'GBK' },
              ]}
            />
          </Form.Item>
          <Form.Item name="header" label={t('表头行', 'Header row')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        {format === 'fixed' && (
          <Typography.Paragraph type="secondary">
            {t(
              '定长文件的宽度按所选编码的字节计算：GBK 一个汉字 2 字节，UTF-8 一个汉字 3 字节。账号、金额、户名超宽时拒绝生成文件，不会截断；只有摘要会被截断。',
              'Widths count bytes of the encoding (a Chinese character: 2 in GBK, 3 in UTF-8). Accounts, amounts and names that do not fit refuse the file instead of being cut; only the remark is cut.',
            )}
          </Typography.Paragraph>
        )}
        <Form.List name="columns">
          {(fields, { add, remove, move }) => (
            <Card size="small" title={t('列（按文件中的顺序）', 'Columns (in file order)')}>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                  <span style={{ display: 'inline-block', width: 28, paddingTop: 5 }}>{i + 1}</span>
                  <Form.Item
                    name={[f.name, 'field']}
                    rules={[{ required: true, message: t('请选择字段', 'Choose a field') }]}
                  >
                    <Select style={{ width: 200 }} options={fieldOptions} placeholder={t('来源字段', 'Source field')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'header']}>
                    <Input style={{ width: 150 }} placeholder={t('列标题', 'Title')} />
                  </Form.Item>
                  {format === 'fixed' && (
                    <>
                      <Form.Item name={[f.name, 'width']}>
                        <InputNumber min={1} max={200} style={{ width: 110 }} placeholder={t('宽度(字节)', 'Width')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'align']}>
                        <Select
                          style={{ width: 100 }}
                          placeholder={t('对齐', 'Align')}
                          options={[
                            { value: 'left', label: t('左对齐', 'Left') },
                            { value: 'right', label: t('右对齐', 'Right') },
                          ]}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'pad']}>
                        <Select
                          style={{ width: 110 }}
                          placeholder={t('填充', 'Padding')}
                          options={[
                            { value: ' ', label: t('空格填充', 'Spaces') },
                            { value: '0', label: t('补零', 'Zeros') },
                          ]}
                        />
                      </Form.Item>
                    </>
                  )}
                  <Button
                    icon={<ArrowUpOutlined />}
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                    aria-label={t('上移', 'Up')}
                  />
                  <Button
                    icon={<ArrowDownOutlined />}
                    disabled={i === fields.length - 1}
                    onClick={() => move(i, i + 1)}
                    aria-label={t('下移', 'Down')}
                  />
                  <Button
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={t('删除', 'Remove')}
                  />
                </Space>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ field: 'remark', header: '' })}
                disabled={fields.length >= 30}
              >
                {t('添加列', 'Add a column')}
              </Button>
            </Card>
          )}
        </Form.List>
        <Form.Item name="note" label={t('说明', 'Note')} style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
      <Card size="small" title={t('预览（三笔示例数据，按该格式写出）', 'Preview (three sample payments as written)')}>
        {!preview ? (
          <Typography.Text type="secondary">{t('正在生成预览…', 'Rendering…')}</Typography.Text>
        ) : preview.problems.length ? (
          <Alert
            type="warning"
            showIcon
            title={t('格式有以下问题：', 'The layout has problems:')}
            description={
              <ul style={{ margin: 0 }}>
                {preview.problems.map((p) => (
                  <li key={`${p.field}-${p.code}-${p.message}`}>{p.message}</li>
                ))}
              </ul>
            }
          />
        ) : preview.rows.length ? (
          <Table
            size="small"
            pagination={false}
            rowKey={(_, i) => String(i)}
            showHeader={false}
            dataSource={preview.rows.map((r) => Object.fromEntries(r.map((c, i) => [`c${i}`, c])))}
            columns={(preview.rows[0] ?? []).map((_, i) => ({ dataIndex: `c${i}`, key: `c${i}` }))}
          />
        ) : (
          <pre data-testid="layout-preview" style={{ margin: 0, fontFamily: 'monospace', overflowX: 'auto' }}>
            {preview.lines.map((l, i) => (
              <div key={`line-${l}`}>
                {l.replaceAll(' ', '·')}
                {format === 'fixed' && (
                  <Typography.Text type="secondary">{`  ← ${preview.byteLengths[i]} ${t('字节', 'bytes')}`}</Typography.Text>
                )}
              </div>
            ))}
          </pre>
        )}
      </Card>
    </Modal>
  );
}

/** Drops the options a format does not use and empty strings, so the server sees what the user chose. */
function clean<T extends Omit<FormValues, 'code'> & { code?: string }>(v: T): T {
  return {
    ...v,
    bankName: v.bankName?.trim() ? v.bankName.trim() : null,
    note: v.note?.trim() ? v.note.trim() : null,
    encoding: v.format === 'xlsx' ? 'utf-8' : v.encoding,
    columns: (v.columns ?? []).map((c) => {
      const base = { field: c.field, ...(c.header?.trim() ? { header: c.header.trim() } : {}) };
      return v.format === 'fixed'
        ? {
            ...base,
            ...(c.width ? { width: c.width } : {}),
            ...(c.align ? { align: c.align } : {}),
            ...(c.pad ? { pad: c.pad } : {}),
          }
        : base;
    }),
  };
}
