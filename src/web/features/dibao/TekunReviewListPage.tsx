import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { CARE_TIER, type CaseRow, yuan } from './api';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * 特困 yearly review worklist (POLICY.md §3 [E item 7]): recipients a year after their approval or last review,
 * the longest overdue first in the case list order; each opens the case page with the review and termination.
 */
export default function TekunReviewListPage() {
  const { lang, t } = useI18n();
  const list = useInfiniteQuery({
    queryKey: ['dibao', 'cases', 'tekun_review'],
    queryFn: ({ pageParam }) =>
      api.get<Page<CaseRow>>('/v1/cases', { query: { worklist: 'tekun_review', cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1 className="jz-page-title">{t('特困人员年度复核', 'Special hardship yearly review')}</h1>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={t(
          '认定或上次复核满一年的特困人员须复核：按当前登记信息和六项指标重新评估，继续供养、调整照料档次，或按终止情形公示后终止（POLICY.md §3）。',
          'Recipients a year after approval or the last review are re-assessed: continue, adjust the care tier, or terminate after the public notice (POLICY.md §3).',
        )}
      />
      <Card>
        <Table<CaseRow>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 800 }}
          columns={[
            {
              title: t('案件编号', 'Case'),
              dataIndex: 'caseNo',
              render: (v, r) => <Link to={`/dibao/cases/${r.id}`}>{v}</Link>,
            },
            { title: t('供养人员', 'Recipient'), render: (_, r) => r.applicantName ?? r.headName },
            { title: t('村（社区）', 'Village'), dataIndex: 'regionName' },
            { title: t('认定日期', 'Approved'), dataIndex: 'decidedOn' },
            {
              title: t('应复核日期', 'Review due'),
              dataIndex: 'nextReviewOn',
              render: (v: string | null) => (v ? <Tag color={v < today() ? 'red' : 'orange'}>{v}</Tag> : '—'),
            },
            {
              title: t('照料档次', 'Care tier'),
              render: (_, r) => {
                const tier = r.careTier;
                return tier ? (CARE_TIER[tier]?.[lang] ?? tier) : '—';
              },
            },
            {
              title: t('月供养金（元）', 'Monthly (yuan)'),
              dataIndex: 'monthlyAmountFen',
              align: 'right',
              render: (v) => yuan(v),
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
