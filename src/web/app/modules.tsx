import {
  AuditOutlined,
  CloudUploadOutlined,
  HomeOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import { dibaoModules } from '../features/dibao/modules';
import { policyModules } from '../features/policy/modules';
import { registryListModules } from '../features/registry/modules';
import { rosterModules } from '../features/rosters/modules';

/**
 * The route and menu table of the web app. Each capability appends its screens here (see docs/web.md):
 * a lazily loaded component (its own chunk), a path, and — when it belongs in the side menu — a label and icon.
 * The menu shows an entry only when the signed-in user holds one of its permissions; the server enforces the same.
 */
export interface AppModule {
  /** Route path under the app root, without a leading slash; may have params (`registry/households/:id`). */
  path: string;
  /** Menu entry; screens reached by links only (detail pages) have none. */
  menu?: { zh: string; en: string; icon?: ReactNode; group: MenuGroup; order: number };
  /** Any of these permissions opens the screen (the same names the server checks). */
  permission?: string | string[];
  component: LazyExoticComponent<ComponentType>;
}

export type MenuGroup = 'home' | 'registry' | 'programmes' | 'payments' | 'admin';

export const MENU_GROUPS: Record<MenuGroup, { zh: string; en: string; order: number }> = {
  home: { zh: '首页', en: 'Home', order: 0 },
  registry: { zh: '对象台账', en: 'Registry', order: 10 },
  programmes: { zh: '救助业务', en: 'Programmes', order: 20 },
  payments: { zh: '资金发放', en: 'Payments', order: 30 },
  admin: { zh: '系统管理', en: 'Administration', order: 90 },
};

export const modules: AppModule[] = [
  {
    path: '',
    menu: { zh: '工作台', en: 'Dashboard', icon: <HomeOutlined />, group: 'home', order: 0 },
    permission: 'dashboard.read',
    component: lazy(() => import('../features/home/HomePage')),
  },
  {
    path: 'registry',
    menu: {
      zh: '家庭与人员',
      en: 'Households & persons',
      icon: <UnorderedListOutlined />,
      group: 'registry',
      order: 0,
    },
    permission: 'registry.read',
    component: lazy(() => import('../features/registry/RegistryListPage')),
  },
  {
    path: 'registry/households/new',
    permission: 'registry.write',
    component: lazy(() => import('../features/registry/HouseholdCreatePage')),
  },
  {
    path: 'registry/households/:id',
    permission: 'registry.read',
    component: lazy(() => import('../features/registry/HouseholdPage')),
  },
  {
    path: 'registry/import',
    menu: { zh: '导入与导出', en: 'Import & export', icon: <CloudUploadOutlined />, group: 'registry', order: 10 },
    permission: ['registry.import', 'registry.export'],
    component: lazy(() => import('../features/imports/ImportPage')),
  },
  {
    path: 'admin/users',
    menu: { zh: '用户管理', en: 'Users', icon: <TeamOutlined />, group: 'admin', order: 0 },
    permission: 'users.manage',
    component: lazy(() => import('../features/admin/UsersPage')),
  },
  {
    path: 'admin/audit',
    menu: { zh: '审计日志', en: 'Audit trail', icon: <AuditOutlined />, group: 'admin', order: 10 },
    permission: 'audit.read',
    component: lazy(() => import('../features/admin/AuditPage')),
  },
  {
    path: 'account',
    component: lazy(() => import('../features/auth/AccountPage')),
  },
  ...registryListModules,
  ...rosterModules,
  ...dibaoModules,
  ...policyModules,
];

export const accountIcon = <UserOutlined />;
