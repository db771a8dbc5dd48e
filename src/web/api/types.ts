/** API types, inferred from the shared zod contracts (type-only imports: zod stays out of the bundle). */
import type { z } from 'zod';
import type { Problem } from '../../contracts/common';
import type { AuditRow, AuditVerifyResult, Me, RegionNode, RoleView, UserView } from '../../contracts/platform';

export type { Me, Problem, RegionNode, UserView };
export type AuditRowT = z.infer<typeof AuditRow>;
export type AuditVerify = z.infer<typeof AuditVerifyResult>;
export type RoleViewT = z.infer<typeof RoleView>;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface DemoAccounts {
  demo: boolean;
  password: string | null;
  accounts: {
    username: string;
    role: string;
    roleName: string;
    regionCode: string;
    regionName: string;
    displayName: string;
  }[];
}
