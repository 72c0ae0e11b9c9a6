import { z } from 'zod';
import { isValidCalendarDate } from './dates.js';

/** The shape of HOLIDAY_OVERRIDES (read by src/config.ts, applied by src/services/calendar.ts). */

const DateOrRangeSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/, 'expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD')
  .refine((v) => v.split('..').every(isValidCalendarDate), { message: 'not a real calendar date' });

/**
 * Local corrections merged over the built-in data, e.g. a regional holiday or next year's
 * arrangement before the data is updated: {"off": ["2027-01-01"], "work": ["2027-02-06"]}.
 * Dates listed here make their year count as known (no Monday–Friday fallback warning).
 */
export const HolidayOverridesSchema = z
  .object({
    off: z.array(DateOrRangeSchema).default([]),
    work: z.array(DateOrRangeSchema).default([]),
  })
  .strict();
export type HolidayOverrides = z.infer<typeof HolidayOverridesSchema>;
