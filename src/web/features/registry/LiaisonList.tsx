import { Card, Space, type TableColumnsType, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useAuth, useMe } from '../../app/auth';
import { type Lang, useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';
import { KeysetTable, useKeysetList } from './KeysetTable';

export interface LiaisonListSpec<T> {
  title: string;
  intro: string;
  path: string;
  /** Names the list: its query key, its test id and its region field's id. */
  id: string;
  rowKey: keyof T & string;
  columns: TableColumnsType<T>;
  /** Counted in the page footer: "本页 N 户 / 人". */
  unit: { zh: string; en: string };
  scrollX: number;
}

/** A list's spec in the user's language; `linked`: a name may link to the household page (registry.read). */
export type LiaisonListDef<T> = (c: {
  lang: Lang;
  t: (zh: string, en: string) => string;
  linked: boolean;
}) => LiaisonListSpec<T>;

/**
 * A department liaison list (危房 / 持证残疾人 / 救助对象成员): read-only, one keyset page of 50 rows at a time, the
 * region filter in the URL (bookmarkable), ID numbers masked as the server sends them. The server limits every row
 * to the user's area in SQL; the region tree only offers the user's own subtree.
 */
export function LiaisonList<T extends object>({ def }: { def: LiaisonListDef<T> }) {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const me = useMe();
  const props = def({ lang, t, linked: can('registry.read') });
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('regionCode') ?? undefined;
  const keyset = useKeysetList<T>(['registry', props.id, regionCode ?? null], props.path, { regionCode });
  return (
    <>
      <h1 className="jz-page-title">{props.title}</h1>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {props.intro}
      </Typography.Paragraph>
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingBlock: 12 } }}>
        <Space wrap>
          <label htmlFor={`${props.id}-region`}>{t('区划', 'Region')}</label>
          <RegionPicker
            id={`${props.id}-region`}
            value={regionCode}
            placeholder={me.user.region.name}
            style={{ width: 280 }}
            onChange={(code) => {
              keyset.restart();
              setParams(code ? { regionCode: code } : {});
            }}
          />
        </Space>
      </Card>
      <KeysetTable<T>
        keyset={keyset}
        rowKey={props.rowKey}
        scrollX={props.scrollX}
        testId={props.id}
        emptyText={t('您的管辖范围内没有符合条件的记录', 'Nothing in your area')}
        unit={props.unit}
        columns={props.columns}
      />
    </>
  );
}
