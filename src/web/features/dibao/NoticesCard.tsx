import { Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, download } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { type CaseDetail, NOTICE_KIND, type Notice } from './api';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** A case's written notices (S7): download the .docx, edit a draft, issue it (numbered, frozen), record its delivery. */
export function NoticesCard({
  c,
  act,
}: {
  c: CaseDetail;
  act: (fn: () => Promise<unknown>, ok: string) => Promise<void>;
}) {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const [editing, setEditing] = useState<Notice | null>(null);
  const [delivering, setDelivering] = useState<Notice | null>(null);
  return (
    <>
      <Card title={t('书面告知书', 'Written notices')} style={{ marginBottom: 16 }}>
        <Table<Notice>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={c.notices as unknown as Notice[]}
          columns={[
            { title: t('种类', 'Kind'), dataIndex: 'kind', render: (k: string) => NOTICE_KIND[k]?.[lang] ?? k },
            { title: t('文号', 'No.'), dataIndex: 'docNo', render: (v) => v ?? <Tag>{t('草稿', 'Draft')}</Tag> },
            { title: t('签发机关', 'Issuer'), dataIndex: 'issuerName' },
            { title: t('送达', 'Delivered'), dataIndex: 'deliveredOn', render: (v) => v ?? '—' },
            {
              title: '',
              render: (_, n) => (
                <Space wrap>
                  <Button
                    size="small"
                    onClick={() => download(`/v1/notices/${n.id}/file`, { fallbackName: 'notice.docx' })}
                  >
                    {t('下载 Word', 'Word')}
                  </Button>
                  {n.status === 'draft' && can('notices.draft') && (
                    <Button size="small" onClick={() => setEditing(n)}>
                      {t('修改', 'Edit')}
                    </Button>
                  )}
                  {n.status === 'draft' && can('notices.issue') && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() =>
                        act(() => api.post(`/v1/notices/${n.id}/issue`, { version: n.version }), t('已签发', 'Issued'))
                      }
                    >
                      {t('签发', 'Issue')}
                    </Button>
                  )}
                  {n.status === 'issued' && !n.deliveredOn && (
                    <Button size="small" onClick={() => setDelivering(n)}>
                      {t('登记送达', 'Delivery')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!editing}
        title={t('修改告知书（签发前）', 'Edit notice (before issue)')}
        onCancel={() => setEditing(null)}
        footer={null}
        destroyOnHidden
      >
        {editing && (
          <Form
            layout="vertical"
            initialValues={editing}
            onFinish={(v) =>
              act(
                async () => {
                  await api.patch(`/v1/notices/${editing.id}`, {
                    version: editing.version,
                    decision: v.decision,
                    facts: v.facts,
                    reasons: v.reasons,
                  });
                  setEditing(null);
                },
                t('已保存', 'Saved'),
              )
            }
          >
            <Form.Item name="decision" label={t('决定', 'Decision')}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item name="facts" label={t('事实', 'Facts')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item name="reasons" label={t('理由', 'Reasons')}>
              <Input.TextArea rows={6} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('保存', 'Save')}
            </Button>
          </Form>
        )}
      </Modal>
      <Modal
        open={!!delivering}
        title={t('登记送达', 'Record delivery')}
        onCancel={() => setDelivering(null)}
        footer={null}
        destroyOnHidden
      >
        {delivering && (
          <Form
            layout="vertical"
            initialValues={{ method: 'in_person', deliveredOn: today() }}
            onFinish={(v) =>
              act(
                async () => {
                  await api.post(`/v1/notices/${delivering.id}/delivery`, {
                    version: delivering.version,
                    method: v.method,
                    deliveredOn: v.deliveredOn,
                  });
                  setDelivering(null);
                },
                t('已登记送达', 'Recorded'),
              )
            }
          >
            <Form.Item name="method" label={t('方式', 'Method')}>
              <Select
                options={[
                  { value: 'in_person', label: '直接送达' },
                  { value: 'post', label: '邮寄' },
                  { value: 'electronic', label: '电子送达' },
                  { value: 'public_notice', label: '公告送达' },
                ]}
              />
            </Form.Item>
            <Form.Item name="deliveredOn" label={t('送达日期', 'Date')}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('保存', 'Save')}
            </Button>
          </Form>
        )}
      </Modal>
    </>
  );
}
