import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { RegionPicker } from '../../app/RegionPicker';
import { useI18n } from '../../app/i18n';
import { type ApiClient, type NewApiClient, type Platform, PURPOSE_LABELS } from './api';

/** The settings of an API client, as the registration and the edit dialogs share them. */
export interface ApiClientSettings {
  name: string;
  regionCodes: string[];
  purposes: string[];
  platform: string;
  ratePerMinute: number;
}

const SETTINGS: (keyof ApiClientSettings)[] = ['name', 'regionCodes', 'purposes', 'platform', 'ratePerMinute'];

/**
 * The fields of an API client (name, regions from the region tree, purposes, masking platform, rate limit), inside an
 * antd Form. Field names match the API (`regionCodes[1]` errors land on the second region).
 */
export function ApiClientFields({ platforms }: { platforms: Platform[] }) {
  const { lang, t } = useI18n();
  return (
    <>
      <Form.Item
        name="name"
        label={t('名称（调用方系统）', 'Name (calling system)')}
        rules={[
          {
            required: true,
            whitespace: true,
            min: 2,
            max: 100,
            message: t('请输入 2–100 字的名称', '2–100 characters'),
          },
        ]}
      >
        <Input placeholder={t('如：甘肃省居民家庭经济状况核对平台', 'e.g. provincial verification platform')} />
      </Form.Item>
      <Form.List name="regionCodes">
        {(fields, { add, remove }) => (
          <Form.Item label={t('授权区划（只能查询这些区划内的人员与家庭）', 'Regions the client may read')} required>
            {fields.map((f, i) => (
              <Space key={f.key} style={{ display: 'flex', marginBottom: 8 }} align="start">
                <Form.Item
                  name={f.name}
                  noStyle
                  rules={[{ required: true, message: t('请选择区划', 'Choose a region') }]}
                >
                  <RegionPicker style={{ width: 420 }} aria-label={t(`授权区划 ${i + 1}`, `Region ${i + 1}`)} />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={t('删除', 'Remove')}
                  />
                )}
              </Space>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add()} disabled={fields.length >= 50}>
              {t('添加区划', 'Add a region')}
            </Button>
          </Form.Item>
        )}
      </Form.List>
      <Form.Item
        name="purposes"
        label={t('用途', 'Purposes')}
        extra={t('第一项为调用方未注明用途时的默认用途', 'The first one is the default when a call names none')}
        rules={[
          { required: true, type: 'array', min: 1, message: t('至少选择一项用途', 'Choose at least one purpose') },
        ]}
      >
        <Select
          mode="multiple"
          options={Object.entries(PURPOSE_LABELS).map(([value, l]) => ({ value, label: l[lang] }))}
        />
      </Form.Item>
      <Form.Item
        name="platform"
        label={t('脱敏规则（按接收平台）', 'Masking (receiving platform)')}
        rules={[{ required: true, message: t('请选择', 'Choose one') }]}
      >
        <Select
          options={platforms.map((p) => ({
            value: p.code,
            label: `${p.name}：${t('身份证号', 'ID')}${p.idNumber === 'full' ? t('完整', ' full') : t('脱敏', ' masked')}，${t('电话', 'phone')}${
              p.phone === 'full'
                ? t('完整', ' full')
                : p.phone === 'masked'
                  ? t('脱敏', ' masked')
                  : t('不提供', ' omitted')
            }`,
          }))}
        />
      </Form.Item>
      <Form.Item
        name="ratePerMinute"
        label={t('限流：每分钟最多调用次数', 'Rate limit: calls per minute')}
        rules={[{ required: true, message: t('请输入限流次数', 'Enter a rate') }]}
      >
        <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} />
      </Form.Item>
    </>
  );
}

type DialogProps =
  | { platforms: Platform[]; client?: undefined; onClose(made: NewApiClient | null): void }
  | { platforms: Platform[]; client: ApiClient; onClose(changed: ApiClient | null): void };

/**
 * Registers a client (POST /api-clients, the answer carries the secret shown once) or, given `client`, edits it
 * (PATCH /api-clients/{id} with the fields that changed and the client's version). Errors land on their fields
 * (applyProblem); a stale version asks to reopen the dialog.
 */
export function ApiClientDialog(props: DialogProps) {
  const { t } = useI18n();
  const { client, platforms } = props;
  const qc = useQueryClient();
  const [form] = Form.useForm<ApiClientSettings>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const initial: Partial<Omit<ApiClientSettings, 'regionCodes'>> & { regionCodes: (string | undefined)[] } = client
    ? {
        name: client.name,
        regionCodes: client.regionCodes,
        purposes: client.purposes,
        platform: client.platform,
        ratePerMinute: client.ratePerMinute,
      }
    : { regionCodes: [undefined], purposes: ['verification'], platform: 'verification', ratePerMinute: 600 };

  const submit = async () => {
    const v = await form.validateFields();
    const values: ApiClientSettings = { ...v, name: v.name.trim() };
    setBusy(true);
    setError(null);
    try {
      if (props.client === undefined) {
        props.onClose(await api.post<NewApiClient>('/v1/api-clients', values));
        return;
      }
      const before = props.client;
      const changes = Object.fromEntries(
        SETTINGS.filter((k) => JSON.stringify(values[k]) !== JSON.stringify(before[k])).map((k) => [k, values[k]]),
      );
      props.onClose(
        Object.keys(changes).length === 0
          ? before
          : await api.patch<ApiClient>(`/v1/api-clients/${before.id}`, { ...changes, version: before.version }),
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
        setError(
          t(
            '该客户端已被他人修改，列表已刷新，请关闭后重新打开再改。',
            'The client was changed meanwhile; the list was reloaded — close and reopen to edit it.',
          ),
        );
        await qc.invalidateQueries({ queryKey: ['api-clients'] });
      } else setError(applyProblem(form, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      width={640}
      title={
        client
          ? t(`修改接口客户端：${client.name}`, `Edit API client: ${client.name}`)
          : t('登记接口客户端', 'Register an API client')
      }
      onOk={submit}
      onCancel={() => props.onClose(null)}
      confirmLoading={busy}
      okText={client ? t('保存', 'Save') : t('登记', 'Register')}
      cancelText={t('取消', 'Cancel')}
      destroyOnHidden
    >
      {client && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '保存后该客户端的下一次调用即按新的授权区划、用途、脱敏规则与限流执行（已发放的令牌同样适用）。',
            'From its next call the client works with the new regions, purposes, masking and rate (tokens already issued too).',
          )}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name={client ? 'apiClientEdit' : 'apiClient'} layout="vertical" initialValues={initial}>
        <ApiClientFields platforms={platforms} />
      </Form>
    </Modal>
  );
}
