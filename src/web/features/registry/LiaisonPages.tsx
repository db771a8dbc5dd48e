import { Tag } from 'antd';
import { type AssistanceMember, type DangerousHousing, type DisabledPerson, REG } from './api';
import { householdLink, personColumns } from './columns';
import { DISABILITY, HOUSING_RATING, PROGRAMME } from './labels';
import { LiaisonList, type LiaisonListDef } from './LiaisonList';

/**
 * The department liaison lists of GET /registry/dangerous-housing, /disabled-persons and /assistance-members, for the
 * partner departments (住建, 残联, 医保) and the bureau. A name links to the household page only for roles that may
 * read the registry (registry.read); a liaison sees the list and nothing to edit.
 */

/** 危房清单 (住建): C/D-rated households, with their dibao class when they receive dibao. */
export function DangerousHousingPage() {
  return <LiaisonList def={dangerousHousing} />;
}
const dangerousHousing: LiaisonListDef<DangerousHousing> = ({ lang, t, linked }) => ({
  title: t('危房清单', 'Dangerous housing'),
  intro: t(
    '住房安全等级鉴定为 C 级（局部危险）或 D 级（整体危险）的家庭户，供住建部门安排农村危房改造；享受低保的标出低保类别。',
    'Households whose housing is rated C (partly dangerous) or D (dangerous), for the housing department’s renovation programme; dibao households show their class.',
  ),
  path: REG.dangerousHousing,
  id: 'dangerous-housing',
  rowKey: 'householdId',
  unit: { zh: '户', en: 'households' },
  scrollX: 1000,
  columns: [
    {
      title: t('户主', 'Head'),
      dataIndex: 'headName',
      width: 110,
      fixed: 'left',
      render: (n: string | null, h) => (linked ? householdLink(h.householdId, n ?? `#${h.householdId}`) : (n ?? '—')),
    },
    { title: t('村（社区）', 'Village'), dataIndex: 'villageName', width: 150, ellipsis: true },
    { title: t('地址', 'Address'), dataIndex: 'address', ellipsis: true },
    {
      title: t('住房安全等级', 'Rating'),
      dataIndex: 'rating',
      width: 150,
      render: (r: 'C' | 'D') => <Tag color={r === 'D' ? 'red' : 'orange'}>{HOUSING_RATING[r][lang]}</Tag>,
    },
    {
      title: t('鉴定日期', 'Appraised on'),
      dataIndex: 'appraisedOn',
      width: 110,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('鉴定机构', 'Appraised by'),
      dataIndex: 'appraisalBody',
      width: 150,
      ellipsis: true,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('低保', 'Dibao'),
      width: 120,
      render: (_: unknown, h) =>
        h.dibaoKind === 'rural'
          ? t(
              `农村低保${h.dibaoClass ? ` ${h.dibaoClass} 类` : ''}`,
              `Rural${h.dibaoClass ? ` class ${h.dibaoClass}` : ''}`,
            )
          : h.dibaoKind === 'urban'
            ? t('城市低保', 'Urban')
            : '—',
    },
  ],
});

/** 持证残疾人清单 (残联): certificate holders, ID numbers masked. */
export function DisabledPersonsPage() {
  return <LiaisonList def={disabledPersons} />;
}
const disabledPersons: LiaisonListDef<DisabledPerson> = ({ lang, t }) => ({
  title: t('持证残疾人清单', 'Disability certificate holders'),
  intro: t(
    '辖区内持有残疾人证的人员（身份证号码脱敏），供残联核对困难残疾人生活补贴和重度残疾人护理补贴。',
    'Persons in your area holding a disability certificate (ID numbers masked), for the federation’s two subsidies.',
  ),
  path: REG.disabledPersons,
  id: 'disabled-persons',
  rowKey: 'personId',
  unit: { zh: '人', en: 'persons' },
  scrollX: 1150,
  columns: [
    { title: t('姓名', 'Name'), dataIndex: 'name', width: 90, fixed: 'left' },
    ...personColumns<DisabledPerson>(lang, t),
    { title: t('村（社区）', 'Village'), dataIndex: 'villageName', width: 140, ellipsis: true },
    { title: t('残疾人证号', 'Certificate no.'), dataIndex: 'certNo', width: 200, className: 'jz-mono' },
    {
      title: t('代别', 'Gen.'),
      dataIndex: 'generation',
      width: 80,
      render: (g: number) => t(g === 1 ? '第一代' : '第二代', g === 1 ? '1st' : '2nd'),
    },
    {
      title: t('类别 / 等级', 'Type / level'),
      width: 110,
      render: (_: unknown, p) => `${DISABILITY[p.type][lang]}${p.level ? t(` ${p.level} 级`, ` L${p.level}`) : ''}`,
    },
    {
      title: t('需长期照护', 'Long-term care'),
      dataIndex: 'needsLongTermCare',
      width: 100,
      render: (v: boolean) => (v ? <Tag color="orange">{t('是', 'yes')}</Tag> : t('否', 'no')),
    },
    {
      title: t('本地户籍', 'Local hukou'),
      dataIndex: 'hukouLocal',
      width: 90,
      render: (v: boolean) => (v ? t('是', 'yes') : t('否', 'no')),
    },
  ],
});

/** 救助对象成员清单 (医保 …): members of dibao households and 特困 persons, ID numbers masked. */
export function AssistanceMembersPage() {
  return <LiaisonList def={assistanceMembers} />;
}
const assistanceMembers: LiaisonListDef<AssistanceMember> = ({ lang, t, linked }) => ({
  title: t('救助对象成员清单', 'Assistance recipients'),
  intro: t(
    '享受低保家庭的成员和特困供养人员（身份证号码脱敏），供医保部门落实医疗救助和参保资助。',
    'Members of dibao households and tekun persons (ID numbers masked), for medical assistance and insurance subsidies.',
  ),
  path: REG.assistanceMembers,
  id: 'assistance-members',
  rowKey: 'personId',
  unit: { zh: '人', en: 'persons' },
  scrollX: 900,
  columns: [
    {
      title: t('姓名', 'Name'),
      dataIndex: 'name',
      width: 100,
      fixed: 'left',
      render: (n: string, p) => (linked ? householdLink(p.householdId, n) : n),
    },
    ...personColumns<AssistanceMember>(lang, t),
    { title: t('村（社区）', 'Village'), dataIndex: 'villageName', ellipsis: true },
    {
      title: t('救助类别', 'Programmes'),
      dataIndex: 'programmes',
      width: 140,
      render: (ps: Array<'dibao' | 'tekun'>) =>
        ps.map((p) => (
          <Tag key={p} color="volcano">
            {PROGRAMME[p][lang]}
          </Tag>
        )),
    },
  ],
});
