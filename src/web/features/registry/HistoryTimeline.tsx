import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Skeleton, Timeline } from 'antd';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import { type HistoryEntry, REG } from './api';

const ENTITY: Record<HistoryEntry['entity'], { zh: string; en: string }> = {
  household: { zh: '家庭', en: 'Household' },
  person: { zh: '成员', en: 'Member' },
  disability_cert: { zh: '残疾人证', en: 'Disability certificate' },
  income_item: { zh: '收入', en: 'Income' },
  property_item: { zh: '财产', en: 'Property' },
  membership: { zh: '户籍变动', en: 'Membership' },
};
const ACTION: Record<HistoryEntry['action'], { zh: string; en: string; color: string }> = {
  create: { zh: '新增', en: 'added', color: 'green' },
  update: { zh: '修改', en: 'changed', color: 'blue' },
  delete: { zh: '删除', en: 'removed', color: 'red' },
};
const fmt = (v: unknown) =>
  v === null || v === undefined || v === '' ? '（空）' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** The household's change history, newest first: who changed what, when and why (ID numbers stay masked). */
export function HistoryTimeline({ householdId }: { householdId: number }) {
  const { lang, t } = useI18n();
  const q = useQuery({
    queryKey: ['registry', 'household', String(householdId), 'history'],
    queryFn: () => api.get<{ items: HistoryEntry[] }>(REG.history(householdId)),
  });
  if (q.isLoading) return <Skeleton active />;
  if (q.error) return <Alert type="error" showIcon title={applyProblem(null, q.error)} />;
  const items = q.data?.items ?? [];
  if (!items.length) return <Empty description={t('没有变更记录', 'No changes recorded')} />;
  return (
    <Timeline
      data-testid="history"
      items={items.map((e, i) => ({
        key: `${e.at}-${e.entity}-${e.entityId}-${i}`,
        color: ACTION[e.action].color,
        content: (
          <div>
            <div>
              <strong>{new Date(e.at).toLocaleString('zh-CN')}</strong> · {ENTITY[e.entity][lang]}「{e.label}」
              {ACTION[e.action][lang]}
              {e.changedByName && ` · ${e.changedByName}`}
              {e.reason && (
                <span style={{ color: '#666' }}>
                  （{t('原因', 'reason')}：{e.reason}）
                </span>
              )}
            </div>
            {Object.keys(e.changes).length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, color: '#444' }}>
                {Object.entries(e.changes).map(([f, [before, after]]) => (
                  <li key={f}>
                    {f}：{fmt(before)} → {fmt(after)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ),
      }))}
    />
  );
}
