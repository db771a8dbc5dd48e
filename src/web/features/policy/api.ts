/** The policy API paths (src/server/modules/policy/routes.ts) and their types from src/contracts/policy.ts. */
import type { z } from 'zod';
import type {
  CoverageResponse,
  FactSnapshotView,
  ParameterDefView,
  ParameterView,
  ResolvedView,
  WhatIfResponse,
} from '../../../contracts/policy';

export type Parameter = z.infer<typeof ParameterView>;
export type ParameterDef = z.infer<typeof ParameterDefView>;
export type Resolved = z.infer<typeof ResolvedView>;
export type Coverage = z.infer<typeof CoverageResponse>;
export type WhatIf = z.infer<typeof WhatIfResponse>;
export type FactSnapshot = z.infer<typeof FactSnapshotView>;

export const POLICY = {
  parameters: '/v1/parameters',
  catalogue: '/v1/parameters/catalogue',
  resolved: '/v1/parameters/resolved',
  coverage: '/v1/policy/coverage',
  whatIf: '/v1/policy/what-if',
  snapshots: '/v1/policy/fact-snapshots',
  job: (id: number) => `/v1/jobs/${id}`,
};

export const yuan = (fen: number) =>
  `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

export function showValue(key: string, value: unknown): string {
  if (typeof value === 'number' && key.endsWith('_fen')) return yuan(value);
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
