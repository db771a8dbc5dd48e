import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, type MenuProps, Segmented, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth, useMe } from './auth';
import { useI18n } from './i18n';
import { roleName } from './roles';
import { MENU_GROUPS, type MenuGroup, modules } from './modules';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const me = useMe();
  const { can, logout } = useAuth();
  const { lang, setLang, t } = useI18n();
  const nav = useNavigate();
  const loc = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const isCollapsed = collapsed ?? !screens.xl;

  const items = useMemo<MenuProps['items']>(() => {
    const groups = new Map<MenuGroup, { key: string; label: string; icon?: React.ReactNode; order: number }[]>();
    for (const m of modules) {
      if (!m.menu || !can(m.permission)) continue;
      const list = groups.get(m.menu.group) ?? [];
      list.push({
        key: `/${m.path}`,
        label: lang === 'en' ? m.menu.en : m.menu.zh,
        icon: m.menu.icon,
        order: m.menu.order,
      });
      groups.set(m.menu.group, list);
    }
    return [...groups.entries()]
      .sort((a, b) => MENU_GROUPS[a[0]].order - MENU_GROUPS[b[0]].order)
      .flatMap(([g, list]) => {
        const entries = list.sort((a, b) => a.order - b.order).map(({ order: _o, ...rest }) => rest);
        if (g === 'home') return entries;
        return [
          {
            type: 'group' as const,
            key: `g-${g}`,
            label: lang === 'en' ? MENU_GROUPS[g].en : MENU_GROUPS[g].zh,
            children: entries,
          },
        ];
      });
  }, [can, lang]);

  // The menu entry whose path is the longest prefix of the current location.
  const selected = useMemo(() => {
    let best = '/';
    for (const m of modules) {
      if (!m.menu) continue;
      const p = `/${m.path}`;
      if ((loc.pathname === p || loc.pathname.startsWith(`${p}/`)) && p.length > best.length) best = p;
    }
    return [best];
  }, [loc.pathname]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="jz-skip" href="#main">
        {t('跳到主要内容', 'Skip to main content')}
      </a>
      <Sider
        collapsible
        collapsed={isCollapsed}
        trigger={null}
        width={216}
        collapsedWidth={64}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
        className="jz-no-print"
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <span
            aria-hidden
            style={{
              background: '#b8322a',
              color: '#fff',
              borderRadius: 6,
              width: 28,
              height: 28,
              display: 'grid',
              placeItems: 'center',
              fontWeight: 700,
            }}
          >
            救
          </span>
          {!isCollapsed && <strong style={{ fontSize: 16 }}>{t('社会救助', 'Jiuzhu')}</strong>}
        </div>
        <nav aria-label={t('主菜单', 'Main menu')}>
          <Menu
            mode="inline"
            selectedKeys={selected}
            items={items}
            onClick={(e) => nav(e.key)}
            style={{ borderRight: 0 }}
          />
        </nav>
      </Sider>
      <Layout>
        <Header
          className="jz-no-print"
          style={{
            background: '#fff',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 12,
            height: 56,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <div className="jz-header-meta">
            <Button
              type="text"
              aria-label={isCollapsed ? t('展开菜单', 'Expand menu') : t('收起菜单', 'Collapse menu')}
              icon={isCollapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!isCollapsed)}
            />
            {me.demo && <Tag color="orange">{t('演示环境', 'Demo')}</Tag>}
            <Tooltip title={me.user.region.path}>
              <span className="jz-region-path" data-testid="region-path">
                {me.user.region.path}
              </span>
            </Tooltip>
          </div>
          <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexShrink: 0 }}>
            <Segmented
              size="small"
              aria-label={t('界面语言', 'Language')}
              value={lang}
              onChange={(v) => setLang(v as 'zh' | 'en')}
              options={[
                { label: '中文', value: 'zh' },
                { label: 'EN', value: 'en' },
              ]}
            />
            <Dropdown
              menu={{
                items: [
                  { key: 'account', icon: <UserOutlined />, label: t('账号与密码', 'Account & password') },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('退出登录', 'Sign out') },
                ],
                onClick: (e) => (e.key === 'logout' ? void logout() : nav('/account')),
              }}
            >
              <Button type="text" data-testid="user-menu">
                <UserOutlined />
                <span>{me.user.displayName}</span>
                <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="role-name">
                  {roleName(me.user.role, lang, me.user.roleName)}
                </Tag>
              </Button>
            </Dropdown>
          </div>
        </Header>
        <Content id="main" tabIndex={-1} style={{ margin: 16, minWidth: 0 }}>
          <Outlet />
          <Typography.Paragraph type="secondary" className="jz-print-only" style={{ marginTop: 24 }}>
            {t('打印人', 'Printed by')}: {me.user.displayName}（{me.user.roleName}）·{' '}
            {new Date().toLocaleString('zh-CN')}
          </Typography.Paragraph>
        </Content>
      </Layout>
    </Layout>
  );
}
