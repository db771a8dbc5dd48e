import { App, Button, Card, Space, Table, type TableColumnsType, Tag } from 'antd';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useI18n } from '../../app/i18n';
import type { HouseholdDetail, IncomeItem, PropertyItem } from './api';
import { ENROLLMENT_STATUS, INCOME, PERIOD, PROGRAMME, PROPERTY, yuan } from './labels';

type Collection = 'income-items' | 'property-items';

/** The dialog an item card opens: a new item of its kind, or the item to edit. */
export type ItemEdit = { kind: 'income'; item?: IncomeItem } | { kind: 'property'; item?: PropertyItem };

/** One of the household's item lists: a card with its table and, when writable, the button that adds an item. */
function ItemCard<I extends IncomeItem | PropertyItem>({
  title,
  addText,
  emptyText,
  items,
  columns,
  writable,
  onAdd,
}: {
  title: string;
  addText: string;
  emptyText: string;
  items: I[];
  columns: TableColumnsType<I>;
  writable: boolean;
  onAdd(): void;
}) {
  return (
    <Card
      title={title}
      size="small"
      extra={
        writable && (
          <Button size="small" className="jz-no-print" onClick={onAdd}>
            {addText}
          </Button>
        )
      }
    >
      <Table<I>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        locale={{ emptyText }}
        columns={columns}
      />
    </Card>
  );
}

/**
 * The household's income and property items side by side; when writable, each row can be edited or deleted (the
 * deletion asks first, sends the item's version and stays in the history).
 */
export function ItemCards({
  household: h,
  writable,
  nameOf,
  onEdit,
  reload,
}: {
  household: HouseholdDetail;
  writable: boolean;
  nameOf(personId: number | null): string;
  onEdit(edit: ItemEdit): void;
  reload(): Promise<unknown>;
}) {
  const { lang, t } = useI18n();
  const { message, modal } = App.useApp();
  const deleteItem = (kind: Collection, item: { id: number; version: number }) =>
    modal.confirm({
      title: t('删除这一项？', 'Delete this item?'),
      content: t('删除后仍保留在变更记录中。', 'It stays in the history.'),
      okText: t('删除', 'Delete'),
      okButtonProps: { danger: true },
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        try {
          await api.delete(`/v1/registry/${kind}/${item.id}`, { query: { version: item.version } });
          message.success(t('已删除', 'Deleted'));
        } catch (e) {
          message.error(applyProblem(null, e));
        }
        await reload();
      },
    });
  const itemActions = <I extends IncomeItem | PropertyItem>(kind: Collection, edit: (i: I) => void) =>
    writable
      ? [
          {
            title: '',
            width: 110,
            className: 'jz-no-print',
            render: (_: unknown, i: I) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => edit(i)}>
                  {t('修改', 'Edit')}
                </Button>
                <Button size="small" type="link" danger onClick={() => deleteItem(kind, i)}>
                  {t('删除', 'Delete')}
                </Button>
              </Space>
            ),
          },
        ]
      : [];

  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
        gap: 16,
        marginBottom: 16,
      }}
    >
      <ItemCard<IncomeItem>
        title={t('收入', 'Income')}
        addText={t('登记收入', 'Add income')}
        emptyText={t('未登记收入', 'No income recorded')}
        items={h.incomeItems}
        writable={writable}
        onAdd={() => onEdit({ kind: 'income' })}
        columns={[
          { title: t('类别', 'Kind'), dataIndex: 'kind', render: (k: keyof typeof INCOME) => INCOME[k][lang] },
          { title: t('成员', 'Member'), dataIndex: 'personId', render: nameOf },
          {
            title: t('金额（元）', 'Amount (yuan)'),
            align: 'right',
            render: (_: unknown, i) => `${yuan(i.amountFen)} / ${PERIOD[i.period][lang]}`,
          },
          {
            title: t('核对', 'Verified'),
            dataIndex: 'verified',
            render: (v: boolean) =>
              v ? <Tag color="green">{t('已核对', 'verified')}</Tag> : <Tag>{t('申报', 'declared')}</Tag>,
          },
          ...itemActions<IncomeItem>('income-items', (item) => onEdit({ kind: 'income', item })),
        ]}
      />
      <ItemCard<PropertyItem>
        title={t('财产', 'Property')}
        addText={t('登记财产', 'Add property')}
        emptyText={t('未登记财产', 'No property recorded')}
        items={h.propertyItems}
        writable={writable}
        onAdd={() => onEdit({ kind: 'property' })}
        columns={[
          { title: t('类别', 'Kind'), dataIndex: 'kind', render: (k: keyof typeof PROPERTY) => PROPERTY[k][lang] },
          {
            title: t('说明', 'Description'),
            render: (_: unknown, i) =>
              [i.description, i.vehicleType, i.areaSqm != null ? `${i.areaSqm}㎡` : null].filter(Boolean).join(' · ') ||
              '—',
          },
          { title: t('价值（元）', 'Value (yuan)'), dataIndex: 'valueFen', align: 'right', render: yuan },
          ...itemActions<PropertyItem>('property-items', (item) => onEdit({ kind: 'property', item })),
        ]}
      />
    </div>
  );
}

/** 享受救助: the household's programme enrolments (who, status, period, monthly amount). */
export function ProgrammesCard({
  household: h,
  nameOf,
}: {
  household: HouseholdDetail;
  nameOf(personId: number | null): string;
}) {
  const { lang, t } = useI18n();
  return (
    <Card title={t('享受救助', 'Programmes')} size="small" style={{ marginBottom: 16 }}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={h.enrollments}
        locale={{ emptyText: t('未享受救助', 'No programmes') }}
        columns={[
          {
            title: t('项目', 'Programme'),
            dataIndex: 'programme',
            render: (p: keyof typeof PROGRAMME) => PROGRAMME[p][lang],
          },
          { title: t('对象', 'For'), dataIndex: 'personId', render: nameOf },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (s: keyof typeof ENROLLMENT_STATUS) => ENROLLMENT_STATUS[s][lang],
          },
          {
            title: t('起止', 'Period'),
            render: (_: unknown, e: HouseholdDetail['enrollments'][number]) =>
              `${e.startMonth} — ${e.endMonth ?? t('至今', 'now')}`,
          },
          {
            title: t('月发放（元）', 'Monthly (yuan)'),
            dataIndex: 'monthlyAmountFen',
            align: 'right' as const,
            render: yuan,
          },
        ]}
      />
    </Card>
  );
}
