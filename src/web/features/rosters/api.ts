import type { z } from 'zod';
import type {
  ApiClientCall,
  ApiClientCallPage,
  ApiClientView,
  CreatedApiClient,
  ExportPlatformView,
} from '../../../contracts/exchange';
import type {
  BankFileRecord,
  BankLayoutPreview,
  BankLayoutView,
  BankReturnResult,
  CountyUpdateStatus,
  LedgerCheckResult,
  LedgerTotals,
  MonthlyUpdateList,
  RosterLineView,
  RosterSummary,
  RosterTotals,
  RosterView,
} from '../../../contracts/rosters';

/** Rosters, bank files, the finance ledger and monthly updates (src/server/modules/rosters, ledger, monthly-updates). */
export type Roster = z.infer<typeof RosterView>;
export type RosterLine = z.infer<typeof RosterLineView>;
export type Totals = z.infer<typeof RosterTotals>;
export type Summary = z.infer<typeof RosterSummary>;
export type BankLayout = z.infer<typeof BankLayoutView>;
export type BankReturn = z.infer<typeof BankReturnResult>;
export type LayoutPreview = z.infer<typeof BankLayoutPreview>;
export type BankFileRow = z.infer<typeof BankFileRecord>;
export type ApiClient = z.infer<typeof ApiClientView>;
export type NewApiClient = z.infer<typeof CreatedApiClient>;
export type ApiCall = z.infer<typeof ApiClientCall>;
export type ApiCallPage = z.infer<typeof ApiClientCallPage>;
export type Platform = z.infer<typeof ExportPlatformView>;

/** Source fields of a bank file column (server: rosters/bank-files.ts FIELD_INFO). */
export const LAYOUT_FIELDS: { value: string; zh: string; en: string; minWidth: number; numeric: boolean }[] = [
  { value: 'seq', zh: '序号', en: 'Sequence no.', minWidth: 4, numeric: true },
  { value: 'account', zh: '账号', en: 'Account', minWidth: 19, numeric: true },
  { value: 'holder', zh: '户名', en: 'Account holder', minWidth: 8, numeric: false },
  { value: 'name', zh: '领取人姓名', en: 'Payee name', minWidth: 8, numeric: false },
  { value: 'id_number', zh: '身份证号', en: 'ID number', minWidth: 18, numeric: false },
  { value: 'amount_yuan', zh: '金额（元，两位小数）', en: 'Amount (yuan, 2 decimals)', minWidth: 9, numeric: true },
  { value: 'amount_fen', zh: '金额（分）', en: 'Amount (fen)', minWidth: 8, numeric: true },
  { value: 'month', zh: '发放月份', en: 'Month', minWidth: 7, numeric: false },
  { value: 'county_code', zh: '区县代码', en: 'County code', minWidth: 6, numeric: true },
  { value: 'programme', zh: '项目代码', en: 'Programme code', minWidth: 18, numeric: false },
  { value: 'remark', zh: '摘要（超宽截断）', en: 'Remark (cut when too wide)', minWidth: 4, numeric: false },
];

export const FORMAT_LABELS: Record<string, { zh: string; en: string }> = {
  csv: { zh: 'CSV 文本', en: 'CSV' },
  fixed: { zh: '定长文本', en: 'Fixed width' },
  xlsx: { zh: 'Excel（xlsx）', en: 'Excel (xlsx)' },
};

export const PURPOSE_LABELS: Record<string, { zh: string; en: string }> = {
  verification: { zh: '居民家庭经济状况核对', en: 'Means verification' },
  poverty_bigdata: { zh: '精准扶贫大数据', en: 'Poverty big data' },
  gov_info: { zh: '政府信息共享', en: 'Government information' },
  statistics: { zh: '统计分析', en: 'Statistics' },
  assistance_referral: { zh: '救助转介', en: 'Assistance referral' },
};

export const OPERATION_LABELS: Record<string, { zh: string; en: string }> = {
  token: { zh: '换取令牌', en: 'Token' },
  search: { zh: '同步查询', en: 'Search' },
  person: { zh: '按身份证号查询', en: 'ID lookup' },
  changes: { zh: '变更订阅', en: 'Change feed' },
};
export type Ledger = z.infer<typeof LedgerTotals>;
export type LedgerCheck = z.infer<typeof LedgerCheckResult>;
export type UpdateList = z.infer<typeof MonthlyUpdateList>;
export type CountyUpdate = z.infer<typeof CountyUpdateStatus>;

export const PROGRAMMES = ['dibao', 'tekun', 'disability_living', 'disability_nursing'] as const;

export const PROGRAMME_LABELS: Record<string, { zh: string; en: string }> = {
  dibao: { zh: '最低生活保障', en: 'Dibao' },
  tekun: { zh: '特困供养', en: 'Tekun support' },
  disability_living: { zh: '困难残疾人生活补贴', en: 'Disability living subsidy' },
  disability_nursing: { zh: '重度残疾人护理补贴', en: 'Disability nursing subsidy' },
  temporary: { zh: '临时救助', en: 'Temporary assistance' },
  medical: { zh: '医疗救助', en: 'Medical assistance' },
};

export const STATUS_LABELS: Record<Roster['status'], { zh: string; en: string; color: string }> = {
  draft: { zh: '草稿', en: 'Draft', color: 'default' },
  checked: { zh: '已复核', en: 'Checked', color: 'blue' },
  approved: { zh: '已审批（冻结）', en: 'Approved (frozen)', color: 'green' },
  sent: { zh: '已报送银行', en: 'Sent to bank', color: 'purple' },
  reconciled: { zh: '已对账', en: 'Reconciled', color: 'gold' },
};

export const KIND_LABELS: Record<RosterLine['kind'], { zh: string; en: string }> = {
  regular: { zh: '正常发放', en: 'Regular' },
  back_pay: { zh: '补发', en: 'Back pay' },
  stop: { zh: '停发', en: 'Stop' },
  recovery: { zh: '扣减', en: 'Recovery' },
  reissue: { zh: '重发', en: 'Re-issue' },
};

export const PAY_LABELS: Record<RosterLine['payStatus'], { zh: string; en: string }> = {
  pending: { zh: '待回盘', en: 'Pending' },
  paid: { zh: '已入账', en: 'Paid' },
  failed: { zh: '失败', en: 'Failed' },
  not_paid: { zh: '不发放', en: 'Not paid' },
};

export const yuan = (fen: number) =>
  (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
