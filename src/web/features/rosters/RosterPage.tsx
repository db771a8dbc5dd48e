import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api, download } from '../../api/client';
import { applyProblem } from '../../api/forms';
import type { Page } from '../../api/types';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import {
  type BankFileRow,
  type BankLayout,
  type BankReturn,
  KIND_LABELS,
  PAY_LABELS,
  PROGRAMME_LABELS,
  type Roster,
  type RosterLine,
  STATUS_LABELS,
  type Totals,
  yuan,
} from './api';

type ErrorItem = { lineNo: number; payeeName: string | null; code: string; message: string };

const ACTIONS: Array<{ path: string; from: Roster['status'][]; perm: string; zh: string; en: string }> = [
  { path: 'regenerate', from: ['draft', 'checked'], perm: 'roster.generate', zh: '重新生成', en: 'Re-generate' },
  { path: 'check', from: ['draft'], perm: 'roster.generate', zh: '复核', en: 'Check' },
  { path: 'approve', from: ['checked'], perm: 'roster.approve', zh: '审批并冻结', en: 'Approve and freeze' },
  { path: 'send', from: ['approved'], perm: 'roster.send', zh: '标记已报送银行', en: 'Mark sent to bank' },
  { path: 'reconcile', from: ['sent'], perm: 'roster.reconcile', zh: '对账完成', en: 'Reconcile' },
];

