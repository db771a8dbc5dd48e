import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import type { ReviewTaskView } from '../../../contracts/cases';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { programmeLabel } from './api';

type Task = z.infer<typeof ReviewTaskView>;

/** Why a task was raised (migrations 0005, 0009, 0013, 0014). */
const REASON: Record<string, { zh: string; en: string; color: string }> = {
  registry_change: { zh: '登记信息变化', en: 'Registry change', color: 'blue' },
  death: { zh: '成员死亡', en: 'Death', color: 'red' },
  periodic: { zh: '定期复核', en: 'Periodic', color: 'default' },
  work_refusal: { zh: '拒绝推荐工作', en: 'Work refused', color: 'orange' },
  tekun_member: { zh: '成员纳入特困', en: 'Member in 特困', color: 'purple' },
  tekun_member_ended: { zh: '成员终止特困', en: 'Member left 特困', color: 'purple' },
  programme_change: { zh: '低保/特困变化', en: '低保/特困 changed', color: 'gold' },
};
const TABLE_ZH: Record<string, string> = {
  income_items: '收入',
  property_items: '财产',
  persons: '人员信息',
  disability_certs: '残疾人证',
};
const EVENT_ZH: Record<string, string> = {
  approve: '审批确认',
  reclass: '类别调整',
  exit: '退出',
  batch_review: 'Q4 复核',
};

/** One line saying what changed, from the task's detail. */
function what(d: Record<string, unknown>): string {
  if (typeof d.table === 'string') return `${TABLE_ZH[d.table] ?? d.table}${d.op === 'DELETE' ? '删除' : '变更'}`;
  if (d.source === 'dibao') return `低保${EVENT_ZH[String(d.event)] ?? ''}${d.caseNo ? `（${d.caseNo}）` : ''}`;
  if (d.source === 'tekun') return `纳入特困供养${d.caseNo ? `（${d.caseNo}）` : ''}`;
  if (typeof d.tekunCase === 'string') return `特困案件 ${d.tekunCase}`;
  return '';
}

/**
 * 复核任务: what the registry and the other programmes changed under a case that is being paid — the household's
 * income, a death, a member's certificate, the household's 低保 — each due for review (a death within 3 months [F];
 * POLICY.md §2, §3, §4). Opening one leads to the case page, where the review is done.
 */
export default function ReviewTasksPage() {
  const { lang, t } = useI18n();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const [programme, setProgramme] = useState<string | undefined>();
  const list = useInfiniteQuery({
    queryKey: ['cases', 'review-tasks', status, programme ?? null],
    queryFn: ({ pageParam }) =>
      api.get<Page<Task>>('/v1/review-tasks', { query: { status, programme, cursor: pageParam, limit: 100 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const overdue = rows.filter((r) => r.overdue).length;
  return (
    <>
      <h1 className="jz-page-title">{t('复核任务', 'Review tasks')}</h1>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t(
          '在保对象的登记信息或享受的其他项目发生变化时自动生成：不能因在有效期内就不调整（S3）。死亡的须在 3 个月内复核；两项补贴对象按当前登记信息复核后继续、调整或停发（POLICY.md §4）。',
          'Raised when the registry or another programme changes under a paid case; a death is reviewed within 3 months; subsidy recipients are reviewed on current facts (POLICY.md §4).',
        )}
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as 'open' | 'done')}
            options={[
              { value: 'open', label: t('待复核', 'Open') },
              { value: 'done', label: t('已复核', 'Done') },
            ]}
          />
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t('全部项目', 'All programmes')}
            aria-label={t('项目', 'Programme')}
            value={programme}
            onChange={setProgramme}
            options={['dibao', 'tekun', 'disability_living', 'disability_nursing'].map((p) => ({
              value: p,
              label: programmeLabel(p, lang),
            }))}
          />
          {status === 'open' && overdue > 0 && <Tag color="red">{t(`已逾期 ${overdue} 项`, `${overdue} overdue`)}</Tag>}
        </Space>
        <Table<Task>
          rowKey="id"
          size="small"
          data-testid="review-tasks"
          loading={list.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('案件', 'Case'),
              dataIndex: 'caseNo',
              render: (v: string | null, r) => (r.caseId ? <Link to={`/dibao/cases/${r.caseId}`}>{v}</Link> : '—'),
            },
            {
              title: t('项目', 'Programme'),
              dataIndex: 'programme',
              render: (v: string | null) => (v ? programmeLabel(v, lang) : '—'),
            },
            { title: t('对象', 'Person'), dataIndex: 'personName', render: (v: string | null) => v ?? '—' },
            {
              title: t('原因', 'Reason'),
              dataIndex: 'reason',
              render: (v: string) => <Tag color={REASON[v]?.color}>{REASON[v]?.[lang] ?? v}</Tag>,
            },
            { title: t('变化', 'What changed'), render: (_, r) => what(r.detail) || '—' },
            {
              title: t('村（社区）', 'Village'),
              dataIndex: 'regionName',
              render: (v: string | null, r) => v ?? r.regionCode,
            },
            {
              title: t('应复核日期', 'Due'),
              dataIndex: 'dueOn',
              render: (v: string, r) => (r.overdue ? <Tag color="red">{v}</Tag> : v),
            },
          ]}
        />
        {list.hasNextPage && (
          <Button style={{ marginTop: 12 }} onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('加载更多', 'More')}
          </Button>
        )}
      </Card>
    </>
  );
}
