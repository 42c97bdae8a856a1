import { z } from 'zod';
import { isIsoDate, parseTypedDate } from '../lib/vietnam-time.js';
import { vi } from '../locale/vi.js';

// Typed as dd/mm/yyyy (ISO accepted too), whatever the browser's language.
const localDate = z
  .string()
  .transform((v) => (v.trim() === '' ? '' : (parseTypedDate(v) ?? v.trim())))
  .refine((v) => v === '' || isIsoDate(v), vi.common.dateInvalid)
  .optional();

/** What both log viewers filter by: action, account, a local date range and the page. */
export const logQuery = z.object({
  action: z.string().max(100).optional(),
  username: z.string().max(100).optional(),
  from: localDate,
  to: localDate,
  page: z.coerce.number().int().min(1).max(100000).default(1),
});
export const accessQuery = logQuery.extend({
  subject: z.string().max(100).optional(),
  person: z.string().max(100).optional(),
});
