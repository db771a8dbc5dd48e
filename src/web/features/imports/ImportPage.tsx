import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Progress,
  Radio,
  Result,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, download } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { IMP, type ImportJob, type ImportMode, SUMMARY_LABELS, SUMMARY_ORDER } from './api';

const ACCEPT = '.xlsx,.csv';

/** Upload a ledger (xlsx/csv), pick the mode, follow the job, read the summary, download the error workbook. */
export default function ImportPage() {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('dry_run');
  const [jobId, setJobId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const job = useQuery({
    queryKey: ['registry', 'import', jobId],
    enabled: jobId !== null,
    queryFn: () => api.get<ImportJob>(IMP.job(jobId!)),
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'queued' || q.state.data.status === 'running') ? 800 : false,
  });

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setJobId(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const j = await api.upload<ImportJob>(IMP.start, form, { query: { mode } });
      setJobId(j.id);
    } catch (e) {
      setError(applyProblem(null, e));
    } finally {
      setBusy(false);
    }
  };

  const get = async (path: string, fallbackName: string) => {
    try {
      await download(path, { fallbackName });
    } catch (e) {
      message.error(applyProblem(null, e));
    }
  };

  const j = job.data;
  const running = j && (j.status === 'queued' || j.status === 'running');
  const pct = j?.progressTotal
    ? Math.min(100, Math.round((j.progressDone / j.progressTotal) * 100))
    : running
      ? 5
      : 100;
  const summary = j?.result
    ? SUMMARY_ORDER.filter((k) => typeof j.result?.[k] === 'number').map((k) => [k, j.result![k]] as const)
    : [];
  const errorCount = typeof j?.result?.errorRows === 'number' ? j.result.errorRows : (j?.result?.errors?.length ?? 0);

  return (
    <>
      <h1 className="jz-page-title">{t('导入与导出', 'Import & export')}</h1>
      {can('registry.import') && (
        <Card
          title={t('导入台账（Excel / CSV）', 'Import a ledger (Excel / CSV)')}
          style={{ marginBottom: 16 }}
          extra={
            <Button icon={<FileExcelOutlined />} onClick={() => get(IMP.template, '户籍人口台账模板.xlsx')}>
              {t('下载导入模板', 'Download the template')}
            </Button>
          }
        >
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Upload.Dragger
              accept={ACCEPT}
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setJobId(null);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'file', name: file.name, size: file.size, status: 'done' }] : []}
              aria-label={t('选择导入文件', 'Choose a file to import')}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>
                {t(
                  '点击或拖入文件：户籍人口台账（.xlsx 或 .csv，UTF-8 或 GB18030）',
                  'Click or drop the ledger file (.xlsx or .csv)',
                )}
              </p>
            </Upload.Dragger>
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontSize: 14, marginBottom: 8 }}>{t('导入方式', 'Mode')}</legend>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
                <Radio value="dry_run">{t('仅校验（不写入）', 'Validate only (dry run)')}</Radio>
                <Radio value="valid_rows">{t('导入有效行', 'Import the valid rows')}</Radio>
                <Radio value="all_or_nothing">{t('全部成功才导入', 'All or nothing')}</Radio>
              </Radio.Group>
            </fieldset>
            <Button
              type="primary"
              disabled={!file || !!running}
              loading={busy}
              onClick={start}
              data-testid="import-start"
            >
              {mode === 'dry_run' ? t('开始校验', 'Validate') : t('开始导入', 'Import')}
            </Button>
            {error && <Alert type="error" showIcon title={error} role="alert" />}
            {job.error && <Alert type="error" showIcon title={applyProblem(null, job.error)} />}
            {j && (
              <div data-testid="import-result">
                <Progress
                  percent={pct}
                  status={j.status === 'failed' ? 'exception' : running ? 'active' : 'success'}
                  aria-label={t('导入进度', 'Progress')}
                />
                <Typography.Paragraph>
                  {running
                    ? t(
                        `正在处理：已处理 ${j.progressDone}${j.progressTotal ? ` / ${j.progressTotal}` : ''} 行`,
                        `Processing: ${j.progressDone}${j.progressTotal ? ` / ${j.progressTotal}` : ''} rows`,
                      )
                    : j.status === 'succeeded'
                      ? t('处理完成', 'Finished')
                      : j.status === 'failed'
                        ? t('处理失败', 'Failed')
                        : j.status}
                </Typography.Paragraph>
                {j.error && (
                  <Alert
                    type="error"
                    showIcon
                    title={j.error.detail ?? j.error.message ?? t('导入失败', 'Import failed')}
                    style={{ marginBottom: 12 }}
                  />
                )}
                {summary.length > 0 && (
                  <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 4 }} data-testid="import-summary">
                    {summary.map(([k, v]) => (
                      <Descriptions.Item key={k} label={SUMMARY_LABELS[k]?.[lang] ?? k}>
                        {v as number}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                )}
                {!running && j.result && (
                  <Typography.Paragraph style={{ marginTop: 12 }} data-testid="import-committed">
                    {j.result.committed
                      ? t('已写入台账（有效行）。', 'The valid rows were written to the registry.')
                      : t('未写入任何数据。', 'Nothing was written.')}
                  </Typography.Paragraph>
                )}
                {!running && errorCount > 0 && (
                  <div style={{ marginTop: 12 }}>
                    <Space wrap style={{ marginBottom: 8 }}>
                      {j.result?.errorWorkbook !== false && (
                        <Button
                          danger
                          icon={<DownloadOutlined />}
                          onClick={() => get(IMP.errors(j.id), '导入错误报告.xlsx')}
                          data-testid="download-errors"
                        >
                          {t('下载错误报告（标出错误单元格）', 'Download the error workbook')}
                        </Button>
                      )}
                    </Space>
                    {j.result?.errors && j.result.errors.length > 0 && (
                      <Table
                        size="small"
                        rowKey={(r, i) => `${r.row}-${r.cell ?? r.field ?? ''}-${i}`}
                        dataSource={j.result.errors.slice(0, 50)}
                        pagination={false}
                        scroll={{ y: 320 }}
                        columns={[
                          { title: t('行', 'Row'), dataIndex: 'row', width: 70 },
                          {
                            title: t('单元格', 'Cell'),
                            dataIndex: 'cell',
                            width: 90,
                            render: (c: string | undefined, r) => c ?? r.field ?? '—',
                          },
                          { title: t('问题', 'Problem'), dataIndex: 'message' },
                        ]}
                        footer={
                          j.result.errors.length > 50
                            ? () =>
                                t(`仅显示前 50 条，完整列表见错误报告`, 'First 50 shown; the error workbook has all')
                            : undefined
                        }
                      />
                    )}
                  </div>
                )}
                {!running && j.status === 'succeeded' && errorCount === 0 && (
                  <Result
                    status="success"
                    title={
                      mode === 'dry_run'
                        ? t('校验通过，没有发现错误', 'No errors found')
                        : t('导入完成', 'Import finished')
                    }
                    style={{ padding: 16 }}
                  />
                )}
              </div>
            )}
          </Space>
        </Card>
      )}
      {can('registry.export') && (
        <Card title={t('导出', 'Export')}>
          <Typography.Paragraph>
            {t(
              '在「家庭与人员」中设置查询条件后，点击「导出」即可按当前条件导出 Excel 或 CSV；身份证号码默认脱敏。',
              'Set the filters in "Households & persons" and use "Export" there: the current filter is exported as Excel or CSV, ID numbers masked.',
            )}
          </Typography.Paragraph>
          <Space wrap>
            <Link to="/registry">{t('前往查询并导出', 'Go to search and export')}</Link>
            <Button icon={<DownloadOutlined />} onClick={() => get(`${IMP.exportAll}?format=xlsx`, '台账导出.xlsx')}>
              {t('导出本辖区全部（Excel）', 'Export my whole area (Excel)')}
            </Button>
            <Button icon={<DownloadOutlined />} onClick={() => get(`${IMP.exportAll}?format=csv`, '台账导出.csv')}>
              {t('导出本辖区全部（CSV）', 'Export my whole area (CSV)')}
            </Button>
          </Space>
        </Card>
      )}
    </>
  );
}
