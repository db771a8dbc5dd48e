import { z } from 'zod';

/** The change timeline of a household (who, when, why and what changed). */

export const HistoryEntry = z.object({
  /** ISO timestamp of the change */
  at: z.string(),
  entity: z.enum(['household', 'person', 'disability_cert', 'income_item', 'property_item', 'membership']),
  entityId: z.number().int(),
  /** Chinese label of the record, e.g. the person's name or the income kind */
  label: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  changedBy: z.number().int().nullable(),
  changedByName: z.string().nullable(),
  reason: z.string().nullable(),
  /** field → [before, after]; ID numbers and bank accounts masked */
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const HistoryResponse = z.object({ items: z.array(HistoryEntry) });
