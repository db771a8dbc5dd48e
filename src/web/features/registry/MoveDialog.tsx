import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Row, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { todayCst } from '../../../domain/calendar';
import { ID_PROBLEM_MESSAGES, parseIdNumber } from '../../../domain/identity/id-number';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page } from '../../api/types';
import { useI18n } from '../../app/i18n';
import { type HouseholdDetail, type HouseholdListItemT, type PersonListItem, type PersonView, REG } from './api';
import type { ConflictState } from './Conflict';
import { FieldCol, notAfterToday } from './fields';
import { FormDialog, useFormDialog } from './FormDialog';
import { options, RELATION } from './labels';

type SearchBy = 'headName' | 'householdNo' | 'idNumber';

/** A household the person may move into, as the search shows it. */
interface Candidate {
  id: number;
  householdNo: string | null;
  headName: string | null;
  headIdNumberMasked: string | null;
  regionName: string | null;
  address: string;
  memberCount: number;
  status: 'active' | 'dissolved';
  /** For a search by ID number: whose number matched (the person may not be the head). */
  matched?: string;
}

const fromListItem = (h: HouseholdListItemT): Candidate => ({
  id: h.id,
  householdNo: h.householdNo,
  headName: h.headName,
  headIdNumberMasked: h.headIdNumberMasked,
  regionName: h.regionName,
  address: h.address,
  memberCount: h.memberCount,
  status: h.status,
});

const fromDetail = (h: HouseholdDetail, matched: string): Candidate => ({
  id: h.id,
  householdNo: h.householdNo,
  headName: h.headName,
  headIdNumberMasked: h.members.find((m) => m.id === h.headPersonId)?.idNumberMasked ?? null,
  regionName: h.regionPath.split(' / ').pop() ?? h.regionPath,
  address: h.address,
  memberCount: h.members.length,
  status: h.status,
  matched,
});

/**
 * Finds the household to move into, within the user's area (the server's list and person search, both scoped in
 * SQL): by the head's name (prefix), the household number (exact) or any member's ID number (exact, checked first).
 */
function TargetPicker({
  currentHouseholdId,
  value,
  onChange,
}: {
  currentHouseholdId: number;
  value?: number;
  onChange?: (id: number | undefined) => void;
}) {
  const { lang, t } = useI18n();
  const [by, setBy] = useState<SearchBy>('headName');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<Candidate[] | null>(null);

  const search = async () => {
    const q = text.trim();
    setProblem(null);
    if (!q) {
      setProblem(t('请输入查询内容', 'Enter what to search for'));
      return;
    }
    if (by === 'idNumber') {
      const r = parseIdNumber(q, todayCst());
      if (!r.ok) {
        setProblem(ID_PROBLEM_MESSAGES[r.problem][lang]);
        return;
      }
    }
    setBusy(true);
    try {
      if (by === 'idNumber') {
        const persons = await api.get<Page<PersonListItem>>(REG.persons, { query: { idNumber: q, limit: 5 } });
        const found: Candidate[] = [];
        for (const p of persons.items) {
          if (!p.householdId) continue;
          const h = await api.get<HouseholdDetail>(REG.household(p.householdId));
          found.push(fromDetail(h, p.name));
        }
        setResults(found);
      } else {
        const page = await api.get<Page<HouseholdListItemT>>(REG.households, {
          query: { [by]: q, status: 'active', limit: 20 },
        });
        setResults(page.items.map(fromListItem));
      }
    } catch (e) {
      setProblem(applyProblem(null, e));
      setResults(null);
    } finally {
      setBusy(false);
    }
  };

  const placeholder =
    by === 'headName'
      ? t('户主姓名（开头几个字即可）', "Head's name (its start is enough)")
      : by === 'householdNo'
        ? t('完整的户编号', 'The full household number')
        : t('任一成员的 18 位身份证号码', "Any member's 18-character ID number");
  return (
    <div data-testid="move-target">
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented<SearchBy>
          value={by}
          onChange={(v) => {
            setBy(v);
            setProblem(null);
          }}
          options={[
            { value: 'headName', label: t('户主姓名', "Head's name") },
            { value: 'householdNo', label: t('户编号', 'Household no.') },
            { value: 'idNumber', label: t('身份证号码', 'ID number') },
          ]}
        />
      </Space>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          aria-label={t('查找迁入家庭', 'Find the household')}
          placeholder={placeholder}
          value={text}
          maxLength={by === 'idNumber' ? 18 : 50}
          className={by === 'headName' ? undefined : 'jz-mono'}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={(e) => {
            e.preventDefault();
            void search();
          }}
        />
        <Button icon={<SearchOutlined />} onClick={() => void search()} loading={busy}>
          {t('查找', 'Find')}
        </Button>
      </Space.Compact>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 8 }} />}
      {results && (
        <Table<Candidate>
          style={{ marginTop: 8 }}
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 640, y: 240 }}
          dataSource={results}
          data-testid="move-candidates"
          locale={{ emptyText: t('您的管辖范围内没有符合条件的家庭户', 'No matching household in your area') }}
          rowSelection={{
            type: 'radio',
            selectedRowKeys: value ? [value] : [],
            onChange: (keys) => onChange?.(keys[0] === undefined ? undefined : Number(keys[0])),
            getCheckboxProps: (c) => ({
              disabled: c.id === currentHouseholdId || c.status !== 'active',
              'aria-label': t(`选择 ${c.headName ?? c.id} 户`, `Choose the household of ${c.headName ?? c.id}`),
            }),
          }}
          onRow={(c) => ({
            onClick: () => {
              if (c.id !== currentHouseholdId && c.status === 'active') onChange?.(c.id);
            },
          })}
          columns={[
            {
              title: t('户主', 'Head'),
              width: 110,
              render: (_: unknown, c) => (
                <>
                  {c.headName ?? '—'}
                  {c.id === currentHouseholdId && <Tag style={{ marginInlineStart: 4 }}>{t('本户', 'this')}</Tag>}
                  {c.status !== 'active' && <Tag style={{ marginInlineStart: 4 }}>{t('已注销', 'dissolved')}</Tag>}
                </>
              ),
            },
            {
              title: t('户主身份证号码', "Head's ID number"),
              dataIndex: 'headIdNumberMasked',
              width: 180,
              className: 'jz-mono',
              render: (v: string | null) => v ?? '—',
            },
            { title: t('户编号', 'No.'), dataIndex: 'householdNo', width: 110, render: (v: string | null) => v ?? '—' },
            { title: t('村（社区）', 'Village'), dataIndex: 'regionName', width: 120, ellipsis: true },
            { title: t('地址', 'Address'), dataIndex: 'address', ellipsis: true },
            { title: t('人数', 'Members'), dataIndex: 'memberCount', width: 60, align: 'right' },
            ...(by === 'idNumber'
              ? [{ title: t('号码所属', 'Number of'), dataIndex: 'matched' as const, width: 90 }]
              : []),
          ]}
        />
      )}
    </div>
  );
}

