import {
  CheckCircleOutlined,
  EditOutlined,
  EyeOutlined,
  HistoryOutlined,
  PrinterOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Result, Skeleton, Space, Table, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { todayCst } from '../../../domain/calendar';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, type IncomeItem, type PersonView, type PropertyItem, REG } from './api';
import { type ConflictState, ConflictDialog } from './Conflict';
import { CorrectIdDialog } from './CorrectIdDialog';
import { DissolveDialog } from './DissolveDialog';
import { HistoryTimeline } from './HistoryTimeline';
import { HouseholdDialog } from './HouseholdDialog';
import { ENROLLMENT_STATUS, HOUSING_RATING, HUKOU, INCOME, PERIOD, PROGRAMME, PROPERTY, yuan } from './labels';
import { ItemDialog } from './ItemDialog';
import { type MemberAction, MembershipTable } from './MemberActions';
import { MembersCard } from './MembersCard';
import { MemberDialog } from './MemberDialog';
import { MoveDialog } from './MoveDialog';
import { CertDialog, LeaveDialog } from './PersonActions';

export default function HouseholdPage() {
  const { id } = useParams();
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const [editingMember, setEditingMember] = useState<PersonView | 'new' | null>(null);
  const [editingHousehold, setEditingHousehold] = useState(false);
  const [conflict, setConflict] = useState<ConflictState | null>(null);
  const [personAction, setPersonAction] = useState<{
    kind: Exclude<MemberAction, 'edit'>;
    person: PersonView;
  } | null>(null);
  const [addingItem, setAddingItem] = useState<{
    kind: 'income' | 'property' | 'account';
    item?: IncomeItem | PropertyItem;
  } | null>(null);
  const [dissolving, setDissolving] = useState(false);
  const nav = useNavigate();
  const [revealed, setRevealed] = useState<Record<number, string>>({});
  const [account, setAccount] = useState<string | null>(null);
  const key = ['registry', 'household', id, asOf ?? null];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<HouseholdDetail>(REG.household(id!), { query: { asOf } }),
  });
  const reload = () => qc.invalidateQueries({ queryKey: ['registry', 'household', id] });

  if (q.error) {
    if (q.error instanceof ApiError && q.error.status === 404) {
      return (
        <Result
          status="404"
          title={t('未找到该家庭', 'Household not found')}
          subTitle={t('该记录不存在，或不在您的管辖范围内。', 'It does not exist or is outside your area.')}
          extra={<Link to="/registry">{t('返回台账', 'Back to the registry')}</Link>}
          data-testid="household-not-found"
        />
      );
    }
    return <Alert type="error" showIcon title={applyProblem(null, q.error)} />;
  }
  if (!q.data) return <Skeleton active />;
  const h = q.data;
  const writable = can('registry.write') && !asOf && h.status === 'active';
  // A dissolved household has no head any more; its title names the last one from the recorded stays.
  const formerHead = h.memberships.filter((m) => m.relation === 'head').at(-1)?.personName;
  const nameOf = (pid: number | null) =>
    pid ? (h.members.find((m) => m.id === pid)?.name ?? `#${pid}`) : t('全户', 'Household');

  const revealId = (p: PersonView) =>
    modal.confirm({
      title: t(`查看 ${p.name} 的完整身份证号码？`, `Show the full ID number of ${p.name}?`),
      content: t('查看完整号码将记入审计日志。', 'Viewing the full number is recorded in the audit trail.'),
      okText: t('查看', 'Show'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        try {
          const r = await api.post<{ id: number; idNumber: string }>(REG.revealId(p.id), {});
          setRevealed((x) => ({ ...x, [p.id]: r.idNumber }));
        } catch (e) {
          message.error(applyProblem(null, e));
        }
      },
    });
  const deleteItem = (kind: 'income-items' | 'property-items', item: { id: number; version: number }) =>
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
  const itemActions = <I extends IncomeItem | PropertyItem>(kind: 'income-items' | 'property-items') =>
    writable
      ? [
          {
            title: '',
            width: 110,
            className: 'jz-no-print',
            render: (_: unknown, i: I) => (
              <Space size={0}>
                <Button
                  size="small"
                  type="link"
                  onClick={() => setAddingItem({ kind: kind === 'income-items' ? 'income' : 'property', item: i })}
                >
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
  const revealAccount = async () => {
    try {
      const r = await api.post<{ account: string | null }>(REG.revealAccount(h.id), {});
      setAccount(r.account ?? '—');
    } catch (e) {
      message.error(applyProblem(null, e));
    }
  };

  return (
    <div data-testid="household-page">
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'flex-start',
          flexWrap: 'wrap',
          gap: 8,
          marginBottom: 16,
        }}
      >
        <div>
          <h1 className="jz-page-title" style={{ marginBottom: 4 }}>
            {t('家庭档案', 'Household')}：
            {h.headName ?? (formerHead ? t(`${formerHead}（原户主）`, `${formerHead} (former head)`) : '—')}
            {h.status === 'dissolved' && <Tag style={{ marginInlineStart: 8 }}>{t('已注销', 'Dissolved')}</Tag>}
            {asOf && (
              <Tag color="purple" style={{ marginInlineStart: 8 }}>
                {t(`截至 ${asOf} 的状态`, `As of ${asOf}`)}
              </Tag>
            )}
          </h1>
          <div style={{ color: '#666' }}>
            {h.regionPath} · {h.address}
          </div>
        </div>
        <Space wrap className="jz-no-print">
          <Space.Compact>
            <DatePicker
              aria-label={t('查看历史日期', 'As-of date')}
              placeholder={t('查看某日状态', 'View as of a date')}
              value={asOf ? dayjs(asOf) : null}
              disabledDate={(d) => d.format('YYYY-MM-DD') > todayCst()}
              onChange={(d) => {
                const next = new URLSearchParams(params);
                if (d) next.set('asOf', d.format('YYYY-MM-DD'));
                else next.delete('asOf');
                setParams(next);
              }}
              data-testid="as-of"
            />
          </Space.Compact>
          {asOf && <Button onClick={() => setParams({})}>{t('回到当前', 'Back to now')}</Button>}
          {writable && (
            <Button icon={<EditOutlined />} onClick={() => setEditingHousehold(true)}>
              {t('修改家庭信息', 'Edit household')}
            </Button>
          )}
          {writable && (
            <Button danger icon={<StopOutlined />} onClick={() => setDissolving(true)}>
              {t('注销家庭户', 'Dissolve household')}
            </Button>
          )}
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('打印', 'Print')}
          </Button>
        </Space>
      </div>

      {h.status === 'dissolved' && !asOf && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="dissolved-banner"
          title={t(
            `该户已于 ${new Date(h.changedAt).toLocaleDateString('zh-CN')} 注销${h.changeReason ? `（${h.changeReason}）` : ''}，本页只读。`,
            `This household was dissolved on ${new Date(h.changedAt).toLocaleDateString('en-CA')}${h.changeReason ? ` (${h.changeReason})` : ''}; the page is read-only.`,
          )}
          description={t(
            '原成员的人员档案保留，见下方「迁入迁出记录」；选择日期可查看注销前的状态。',
            'The former members keep their person records (see the stays below); pick a date to see the state before.',
          )}
        />
      )}
      <Card title={t('基本信息与住房', 'Household and housing')} size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('户编号', 'Household no.')}>{h.householdNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('户籍性质', 'Hukou')}>{HUKOU[h.hukouType][lang]}</Descriptions.Item>
          <Descriptions.Item label={t('立户日期', 'Formed on')}>{h.formedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('房屋结构', 'Structure')}>{h.housing.structure ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('住房安全等级', 'Housing rating')}>
            {h.housing.rating ? (
              <Tag color={h.housing.rating >= 'C' ? 'red' : 'green'}>{HOUSING_RATING[h.housing.rating][lang]}</Tag>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('鉴定', 'Appraisal')}>
            {[h.housing.appraisedOn, h.housing.appraisalBody].filter(Boolean).join(' · ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('发放账户', 'Payment account')}>
            {h.paymentAccount.accountMasked ? (
              <Space size={4}>
                <span>{h.paymentAccount.bankName}</span>
                <span className="jz-mono" data-testid="account">
                  {account ?? h.paymentAccount.accountMasked}
                </span>
                <span>{h.paymentAccount.holder}</span>
                {!account && can('pii.reveal') && !asOf && (
                  <Tooltip title={t('查看完整账号（记入审计）', 'Show the full account (audited)')}>
                    <Button
                      size="small"
                      type="link"
                      icon={<EyeOutlined />}
                      onClick={revealAccount}
                      aria-label={t('查看完整账号', 'Show the full account')}
                    />
                  </Tooltip>
                )}
              </Space>
            ) : (
              t('未登记', 'None')
            )}
            {writable && (
              <Button
                size="small"
                type="link"
                className="jz-no-print"
                onClick={() => setAddingItem({ kind: 'account' })}
              >
                {h.paymentAccount.accountMasked ? t('更换', 'Change') : t('设置', 'Set')}
              </Button>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('最近变更', 'Last change')}>
            {new Date(h.changedAt).toLocaleString('zh-CN')}
            {h.changeReason ? `（${h.changeReason}）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('版本', 'Version')}>{h.version}</Descriptions.Item>
        </Descriptions>
      </Card>

      <MembersCard
        household={h}
        writable={writable}
        canReveal={can('pii.reveal') && !asOf}
        revealed={revealed}
        onReveal={revealId}
        onAdd={() => setEditingMember('new')}
        onAction={(p, a) => (a === 'edit' ? setEditingMember(p) : setPersonAction({ kind: a, person: p }))}
      />

      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))',
          gap: 16,
          marginBottom: 16,
        }}
      >
        <Card
          title={t('收入', 'Income')}
          size="small"
          extra={
            writable && (
              <Button size="small" className="jz-no-print" onClick={() => setAddingItem({ kind: 'income' })}>
                {t('登记收入', 'Add income')}
              </Button>
            )
          }
        >
          <Table<IncomeItem>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={h.incomeItems}
            locale={{ emptyText: t('未登记收入', 'No income recorded') }}
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
              ...itemActions<IncomeItem>('income-items'),
            ]}
          />
        </Card>
        <Card
          title={t('财产', 'Property')}
          size="small"
          extra={
            writable && (
              <Button size="small" className="jz-no-print" onClick={() => setAddingItem({ kind: 'property' })}>
                {t('登记财产', 'Add property')}
              </Button>
            )
          }
        >
          <Table<PropertyItem>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={h.propertyItems}
            locale={{ emptyText: t('未登记财产', 'No property recorded') }}
            columns={[
              { title: t('类别', 'Kind'), dataIndex: 'kind', render: (k: keyof typeof PROPERTY) => PROPERTY[k][lang] },
              {
                title: t('说明', 'Description'),
                render: (_: unknown, i) =>
                  [i.description, i.vehicleType, i.areaSqm != null ? `${i.areaSqm}㎡` : null]
                    .filter(Boolean)
                    .join(' · ') || '—',
              },
              { title: t('价值（元）', 'Value (yuan)'), dataIndex: 'valueFen', align: 'right', render: yuan },
              ...itemActions<PropertyItem>('property-items'),
            ]}
          />
        </Card>
      </div>

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

      <Card title={t('迁入迁出记录', 'Stays in the household')} size="small" style={{ marginBottom: 16 }}>
        <MembershipTable household={h} />
      </Card>

      <Card
        title={
          <>
            <HistoryOutlined /> {t('变更记录', 'History')}
          </>
        }
        size="small"
        className="jz-history"
      >
        <HistoryTimeline householdId={h.id} />
      </Card>

      {editingMember && (
        <MemberDialog
          householdId={h.id}
          person={editingMember === 'new' ? null : editingMember}
          onConflict={setConflict}
          onClose={(saved) => {
            setEditingMember(null);
            if (saved) {
              message.success(t('已保存', 'Saved'));
              void reload();
            }
          }}
        />
      )}
      {editingHousehold && (
        <HouseholdDialog
          household={h}
          onConflict={setConflict}
          onClose={(saved) => {
            setEditingHousehold(false);
            if (saved) {
              message.success(t('已保存', 'Saved'));
              void reload();
            }
          }}
        />
      )}
      {personAction?.kind === 'cert' && (
        <CertDialog
          person={personAction.person}
          onClose={(saved) => {
            setPersonAction(null);
            if (saved) {
              message.success(t('已保存', 'Saved'));
              void reload();
            }
          }}
        />
      )}
      {personAction?.kind === 'leave' && (
        <LeaveDialog
          person={personAction.person}
          onClose={(saved, stale) => {
            setPersonAction(null);
            if (saved) message.success(t('已迁出', 'Done'));
            if (stale)
              modal.warning({
                title: t('该记录已被他人修改', 'Someone else changed this record'),
                content: t(
                  '已重新加载最新数据，请核对后再操作。',
                  'The latest data was reloaded; check it and try again.',
                ),
              });
            if (saved || stale) void reload();
          }}
        />
      )}
      {personAction?.kind === 'move' && (
        <MoveDialog
          person={personAction.person}
          household={h}
          onConflict={setConflict}
          onClose={(target) => {
            const moved = personAction.person;
            setPersonAction(null);
            if (!target) return;
            void reload();
            modal.confirm({
              icon: <CheckCircleOutlined style={{ color: '#52c41a' }} />,
              title: t(
                `已将 ${moved.name} 迁入「${target.headName ?? target.id}」户`,
                `${moved.name} moved to the household of ${target.headName ?? target.id}`,
              ),
              content: `${target.regionPath} · ${target.address}`,
              okText: t('打开迁入的家庭', 'Open that household'),
              cancelText: t('留在本户', 'Stay here'),
              onOk: () => nav(`/registry/households/${target.id}`),
            });
          }}
        />
      )}
      {personAction?.kind === 'correct' && (
        <CorrectIdDialog
          person={personAction.person}
          onConflict={setConflict}
          onClose={(saved) => {
            setPersonAction(null);
            if (!saved) return;
            setRevealed(({ [saved.id]: _old, ...rest }) => rest);
            message.success(
              t(`已更正身份证号码：${saved.idNumberMasked}`, `ID number corrected: ${saved.idNumberMasked}`),
            );
            void reload();
          }}
        />
      )}
      {dissolving && (
        <DissolveDialog
          household={h}
          onClose={(saved, stale) => {
            setDissolving(false);
            if (saved) message.success(t('该户已注销', 'The household was dissolved'));
            if (stale)
              modal.warning({
                title: t('该记录已被他人修改', 'Someone else changed this record'),
                content: t(
                  '已重新加载最新数据，请核对后再操作。',
                  'The latest data was reloaded; check it and try again.',
                ),
              });
            if (saved || stale) void reload();
          }}
        />
      )}
      {addingItem && (
        <ItemDialog
          kind={addingItem.kind}
          item={addingItem.item}
          household={h}
          onClose={(saved, stale) => {
            setAddingItem(null);
            if (saved) message.success(t('已保存', 'Saved'));
            if (stale)
              modal.warning({
                title: t('该记录已被他人修改', 'Someone else changed this record'),
                content: t(
                  '已重新加载最新数据，请核对后再操作。',
                  'The latest data was reloaded; check it and try again.',
                ),
              });
            if (saved || stale) void reload();
          }}
        />
      )}
      {conflict && (
        <ConflictDialog
          conflict={conflict}
          onClose={() => setConflict(null)}
          onReload={() => {
            setConflict(null);
            void reload();
          }}
        />
      )}
    </div>
  );
}
