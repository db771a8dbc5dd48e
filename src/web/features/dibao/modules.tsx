import { AlertOutlined, AuditOutlined, CalendarOutlined, FileSearchOutlined, SyncOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppModule } from '../../app/modules';

/** 低保 screens: intake and worklists, the case page, the Q4 batch review, the archive completeness report. */
export const dibaoModules: AppModule[] = [
  {
    path: 'dibao/cases',
    menu: { zh: '低保·特困·两项补贴审核', en: 'Cases', icon: <AuditOutlined />, group: 'programmes', order: 0 },
    permission: ['cases.read', 'disability.cases.read'],
    component: lazy(() => import('./CasesPage')),
  },
  {
    path: 'dibao/cases/:id',
    permission: ['cases.read', 'disability.cases.read'],
    component: lazy(() => import('./CasePage')),
  },
  {
    path: 'dibao/review-tasks',
    menu: { zh: '复核任务', en: 'Review tasks', icon: <AlertOutlined />, group: 'programmes', order: 4 },
    permission: 'cases.read',
    component: lazy(() => import('./ReviewTasksPage')),
  },
  {
    path: 'dibao/tekun-review',
    menu: { zh: '特困年度复核', en: 'Tekun yearly review', icon: <CalendarOutlined />, group: 'programmes', order: 3 },
    permission: ['tekun.review', 'tekun.approve'],
    component: lazy(() => import('./TekunReviewListPage')),
  },
  {
    path: 'dibao/batch-review',
    menu: { zh: 'Q4 有效期复核', en: 'Q4 validity review', icon: <SyncOutlined />, group: 'programmes', order: 1 },
    permission: ['dibao.manage', 'dibao.approve'],
    component: lazy(() => import('./BatchReviewPage')),
  },
  {
    path: 'dibao/archive',
    menu: { zh: '档案完整性', en: 'Archive completeness', icon: <FileSearchOutlined />, group: 'programmes', order: 2 },
    permission: 'cases.read',
    component: lazy(() => import('./CompletenessPage')),
  },
];
