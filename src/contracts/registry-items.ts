import { z } from 'zod';
import { Fen, IncomeKind, IncomePeriod, PropertyKind } from './registry-codes.js';
import { Reason, Text } from './registry-fields.js';

/** A household's income and property items (amounts in fen): input, edit and view. */

export const IncomeItemInput = z.strictObject({
  personId: z.number().int().positive().nullish(),
  kind: IncomeKind,
  period: IncomePeriod,
  amountFen: Fen,
  verified: z.boolean().optional(),
  source: Text(100).nullish(),
  reason: Reason,
});
export const UpdateIncomeItemRequest = IncomeItemInput.partial().extend({
  version: z.number().int().positive().optional(),
});

export const IncomeItemView = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  personId: z.number().int().nullable(),
  kind: IncomeKind,
  period: IncomePeriod,
  amountFen: z.number().int(),
  verified: z.boolean(),
  source: z.string().nullable(),
  version: z.number().int(),
});

export const PropertyItemInput = z.strictObject({
  personId: z.number().int().positive().nullish(),
  kind: PropertyKind,
  description: Text(200).nullish(),
  vehicleType: Text(40).nullish(),
  areaSqm: z.number().min(0, '面积不能为负数').max(1e6).nullish(),
  valueFen: Fen,
  source: Text(100).nullish(),
  reason: Reason,
});
export const UpdatePropertyItemRequest = PropertyItemInput.partial().extend({
  version: z.number().int().positive().optional(),
});

export const PropertyItemView = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  personId: z.number().int().nullable(),
  kind: PropertyKind,
  description: z.string().nullable(),
  vehicleType: z.string().nullable(),
  areaSqm: z.number().nullable(),
  valueFen: z.number().int(),
  source: z.string().nullable(),
  version: z.number().int(),
});
