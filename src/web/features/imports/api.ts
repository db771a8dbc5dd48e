/** The registry import API (src/server/modules/registry-import). */
export type ImportMode = 'dry_run' | 'valid_rows' | 'all_or_nothing';

export interface ImportJob {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progressDone: number;
  progressTotal: number | null;
  /** The import report (src/server/modules/registry-import/service.ts ImportReport) */
  result:
    | ({
        errors?: { row: number; cell?: string | null; field?: string; message: string }[];
        errorRows?: number;
        committed?: boolean;
        errorWorkbook?: boolean;
      } & Record<string, unknown>)
    | null;
  error: { code?: string; detail?: string; message?: string } | null;
}

export const IMP = {
  start: '/v1/registry/import',
  job: (id: number) => `/v1/registry/import/${id}`,
  errors: (id: number) => `/v1/registry/import/${id}/errors.xlsx`,
  template: '/v1/registry/import/template.xlsx',
  exportAll: '/v1/registry/export',
};

export const SUMMARY_ORDER = [
  'rows',
  'validRows',
  'errorRows',
  'errorCells',
  'emptyRows',
  'insertedHouseholds',
  'updatedHouseholds',
  'insertedPersons',
  'updatedPersons',
  'seconds',
];

export const SUMMARY_LABELS: Record<string, { zh: string; en: string }> = {
  rows: { zh: '数据行', en: 'Rows' },
  emptyRows: { zh: '空行', en: 'Empty rows' },
  seconds: { zh: '用时（秒）', en: 'Seconds' },
  totalRows: { zh: '总行数', en: 'Rows' },
  households: { zh: '家庭数', en: 'Households' },
  validRows: { zh: '有效行', en: 'Valid rows' },
  errorRows: { zh: '错误行', en: 'Rows with errors' },
  errorCells: { zh: '错误单元格', en: 'Cells with errors' },
  inserted: { zh: '新增', en: 'Added' },
  updated: { zh: '更新', en: 'Updated' },
  unchanged: { zh: '未变化', en: 'Unchanged' },
  skipped: { zh: '跳过', en: 'Skipped' },
  insertedHouseholds: { zh: '新增家庭', en: 'Households added' },
  updatedHouseholds: { zh: '更新家庭', en: 'Households updated' },
  insertedPersons: { zh: '新增人员', en: 'Persons added' },
  updatedPersons: { zh: '更新人员', en: 'Persons updated' },
};
