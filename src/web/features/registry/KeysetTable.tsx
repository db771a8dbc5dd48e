import { keepPreviousData, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { Alert, Button, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, type RequestOptions } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page } from '../../api/types';
import { useI18n } from '../../app/i18n';

const PAGE_SIZE = 50;

export interface KeysetList<T> {
  list: UseQueryResult<Page<T>>;
  rows: T[];
  pageNo: number;
  /** Back to the first page (new filters). */
  restart(): void;
  previous(): void;
  next(): void;
}

/**
 * One keyset page of a registry list at a time (50 rows): the cursors of the pages before the current one are kept,
 * so only one page of rows is ever held and 上一页 goes back without the server counting.
 */
export function useKeysetList<T>(queryKey: unknown[], path: string, query: RequestOptions['query']): KeysetList<T> {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: [...queryKey, cursor ?? null],
    queryFn: () => api.get<Page<T>>(path, { query: { ...query, cursor, limit: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });
  return {
    list,
    rows: list.data?.items ?? [],
    pageNo: cursors.length,
    restart: () => setCursors([undefined]),
    previous: () => setCursors((c) => c.slice(0, -1)),
    next: () => setCursors((c) => [...c, list.data?.nextCursor ?? undefined]),
  };
}

/** The rows of a keyset list, the error that stopped it, and the pages: 上一页 / 第 N 页 · 本页 M 人 / 下一页. */
export function KeysetTable<T extends object>({
  keyset: { list, rows, pageNo, previous, next },
  rowKey,
  scrollX,
  testId,
  emptyText,
  unit,
  columns,
}: {
  keyset: KeysetList<T>;
  rowKey: keyof T & string;
  scrollX: number;
  testId: string;
  emptyText: string;
  /** Counted under the table: "本页 N 户 / 人". */
  unit: { zh: string; en: string };
  columns: TableColumnsType<T>;
}) {
  const { t } = useI18n();
  return (
    <>
      {list.error && (
        <Alert type="error" showIcon title={applyProblem(null, list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<T>
        rowKey={rowKey}
        size="middle"
        loading={list.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: scrollX }}
        data-testid={testId}
        locale={{ emptyText }}
        columns={columns}
      />
      <nav
        aria-label={t('分页', 'Pages')}
        style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 12, marginTop: 12 }}
      >
        <Button disabled={pageNo <= 1} onClick={previous}>
          {t('上一页', 'Previous')}
        </Button>
        <span>
          {t(`第 ${pageNo} 页 · 本页 ${rows.length} ${unit.zh}`, `Page ${pageNo} · ${rows.length} ${unit.en}`)}
        </span>
        <Button disabled={!list.data?.nextCursor} onClick={next}>
          {t('下一页', 'Next')}
        </Button>
      </nav>
    </>
  );
}
