import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, download } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type Ledger, type LedgerCheck, PROGRAMME_LABELS, thisMonth, yuan } from './api';

const DIFF_LABELS = {
  missing_in_file: { zh: '台帐缺少', en: 'Missing in the file' },
  missing_in_system: { zh: '名册中没有', en: 'Not in the rosters' },
  amount_differs: { zh: '金额不一致', en: 'Amount differs' },
} as const;

/** The finance ledger (计财台帐) from the frozen rosters: totals, export, and the consistency check of an external file. */
export default function LedgerPage() {
  const { lang, t } = useI18n();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const [month, setMonth] = useState(thisMonth());
  const [county, setCounty] = useState((me?.user.region.code.length ?? 0) >= 6 ? me!.user.region.code.slice(0, 6) : '');
  const [check, setCheck] = useState<LedgerCheck | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const ledger = useQuery({
    queryKey: ['ledger', month],
    queryFn: () => api.get<Ledger>('/v1/ledger', { query: { month } }),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const runCheck = async (file: File) => {
    setCheck(null);
    setCheckError(null);
    const fd = new FormData();
    fd.append('file', file);
    try {
      setCheck(await api.upload<LedgerCheck>('/v1/ledger/check', fd, { query: { countyCode: county, month } }));
    } catch (e) {
      setCheckError(applyProblem(null, e));
    }
    return false;
  };
  const exportFile = (countyCode: string, format: 'xlsx' | 'csv') =>
    download('/v1/ledger/export', { query: { countyCode, month, format } }).catch((e) =>
      message.error(applyProblem(null, e)),
    );

  return (
    <>
      <h1 className="jz-page-title">{t('计财台帐', 'Finance ledger')}</h1>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t(
          '台帐由已审批（冻结）的发放名册生成，与名册一致；低保、特困信息从系统导入（一个部门一套数据）。',
          'Generated from the approved (frozen) rosters, so the two agree by construction.',
        )}
      />
      <Card style={{ marginBottom: 16 }}>
        <Space>
          <span>{t('月份', 'Month')}</span>
          <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 110 }} />
        </Space>
      </Card>
      {ledger.error && <Alert type="error" showIcon title={applyProblem(null, ledger.error)} />}
      <Table
        size="small"
        rowKey={(r) => `${r.countyCode}-${r.programme}`}
        loading={ledger.isLoading}
        dataSource={ledger.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('区县', 'County'), render: (_: unknown, r) => `${r.countyName ?? ''}（${r.countyCode}）` },
          {
            title: t('项目', 'Programme'),
            dataIndex: 'programme',
            render: (p: string) => PROGRAMME_LABELS[p]?.[lang] ?? p,
          },
          {
            title: t('名册', 'Roster'),
            dataIndex: 'rosterId',
            render: (id: number) => <Link to={`/rosters/${id}`}>#{id}</Link>,
          },
          { title: t('人数', 'Persons'), dataIndex: 'persons', align: 'right' },
          { title: t('合计（元）', 'Total'), dataIndex: 'totalFen', align: 'right', render: yuan },
          { title: t('省级', 'Province'), dataIndex: 'provinceFen', align: 'right', render: yuan },
          { title: t('市级', 'City'), dataIndex: 'cityFen', align: 'right', render: yuan },
          { title: t('县级', 'County'), dataIndex: 'countyFen', align: 'right', render: yuan },
          {
            title: t('导出', 'Export'),
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" icon={<DownloadOutlined />} onClick={() => exportFile(r.countyCode, 'xlsx')}>
                  xlsx
                </Button>
                <Button size="small" onClick={() => exportFile(r.countyCode, 'csv')}>
                  csv
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {can('ledger.check') && (
        <Card size="small" title={t('与外部台帐核对', 'Check an external ledger')} style={{ marginTop: 16 }}>
          <Space style={{ marginBottom: 12 }}>
            <span>{t('区县代码', 'County')}</span>
            <Input value={county} onChange={(e) => setCounty(e.target.value)} style={{ width: 100 }} />
          </Space>
          <Upload.Dragger
            accept=".xlsx,.csv"
            showUploadList={false}
            beforeUpload={runCheck}
            disabled={!/^\d{6}$/.test(county)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>
              {t(
                'xlsx 或 csv（UTF-8/GBK），列顺序任意，可有标题行与合计行',
                'xlsx or csv (UTF-8/GBK), any column order, title and total rows allowed',
              )}
            </p>
          </Upload.Dragger>
          {checkError && <Alert type="error" showIcon title={checkError} style={{ marginTop: 12 }} />}
          {check && (
            <>
              <Alert
                style={{ marginTop: 12 }}
                type={check.clean ? 'success' : 'warning'}
                showIcon
                title={
                  check.clean
                    ? t(
                        `一致：读取 ${check.rowsRead} 行，与名册 ${check.systemLines} 行完全一致`,
                        `Clean: ${check.rowsRead} rows match ${check.systemLines} roster lines`,
                      )
                    : t(`发现 ${check.differences.length} 处差异`, `${check.differences.length} differences`)
                }
                description={t(
                  `编码 ${check.encoding}，表头在第 ${check.headerRow} 行，跳过 ${check.rowsSkipped.length} 行`,
                  `Encoding ${check.encoding}, header row ${check.headerRow}, ${check.rowsSkipped.length} rows skipped`,
                )}
              />
              {!check.clean && (
                <Table
                  style={{ marginTop: 12 }}
                  size="small"
                  rowKey={(d) => `${d.kind}-${d.idNumber}-${d.month}-${d.programme}`}
                  pagination={false}
                  dataSource={check.differences}
                  columns={[
                    {
                      title: t('差异', 'Difference'),
                      dataIndex: 'kind',
                      render: (k: keyof typeof DIFF_LABELS) => <Tag color="orange">{DIFF_LABELS[k][lang]}</Tag>,
                    },
                    { title: t('姓名', 'Name'), dataIndex: 'name' },
                    { title: t('身份证号', 'ID number'), dataIndex: 'idNumber' },
                    { title: t('月份', 'Month'), dataIndex: 'month' },
                    {
                      title: t('系统（元）', 'System'),
                      dataIndex: 'systemFen',
                      align: 'right',
                      render: (v: number | null) => (v === null ? '—' : yuan(v)),
                    },
                    {
                      title: t('台帐（元）', 'File'),
                      dataIndex: 'fileFen',
                      align: 'right',
                      render: (v: number | null) => (v === null ? '—' : yuan(v)),
                    },
                    { title: t('台帐行', 'File row'), dataIndex: 'fileRow' },
                  ]}
                />
              )}
            </>
          )}
        </Card>
      )}
    </>
  );
}
