import { CopyOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { StatusToggle } from '../../app/StatusToggle';
import { type BankLayout, FORMAT_LABELS, LAYOUT_FIELDS } from './api';
import { type Editing, LayoutDialog } from './BankLayoutDialog';

/** Bank file layouts (代发文件格式): list, create, change by a new version, disable (county approver, admin). */
export default function BankLayoutsPage() {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Editing>(null);
  const list = useQuery({
    queryKey: ['bank-layouts', 'all'],
    queryFn: () => api.get<{ items: BankLayout[] }>('/v1/rosters/bank-layouts', { query: { includeDisabled: true } }),
  });
  const manage = can('bank_layouts.manage');
  const setStatus = async (l: BankLayout, to: 'disable' | 'enable') => {
    try {
      await api.post(`/v1/rosters/bank-layouts/${l.id}/${to}`);
      message.success(to === 'disable' ? t('已停用', 'Disabled') : t('已启用', 'Enabled'));
      await qc.invalidateQueries({ queryKey: ['bank-layouts'] });
    } catch (e) {
      message.error(applyProblem(null, e));
    }
  };

  return (
    <>
      <h1 className="jz-page-title">{t('银行代发文件格式', 'Bank file layouts')}</h1>
      <Typography.Paragraph type="secondary">
        {t(
          '每家银行的代发文件格式：CSV、定长文本或 Excel。修改格式会生成新版本，已生成的代发文件仍记录当时使用的版本；系统内置格式只读，可复制后修改。',
          'One layout per bank: CSV, fixed width or Excel. A change makes a new version; bank files already produced keep the version they used. Built-in layouts are read-only — copy one to change it.',
        )}
      </Typography.Paragraph>
      {manage && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => setEditing({ kind: 'create' })}
        >
          {t('新建格式', 'New layout')}
        </Button>
      )}
      {list.error && <Alert type="error" showIcon title={applyProblem(null, list.error)} />}
      <Table<BankLayout>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('格式', 'Layout'),
            render: (_: unknown, l) => (
              <Space orientation="vertical" size={0}>
                <span>{l.name}</span>
                <Typography.Text type="secondary" code>
                  {l.code}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('银行', 'Bank'), dataIndex: 'bankName', render: (v: string | null) => v ?? t('通用', 'Any') },
          {
            title: t('文件', 'File'),
            render: (_: unknown, l) =>
              `${FORMAT_LABELS[l.format]?.[lang] ?? l.format} · ${l.encoding.toUpperCase()} · ${
                l.header ? t('有表头', 'header') : t('无表头', 'no header')
              }`,
          },
          {
            title: t('列', 'Columns'),
            render: (_: unknown, l) =>
              l.columns
                .map((c) => {
                  const f = LAYOUT_FIELDS.find((x) => x.value === c.field);
                  const name = c.header ?? f?.[lang] ?? c.field;
                  return l.format === 'fixed' ? `${name}(${c.width})` : name;
                })
                .join('、'),
          },
          { title: t('版本', 'Version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (s: BankLayout['status']) =>
              s === 'active' ? <Tag color="green">{t('启用', 'Active')}</Tag> : <Tag>{t('已停用', 'Disabled')}</Tag>,
          },
          {
            title: t('归属', 'Owner'),
            dataIndex: 'regionCode',
            render: (r: string) => (r ? r : <Tag color="blue">{t('系统内置', 'Built-in')}</Tag>),
          },
          { title: t('已生成文件', 'Files'), dataIndex: 'bankFiles' },
          {
            title: '',
            render: (_: unknown, l) =>
              manage && (
                <Space size={4} wrap>
                  {l.manageable && (
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => setEditing({ kind: 'version', layout: l })}
                    >
                      {t('修改', 'Change')}
                    </Button>
                  )}
                  <Button size="small" icon={<CopyOutlined />} onClick={() => setEditing({ kind: 'create', from: l })}>
                    {t('复制', 'Copy')}
                  </Button>
                  {l.manageable && (
                    <StatusToggle
                      active={l.status === 'active'}
                      confirm={t(
                        '停用后不能再用它生成代发文件，确定停用？',
                        'Disable? It can no longer produce files.',
                      )}
                      onChange={(to) => setStatus(l, to)}
                    />
                  )}
                </Space>
              ),
          },
        ]}
      />
      {editing && (
        <LayoutDialog
          editing={editing}
          onClose={async (saved) => {
            setEditing(null);
            if (saved) {
              message.success(t('格式已保存', 'Layout saved'));
              await qc.invalidateQueries({ queryKey: ['bank-layouts'] });
            }
          }}
        />
      )}
    </>
  );
}
