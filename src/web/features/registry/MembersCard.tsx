import { EyeOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table } from 'antd';
import { useI18n } from '../../app/i18n';
import type { HouseholdDetail, PersonView } from './api';
import { codeText } from './columns';
import { DISABILITY, HEALTH, LABOUR, RELATION, SEX } from './labels';
import { type MemberAction, MemberActions } from './MemberActions';

/** The household page's members: ID numbers masked (the eye reveals one, audited), and each row's actions. */
export function MembersCard({
  household: h,
  writable,
  canReveal,
  revealed,
  onReveal,
  onAdd,
  onAction,
}: {
  household: HouseholdDetail;
  writable: boolean;
  canReveal: boolean;
  revealed: Record<number, string>;
  onReveal(p: PersonView): void;
  onAdd(): void;
  onAction(p: PersonView, a: MemberAction): void;
}) {
  const { lang, t } = useI18n();
  return (
    <Card
      title={t(`家庭成员（${h.members.length} 人）`, `Members (${h.members.length})`)}
      size="small"
      style={{ marginBottom: 16 }}
      extra={
        writable && (
          <Button size="small" icon={<UserAddOutlined />} onClick={onAdd}>
            {t('添加成员', 'Add member')}
          </Button>
        )
      }
    >
      <Table<PersonView>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={h.members}
        scroll={{ x: 1040 }}
        data-testid="members"
        columns={[
          { title: t('姓名', 'Name'), dataIndex: 'name', width: 90 },
          {
            title: t('关系', 'Relation'),
            dataIndex: 'relation',
            width: 80,
            render: codeText(RELATION, lang),
          },
          {
            title: t('身份证号码', 'ID number'),
            width: 220,
            render: (_: unknown, p) => (
              <Space size={2}>
                <span className="jz-mono" data-testid={`id-${p.id}`}>
                  {revealed[p.id] ?? p.idNumberMasked}
                </span>
                {!revealed[p.id] && canReveal && (
                  <Button
                    size="small"
                    type="link"
                    icon={<EyeOutlined />}
                    aria-label={t(`查看 ${p.name} 的完整身份证号码`, `Show the full ID number of ${p.name}`)}
                    onClick={() => onReveal(p)}
                    className="jz-no-print"
                  />
                )}
              </Space>
            ),
          },
          { title: t('性别', 'Sex'), dataIndex: 'sex', width: 55, render: (s: 'M' | 'F') => SEX[s][lang] },
          { title: t('年龄', 'Age'), dataIndex: 'age', width: 55 },
          {
            title: t('健康', 'Health'),
            dataIndex: 'health',
            width: 80,
            render: codeText(HEALTH, lang),
          },
          {
            title: t('劳动能力', 'Labour'),
            dataIndex: 'labourCapacity',
            width: 120,
            render: codeText(LABOUR, lang),
          },
          {
            title: t('残疾', 'Disability'),
            width: 150,
            render: (_: unknown, p) =>
              p.disabilityCert
                ? `${DISABILITY[p.disabilityCert.type][lang]}${p.disabilityCert.level ? t(`${p.disabilityCert.level}级`, ` L${p.disabilityCert.level}`) : ''}（${t(`第${p.disabilityCert.generation}代证`, `gen ${p.disabilityCert.generation}`)}）`
                : '—',
          },
          { title: t('电话', 'Phone'), dataIndex: 'phone', width: 120, render: (v: string | null) => v ?? '—' },
          ...(writable
            ? [
                {
                  title: t('操作', 'Actions'),
                  width: 130,
                  fixed: 'right' as const,
                  className: 'jz-no-print',
                  render: (_: unknown, p: PersonView) => <MemberActions person={p} onAction={(a) => onAction(p, a)} />,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
