/**
 * 低保 specifics of the case engine: parameter resolution (standards per county and year, the "3+1" settings), running
 * and storing an assessment, and drafting the texts of the written notices from the assessment's explanation (S7).
 */
import { formatYuan } from '../../../domain/money.js';
import {
  type AssessmentParameters,
  DEFAULT_ASSESSMENT,
  type DibaoStandard,
} from '../../../domain/programs/dibao/parameters.js';
import { type Assessment, assessDibao, CITE } from '../../../domain/programs/dibao/rules.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import type { NoticeDraft } from '../notices/service.js';
import { type CaseRow, householdFacts, insertAssessment } from './repo.js';
import { resolveParameter } from './config-repo.js';

const A = '最低生活保障审核确认办法';

export interface DibaoSettings {
  params: AssessmentParameters;
  standard: DibaoStandard;
  sources: { assessment: string; standard: string };
}

/** Assessment settings (default shipped, overridable per region and date) and the county's standard for the year. */
export async function dibaoSettings(db: Db, regionCode: string, asOf: string): Promise<DibaoSettings> {
  const p = await resolveParameter<Partial<AssessmentParameters>>(db, 'dibao', 'assessment', regionCode, asOf);
  const params = { ...DEFAULT_ASSESSMENT, ...(p?.value ?? {}) };
  const s = await resolveParameter<DibaoStandard>(db, 'dibao', 'standard', regionCode, asOf, true);
  if (!s) {
    const year = asOf.slice(0, 4);
    throw new AppError('CONFIGURATION_MISSING', {
      detail: `未设置区县 ${regionCode.slice(0, 6)} ${year} 年的低保标准，请县级民政部门先在“参数设置”中录入该年度城乡低保标准及农村分类金额`,
      detailEn: `No dibao standard is configured for county ${regionCode.slice(0, 6)} in ${year}`,
      extra: { parameter: 'dibao.standard', countyCode: regionCode.slice(0, 6), year: Number(year) },
    });
  }
  return {
    params,
    standard: s.value,
    sources: {
      assessment: p ? `${p.region_code || '默认'} 自 ${p.effective_from}` : '系统默认（本地设置，可调整）',
      standard: `${s.region_code} 自 ${s.effective_from}`,
    },
  };
}

/** Runs the "3+1" assessment on current registry data and stores every input, sub-score and the parameters used. */
export async function assessCase(
  tx: Db,
  c: CaseRow,
  opts: { asOf: string; visitRating: number | null; reviewScore: number | null; by: number | null },
): Promise<{ id: number; result: Assessment }> {
  const settings = await dibaoSettings(tx, c.region_code, opts.asOf);
  const stopped = new Set(((c.flags.shareStopped as number[] | undefined) ?? []).map(Number));
  const facts = await householdFacts(tx, c.household_id, stopped);
  const result = assessDibao({
    facts,
    asOf: opts.asOf,
    standard: settings.standard,
    params: settings.params,
    visitRating: opts.visitRating,
    reviewScore: opts.reviewScore,
  });
  const id = await insertAssessment(tx, {
    caseId: c.id,
    regionCode: c.region_code,
    asOf: opts.asOf,
    inputs: { facts, visitRating: opts.visitRating, reviewScore: opts.reviewScore },
    gates: result.gates,
    surveyScore: result.surveyScore,
    reviewScore: result.reviewScore,
    combinedScore: result.combinedScore,
    eligible: result.eligible,
    dibaoKind: result.dibaoKind,
    ruralClass: result.ruralClass,
    amount: result.monthlyAmountFen,
    breakdown: {
      lines: result.breakdown,
      subScores: result.subScores,
      perCapitaFen: result.perCapitaFen,
      countedIncomeFen: result.countedIncomeFen,
      excludedIncomeFen: result.excludedIncomeFen,
      standardFen: result.standardFen,
      membersCount: result.membersCount,
      benefitMembers: result.benefitMembers,
      edge: result.edge,
    },
    parameters: { assessment: settings.params, standard: settings.standard, sources: settings.sources },
    explanation: result.explanation,
    by: opts.by,
  });
  return { id, result };
}

const classZh = (k: string | null, cls: number | null) =>
  k === 'urban' ? '城市低保' : cls ? `农村低保${'一二三四'[cls - 1]}类` : '农村低保';

/** Basis lines of the failed gates of an assessment (the article behind each reason). */
function gateBasis(gates: Array<{ code: string; passed: boolean }> | undefined) {
  const out: Array<{ document: string; article: string }> = [];
  for (const g of gates ?? []) {
    if (g.passed) continue;
    if (g.code === 'hukou') out.push({ document: A, article: '第四条' });
    if (g.code === 'income') out.push({ document: A, article: '第十三条' });
    if (g.code === 'property') out.push({ document: A, article: '第十四条' });
  }
  return out;
}

interface AssessmentLike {
  explanation?: string;
  gates?: Array<{ code: string; passed: boolean; detail: string }>;
  dibao_kind?: string | null;
  rural_class?: number | null;
  monthly_amount_fen?: number | null;
}

