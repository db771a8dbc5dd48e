/**
 * The disability two-subsidy application procedure as data for the shared case engine (src/domain/workflow/engine.ts).
 * POLICY.md §4 [K; seed]: the disabled person (or guardian) applies in writing at the township (街道) of the 户籍 with
 * the second-generation 残疾人证; the township accepts and makes the first review; the county decides. The national
 * text sets no day counts: the time limits below are [configurable default] local settings, overridden per region by
 * a workflow definition (PUT /api/v1/workflows), like every other procedure.
 */
import { addMonths } from '../../calendar.js';
import type { WorkflowDefinition } from '../../workflow/engine.js';

export type SubsidyProgramme = 'disability_living' | 'disability_nursing';
export const SUBSIDY_PROGRAMMES: readonly SubsidyProgramme[] = ['disability_living', 'disability_nursing'];

export function isSubsidyProgramme(p: string): p is SubsidyProgramme {
  return (SUBSIDY_PROGRAMMES as readonly string[]).includes(p);
}

/** [configurable default] working-day limits of the township review and the county decision. */
export const DISABILITY_LIMITS = { townshipWorkingDays: 15, countyWorkingDays: 10 } as const;

export const SUBSIDY_NAME_ZH: Record<SubsidyProgramme, string> = {
  disability_living: '困难残疾人生活补贴',
  disability_nursing: '重度残疾人护理补贴',
};

export const DISABILITY_MATERIALS = {
  application_form: '残疾人两项补贴申请审批表',
  disability_cert_copy: '第二代残疾人证复印件',
  id_copies: '身份证、户口簿复印件',
  dibao_proof: '低保证或低保家庭证明材料',
  care_assessment: '长期照护需求评估或说明（二级智力、精神残疾）',
  township_review_form: '乡镇（街道）初审意见表',
  approval_form: '县级审定表',
  notice_receipt: '书面告知书送达回执',
} as const;

const dm = (kind: keyof typeof DISABILITY_MATERIALS) => ({ kind, nameZh: DISABILITY_MATERIALS[kind] });

function subsidyWorkflow(programme: SubsidyProgramme): WorkflowDefinition {
  const living = programme === 'disability_living';
  return {
    code: `${programme}-2015`,
    programme,
    nameZh: `${SUBSIDY_NAME_ZH[programme]}申请审核（国发〔2015〕52号）`,
    citation: 'POLICY.md §4 [K] 乡镇（街道）受理、初审，县级审定；时限为本地设置',
    decisionBody: 'county',
    decisionStep: 'decision',
    steps: [
      {
        code: 'acceptance',
        nameZh: '乡镇（街道）受理（持第二代残疾人证）',
        permission: 'disability.apply',
        materials: [
          dm('application_form'),
          dm('disability_cert_copy'),
          dm('id_copies'),
          ...(living ? [dm('dibao_proof')] : []),
        ],
      },
      {
        code: 'township_review',
        nameZh: '乡镇（街道）初审（按申请日规则评估）',
        permission: 'disability.review',
        materials: [dm('township_review_form')],
        timeLimit: {
          workingDays: DISABILITY_LIMITS.townshipWorkingDays,
          from: 'acceptance',
          citation: `本地设置：受理后 ${DISABILITY_LIMITS.townshipWorkingDays} 个工作日内完成初审`,
        },
      },
      {
        code: 'decision',
        nameZh: '县级审定',
        permission: 'disability.approve',
        materials: [dm('approval_form')],
        timeLimit: {
          workingDays: DISABILITY_LIMITS.countyWorkingDays,
          from: 'township_review',
          citation: `本地设置：初审后 ${DISABILITY_LIMITS.countyWorkingDays} 个工作日内审定`,
        },
      },
    ],
    rejections: [
      { atStep: 'acceptance', permission: 'disability.apply', notice: 'not_accepted', issuer: 'township' },
      { atStep: 'township_review', permission: 'disability.review', notice: 'not_confirmed', issuer: 'township' },
      { atStep: 'decision', permission: 'disability.approve', notice: 'not_confirmed', issuer: 'county' },
    ],
    archive: [dm('notice_receipt')],
  };
}

export const disabilityLivingWorkflow = subsidyWorkflow('disability_living');
export const disabilityNursingWorkflow = subsidyWorkflow('disability_nursing');

/** The subsidy is paid from the month after the county's approval (the brief's rule, as for 低保 and 特困). */
export function subsidyStartMonth(approvedOn: string): string {
  return addMonths(approvedOn.slice(0, 7), 1);
}
