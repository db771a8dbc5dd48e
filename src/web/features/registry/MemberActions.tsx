import { DownOutlined } from '@ant-design/icons';
import { Button, Dropdown, type MenuProps, Space, Table, Tag } from 'antd';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import type { HouseholdDetail, PersonView } from './api';
import { RELATION } from './labels';

export type MemberAction = 'edit' | 'move' | 'leave' | 'cert' | 'correct';

/**
 * The actions of a member row: 修改, and under 更多 the move to another household, leaving the household, the
 * disability certificate, and the ID-number correction (only for roles with registry.correct_id). The head can
 * neither move nor leave directly — the entries say why.
 */
export function MemberActions({ person, onAction }: { person: PersonView; onAction(a: MemberAction): void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const isHead = person.relation === 'head';
  const headNote = t('（户主须先变更户主）', '(change the head first)');
  const items: MenuProps['items'] = [
    {
      key: 'move',
      label: t('迁往其他家庭户', 'Move to another household') + (isHead ? headNote : ''),
      disabled: isHead,
    },
    { key: 'leave', label: t('迁出本户', 'Leave the household') + (isHead ? headNote : ''), disabled: isHead },
    {
      key: 'cert',
      label: person.disabilityCert
        ? t('修改残疾人证', 'Disability certificate')
        : t('登记残疾人证', 'Add a disability certificate'),
    },
    ...(can('registry.correct_id') ? [{ key: 'correct', label: t('更正身份证号码', 'Correct the ID number') }] : []),
  ];
  return (
    <Space size={0}>
      <Button
        size="small"
        type="link"
        onClick={() => onAction('edit')}
        aria-label={t(`修改 ${person.name}`, `Edit ${person.name}`)}
      >
        {t('修改', 'Edit')}
      </Button>
      <Dropdown trigger={['click']} menu={{ items, onClick: (e) => onAction(e.key as MemberAction) }}>
        <Button size="small" type="link" aria-label={t(`${person.name} 的更多操作`, `More for ${person.name}`)}>
          {t('更多', 'More')} <DownOutlined />
        </Button>
      </Dropdown>
    </Space>
  );
}

/** Who joined and left the household, and when (household_memberships — recorded, never overwritten). */
export function MembershipTable({ household }: { household: HouseholdDetail }) {
  const { lang, t } = useI18n();
  return (
    <Table<HouseholdDetail['memberships'][number]>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={household.memberships}
      data-testid="memberships"
      locale={{ emptyText: t('没有迁入迁出记录', 'No stays recorded') }}
      scroll={{ x: 600 }}
      columns={[
        { title: t('姓名', 'Name'), dataIndex: 'personName', width: 100 },
        {
          title: t('关系', 'Relation'),
          dataIndex: 'relation',
          width: 90,
          render: (r: keyof typeof RELATION) => RELATION[r]?.[lang] ?? r,
        },
        { title: t('迁入', 'Joined'), dataIndex: 'joinedOn', width: 110 },
        {
          title: t('迁出', 'Left'),
          dataIndex: 'leftOn',
          width: 110,
          render: (v: string | null) => v ?? <Tag color="green">{t('在户', 'member')}</Tag>,
        },
        { title: t('迁出原因', 'Reason'), dataIndex: 'leaveReason', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}
