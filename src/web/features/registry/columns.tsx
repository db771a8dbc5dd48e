import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Lang } from '../../app/i18n';
import { SEX } from './labels';

/** A name (or other text) linking to the household's page. */
export const householdLink = (householdId: number, text: ReactNode) => (
  <Link to={`/registry/households/${householdId}`}>{text}</Link>
);

/** A column's coded value in words (relation `head` → 户主), or — when there is none. */
export const codeText =
  <K extends string>(codes: Record<K, { zh: string; en: string }>, lang: Lang) =>
  (v: K | null) =>
    v ? codes[v][lang] : '—';

/** The masked ID number, sex and age of a person's row. */
export function personColumns<T extends object>(
  lang: Lang,
  t: (zh: string, en: string) => string,
): TableColumnsType<T> {
  return [
    { title: t('身份证号码', 'ID number'), dataIndex: 'idNumberMasked', width: 190, className: 'jz-mono' },
    { title: t('性别', 'Sex'), dataIndex: 'sex', width: 60, render: (s: 'M' | 'F') => SEX[s][lang] },
    { title: t('年龄', 'Age'), dataIndex: 'age', width: 60, align: 'right' },
  ];
}