/** 不予受理 / 不予确认 (township first review or county decision) — reasons drafted from the assessment (S7). */
export function refusalNotice(
  c: CaseRow,
  kind: 'not_accepted' | 'not_confirmed',
  issuer: 'county' | 'township',
  reason: string,
  a: AssessmentLike | undefined,
): NoticeDraft {
  const failed = (a?.gates ?? []).filter((g) => !g.passed).map((g) => g.detail);
  const reasons = [
    reason,
    ...(failed.length ? [`经核查：${failed.join('；')}。`] : []),
    ...(a?.explanation ? [`综合评估说明：${a.explanation}`] : []),
  ].join('\n');
  const basis =
    kind === 'not_accepted'
      ? [{ document: A, article: '第九条、第十条' }]
      : [
          ...gateBasis(a?.gates),
          {
            document: A,
            article: issuer === 'county' ? '第二十条（不予确认的，书面告知理由）' : '第十九条（乡镇初审）',
          },
        ];
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind,
    issuerLevel: issuer,
    addressee: c.head_name ?? '申请人',
    title:
      kind === 'not_accepted'
        ? '不予受理最低生活保障申请告知书'
        : issuer === 'county'
          ? '不予确认最低生活保障告知书'
          : '最低生活保障初审不予通过告知书',
    decision:
      kind === 'not_accepted'
        ? '对你户提出的最低生活保障申请，决定不予受理。'
        : '经审核，你户不符合最低生活保障条件，决定不予确认。',
    facts: `你户于 ${c.applied_on} 提出最低生活保障申请（案件编号 ${c.case_no}）。${c.accepted_on ? `${c.accepted_on} 受理后，经入户调查、邻里访问和信息核对，` : ''}情况如下：${failed.length ? failed.join('；') : reason}。`,
    reasons,
    basis,
    withRemedies: true,
  };
}

export function approvalNotice(
  c: CaseRow,
  a: AssessmentLike,
  startMonth: string,
  issuer: 'county' | 'township',
): NoticeDraft {
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'approval',
    issuerLevel: issuer,
    addressee: c.head_name ?? '申请人',
    title: '最低生活保障确认通知书',
    decision: `经审核确认，你户纳入${classZh(a.dibao_kind ?? null, a.rural_class ?? null)}，月保障金 ${formatYuan(a.monthly_amount_fen ?? 0)} 元，自 ${startMonth} 起按月发放。`,
    facts: `你户于 ${c.applied_on} 提出申请（案件编号 ${c.case_no}），经调查、评议、公示无异议。`,
    reasons: a.explanation ?? '',
    basis: [
      { document: A, article: '第二十条、第二十一条、第二十三条' },
      { document: '讲话（S5）', article: '“3+1”综合评估' },
    ],
    withRemedies: true,
  };
}

export function adjustmentNotice(
  c: CaseRow,
  before: { cls: number | null; amount: number | null },
  after: AssessmentLike,
  effectiveMonth: string,
): NoticeDraft {
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'adjustment',
    issuerLevel: 'county',
    addressee: c.head_name ?? '低保对象',
    title: '最低生活保障调整告知书',
    decision: `自 ${effectiveMonth} 起，你户由${classZh(c.dibao_kind, before.cls)}、月保障金 ${formatYuan(before.amount ?? 0)} 元调整为${classZh(after.dibao_kind ?? c.dibao_kind, after.rural_class ?? null)}、月保障金 ${formatYuan(after.monthly_amount_fen ?? 0)} 元。`,
    facts: `经复核（案件编号 ${c.case_no}），你户家庭人口、收入或财产状况发生变化。`,
    reasons: after.explanation ?? '',
    basis: [
      { document: A, article: '第三十一条、第三十二条' },
      { document: '讲话（S3）', article: '有效期内情况变化及时调整' },
    ],
    withRemedies: true,
  };
}

const EXIT_REASON: Record<string, { zh: string; basis: Array<{ document: string; article: string }> }> = {
  ineligible: { zh: '家庭经济状况已不符合最低生活保障条件', basis: [{ document: A, article: '第三十二条' }] },
  income_above_line: {
    zh: '家庭成员就业后收入超过低保标准（给予渐退期）',
    basis: [
      { document: A, article: '第三十三条' },
      { document: '民政部等关于进一步做好最低生活保障等社会救助兜底保障工作的通知', article: '渐退期一般不超过6个月' },
    ],
  },
  death: {
    zh: '家庭成员死亡，经复核不再符合条件',
    basis: [
      { document: A, article: '第三十二条' },
      { document: '民政部等关于进一步做好最低生活保障等社会救助兜底保障工作的通知', article: '成员死亡3个月内核查' },
    ],
  },
  non_cooperation: { zh: '无正当理由拒不配合调查核对', basis: [{ document: A, article: '第二十九条' }] },
  voluntary: { zh: '本人申请退出', basis: [{ document: A, article: '第三十二条' }] },
};

export function terminationNotice(
  c: CaseRow,
  reason: string,
  facts: string,
  lastMonth: string,
  explanation: string | null,
): NoticeDraft {
  const r = EXIT_REASON[reason] ?? EXIT_REASON.ineligible!;
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'termination',
    issuerLevel: 'county',
    addressee: c.head_name ?? '低保对象',
    title: '最低生活保障停发（退出）告知书',
    decision: `你户最低生活保障金发放至 ${lastMonth}，此后停发，退出最低生活保障。`,
    facts,
    reasons: [r.zh, ...(explanation ? [`复核说明：${explanation}`] : [])].join('\n'),
    basis: r.basis,
    withRemedies: true,
  };
}

export function oneTimeNotice(c: CaseRow, missing: Array<{ nameZh: string }>): NoticeDraft {
  return {
    caseId: c.id,
    regionCode: c.region_code,
    kind: 'one_time',
    issuerLevel: 'township',
    addressee: c.head_name ?? '申请人',
    title: '最低生活保障申请材料一次性告知书',
    decision: `请补齐以下全部材料（共 ${missing.length} 项）后办理：${missing.map((m, i) => `${i + 1}. ${m.nameZh}`).join('；')}。`,
    facts: `你户于 ${c.applied_on} 提出最低生活保障申请（案件编号 ${c.case_no}），所交材料不齐全。`,
    reasons: `依照规定，材料不齐全的，应当一次性告知需要补齐的全部材料（${CITE.oneTime}）。`,
    basis: [{ document: A, article: '第十条' }],
    withRemedies: false,
  };
}
