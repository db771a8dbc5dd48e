import { Button, Card, Col, Row } from 'antd';
import { useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { LIAISON_LISTS } from './modules';

/**
 * Home page of a department liaison (住建, 残联, 医保 — roles that read a list but not the registry): the lists they
 * work from, one click away, above the area's figures. Roles with registry.read find the lists in the menu instead.
 */
export function LiaisonHomeCard() {
  const { lang, t } = useI18n();
  const { can } = useAuth();
  const nav = useNavigate();
  if (can('registry.read')) return null;
  const mine = LIAISON_LISTS.filter((l) => can(l.permission));
  if (!mine.length) return null;
  return (
    <Card title={t('本部门清单', 'Your department’s lists')} style={{ marginBottom: 16 }} data-testid="liaison-lists">
      <Row gutter={[16, 16]}>
        {mine.map((l) => (
          <Col key={l.path} xs={24} md={12} xl={8}>
            <Card size="small" type="inner" title={l.menu[lang]}>
              <p style={{ minHeight: 44 }}>{l.intro[lang]}</p>
              <Button type="primary" icon={l.menu.icon} onClick={() => nav(`/${l.path}`)}>
                {t(`打开${l.menu.zh}`, `Open ${l.menu.en}`)}
              </Button>
            </Card>
          </Col>
        ))}
      </Row>
    </Card>
  );
}
