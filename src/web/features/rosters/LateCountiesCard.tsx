import { useQuery } from '@tanstack/react-query';
import { Card, Tag } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import type { UpdateList } from './api';

/** Home dashboard: counties late with this month's update (S11 — counties that update late answer for it). */
export function LateCountiesCard() {
  const { t } = useI18n();
  const { can } = useAuth();
  const late = useQuery({
    queryKey: ['monthly-updates', 'late'],
    queryFn: () => api.get<UpdateList>('/v1/monthly-updates/late'),
    enabled: can('monthly_updates.read'),
    staleTime: 60_000,
  });
  if (!can('monthly_updates.read') || !late.data) return null;
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t(
        `${late.data.month} 更新滞后的区县（截止 ${late.data.deadline}）`,
        `Counties late for ${late.data.month} (deadline ${late.data.deadline})`,
      )}
      extra={<Link to="/monthly-updates">{t('详情', 'Details')}</Link>}
    >
      {late.data.items.length === 0
        ? t('全部区县按时更新', 'All counties are up to date')
        : late.data.items.map((c) => (
            <div key={c.countyCode} style={{ marginBottom: 4 }}>
              <strong>{c.countyName ?? c.countyCode}</strong>{' '}
              {c.reasons.map((r) => (
                <Tag key={r} color="red">
                  {r}
                </Tag>
              ))}
            </div>
          ))}
    </Card>
  );
}