/** One roster: totals by township and line kind, lines (masked accounts), state actions, bank file and bank return. */
export default function RosterPage() {
  const { id } = useParams();
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [kind, setKind] = useState<string | undefined>();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [actionError, setActionError] = useState<{ text: string; errors: ErrorItem[] } | null>(null);
  const [layout, setLayout] = useState('generic_csv');
  const [ret, setRet] = useState<BankReturn | null>(null);
  const [retError, setRetError] = useState<{
    text: string;
    problems: { kind: string; row: number | null; message: string }[];
  } | null>(null);
  const [hold, setHold] = useState<RosterLine | null>(null);
  const [holdReason, setHoldReason] = useState('');

  const roster = useQuery({ queryKey: ['rosters', 'one', id], queryFn: () => api.get<Roster>(`/v1/rosters/${id}`) });
  const totals = useQuery({
    queryKey: ['rosters', 'totals', id],
    queryFn: () => api.get<Totals>(`/v1/rosters/${id}/totals`),
  });
  const layouts = useQuery({
    queryKey: ['rosters', 'layouts'],
    queryFn: () => api.get<{ items: BankLayout[] }>('/v1/rosters/bank-layouts'),
    enabled: can('roster.bank_file'),
  });
  const bankFiles = useQuery({
    queryKey: ['rosters', 'bank-files', id],
    queryFn: () => api.get<{ items: BankFileRow[] }>(`/v1/rosters/${id}/bank-files`),
    enabled: can('roster.bank_file'),
  });
  const lines = useInfiniteQuery({
    queryKey: ['rosters', 'lines', id, kind, errorsOnly],
    queryFn: ({ pageParam }) =>
      api.get<Page<RosterLine>>(`/v1/rosters/${id}/lines`, {
        query: { kind, errorsOnly: errorsOnly ? 'true' : undefined, cursor: pageParam, limit: 100 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const r = roster.data;
  const refresh = () => qc.invalidateQueries({ queryKey: ['rosters'] });

  const act = async (path: string) => {
    if (!r) return;
    setActionError(null);
    try {
      await api.post(`/v1/rosters/${r.id}/${path}`, { version: r.version });
      message.success(t('已完成', 'Done'));
      await refresh();
    } catch (e) {
      const errors =
        e instanceof ApiError && Array.isArray(e.problem.errors) && e.code === 'ROSTER_HAS_ERRORS'
          ? (e.problem.errors as unknown as ErrorItem[])
          : [];
      setActionError({ text: applyProblem(null, e) ?? '', errors });
    }
  };

  const submitHold = async (held: boolean, line: RosterLine) => {
    if (!r) return;
    try {
      await api.post(`/v1/rosters/${r.id}/lines/${line.lineNo}/hold`, {
        version: r.version,
        held,
        ...(held ? { reason: holdReason } : {}),
      });
      setHold(null);
      setHoldReason('');
      await refresh();
    } catch (e) {
      message.error(applyProblem(null, e));
    }
  };

  const uploadReturn = async (file: File) => {
    if (!r) return false;
    setRet(null);
    setRetError(null);
    const fd = new FormData();
    fd.append('file', file);
    try {
      setRet(await api.upload<BankReturn>(`/v1/rosters/${r.id}/bank-return`, fd));
      await refresh();
    } catch (e) {
      const problems =
        e instanceof ApiError && Array.isArray(e.problem.problems)
          ? (e.problem.problems as { kind: string; row: number | null; message: string }[])
          : [];
      setRetError({ text: applyProblem(null, e) ?? '', problems });
    }
    return false;
  };

  if (roster.error) return <Alert type="error" showIcon title={applyProblem(null, roster.error)} />;
  if (!r) return null;
  const allLines = lines.data?.pages.flatMap((p) => p.items) ?? [];
  const editable = r.status === 'draft' || r.status === 'checked';

  return (
    <>
      <h1 className="jz-page-title">
        {t('发放名册', 'Roster')} #{r.id} · {r.countyName ?? r.countyCode} · {r.month} ·{' '}
        {PROGRAMME_LABELS[r.programme]?.[lang] ?? r.programme}{' '}
        <Tag color={STATUS_LABELS[r.status].color}>{STATUS_LABELS[r.status][lang]}</Tag>
        {r.kind === 'reissue' && <Tag color="orange">{t('重发名册', 'Re-issue')}</Tag>}
      </h1>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={4}>
          <Descriptions.Item label={t('行数', 'Lines')}>{r.lineCount}</Descriptions.Item>
          <Descriptions.Item label={t('发放笔数', 'Payable')}>{r.payableCount}</Descriptions.Item>
          <Descriptions.Item label={t('合计（元）', 'Total (yuan)')}>{yuan(r.totalFen)}</Descriptions.Item>
          <Descriptions.Item label={t('错误', 'Errors')}>
            {r.errorCount ? <Tag color="red">{r.errorCount}</Tag> : 0}
          </Descriptions.Item>
          <Descriptions.Item label={t('省级资金', 'Province')}>{yuan(r.provinceFen)}</Descriptions.Item>
          <Descriptions.Item label={t('市级资金', 'City')}>{yuan(r.cityFen)}</Descriptions.Item>
          <Descriptions.Item label={t('县级资金', 'County')}>{yuan(r.countyFen)}</Descriptions.Item>
          <Descriptions.Item label={t('调整行', 'Adjustments')}>{r.adjustmentCount}</Descriptions.Item>
          {r.parentRosterId && (
            <Descriptions.Item label={t('原名册', 'Original roster')}>
              <Link to={`/rosters/${r.parentRosterId}`}>#{r.parentRosterId}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Space wrap style={{ marginTop: 12 }}>
          {ACTIONS.filter((a) => a.from.includes(r.status) && can(a.perm)).map((a) => (
            <Popconfirm key={a.path} title={t(`确认${a.zh}？`, `${a.en}?`)} onConfirm={() => act(a.path)}>
              <Button type={a.path === 'approve' ? 'primary' : 'default'} data-testid={`roster-${a.path}`}>
                {t(a.zh, a.en)}
              </Button>
            </Popconfirm>
          ))}
        </Space>
        {actionError && (
          <Alert
            style={{ marginTop: 12 }}
            type="error"
            showIcon
            title={actionError.text}
            description={
              actionError.errors.length > 0 && (
                <ul style={{ margin: 0 }}>
                  {actionError.errors.map((e) => (
                    <li key={e.lineNo}>
                      {t(`第 ${e.lineNo} 行`, `Line ${e.lineNo}`)} {e.payeeName}：{e.message}
                    </li>
                  ))}
                </ul>
              )
            }
          />
        )}
      </Card>
      <Tabs
        items={[
          {
            key: 'totals',
            label: t('按乡镇汇总', 'By township'),
            children: (
              <>
                <Table
                  size="small"
                  rowKey="townshipCode"
                  pagination={false}
                  loading={totals.isLoading}
                  dataSource={totals.data?.byTownship ?? []}
                  columns={[
                    {
                      title: t('乡镇（街道）', 'Township'),
                      render: (_: unknown, x) => x.townshipName ?? x.townshipCode,
                    },
                    { title: t('户数', 'Households'), dataIndex: 'households', align: 'right' },
                    { title: t('保障人数', 'Persons'), dataIndex: 'persons', align: 'right' },
                    { title: t('合计（元）', 'Total'), dataIndex: 'totalFen', align: 'right', render: yuan },
                    { title: t('省级', 'Province'), dataIndex: 'provinceFen', align: 'right', render: yuan },
                    { title: t('市级', 'City'), dataIndex: 'cityFen', align: 'right', render: yuan },
                    { title: t('县级', 'County'), dataIndex: 'countyFen', align: 'right', render: yuan },
                  ]}
                />
                <Table
                  style={{ marginTop: 16 }}
                  size="small"
                  rowKey="kind"
                  pagination={false}
                  dataSource={totals.data?.byKind ?? []}
                  columns={[
                    {
                      title: t('类别', 'Kind'),
                      dataIndex: 'kind',
                      render: (k: RosterLine['kind']) => KIND_LABELS[k][lang],
                    },
                    { title: t('行数', 'Lines'), dataIndex: 'lines', align: 'right' },
                    { title: t('金额（元）', 'Amount'), dataIndex: 'totalFen', align: 'right', render: yuan },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'lines',
            label: t('明细', 'Lines'),
            children: (
              <>
                <Space style={{ marginBottom: 12 }}>
                  <Select
                    allowClear
                    placeholder={t('全部类别', 'All kinds')}
                    value={kind}
                    onChange={setKind}
                    style={{ width: 140 }}
                    options={Object.entries(KIND_LABELS).map(([k, v]) => ({ value: k, label: v[lang] }))}
                  />
                  <Button type={errorsOnly ? 'primary' : 'default'} onClick={() => setErrorsOnly(!errorsOnly)}>
                    {t('只看错误', 'Errors only')}
                  </Button>
                </Space>
                <Table<RosterLine>
                  size="small"
                  rowKey="lineNo"
                  pagination={false}
                  loading={lines.isLoading}
                  dataSource={allLines}
                  scroll={{ x: 1200 }}
                  columns={[
                    { title: '#', dataIndex: 'lineNo', width: 60 },
                    {
                      title: t('类别', 'Kind'),
                      dataIndex: 'kind',
                      render: (k: RosterLine['kind']) => KIND_LABELS[k][lang],
                    },
                    { title: t('所属月份', 'For month'), dataIndex: 'forMonth' },
                    { title: t('领取人', 'Payee'), dataIndex: 'payeeName' },
                    { title: t('身份证号', 'ID number'), dataIndex: 'payeeIdNumber' },
                    { title: t('人数', 'Persons'), dataIndex: 'coveredPersons', align: 'right' },
                    {
                      title: t('账号', 'Account'),
                      render: (_: unknown, l) => `${l.bankName ?? ''} ${l.bankAccount ?? ''}`,
                    },
                    { title: t('金额（元）', 'Amount'), dataIndex: 'amountFen', align: 'right', render: yuan },
                    { title: t('依据', 'Legal basis'), dataIndex: 'legalBasis', ellipsis: true },
                    { title: t('说明', 'Reason'), dataIndex: 'reason', ellipsis: true },
                    {
                      title: t('错误 / 暂缓', 'Error / hold'),
                      render: (_: unknown, l) =>
                        l.held ? (
                          <Tag>{t(`暂缓：${l.holdReason ?? ''}`, `Held: ${l.holdReason ?? ''}`)}</Tag>
                        ) : l.errorMessage ? (
                          <Tag color="red">{l.errorMessage}</Tag>
                        ) : null,
                    },
                    {
                      title: t('银行结果', 'Bank'),
                      render: (_: unknown, l) =>
                        `${PAY_LABELS[l.payStatus][lang]}${l.failReason ? `：${l.failReason}` : ''}`,
                    },
                    {
                      title: '',
                      render: (_: unknown, l) =>
                        editable && can('roster.generate') ? (
                          l.held ? (
                            <Button size="small" onClick={() => submitHold(false, l)}>
                              {t('取消暂缓', 'Release')}
                            </Button>
                          ) : (
                            <Button size="small" onClick={() => setHold(l)}>
                              {t('暂缓发放', 'Hold')}
                            </Button>
                          )
                        ) : null,
                    },
                  ]}
                />
                {lines.hasNextPage && (
                  <Button
                    style={{ marginTop: 12 }}
                    onClick={() => lines.fetchNextPage()}
                    loading={lines.isFetchingNextPage}
                  >
                    {t('加载更多', 'Load more')}
                  </Button>
                )}
              </>
            ),
          },
          ...(can('roster.bank_file')
            ? [
                {
                  key: 'bank',
                  label: t('银行文件与回盘', 'Bank file & return'),
                  children: (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Card
                        size="small"
                        title={t(
                          '代发文件（完整账号仅出现在文件中，下载留痕）',
                          'Bank file (full accounts only in the file; audited)',
                        )}
                      >
                        <Space>
                          <Select
                            value={layout}
                            onChange={setLayout}
                            style={{ width: 260 }}
                            options={(layouts.data?.items ?? []).map((l) => ({
                              value: l.code,
                              label: `${l.name}（v${l.version}）`,
                            }))}
                          />
                          <Button
                            icon={<DownloadOutlined />}
                            disabled={editable}
                            onClick={() =>
                              download(`/v1/rosters/${r.id}/bank-file`, { query: { layout } })
                                .then(() => qc.invalidateQueries({ queryKey: ['rosters', 'bank-files', id] }))
                                .catch((e) => message.error(applyProblem(null, e)))
                            }
                          >
                            {t('下载', 'Download')}
                          </Button>
                        </Space>
                        {editable && (
                          <Typography.Paragraph type="secondary">
                            {t('名册审批后才能生成代发文件。', 'Available after approval.')}
                          </Typography.Paragraph>
                        )}
                        {(bankFiles.data?.items.length ?? 0) > 0 && (
                          <Table<BankFileRow>
                            size="small"
                            rowKey="id"
                            style={{ marginTop: 12 }}
                            pagination={false}
                            dataSource={bankFiles.data?.items ?? []}
                            columns={[
                              {
                                title: t('生成时间', 'Produced'),
                                dataIndex: 'createdAt',
                                render: (v: string) => new Date(v).toLocaleString('zh-CN'),
                              },
                              {
                                title: t('格式及版本', 'Layout and version'),
                                render: (_: unknown, f) => `${f.layoutName}（${f.layoutCode} v${f.layoutVersion}）`,
                              },
                              { title: t('笔数', 'Payments'), dataIndex: 'payments' },
                              { title: t('金额（元）', 'Total (yuan)'), dataIndex: 'totalFen', render: yuan },
                              { title: t('操作人', 'By'), dataIndex: 'createdBy' },
                              {
                                title: 'SHA-256',
                                dataIndex: 'sha256',
                                render: (v: string) => <Typography.Text code>{v.slice(0, 12)}…</Typography.Text>,
                              },
                            ]}
                          />
                        )}
                      </Card>
                      {r.status === 'sent' && can('roster.reconcile') && (
                        <Card size="small" title={t('导入银行回盘文件', 'Import the bank return')}>
                          <Upload.Dragger accept=".csv,.txt,.xlsx" showUploadList={false} beforeUpload={uploadReturn}>
                            <p className="ant-upload-drag-icon">
                              <InboxOutlined />
                            </p>
                            <p>
                              {t(
                                'Excel（xlsx，第一个工作表）或 CSV（UTF-8 或 GBK）：批次行 + 表头 + 明细',
                                'Excel (xlsx, first sheet) or CSV (UTF-8 or GBK): batch row, header, rows',
                              )}
                            </p>
                          </Upload.Dragger>
                        </Card>
                      )}
                      {retError && (
                        <Alert
                          type="error"
                          showIcon
                          title={retError.text}
                          description={
                            <ul style={{ margin: 0 }}>
                              {retError.problems.map((p) => (
                                <li key={`${p.kind}-${p.row}`}>{p.message}</li>
                              ))}
                            </ul>
                          }
                        />
                      )}
                      {ret && (
                        <Alert
                          type={ret.failedCount || ret.problems.length ? 'warning' : 'success'}
                          showIcon
                          title={t(
                            `回盘已导入：成功 ${ret.paidCount} 笔，失败 ${ret.failedCount} 笔`,
                            `Imported: ${ret.paidCount} paid, ${ret.failedCount} failed`,
                          )}
                          description={
                            <>
                              {ret.failedLines.map((f) => (
                                <div key={f.lineNo}>
                                  {t(`第 ${f.lineNo} 行`, `Line ${f.lineNo}`)} {f.payeeName} {yuan(f.amountFen)}：
                                  {f.reason}
                                </div>
                              ))}
                              {ret.problems.map((p) => (
                                <div key={`${p.kind}-${p.row}`}>{p.message}</div>
                              ))}
                              {ret.reissueRosterId && (
                                <Link to={`/rosters/${ret.reissueRosterId}`}>
                                  {t('查看重发名册', 'Open the re-issue roster')} #{ret.reissueRosterId}
                                </Link>
                              )}
                            </>
                          }
                        />
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={hold !== null}
        title={t('暂缓发放', 'Hold the line')}
        onCancel={() => setHold(null)}
        onOk={() => hold && submitHold(true, hold)}
        okButtonProps={{ disabled: holdReason.trim().length < 2 }}
      >
        <Input.TextArea
          value={holdReason}
          onChange={(e) => setHoldReason(e.target.value)}
          placeholder={t('原因（暂缓的金额在可以发放后作为补发）', 'Reason (paid later as back pay)')}
        />
      </Modal>
    </>
  );
}
