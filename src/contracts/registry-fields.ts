import { z } from 'zod';
import { isValidDate } from '../domain/calendar.js';
import { DateString as DateFormat } from './common.js';

/** Field building blocks of the registry contracts (dates, free text, reasons, flags) and the version-only inputs. */

/** A real calendar date YYYY-MM-DD (China Standard Time); 2024-02-30 is refused. */
export const DateString = DateFormat.refine(isValidDate, '日期不存在');

/** Free text stored verbatim (no HTML stripping; the UI escapes on output). */
export const Text = (max: number) => z.string().trim().max(max);
export const Reason = z.string().trim().min(1).max(500).optional();

/** A query-string flag. */
export const BoolString = z.enum(['true', 'false']);

/** DELETE routes: the version as If-Match or ?version=, an optional reason. */
export const DeleteQuery = z.strictObject({
  version: z.coerce.number().int().positive().optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});

export const Versioned = z.strictObject({ version: z.number().int().positive().optional(), reason: Reason });
