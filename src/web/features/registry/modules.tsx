import { IdcardOutlined, MedicineBoxOutlined, WarningOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppModule } from '../../app/modules';

const pages = () => import('./LiaisonPages');

/**
 * The department liaison lists (appended to the app's module table). The permissions are the routes' `config.access`
 * in src/server/modules/registry/routes.ts: the department's own permission, or registry.read for the bureau.
 */
export const LIAISON_LISTS = [
  {
    path: 'registry/dangerous-housing',
    menu: { zh: '危房清单', en: 'Dangerous housing', icon: <WarningOutlined />, group: 'registry', order: 20 },
    permission: ['housing.read', 'registry.read'],
    component: lazy(() => pages().then((m) => ({ default: m.DangerousHousingPage }))),
    intro: {
      zh: 'C、D 级危房家庭户及其低保类别',
      en: 'Households in C/D-rated housing and their dibao class',
    },
  },
  {
    path: 'registry/disabled-persons',
    menu: { zh: '持证残疾人', en: 'Certificate holders', icon: <IdcardOutlined />, group: 'registry', order: 30 },
    permission: ['disability.read', 'registry.read'],
    component: lazy(() => pages().then((m) => ({ default: m.DisabledPersonsPage }))),
    intro: { zh: '持残疾人证人员、类别等级与照护需要', en: 'Certificate holders, type, level and care needs' },
  },
  {
    path: 'registry/assistance-members',
    menu: {
      zh: '救助对象成员',
      en: 'Assistance recipients',
      icon: <MedicineBoxOutlined />,
      group: 'registry',
      order: 40,
    },
    permission: ['medical.read', 'registry.read'],
    component: lazy(() => pages().then((m) => ({ default: m.AssistanceMembersPage }))),
    intro: {
      zh: '低保家庭成员与特困人员，用于医疗救助',
      en: 'Dibao members and tekun persons, for medical assistance',
    },
  },
] satisfies Array<AppModule & { intro: { zh: string; en: string } }>;

export const registryListModules: AppModule[] = LIAISON_LISTS;
