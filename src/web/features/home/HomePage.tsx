import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, Row, Skeleton, Space, Statistic, Table } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import { applyProblem } from '../../api/forms';
import { useMe } from '../../app/auth';
import { Chart } from '../../app/Chart';
import { useI18n } from '../../app/i18n';
import { RegionPicker } from '../../app/RegionPicker';
import { REG, type RegistryStats } from '../registry/api';
import { LiaisonHomeCard } from '../registry/LiaisonHomeCard';
import { PROGRAMME } from '../registry/labels';
import { LateCountiesCard } from '../rosters/LateCountiesCard';

/** The dashboard: the registry's real figures for the user's area (or a part of it chosen in the region tree). */
export default function HomePage() {
  const me = useMe();
  const { lang, t } = useI18n();
  const [regionCode, setRegionCode] = useState<string | undefined>(undefined);
  const stats = useQuery({
    queryKey: ['registry', 'stats', regionCode ?? null],
    queryFn: () => api.get<RegistryStats>(REG.stats, { query: { regionCode } }),
  });
  const s = stats.data;
  const areaLen = (regionCode ?? me.user.region.code).length;
  const childLevel =
    areaLen <= 4 ? t('区县', 'county') : areaLen === 6 ? t('乡镇（街道）', 'township') : t('村（社区）', 'village');

  const barOption = useMemo(() => {
    if (!s) return null;
    const names = s.children.map((c) => c.name);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: names.length > 6 ? 70 : 30 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 35 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('户数', 'Households'), type: 'bar', data: s.children.map((c) => c.households) },
        { name: t('人数', 'Persons'), type: 'bar', data: s.children.map((c) => c.persons) },
        { name: t('低保户', 'Dibao households'), type: 'bar', data: s.children.map((c) => c.dibaoHouseholds) },
      ],
    };
  }, [s, t]);
  const trendOption = useMemo(() => {
    if (!s) return null;
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 30 },
      xAxis: { type: 'category', data: s.trend.map((x) => x.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('台账变更', 'Registry changes'),
          type: 'line',
          smooth: true,
          areaStyle: { opacity: 0.15 },
          data: s.trend.map((x) => x.changes),
        },
      ],
    };
  }, [s, t]);

  return (
    <>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          flexWrap: 'wrap',
          gap: 8,
          marginBottom: 16,
        }}
      >
        <h1 className="jz-page-title" style={{ margin: 0 }}>
          {t('工作台', 'Dashboard')} · {me.user.region.name}
        </h1>
        <Space>
          <label htmlFor="home-region">{t('查看区划', 'Area')}</label>
          <RegionPicker
            id="home-region"
            value={regionCode}
            onChange={setRegionCode}
            placeholder={me.user.region.name}
          />
        </Space>
      </div>
      <LiaisonHomeCard />
      {stats.error && (
        <Alert type="error" showIcon title={applyProblem(null, stats.error)} style={{ marginBottom: 16 }} />
      )}
      {stats.isLoading && <Skeleton active />}
      {s && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic
                  title={t('在册家庭（户）', 'Households')}
                  value={s.households}
                  data-testid="stat-households"
                />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('在册人员（人）', 'Persons')} value={s.persons} data-testid="stat-persons" />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic
                  title={t('低保（户 / 人）', 'Dibao (households / persons)')}
                  value={s.recipients.find((r) => r.programme === 'dibao')?.households ?? 0}
                  suffix={`/ ${s.recipients.find((r) => r.programme === 'dibao')?.persons ?? 0}`}
                />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('本月台账变更（次）', 'Registry changes this month')} value={s.changesThisMonth} />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={16}>
              <Card title={t(`各${childLevel}对比`, `By ${childLevel}`)}>
                {s.children.length && barOption ? (
                  <Chart
                    option={barOption}
                    height={320}
                    label={t(
                      `各${childLevel}户数、人数与低保户数柱状图`,
                      `Households, persons and dibao households by ${childLevel}`,
                    )}
                  />
                ) : (
                  <Empty description={t('没有下级区划数据', 'No sub-areas')} />
                )}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card title={t('享受救助情况', 'Recipients by programme')}>
                <Table
                  size="small"
                  rowKey="programme"
                  pagination={false}
                  dataSource={s.recipients}
                  locale={{ emptyText: t('暂无救助对象', 'No recipients yet') }}
                  columns={[
                    {
                      title: t('项目', 'Programme'),
                      dataIndex: 'programme',
                      render: (p: keyof typeof PROGRAMME) => PROGRAMME[p]?.[lang] ?? p,
                    },
                    { title: t('户', 'Households'), dataIndex: 'households', align: 'right' },
                    { title: t('人', 'Persons'), dataIndex: 'persons', align: 'right' },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <Card title={t('近 12 个月台账变更趋势', 'Registry changes, last 12 months')} style={{ marginTop: 16 }}>
            {trendOption && (
              <Chart
                option={trendOption}
                height={260}
                label={t('近 12 个月每月台账变更次数折线图', 'Registry changes per month')}
              />
            )}
          </Card>
        </>
      )}
      <LateCountiesCard />
    </>
  );
}
