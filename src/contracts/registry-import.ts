import { z } from 'zod';
import { RegionCode } from './common.js';

/** Registry import (issue 3 item 7) and the generic job status (jobs table). */

/** dry-run: validate only · valid-rows: write the valid rows · all-or-nothing: any error writes nothing. */
export const ImportModeParam = z
  .enum(['dry-run', 'valid-rows', 'all-or-nothing', 'dry_run', 'valid_rows', 'all_or_nothing'])
  .transform((m) => m.replaceAll('_', '-') as 'dry-run' | 'valid-rows' | 'all-or-nothing');

export const ImportQuery = z.strictObject({
  mode: ImportModeParam.default('dry-run'),
  /** The area imported into (default: the caller's own region); every village of the file must lie inside it. */
  regionCode: RegionCode.optional(),
});

export const JobView = z.object({
  id: z.number().int(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  regionCode: z.string(),
  progressDone: z.number().int(),
  progressTotal: z.number().int().nullable(),
  params: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobView = z.infer<typeof JobView>;
