import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useT } from '../../app/i18n';
import { POLICY, type Parameter, type ParameterDef, showValue } from './api';

/** Policy parameters with their history and sources (issue 6 item 1): rows are never rewritten, a new value is a new row. */
export default function ParametersPage() {
  const t = useT();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [programme, setProgramme] = useState<string | undefined>();
  const [key, setKey] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const catalogue = useQuery({
    queryKey: ['policy', 'catalogue'],
    queryFn: () => api.get<{ items: ParameterDef[] }>(POLICY.catalogue),
  });
  const list = useQuery({
    queryKey: ['policy', 'parameters', programme, key],
    queryFn: () => api.get<{ items: Parameter[] }>(POLICY.parameters, { query: { programme, key, limit: 500 } }),
  });
  const create = useMutation({
    mutationFn: (v: Record<string, unknown>) => api.post<Parameter>(POLICY.parameters, v),
    onSuccess: () => {
      setOpen(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['policy', 'parameters'] });
    },
    onError: (e) => setError(applyProblem(form, e)),
  });
  const defs = catalogue.data?.items ?? [];
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Card
      title={t('政策参数', 'Policy parameters')}
      extra={
        can('parameters.manage') ? (
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('新增参数（按生效日期）', 'New value (from a date)')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '县级参数优先于市级，市级优先于省级；按评估日期取当时生效的参数。参数从不改写：新的取值从生效日期起新增一条，原记录在该日失效。标注“本地配置”的为部署默认值，请按当地文件修改。',
          'County values override city values, which override province values; evaluation uses the values in force on its date. Rows are never rewritten: a new value is a new row from its date. Values marked as local settings are deployment defaults.',
        )}
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder={t('项目', 'Programme')}
          style={{ width: 160 }}
          value={programme}
          onChange={setProgramme}
          options={['disability', 'tekun', 'dibao'].map((p) => ({
            value: p,
            label: {
              disability: t('残疾人两项补贴', 'Disability subsidies'),
              tekun: t('特困', 'Special hardship'),
              dibao: t('低保', 'Dibao'),
            }[p],
          }))}
        />
        <Select
          allowClear
          showSearch
          placeholder={t('参数（查看历史）', 'Parameter (history)')}
          style={{ width: 340 }}
          value={key}
          onChange={setKey}
          options={defs
            .filter((d) => !programme || d.programme === programme)
            .map((d) => ({ value: d.key, label: `${d.zh}（${d.key}）` }))}
        />
      </Space>
      <Table<Parameter>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          {
            title: t('参数', 'Parameter'),
            render: (_, p) => (
              <span>
                {p.nameZh ?? p.key}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.programme}.{p.key}
                </Typography.Text>
              </span>
            ),
          },
          { title: t('区划', 'Region'), render: (_, p) => `${p.regionName ?? ''} ${p.regionCode}` },
          {
            title: t('取值', 'Value'),
            render: (_, p) => (
              <Typography.Text style={{ maxWidth: 260 }} ellipsis={{ tooltip: showValue(p.key, p.value) }}>
                {showValue(p.key, p.value)}
              </Typography.Text>
            ),
          },
          {
            title: t('生效期间', 'Effective'),
            render: (_, p) => {
              const inForce = p.effectiveFrom <= today && (!p.effectiveTo || today < p.effectiveTo);
              return (
                <span>
                  {p.effectiveFrom} ～ {p.effectiveTo ?? t('至今', 'open')}{' '}
                  {inForce ? <Tag color="green">{t('生效中', 'in force')}</Tag> : null}
                </span>
              );
            },
          },
          {
            title: t('来源', 'Source'),
            render: (_, p) => (
              <span>
                {p.sourceDocument}
                <br />
                <Typography.Text type="secondary">{p.sourceArticle}</Typography.Text>
                {p.note ? (
                  <>
                    <br />
                    <Typography.Text type="warning">{p.note}</Typography.Text>
                  </>
                ) : null}
              </span>
            ),
          },
          { title: t('录入', 'By'), render: (_, p) => p.createdBy ?? t('系统默认', 'default') },
        ]}
      />
      <Modal
        open={open}
        title={t('新增参数', 'New parameter value')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => {
            setError(null);
            const def = defs.find((d) => d.key === v.key);
            let value: unknown = v.value;
            try {
              value =
                def && ['nursing_table', 'funding_percent', 'care_tiers'].includes(def.kind)
                  ? JSON.parse(v.value)
                  : Number(v.value);
            } catch {
              value = v.value;
            }
            create.mutate({ ...v, programme: def?.programme, value, effectiveTo: v.effectiveTo || null });
          }}
        >
          <Form.Item name="key" label={t('参数', 'Parameter')} rules={[{ required: true }]}>
            <Select showSearch options={defs.map((d) => ({ value: d.key, label: `${d.zh}（${d.citation}）` }))} />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label={t('区划代码（省2位/市4位/县6位）', 'Region code (2/4/6 digits)')}
            rules={[{ required: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="value"
            label={t('取值（金额以分为单位；表格类参数为 JSON）', 'Value (money in fen; tables as JSON)')}
            rules={[{ required: true }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="effectiveFrom" label={t('生效日期', 'Effective from')} rules={[{ required: true }]}>
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="effectiveTo" label={t('失效日期（可空）', 'Effective to (optional)')}>
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="sourceDocument" label={t('来源文件', 'Source document')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="sourceArticle" label={t('条款', 'Article')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="note" label={t('备注', 'Note')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
