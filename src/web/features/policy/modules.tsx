import { ExperimentOutlined, PieChartOutlined, SlidersOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppModule } from '../../app/modules';

/** Policy engine screens: parameters (history, sources), the two-subsidy coverage report, what-if with a chart. */
export const policyModules: AppModule[] = [
  {
    path: 'policy/parameters',
    menu: { zh: '政策参数', en: 'Policy parameters', icon: <SlidersOutlined />, group: 'programmes', order: 20 },
    permission: 'parameters.read',
    component: lazy(() => import('./ParametersPage')),
  },
  {
    path: 'policy/coverage',
    menu: { zh: '两项补贴覆盖', en: 'Subsidy coverage', icon: <PieChartOutlined />, group: 'programmes', order: 21 },
    permission: 'subsidy.report',
    component: lazy(() => import('./CoveragePage')),
  },
  {
    path: 'policy/what-if',
    menu: { zh: '政策模拟', en: 'What-if', icon: <ExperimentOutlined />, group: 'programmes', order: 22 },
    permission: 'policy.whatif',
    component: lazy(() => import('./WhatIfPage')),
  },
];
