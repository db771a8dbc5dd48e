import { Alert, Button, Space, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../app/i18n';

/**
 * The result of a recipient's review on the case page (特困 yearly review, disability subsidy review): the outcome as
 * a tag, what changes, the reasons found with their citations, and the one action the outcome leads to — apply it
 * (continue / adjust) or go to the termination / stop dialog.
 */
export function ReviewResultAlert({
  on,
  outcome,
  kind,
  change,
  reasons,
  action,
  testId,
}: {
  on: string;
  outcome: { label: string; color: string };
  /** 'end' when the review found the support must end, 'keep' when it continues unchanged, else 'change'. */
  kind: 'keep' | 'change' | 'end';
  change?: ReactNode;
  reasons: Array<{ key: string; text: string; citation: string }>;
  action?: { label: string; danger?: boolean; onClick: () => void };
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Alert
      style={{ margin: '12px 0' }}
      type={kind === 'end' ? 'error' : kind === 'keep' ? 'success' : 'warning'}
      showIcon
      data-testid={testId}
      title={
        <Space wrap>
          {t(`复核（${on}）结果：`, `Review (${on}): `)}
          <Tag color={outcome.color}>{outcome.label}</Tag>
          {change}
        </Space>
      }
      description={
        reasons.length ? (
          <ul style={{ margin: 0 }}>
            {reasons.map((x) => (
              <li key={x.key}>
                {x.text}（{x.citation}）
              </li>
            ))}
          </ul>
        ) : undefined
      }
      action={
        action && (
          <Button type={action.danger ? 'default' : 'primary'} danger={action.danger} onClick={action.onClick}>
            {action.label}
          </Button>
        )
      }
    />
  );
}
