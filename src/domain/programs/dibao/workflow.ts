/**
 * The 低保 procedure as data. Default = the 2021 national procedure (POLICY.md §2, [A arts.9–22]) with the seed's
 * "3+1" (S5: 民主评议 is part of every assessment). Variants are configuration: `nationalWorkflow` holds 民主评议 only
 * on objection ([A art.19]); `townshipDelegatedWorkflow` delegates confirmation to the township ([A art.2]).
 */
import type { MaterialRequirement, WorkflowDefinition } from '../../workflow/engine.js';

export const DIBAO_MATERIALS = {
  application_form: '低保申请书',
  id_copies: '家庭成员身份证、户口簿复印件',
  income_declaration: '家庭收入和财产状况申报',
  verification_authorization: '家庭经济状况核对授权书',
  household_visit_form: '入户调查表（双方签字）',
  neighbour_visit_record: '邻里访问记录',
  verification_report: '信息核对报告',
  review_minutes: '民主评议记录',
  publicity_record: '公示照片或记录',
  county_visit_record: '县级入户核查记录',
  approval_form: '审核确认表',
  notice_receipt: '书面告知书送达回执',
} as const;

const m = (kind: keyof typeof DIBAO_MATERIALS): MaterialRequirement => ({ kind, nameZh: DIBAO_MATERIALS[kind] });

/** Default: 2021 national procedure + "3+1" (民主评议 for every case). */
export const defaultDibaoWorkflow: WorkflowDefinition = {
  code: 'dibao-2021-3plus1',
  programme: 'dibao',
  nameZh: '低保审核确认（2021 全国办法 +“3+1”综合评估）',
  citation: '最低生活保障审核确认办法 第九至二十二条；讲话“3+1”综合评估（S5）',
  decisionBody: 'county',
  decisionStep: 'decision',
  steps: [
    // 受理 [A arts.9–10]: all missing materials are listed at once (一次性告知).
    {
      code: 'acceptance',
      nameZh: '受理',
      permission: 'dibao.apply',
      materials: [m('application_form'), m('id_copies'), m('income_declaration'), m('verification_authorization')],
    },
    // 家庭经济状况调查 [A arts.15–18]: ≥2 investigators, 入户调查, 邻里访问, 信息核对; starts ≤3 working days after 受理.
    {
      code: 'investigation',
      nameZh: '家庭经济状况调查',
      permission: 'dibao.investigate',
      materials: [m('household_visit_form'), m('neighbour_visit_record'), m('verification_report')],
      timeLimit: {
        workingDays: 15,
        from: 'acceptance',
        citation: '最低生活保障审核确认办法 第十五条（调查于受理后3个工作日内启动；完成时限为本地默认）',
      },
    },
    // 民主评议 (S5 "3+1": every case; [A art.19] makes it conditional — see nationalWorkflow).
    {
      code: 'democratic_review',
      nameZh: '民主评议',
      permission: 'dibao.review',
      materials: [m('review_minutes')],
      when: 'always',
    },
    // "3+1" 综合评估 and 乡镇初审 (S5; [A art.19]).
    { code: 'assessment', nameZh: '“3+1”综合评估（乡镇初审）', permission: 'dibao.review', materials: [] },
    // 公示 7 days in the village [A art.19].
    {
      code: 'publicity',
      nameZh: '初审公示（7天）',
      permission: 'dibao.review',
      materials: [m('publicity_record')],
      minCalendarDays: 7,
    },
    // 单独登记备案 cases: mandatory county home visit [A arts.11, 20].
    {
      code: 'county_visit',
      nameZh: '县级入户核查（单独登记备案）',
      permission: 'dibao.approve',
      materials: [m('county_visit_record')],
      when: 'separate_registration',
    },
    // 审核确认 within 10 working days [A art.20].
    {
      code: 'decision',
      nameZh: '县级审核确认',
      permission: 'dibao.approve',
      materials: [m('approval_form')],
      timeLimit: { workingDays: 10, from: 'publicity', citation: '最低生活保障审核确认办法 第二十条' },
    },
  ],
  rejections: [
    { atStep: 'acceptance', permission: 'dibao.apply', notice: 'not_accepted', issuer: 'township' },
    { atStep: 'assessment', permission: 'dibao.review', notice: 'not_confirmed', issuer: 'township' },
    { atStep: 'publicity', permission: 'dibao.review', notice: 'not_confirmed', issuer: 'township' },
    { atStep: 'decision', permission: 'dibao.approve', notice: 'not_confirmed', issuer: 'county' },
  ],
  archive: [m('notice_receipt')],
  totalLimit: { workingDays: 30, from: 'acceptance', citation: '最低生活保障审核确认办法 第二十二条' },
};

/** 2021 national rule: 民主评议 only after an objection in 公示 [A art.19]. */
export const nationalDibaoWorkflow: WorkflowDefinition = {
  ...defaultDibaoWorkflow,
  code: 'dibao-2021-national',
  nameZh: '低保审核确认（2021 全国办法，有异议时民主评议）',
  citation: '最低生活保障审核确认办法 第九至二十二条',
  steps: defaultDibaoWorkflow.steps.map((s) =>
    s.code === 'democratic_review' ? { ...s, when: 'objection' as const } : s,
  ),
};

/** Confirmation delegated to the township [A art.2]: the township reviewer decides and issues the notices. */
export const townshipDelegatedDibaoWorkflow: WorkflowDefinition = {
  ...defaultDibaoWorkflow,
  code: 'dibao-2021-township',
  nameZh: '低保审核确认（委托乡镇审核确认）',
  decisionBody: 'township',
  steps: defaultDibaoWorkflow.steps.map((s) =>
    s.code === 'decision' ? { ...s, nameZh: '乡镇审核确认（委托）', permission: 'dibao.review' } : s,
  ),
  rejections: defaultDibaoWorkflow.rejections.map((r) =>
    r.atStep === 'decision' ? { ...r, permission: 'dibao.review', issuer: 'township' as const } : r,
  ),
};

export const DIBAO_WORKFLOWS: Record<string, WorkflowDefinition> = {
  [defaultDibaoWorkflow.code]: defaultDibaoWorkflow,
  [nationalDibaoWorkflow.code]: nationalDibaoWorkflow,
  [townshipDelegatedDibaoWorkflow.code]: townshipDelegatedDibaoWorkflow,
};
