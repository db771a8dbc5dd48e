import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page } from '../../api/types';
import { useMe } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';

const PAGE_SIZE = 50;

/**
 * A department liaison list (危房 / 持证残疾人 / 救助对象成员): read-only, one keyset page of 50 rows at a time, the
 * region filter in the URL (bookmarkable), ID numbers masked as the server sends them. The server limits every row
 * to the user's area in SQL; the region tree only offers the user's own subtree.
 */
export function LiaisonList<T extends object>(props: {
  title: string;
  intro: string;
  path: string;
  queryKey: string;
  rowKey: keyof T & string;
  columns: TableColumnsType<T>;
  /** Counted in the page footer: "本页 N 户 / 人". */
  unit: { zh: string; en: string };
  testId: string;
  scrollX: number;
}) {
  const { lang, t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('regionCode') ?? undefined;
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['registry', props.queryKey, regionCode ?? null, cursor ?? null],
    queryFn: () => api.get<Page<T>>(props.path, { query: { regionCode, cursor, limit: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  const pageNo = cursors.length;
  return (
    <>
      <h1 className="jz-page-title">{props.title}</h1>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {props.intro}
      </Typography.Paragraph>
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingBlock: 12 } }}>
        <Space wrap>
          <label htmlFor={`${props.testId}-region`}>{t('区划', 'Region')}</label>
          <RegionPicker
            id={`${props.testId}-region`}
            value={regionCode}
            placeholder={me.user.region.name}
            style={{ width: 280 }}
            onChange={(code) => {
              setCursors([undefined]);
              setParams(code ? { regionCode: code } : {});
            }}
          />
        </Space>
      </Card>
      {list.error && (
        <Alert type="error" showIcon title={applyProblem(null, list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<T>
        rowKey={props.rowKey}
        size="middle"
        loading={list.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: props.scrollX }}
        data-testid={props.testId}
        columns={props.columns}
        locale={{ emptyText: t('您的管辖范围内没有符合条件的记录', 'Nothing in your area') }}
      />
      <nav
        aria-label={t('分页', 'Pages')}
        style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 12, marginTop: 12 }}
      >
        <Button disabled={pageNo <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('上一页', 'Previous')}
        </Button>
        <span>
          {lang === 'zh'
            ? `第 ${pageNo} 页 · 本页 ${rows.length} ${props.unit.zh}`
            : `Page ${pageNo} · ${rows.length} ${props.unit.en}`}
        </span>
        <Button
          disabled={!list.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? undefined])}
        >
          {t('下一页', 'Next')}
        </Button>
      </nav>
    </>
  );
}
