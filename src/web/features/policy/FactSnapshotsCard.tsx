import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Progress, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth, useMe } from '../../app/auth';
import { useT } from '../../app/i18n';
import type { ImportJob } from '../imports/api';
import { type FactSnapshot, POLICY } from './api';

/**
 * Policy fact snapshots (migration 0012): what the what-if reads instead of joining the registry. Lists the counties'
 * snapshots and, for roles with `policy.snapshot`, builds one for a date as a background job with progress.
 * `onBuilt` is told the newest snapshot date (on load and after a build), to offer it as the simulation date.
 */
export function FactSnapshotsCard({ regionCode, onBuilt }: { regionCode: string; onBuilt?: (asOf: string) => void }) {
  const t = useT();
  const me = useMe();
  const { can } = useAuth();
  const qc = useQueryClient();
  const region = regionCode || me.user.region.code.slice(0, 6);
  const [asOf, setAsOf] = useState('');
  const [jobId, setJobId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['policy', 'snapshots', region],
    queryFn: () => api.get<{ items: FactSnapshot[] }>(POLICY.snapshots, { query: { regionCode: region } }),
    enabled: /^\d{2}(\d{2}(\d{2})?)?$/.test(region),
  });
  // The newest snapshot date is the natural date to simulate on (the what-if then reads the snapshot).
  const newest = list.data?.items[0]?.asOf;
  useEffect(() => {
    if (newest) onBuilt?.(newest);
  }, [newest, onBuilt]);
  const job = useQuery({
    queryKey: ['policy', 'snapshot-job', jobId],
    enabled: jobId !== null,
    queryFn: async () => {
      const j = await api.get<ImportJob>(POLICY.job(jobId!));
      if (j.status === 'succeeded') {
        await qc.invalidateQueries({ queryKey: ['policy', 'snapshots'] });
        const built = (j.result as { asOf?: string } | null)?.asOf;
        if (built) onBuilt?.(built);
      }
      return j;
    },
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'queued' || q.state.data.status === 'running') ? 800 : false,
  });
  const build = async () => {
    setError(null);
    try {
      const j = await api.post<ImportJob>(POLICY.snapshots, { regionCode: region, asOf: asOf || undefined });
      setJobId(j.id);
    } catch (e) {
      setError(applyProblem(null, e));
    }
  };
  const j = job.data;
  const running = j && (j.status === 'queued' || j.status === 'running');
  const pct = j?.progressTotal ? Math.round((100 * j.progressDone) / j.progressTotal) : 0;
  return (
    <Card
      size="small"
      title={t('政策事实快照', 'Policy fact snapshots')}
      style={{ marginTop: 16 }}
      data-testid="fact-snapshots"
    >
      <Typography.Paragraph type="secondary">
        {t(
          '快照是某一日期全县人员的评估事实（存活、户籍、残疾证、低保类别、收入财产等），模拟时直接读取，不再逐表关联台账，全县数十万人约 1–2 秒出结果。快照之后台账的变更不在其中：已有快照的县区确认月度更新时会自动生成当日快照，也可在此手动生成，或由运维按月执行 jiuzhu policy-snapshot。',
          'A snapshot holds the facts of every person of a county as of a date; the what-if reads it instead of joining the registry. Registry changes after it are not in it: a county that has one gets a fresh one when it confirms its monthly update; build one here or run jiuzhu policy-snapshot.',
        )}
      </Typography.Paragraph>
      {can('policy.snapshot') ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Input
            placeholder={t('日期 YYYY-MM-DD（空=今天）', 'Date YYYY-MM-DD (empty = today)')}
            value={asOf}
            onChange={(e) => setAsOf(e.target.value.trim())}
            style={{ width: 220 }}
            aria-label={t('快照日期', 'Snapshot date')}
          />
          <Button onClick={build} loading={!!running} data-testid="snapshot-build">
            {t(`生成 ${region} 的快照`, `Build snapshots for ${region}`)}
          </Button>
        </Space>
      ) : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      {j ? (
        <div style={{ marginBottom: 12 }}>
          <Progress
            percent={pct}
            status={j.status === 'failed' ? 'exception' : running ? 'active' : 'success'}
            aria-label={t('快照进度', 'Snapshot progress')}
          />
          <Typography.Text>
            {running
              ? t(
                  `正在生成：已完成 ${j.progressDone} / ${j.progressTotal ?? '?'} 个县区`,
                  `Building: ${j.progressDone} / ${j.progressTotal ?? '?'} counties`,
                )
              : j.status === 'succeeded'
                ? t('快照已生成', 'Snapshots built')
                : t(`生成失败：${j.error?.message ?? ''}`, `Failed: ${j.error?.message ?? ''}`)}
          </Typography.Text>
        </div>
      ) : null}
      {list.error ? <Alert type="error" showIcon title={applyProblem(null, list.error)} /> : null}
      <Table<FactSnapshot>
        rowKey={(s) => `${s.countyCode}-${s.asOf}`}
        size="small"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: t('尚无快照：模拟将实时关联台账计算', 'No snapshots yet: the what-if joins the registry live'),
        }}
        columns={[
          { title: t('县区', 'County'), render: (_, s) => `${s.countyName ?? ''} ${s.countyCode}` },
          { title: t('事实日期', 'As of'), dataIndex: 'asOf' },
          { title: t('人数', 'Persons'), dataIndex: 'persons', align: 'right' },
          {
            title: t('生成时间', 'Built at'),
            render: (_, s) => new Date(s.refreshedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
          },
          { title: t('生成人', 'By'), render: (_, s) => s.refreshedBy ?? '—' },
          { title: t('用时（秒）', 'Seconds'), render: (_, s) => s.seconds ?? '—' },
        ]}
      />
    </Card>
  );
}
