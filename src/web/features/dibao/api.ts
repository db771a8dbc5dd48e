import type { z } from 'zod';
import type {
  BatchItemView,
  BatchReviewView,
  CaseSummary,
  CaseView,
  CompletenessRow,
  NoticeView,
} from '../../../contracts/cases';

/** Types of the 低保 screens, from the shared contracts (type-only imports keep zod out of the bundle). */
export type CaseRow = z.infer<typeof CaseSummary>;
export type CaseDetail = z.infer<typeof CaseView> & { proposedOutcome?: string };
export type Notice = z.infer<typeof NoticeView>;
export type Batch = z.infer<typeof BatchReviewView>;
export type BatchItem = z.infer<typeof BatchItemView>;
export type Completeness = z.infer<typeof CompletenessRow>;

export const yuan = (fen: number | null | undefined) =>
  fen === null || fen === undefined ? '—' : `${Math.floor(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

export const STATUS: Record<string, { zh: string; en: string; color: string }> = {
  open: { zh: '办理中', en: 'Open', color: 'processing' },
  approved: { zh: '已确认（在保）', en: 'Approved', color: 'success' },
  rejected: { zh: '不予确认', en: 'Refused', color: 'error' },
  ended: { zh: '程序终止', en: 'Ended', color: 'default' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn', color: 'default' },
  exited: { zh: '已退出', en: 'Exited', color: 'warning' },
};

export const WORKLISTS: Array<{ key: string; zh: string; en: string }> = [
  { key: 'to_accept', zh: '待受理', en: 'To accept' },
  { key: 'to_investigate', zh: '待调查', en: 'To investigate' },
  { key: 'to_review', zh: '待评议/评估', en: 'To review' },
  { key: 'in_publicity', zh: '公示中', en: 'In publicity' },
  { key: 'to_approve', zh: '待审批', en: 'To approve' },
  { key: 'due_review', zh: '待复核', en: 'Due for review' },
  { key: 'overdue', zh: '已超期', en: 'Overdue' },
  { key: 'eligible_waiting', zh: '符合条件仍在等待', en: 'Eligible, waiting' },
  { key: 'all', zh: '全部', en: 'All' },
];

export const OUTCOME: Record<string, { zh: string; en: string; color: string }> = {
  continue: { zh: '续保', en: 'Continue', color: 'green' },
  reclass: { zh: '调档', en: 'Re-class', color: 'blue' },
  amount_change: { zh: '调整金额', en: 'Amount change', color: 'gold' },
  exit: { zh: '退出', en: 'Exit', color: 'red' },
};

export const NOTICE_KIND: Record<string, { zh: string; en: string }> = {
  one_time: { zh: '一次性告知书', en: 'One-time notice' },
  not_accepted: { zh: '不予受理告知书', en: 'Not accepted' },
  not_confirmed: { zh: '不予确认告知书', en: 'Not confirmed' },
  approval: { zh: '确认通知书', en: 'Approval' },
  adjustment: { zh: '调整告知书', en: 'Adjustment' },
  termination: { zh: '停发/退出告知书', en: 'Termination' },
};

export const CLASS_ZH = ['', '一类', '二类', '三类', '四类'];
