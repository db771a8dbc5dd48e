import { AccountBookOutlined, ApiOutlined, BankOutlined, CalendarOutlined, FileDoneOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppModule } from '../../app/modules';

/** Screens of rosters, the finance ledger and monthly updates / exchange (appended to the app's module table). */
export const rosterModules: AppModule[] = [
  {
    path: 'rosters',
    menu: { zh: '发放名册', en: 'Payment rosters', icon: <FileDoneOutlined />, group: 'payments', order: 0 },
    permission: 'roster.read',
    component: lazy(() => import('./RostersPage')),
  },
  { path: 'rosters/:id', permission: 'roster.read', component: lazy(() => import('./RosterPage')) },
  {
    path: 'ledger',
    menu: { zh: '计财台帐', en: 'Finance ledger', icon: <AccountBookOutlined />, group: 'payments', order: 10 },
    permission: 'ledger.read',
    component: lazy(() => import('./LedgerPage')),
  },
  {
    path: 'monthly-updates',
    menu: {
      zh: '按月更新与数据交换',
      en: 'Monthly updates & exchange',
      icon: <CalendarOutlined />,
      group: 'payments',
      order: 20,
    },
    permission: ['monthly_updates.read', 'exports.run'],
    component: lazy(() => import('./MonthlyUpdatesPage')),
  },
  {
    path: 'bank-layouts',
    menu: { zh: '银行代发格式', en: 'Bank file layouts', icon: <BankOutlined />, group: 'payments', order: 30 },
    permission: 'bank_layouts.manage',
    component: lazy(() => import('./BankLayoutsPage')),
  },
  {
    path: 'admin/api-clients',
    menu: { zh: '接口客户端', en: 'API clients', icon: <ApiOutlined />, group: 'admin', order: 30 },
    permission: 'api_clients.manage',
    component: lazy(() => import('./ApiClientsPage')),
  },
];
