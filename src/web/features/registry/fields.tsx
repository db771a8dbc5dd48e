import { todayCst } from '../../../domain/calendar';
import { Col, type ColProps, Form, type FormItemProps, Input } from 'antd';
import { useI18n } from '../../app/i18n';

/** A form field in a grid column: a `Col` with the given spans around a `Form.Item` with the other props. */
export function FieldCol({ xs, md, lg, ...item }: Pick<ColProps, 'xs' | 'md' | 'lg'> & FormItemProps) {
  return (
    <Col xs={xs} md={md} lg={lg}>
      <Form.Item {...item} />
    </Col>
  );
}

/** 变更原因: the optional reason recorded with a change (at most 500 characters), in a full-width column by default. */
export function ReasonCol({ md, placeholder }: { md?: number; placeholder?: string }) {
  const { t } = useI18n();
  return (
    <FieldCol xs={24} md={md} name="reason" label={t('变更原因', 'Reason')} rules={[{ max: 500 }]}>
      <Input placeholder={placeholder} />
    </FieldCol>
  );
}

/** The reason an action must give (迁出原因, 注销原因 …): required, at most 500 characters. */
export function RequiredReason({
  label,
  message,
  placeholder,
}: {
  label: string;
  message: string;
  placeholder: string;
}) {
  return (
    <Form.Item name="reason" label={label} rules={requiredText(message, 500)}>
      <Input placeholder={placeholder} />
    </Form.Item>
  );
}

/** The rules of a text that must be filled in (not only spaces), at most `max` characters. */
export const requiredText = (message: string, max: number) => [{ required: true, whitespace: true, message }, { max }];

/** A date (YYYY-MM-DD) that may be left empty but not be later than today (China Standard Time). */
export const notAfterToday = (message: string) => ({
  validator: async (_r: unknown, v: string | undefined) => {
    if (v && v > todayCst()) throw new Error(message);
  },
});

/** A new record leaves out the fields left empty. */
export const dropEmpty = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined && x !== null && x !== ''));

/** An edit sends a cleared field as null. */
export const orNull = (x: unknown) => (x === undefined || x === '' ? null : x);
