import { StopOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Popconfirm } from 'antd';
import { useI18n } from './i18n';

/**
 * Disable (after a confirmation saying what stops working) or enable again — for records that are switched off,
 * never deleted: API clients, bank file layouts.
 */
export function StatusToggle({
  active,
  confirm,
  onChange,
}: {
  active: boolean;
  /** What disabling does, asked before it is done. */
  confirm: string;
  onChange: (to: 'disable' | 'enable') => void;
}) {
  const { t } = useI18n();
  return active ? (
    <Popconfirm title={confirm} onConfirm={() => onChange('disable')}>
      <Button size="small" danger icon={<StopOutlined />}>
        {t('停用', 'Disable')}
      </Button>
    </Popconfirm>
  ) : (
    <Button size="small" icon={<UndoOutlined />} onClick={() => onChange('enable')}>
      {t('启用', 'Enable')}
    </Button>
  );
}
