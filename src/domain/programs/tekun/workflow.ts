/**
 * 特困 procedure time limits and the county's random re-check sample. POLICY.md §3 [C arts.13–18]:
 * township investigation and first review ≤ 15 working days; 公示 7 days; county decision ≤ 15 working days with
 * ≥ 30% random re-checks; refusal in writing within 3 days; support from the month after confirmation.
 */
import { addDays, addMonths, addWorkingDays, type WorkCalendar } from '../../calendar.js';

export const TEKUN_LIMITS = {
  townshipWorkingDays: 15,
  publicityDays: 7,
  countyWorkingDays: 15,
  recheckPercent: 30,
  refusalNoticeDays: 3,
} as const;

/** Due dates of each step from the acceptance date (受理) and, once known, the publicity end. POLICY.md §3 [C arts.13–18]. */
export function tekunDeadlines(acceptedOn: string, cal: WorkCalendar, publicityStartedOn?: string) {
  const townshipDue = addWorkingDays(acceptedOn, TEKUN_LIMITS.townshipWorkingDays, cal);
  const publicityStart = publicityStartedOn ?? townshipDue;
  const publicityEnds = addDays(publicityStart, TEKUN_LIMITS.publicityDays);
  const countyDue = addWorkingDays(publicityEnds, TEKUN_LIMITS.countyWorkingDays, cal);
  return { townshipDue, publicityEnds, countyDue };
}

/** Minimum number of cases the county re-checks at random out of `n` (≥ 30%, rounded up). POLICY.md §3 [C art.16]. */
export function recheckSampleSize(n: number, percent: number = TEKUN_LIMITS.recheckPercent): number {
  return Math.ceil((n * percent) / 100);
}

/**
 * Deterministic random selection of the re-check sample: a seeded shuffle (mulberry32) of the case ids, so the
 * recorded sample can be reproduced from the seed kept with it.
 */
export function pickRecheckSample<T>(
  ids: readonly T[],
  seed: number,
  percent: number = TEKUN_LIMITS.recheckPercent,
): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const arr = [...ids];
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [arr[i], arr[j]] = [arr[j]!, arr[i]!];
  }
  return arr.slice(0, recheckSampleSize(ids.length, percent));
}

/** Support is paid from the month after confirmation. POLICY.md §3 [C art.18]. */
export function supportStartMonth(confirmedOn: string): string {
  return addMonths(confirmedOn.slice(0, 7), 1);
}

export const TEKUN_MATERIALS = {
  application_form: '特困人员救助供养申请书',
  id_copies: '身份证、户口簿复印件',
  circumstances_declaration: '本人、法定义务人收入和财产状况申报',
  verification_authorization: '经济状况核对授权书',
  investigation_form: '入户调查表（劳动能力、生活来源、法定义务人履行能力）',
  self_care_assessment: '生活自理能力评估表（六项指标）',
  review_minutes: '民主评议记录',
  publicity_record: '公示照片或记录',
  recheck_record: '县级抽查核实记录（抽中时）',
  approval_form: '特困人员认定审批表',
  notice_receipt: '书面告知书送达回执',
} as const;

const tm = (kind: keyof typeof TEKUN_MATERIALS) => ({ kind, nameZh: TEKUN_MATERIALS[kind] });

/**
 * The 特困 procedure as data for the shared case engine (src/domain/workflow/engine.ts). POLICY.md §3
 * [C arts.13–18]: township acceptance, investigation and first review ≤ 15 working days (民主评议 optional — here
 * after an objection), 公示 7 days, county decision ≤ 15 working days after the 公示 with ≥ 30% of cases re-checked
 * at random (pickRecheckSample; the re-check record is filed with a sampled case), refusal in writing by the county.
 */
export const tekunCaseWorkflow = {
  code: 'tekun-2021',
  programme: 'tekun',
  nameZh: '特困人员认定（2021 认定办法）',
  citation: '特困人员认定办法 第十三至十八条',
  decisionBody: 'county' as const,
  decisionStep: 'decision',
  steps: [
    {
      code: 'acceptance',
      nameZh: '受理',
      permission: 'tekun.apply',
      materials: [
        tm('application_form'),
        tm('id_copies'),
        tm('circumstances_declaration'),
        tm('verification_authorization'),
      ],
    },
    {
      code: 'investigation',
      nameZh: '调查核实与乡镇初审',
      permission: 'tekun.review',
      materials: [tm('investigation_form'), tm('self_care_assessment')],
      timeLimit: {
        workingDays: TEKUN_LIMITS.townshipWorkingDays,
        from: 'acceptance',
        citation: '特困人员认定办法 第十四条（15个工作日）',
      },
    },
    {
      code: 'democratic_review',
      nameZh: '民主评议（有异议时）',
      permission: 'tekun.review',
      materials: [tm('review_minutes')],
      when: 'objection' as const,
    },
    {
      code: 'publicity',
      nameZh: '初审公示（7天）',
      permission: 'tekun.review',
      materials: [tm('publicity_record')],
      minCalendarDays: TEKUN_LIMITS.publicityDays,
    },
    {
      code: 'decision',
      nameZh: '县级审核确认（不低于30%随机抽查）',
      permission: 'tekun.approve',
      materials: [tm('approval_form')],
      timeLimit: {
        workingDays: TEKUN_LIMITS.countyWorkingDays,
        from: 'publicity',
        citation: '特困人员认定办法 第十六条（15个工作日，抽查比例不低于30%）',
      },
    },
  ],
  rejections: [
    { atStep: 'acceptance', permission: 'tekun.apply', notice: 'not_accepted', issuer: 'township' as const },
    { atStep: 'decision', permission: 'tekun.approve', notice: 'not_confirmed', issuer: 'county' as const },
  ],
  archive: [tm('notice_receipt')],
};
