import type { z } from 'zod';
import type {
  BatchItemView,
  BatchReviewView,
  CaseProgramme,
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
  { key: 'tekun_review', zh: '特困年度复核', en: 'Tekun yearly review' },
  { key: 'all', zh: '全部', en: 'All' },
];

/** Case programmes (typed against the contract enum: a new programme fails the type check until it has a label). */
export const PROGRAMME: Record<z.infer<typeof CaseProgramme>, { zh: string; en: string; apply: string }> = {
  dibao: { zh: '低保', en: 'Dibao', apply: 'dibao.apply' },
  tekun: { zh: '特困人员认定', en: 'Special hardship', apply: 'tekun.apply' },
  disability_living: { zh: '困难残疾人生活补贴', en: 'Disability living subsidy', apply: 'disability.apply' },
  disability_nursing: { zh: '重度残疾人护理补贴', en: 'Disability nursing subsidy', apply: 'disability.apply' },
};
export const programmeLabel = (p: string, lang: 'zh' | 'en') => PROGRAMME[p as keyof typeof PROGRAMME]?.[lang] ?? p;

export const CARE_TIER: Record<string, { zh: string; en: string }> = {
  self_care: { zh: '具备生活自理能力', en: 'Self-care' },
  partly_lost: { zh: '部分丧失生活自理能力', en: 'Partly lost' },
  completely_lost: { zh: '完全丧失生活自理能力', en: 'Completely lost' },
};

export const TEKUN_REVIEW_OUTCOME: Record<string, { zh: string; en: string; color: string }> = {
  continue: { zh: '继续供养', en: 'Continue', color: 'green' },
  adjust: { zh: '调整档次或金额', en: 'Adjust', color: 'gold' },
  terminate: { zh: '终止供养', en: 'Terminate', color: 'red' },
  undetermined: { zh: '事实不全', en: 'Facts missing', color: 'orange' },
};

export const CLAUSE_OUTCOME: Record<string, { zh: string; en: string; color: string }> = {
  met: { zh: '符合', en: 'Met', color: 'green' },
  not_met: { zh: '不符合', en: 'Not met', color: 'red' },
  undetermined: { zh: '待定', en: 'Undetermined', color: 'orange' },
  applied: { zh: '适用', en: 'Applied', color: 'blue' },
  not_applicable: { zh: '不适用', en: 'N/A', color: 'default' },
};

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
  termination: { zh: '停发/退出/终止告知书', en: 'Termination' },
};

export const CLASS_ZH = ['', '一类', '二类', '三类', '四类'];

/** Case timeline actions in words (case_events.action; batch_review.* / review.* / case.decision.* by their suffix). */
const EVENT_ZH: Record<string, [string, string]> = {
  'case.open': ['立案受理', 'Case opened'],
  'material.upload': ['上传材料', 'Material uploaded'],
  'step.complete': ['完成环节', 'Step completed'],
  'publicity.start': ['开始公示', 'Publicity started'],
  'publicity.objection': ['公示异议', 'Objection during publicity'],
  'case.approve': ['审批同意', 'Approved'],
  'case.reject': ['不予确认', 'Refused'],
  'case.end': ['终止办理', 'Procedure ended'],
  'case.exit': ['退出', 'Exited'],
  'case.reassess': ['重新评估', 'Re-assessed'],
  'case.separate_registration': ['单独登记备案', 'Registered separately'],
  'case.terminate': ['终止待遇', 'Support terminated'],
  'notice.one_time': ['一次性告知', 'One-time notice'],
  'notice.issue': ['签发告知书', 'Notice issued'],
  referral: ['转介临时/医疗救助', 'Referred'],
  work_refusal: ['登记拒绝就业', 'Work refusal recorded'],
  'tekun.review': ['特困年度复核', 'Yearly 特困 review'],
  'subsidy.review': ['补贴复核', 'Subsidy review'],
  'subsidy.stop': ['停发补贴', 'Subsidy stopped'],
};
const SUFFIX_ZH: Record<string, [string, string]> = {
  continue: ['继续享受', 'continue'],
  reclass: ['调整类别', 're-class'],
  amount_change: ['调整金额', 'amount change'],
  exit: ['退出', 'exit'],
  adjust: ['调整', 'adjust'],
  approve: ['同意', 'approve'],
  reject: ['不同意', 'reject'],
};

/** Actions named `<prefix>.<outcome>`: the prefix in words, then the outcome (SUFFIX_ZH). */
const PREFIX_ZH: Record<string, [string, string]> = {
  batch_review: ['有效期复核', 'Validity review'],
  review: ['复核', 'Review'],
  'tekun.review': ['执行特困年度复核', 'Yearly 特困 review applied'],
  'subsidy.review': ['执行补贴复核', 'Subsidy review applied'],
  'case.decision': ['审批决定', 'Decision'],
};

export function eventLabel(action: string, lang: 'zh' | 'en'): string {
  const i = lang === 'en' ? 1 : 0;
  const known = EVENT_ZH[action];
  if (known) return known[i];
  const m = /^(batch_review|review|tekun\.review|subsidy\.review|case\.decision)\.(.+)$/.exec(action);
  if (m) {
    const head = PREFIX_ZH[m[1]!]!;
    return `${head[i]}：${SUFFIX_ZH[m[2]!]?.[i] ?? m[2]}`;
  }
  return action;
}
