import { HistoryOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Card, Result, Skeleton } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, type PersonView, REG } from './api';
import type { ConflictState } from './Conflict';
import { HistoryTimeline } from './HistoryTimeline';
import { HouseholdDialogs, type OpenDialog } from './HouseholdDialogs';
import { HouseholdHeader } from './HouseholdHeader';
import { HouseholdInfoCard } from './HouseholdInfoCard';
import { ItemCards, ProgrammesCard } from './ItemCards';
import { MembershipTable } from './MemberActions';
import { MembersCard } from './MembersCard';

export default function HouseholdPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [conflict, setConflict] = useState<ConflictState | null>(null);
  const [revealed, setRevealed] = useState<Record<number, string>>({});
  const [account, setAccount] = useState<string | null>(null);
  const key = ['registry', 'household', id, asOf ?? null];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<HouseholdDetail>(REG.household(id!), { query: { asOf } }),
  });
  const reload = () => qc.invalidateQueries({ queryKey: ['registry', 'household', id] });

  if (q.error) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return (
        <Result
          status="404"
          title={t('未找到该家庭', 'Household not found')}
          subTitle={t('该记录不存在，或不在您的管辖范围内。', 'It does not exist or is outside your area.')}
          extra={<Link to="/registry">{t('返回台账', 'Back to the registry')}</Link>}
          data-testid="household-not-found"
        />
      );
    }
    return <Alert type="error" showIcon title={applyProblem(null, q.error)} />;
  }
  if (!q.data) return <Skeleton active />;
  const h = q.data;
  const writable = can('registry.write') && !asOf && h.status === 'active';
  const canReveal = can('pii.reveal') && !asOf;
  const nameOf = (pid: number | null) =>
    pid ? (h.members.find((m) => m.id === pid)?.name ?? `#${pid}`) : t('全户', 'Household');

  const revealId = (p: PersonView) =>
    modal.confirm({
      title: t(`查看 ${p.name} 的完整身份证号码？`, `Show the full ID number of ${p.name}?`),
      content: t('查看完整号码将记入审计日志。', 'Viewing the full number is recorded in the audit trail.'),
      okText: t('查看', 'Show'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        try {
          const r = await api.post<{ id: number; idNumber: string }>(REG.revealId(p.id), {});
          setRevealed((x) => ({ ...x, [p.id]: r.idNumber }));
        } catch (e) {
          message.error(applyProblem(null, e));
        }
      },
    });

  return (
    <div data-testid="household-page">
      <HouseholdHeader
        household={h}
        asOf={asOf}
        writable={writable}
        onEdit={() => setDialog({ kind: 'household' })}
        onDissolve={() => setDialog({ kind: 'dissolve' })}
      />
      <HouseholdInfoCard
        household={h}
        writable={writable}
        canReveal={canReveal}
        account={account}
        onAccountRevealed={setAccount}
        onSetAccount={() => setDialog({ kind: 'account' })}
      />

      <MembersCard
        household={h}
        writable={writable}
        canReveal={canReveal}
        revealed={revealed}
        onReveal={revealId}
        onAdd={() => setDialog({ kind: 'member', person: null })}
        onAction={(p, a) => setDialog(a === 'edit' ? { kind: 'member', person: p } : { kind: a, person: p })}
      />

      <ItemCards household={h} writable={writable} nameOf={nameOf} onEdit={setDialog} reload={reload} />

      <ProgrammesCard household={h} nameOf={nameOf} />

      <Card title={t('迁入迁出记录', 'Stays in the household')} size="small" style={{ marginBottom: 16 }}>
        <MembershipTable household={h} />
      </Card>

      <Card
        title={
          <>
            <HistoryOutlined /> {t('变更记录', 'History')}
          </>
        }
        size="small"
        className="jz-history"
      >
        <HistoryTimeline householdId={h.id} />
      </Card>

      <HouseholdDialogs
        household={h}
        open={dialog}
        conflict={conflict}
        onClosed={() => setDialog(null)}
        onConflict={setConflict}
        onConflictClosed={() => setConflict(null)}
        onIdCorrected={(personId) => setRevealed(({ [personId]: _old, ...rest }) => rest)}
        reload={reload}
      />
    </div>
  );
}