/**
 * 户间迁移: moves a member into another household of the user's area (POST /persons/:id/move). The stay in this
 * household is closed and a new one opened on the date given; both households' histories keep the change. The person's
 * version goes along, so a change made meanwhile opens the conflict dialog instead of being overwritten.
 */
export function MoveDialog({
  person,
  household,
  onClose,
  onConflict,
}: {
  person: PersonView;
  household: HouseholdDetail;
  onClose(target: HouseholdDetail | null): void;
  onConflict(c: ConflictState): void;
}) {
  const { lang, t } = useI18n();
  const { form, error, busy, save } = useFormDialog();
  const isHead = person.relation === 'head';

  const submit = async () => {
    const v = await form.validateFields();
    const body = {
      toHouseholdId: v.toHouseholdId as number,
      relation: v.relation as string,
      ...(v.movedOn ? { movedOn: v.movedOn as string } : {}),
      ...(v.reason?.trim() ? { reason: (v.reason as string).trim() } : {}),
      version: person.version,
    };
    await save(
      async () => {
        const target = await api.post<HouseholdDetail>(REG.move(person.id), body);
        onClose(target);
      },
      {
        onConflict: () => {
          onConflict({
            mine: { householdId: body.toHouseholdId, relation: body.relation },
            labels: { householdId: t('所属家庭户', 'Household'), relation: t('与户主关系', 'Relation to head') },
            format: (k, x) =>
              k === 'householdId'
                ? x == null
                  ? t('无', 'none')
                  : t(`家庭户 #${x}`, `household #${x}`)
                : typeof x === 'string'
                  ? RELATION[x as keyof typeof RELATION]?.[lang]
                  : undefined,
            loadTheirs: async () => {
              const cur = await api.get<PersonView>(REG.person(person.id));
              return { householdId: cur.householdId, relation: cur.relation };
            },
          });
          onClose(null);
        },
      },
    );
  };

  return (
    <FormDialog
      width={800}
      title={t(`${person.name} 迁往其他家庭户`, `Move ${person.name} to another household`)}
      okText={t('确认迁移', 'Move')}
      okButtonProps={{ disabled: isHead }}
      busy={busy}
      error={error}
      errorTestId="move-error"
      notice={
        isHead ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              '户主不能直接迁出：请先在「修改家庭信息」中变更户主，或注销本户。',
              'The head cannot move out: change the head first (Edit household) or dissolve the household.',
            )}
          />
        ) : (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              `${person.name} 将离开「${household.headName ?? '本'}」户，迁入所选家庭户；本人的收入、财产等记录随人迁移，两户的变更记录都会保留这次迁移。`,
              `${person.name} leaves the household of ${household.headName ?? 'this head'} and joins the chosen one; their income and property items move along, and both histories keep the move.`,
            )}
          />
        )
      }
      onOk={submit}
      onCancel={() => onClose(null)}
    >
      <Form form={form} layout="vertical" disabled={isHead}>
        <Form.Item
          name="toHouseholdId"
          label={t('迁入的家庭户', 'Household to move into')}
          rules={[{ required: true, message: t('请查找并选择迁入的家庭户', 'Find and choose the household') }]}
        >
          <TargetPicker currentHouseholdId={household.id} />
        </Form.Item>
        <Row gutter={12}>
          <FieldCol
            xs={24}
            md={8}
            name="relation"
            label={t('与新户主的关系', 'Relation to the new head')}
            rules={[{ required: true, message: t('请选择与新户主的关系', 'Choose the relation') }]}
          >
            <Select options={options(RELATION, lang).filter((o) => o.value !== 'head')} />
          </FieldCol>
          <FieldCol
            xs={24}
            md={8}
            name="movedOn"
            label={t('迁移日期（默认今天）', 'Date (default today)')}
            rules={[notAfterToday(t('迁移日期不能晚于今天', 'The date cannot be in the future'))]}
          >
            <Input type="date" max={todayCst()} />
          </FieldCol>
          <FieldCol xs={24} md={8} name="reason" label={t('迁移原因', 'Reason')} rules={[{ max: 500 }]}>
            <Input placeholder={t('如：投靠子女、婚入', 'e.g. joined children, marriage')} />
          </FieldCol>
        </Row>
      </Form>
    </FormDialog>
  );
}
