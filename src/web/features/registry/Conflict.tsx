import { Alert, Button, Modal, Space, Table } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../app/i18n';

export interface ConflictState {
  /** The values the user tried to save, by field */
  mine: Record<string, unknown>;
  /** Field labels for the comparison */
  labels: Record<string, string>;
  /** Loads the record as the server has it now (same field names) */
  loadTheirs: () => Promise<Record<string, unknown>>;
  /** Shows a coded value in words (relation `head` → 户主) */
  format?: (field: string, value: unknown) => string | undefined;
}

const show = (v: unknown) =>
  v === undefined || v === null || v === '' ? '—' : typeof v === 'boolean' ? (v ? '是' : '否') : String(v);

/**
 * Optimistic-concurrency conflict (409 VERSION_CONFLICT): "该记录已被他人修改 — 重新加载 / 对比".
 * Reload drops the user's edits and shows the server's record; compare lists the user's values next to the server's.
 */
export function ConflictDialog({
  conflict,
  onReload,
  onClose,
}: {
  conflict: ConflictState;
  onReload(): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [theirs, setTheirs] = useState<Record<string, unknown> | null>(null);
  const [loading, setLoading] = useState(false);
  const compare = async () => {
    setLoading(true);
    try {
      setTheirs(await conflict.loadTheirs());
    } finally {
      setLoading(false);
    }
  };
  const fmt = (k: string, v: unknown) => conflict.format?.(k, v) ?? show(v);
  // Only the fields where the user's value and the current one differ.
  const rows = Object.keys(conflict.mine)
    .filter((k) => conflict.labels[k])
    .map((k) => ({
      field: k,
      label: conflict.labels[k],
      mine: fmt(k, conflict.mine[k]),
      theirs: theirs ? fmt(k, theirs[k]) : '',
    }))
    .filter((r) => r.mine !== r.theirs);
  return (
    <Modal
      open
      title={t('该记录已被他人修改', 'Someone else changed this record')}
      onCancel={onClose}
      width={640}
      footer={
        <Space>
          <Button onClick={onClose}>{t('取消', 'Cancel')}</Button>
          <Button onClick={compare} loading={loading} disabled={!!theirs} data-testid="conflict-compare">
            {t('对比', 'Compare')}
          </Button>
          <Button type="primary" onClick={onReload} data-testid="conflict-reload">
            {t('重新加载', 'Reload')}
          </Button>
        </Space>
      }
    >
      <Alert
        type="warning"
        showIcon
        data-testid="conflict-alert"
        title={t('该记录已被他人修改 — 重新加载 / 对比', 'This record was changed by someone else — reload / compare')}
        description={t(
          '您打开后，其他人已保存了新的内容。您的修改尚未保存。可重新加载最新数据后再修改，或对比您的填写与当前数据。',
          'Since you opened it, someone saved a newer version. Your edits were not saved. Reload the latest data and edit again, or compare your values with the current ones.',
        )}
        style={{ marginBottom: 12 }}
      />
      {theirs && rows.length === 0 && (
        <Alert
          type="info"
          showIcon
          title={t('您的填写与当前数据一致，重新加载即可。', 'Your values equal the current ones; just reload.')}
        />
      )}
      {theirs && rows.length > 0 && (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          data-testid="conflict-diff"
          columns={[
            { title: t('字段', 'Field'), dataIndex: 'label' },
            { title: t('您的填写', 'Your value'), dataIndex: 'mine' },
            {
              title: t('当前数据', 'Current value'),
              dataIndex: 'theirs',
              render: (v: string) => <strong style={{ color: '#b8322a' }}>{v}</strong>,
            },
          ]}
        />
      )}
    </Modal>
  );
}
