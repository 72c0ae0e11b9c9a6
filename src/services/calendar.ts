import { calendarDate, dayNumber, fromDayNumber, isoWeekKey, isValidCalendarDate, startOfDayIn } from '../domain/dates.js';
import { HolidayOverridesSchema, type HolidayOverrides } from '../domain/holiday-overrides.js';
import type { Logger } from '../logger.js';
import { CN_HOLIDAYS, type HolidayYear } from './calendar-data/cn-holidays.js';

/**
 * The working-day calendar: China's statutory holidays and make-up working days, plus local
 * overrides. Calendar dates are plain 'YYYY-MM-DD' strings in the configured time zone; an
 * instant (Date) is first turned into its local date. Arithmetic runs on day numbers; counting
 * working days between two dates is a formula plus the listed exceptions, so a deadline decades
 * away (old data may hold 9999-12-31) costs no more than one next week.
 */

/** A calendar date 'YYYY-MM-DD' or an instant, read in the calendar's time zone. */
export type DateInput = string | Date;

export interface WorkCalendarOptions {
  timezone: string;
  overrides?: Partial<HolidayOverrides>;
  log?: Logger;
  /** the built-in arrangement; tests may pass their own */
  data?: Readonly<Record<number, HolidayYear>>;
}

export interface WorkCalendar {
  readonly timezone: string;
  /** The local calendar date of an instant (or a date string, validated and returned as is). */
  toDate(input: DateInput): string;
  isWorkingDay(date: DateInput): boolean;
  /** The nth working day after `date` (n > 0) or before it (n < 0); n = 0 returns `date`. */
  addWorkingDays(date: DateInput, n: number): string;
  /** Working days in (a, b] when b >= a; minus the working days in (b, a] when b < a. */
  workingDaysBetween(a: DateInput, b: DateInput): number;
  /** The first working day on or after `date`. */
  nextWorkingDayOnOrAfter(date: DateInput): string;
  /** The last working day on or before `date`. */
  lastWorkingDayOnOrBefore(date: DateInput): string;
  /** Calendar arithmetic on local dates. */
  addDays(date: DateInput, n: number): string;
  /** Calendar days from a to b (positive when b is later). */
  daysBetween(a: DateInput, b: DateInput): number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  isoWeekday(date: DateInput): number;
  /** ISO week key such as 2025-W41. */
  isoWeekKey(date: DateInput): string;
  /** Monday of the ISO week containing `date`. */
  startOfIsoWeek(date: DateInput): string;
  /** The instant at which the local date starts (00:00 in the time zone). */
  startOfDay(date: DateInput): Date;
  /** Name of the festival a date belongs to (off or make-up day), if any. */
  festivalOf(date: DateInput): string | undefined;
  /** True when the year has official data (built in or via overrides). */
  hasDataFor(year: number): boolean;
}

/** 0 = Monday ... 6 = Sunday (1970-01-01, day 0, was a Thursday). */
function weekdayIndex(n: number): number {
  return (((n + 3) % 7) + 7) % 7;
}

function isWeekday(n: number): boolean {
  return weekdayIndex(n) < 5;
}

/**
 * Monday-to-Friday days counted from a fixed Monday up to day n inclusive (negative before it);
 * only differences are used, so the origin does not matter.
 */
function weekdaysUpTo(n: number): number {
  const m = n + 4; // days since Monday 1969-12-29 (day -3), plus one to include day n
  return Math.floor(m / 7) * 5 + Math.min(((m % 7) + 7) % 7, 5);
}

