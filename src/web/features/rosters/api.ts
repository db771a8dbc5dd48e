import type { z } from 'zod';
import type {
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