/** Index of the first element greater than x in a sorted array. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function expand(entry: string): string[] {
  const [first, last = first] = entry.split('..') as [string, string?];
  const out: string[] = [];
  for (let d = dayNumber(first); d <= dayNumber(last!); d++) out.push(fromDayNumber(d));
  return out;
}

export function createWorkCalendar(options: WorkCalendarOptions): WorkCalendar {
  const { timezone, log } = options;
  const data = options.data ?? CN_HOLIDAYS;
  /** date -> true (working) / false (off); dates absent follow the weekday rule */
  const exceptions = new Map<string, boolean>();
  const festival = new Map<string, string>();
  const knownYears = new Set<number>();
  const mark = (entry: string, working: boolean, name?: string) => {
    for (const d of expand(entry)) {
      exceptions.set(d, working);
      if (name) festival.set(d, name);
      else knownYears.add(Number(d.slice(0, 4)));
    }
  };
  for (const [year, y] of Object.entries(data)) {
    knownYears.add(Number(year));
    for (const f of y.festivals) {
      for (const e of f.off) mark(e, false, f.name);
      for (const e of f.work) mark(e, true, f.name);
    }
  }
  for (const e of options.overrides?.off ?? []) mark(e, false);
  for (const e of options.overrides?.work ?? []) mark(e, true);
  const warned = new Set<number>();

  function toDate(input: DateInput): string {
    if (typeof input === 'string') {
      if (!isValidCalendarDate(input)) throw new RangeError(`expected a date YYYY-MM-DD, got "${input}"`);
      return input;
    }
    return calendarDate(input, timezone);
  }

  /**
   * Exceptions as day numbers with their effect on the Monday–Friday count (+1 a make-up
   * working day on a weekend, -1 a holiday on a weekday), sorted, with running totals: a count
   * over any range is the weekday formula plus two binary searches, never a walk over days.
   */
  const adjustments = [...exceptions]
    .map(([d, working]) => {
      const n = dayNumber(d);
      return { n, delta: working === isWeekday(n) ? 0 : working ? 1 : -1 };
    })
    .filter((a) => a.delta !== 0)
    .sort((a, b) => a.n - b.n);
  const adjustmentDays = adjustments.map((a) => a.n);
  const adjustmentSums = [0];
  for (const a of adjustments) adjustmentSums.push(adjustmentSums.at(-1)! + a.delta);
  /** Sum of the adjustments on days <= n. */
  const adjustedUpTo = (n: number) => adjustmentSums[upperBound(adjustmentDays, n)]!;

  /** Warns once per year without data; a range of such years makes one line, not one per year. */
  const checkedRanges = new Set<string>();
  function warnUnknownYears(fromYear: number, toYear: number) {
    const range = `${fromYear}..${toYear}`;
    if (checkedRanges.has(range)) return;
    checkedRanges.add(range);
    const missing: number[] = [];
    for (let y = fromYear; y <= toYear; y++) {
      if (!knownYears.has(y) && !warned.has(y)) {
        warned.add(y);
        missing.push(y);
      }
    }
    if (missing.length === 0) return;
    const years = missing.length === 1 ? missing[0] : `${missing[0]}..${missing.at(-1)} (${missing.length} years)`;
    log?.warn('no holiday data for this year; counting Monday to Friday as working days', { year: years });
  }

  const yearOf = (n: number) => Number(fromDayNumber(n).slice(0, 4));

  function workingByNumber(n: number): boolean {
    const exception = exceptions.get(fromDayNumber(n));
    if (exception !== undefined) return exception;
    const year = yearOf(n);
    warnUnknownYears(year, year);
    return isWeekday(n);
  }

  function addWorkingDays(date: DateInput, n: number): string {
    let d = dayNumber(toDate(date));
    const step = n >= 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      d += step;
      if (workingByNumber(d)) left--;
    }
    return fromDayNumber(d);
  }

  function workingDaysBetween(a: DateInput, b: DateInput): number {
    const from = dayNumber(toDate(a));
    const to = dayNumber(toDate(b));
    const [lo, hi, sign] = from <= to ? [from, to, 1] : [to, from, -1];
    if (hi === lo) return 0;
    warnUnknownYears(yearOf(lo + 1), yearOf(hi));
    const count = weekdaysUpTo(hi) - weekdaysUpTo(lo) + adjustedUpTo(hi) - adjustedUpTo(lo);
    return sign * count;
  }

  return {
    timezone,
    toDate,
    isWorkingDay: (date) => workingByNumber(dayNumber(toDate(date))),
    addWorkingDays,
    workingDaysBetween,
    nextWorkingDayOnOrAfter(date) {
      let d = dayNumber(toDate(date));
      while (!workingByNumber(d)) d++;
      return fromDayNumber(d);
    },
    lastWorkingDayOnOrBefore(date) {
      let d = dayNumber(toDate(date));
      while (!workingByNumber(d)) d--;
      return fromDayNumber(d);
    },
    addDays: (date, n) => fromDayNumber(dayNumber(toDate(date)) + n),
    daysBetween: (a, b) => dayNumber(toDate(b)) - dayNumber(toDate(a)),
    isoWeekday: (date) => weekdayIndex(dayNumber(toDate(date))) + 1,
    isoWeekKey: (date) => isoWeekKey(toDate(date)),
    startOfIsoWeek(date) {
      const n = dayNumber(toDate(date));
      return fromDayNumber(n - weekdayIndex(n));
    },
    startOfDay: (date) => startOfDayIn(toDate(date), timezone),
    festivalOf: (date) => festival.get(toDate(date)),
    hasDataFor: (year) => knownYears.has(year),
  };
}

/** Parses HOLIDAY_OVERRIDES text; throws with a readable reason. */
export function parseHolidayOverrides(text: string): HolidayOverrides {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('expected JSON such as {"off":["2027-01-01"],"work":["2027-02-06"]}');
  }
  const r = HolidayOverridesSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return r.data;
}

const shared = new WeakMap<object, WorkCalendar>();

/**
 * The calendar for a configuration, built once per config object so the fallback warning is
 * logged once and the tables are not rebuilt for every request or job run.
 */
export function workCalendarFor(deps: { config: { timezone: string; holidayOverrides?: HolidayOverrides }; log?: Logger }): WorkCalendar {
  let calendar = shared.get(deps.config);
  if (!calendar) {
    calendar = createWorkCalendar({ timezone: deps.config.timezone, overrides: deps.config.holidayOverrides, log: deps.log });
    shared.set(deps.config, calendar);
  }
  return calendar;
}
