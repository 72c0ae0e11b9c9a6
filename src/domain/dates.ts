/**
 * Calendar dates: plain 'YYYY-MM-DD' strings in the configured time zone. What a valid date is,
 * today's date from the clock, and day arithmetic, with Intl and integer day numbers (no date
 * library). Working days and holidays build on this in src/services/calendar.ts.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Days in a month (month 1..12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 'YYYY-MM-DD' for a year, month (1..12) and day that name a real date in years 1..9999; else undefined. */
export function calendarDateOf(year: number, month: number, day: number): string | undefined {
  if (![year, month, day].every(Number.isInteger) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  return day <= daysInMonth(year, month) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : undefined;
}

/** The date when `text` is exactly 'YYYY-MM-DD' and a real date (2025-02-29 is not); else undefined. */
export function parseCalendarDate(text: string): string | undefined {
  const m = DATE.exec(text);
  return m ? calendarDateOf(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

export const isValidCalendarDate = (text: string): boolean => parseCalendarDate(text) !== undefined;

const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone (an IANA name such as Asia/Shanghai). */
export function calendarDate(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    // One formatter per zone: making one costs far more than formatting with it.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const date = format.format(at);
  if (DATE.test(date)) return date;
  // Years below 1000 or above 9999: assemble the parts (en-CA does not pad the year).
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${pad(Number(parts.year), 4)}-${parts.month}-${parts.day}`;
}

/** Today in the configured time zone, by the one clock (deps.clock). */
export const todayIn = (clock: { now(): Date }, timeZone: string): string => calendarDate(clock.now(), timeZone);

/** Days since 1970-01-01 (dates have no zone: UTC arithmetic). */
export const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
export const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (date: string, n: number): string => fromDayNumber(dayNumber(date) + n);
/** Calendar days from a to b (positive when b is later). */
export const daysBetween = (a: string, b: string): number => dayNumber(b) - dayNumber(a);

/**
 * The same day n calendar months later (n may be negative); a day the target month lacks becomes
 * its last day (08-31 + 6 months is 02-28, or 02-29 in a leap year), as people count months.
 */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}

/** ISO weekday: 1 = Monday ... 7 = Sunday (day 0, 1970-01-01, was a Thursday). */
export const isoWeekday = (date: string): number => ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;

/** ISO week key such as 2025-W41: the week's year is the year of its Thursday. */
export function isoWeekKey(date: string): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(at: number, timeZone: string): number {
  let wall = wallClocks.get(timeZone);
  if (!wall) {
    wall = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, wall);
  }
  const p = Object.fromEntries(wall.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/** The instant a local date starts (00:00 in the zone; the first instant of the day where midnight is skipped). */
export function startOfDayIn(date: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  let at = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  at = midnightUtc - zoneOffsetMs(at, timeZone);
  return new Date(calendarDate(new Date(at), timeZone) === date ? at : at + 3_600_000);
}

/**
 * How far from today a deadline may lie. A deadline is a plan for the coming years; a date
 * further out is a typo (9999-12-31) that would otherwise show as 还剩 2080077 个工作日.
 */
export const DEADLINE_RANGE_YEARS = 5;

/** The same month and day `years` later (Feb 29 becomes Feb 28 in a common year). */
function shiftYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  return `${pad(y, 4)}-${md === '02-29' && daysInMonth(y, 2) === 28 ? '02-28' : md}`;
}

/** The earliest and latest acceptable deadline around `today` (YYYY-MM-DD, inclusive). */
export function deadlineRange(today: string): { earliest: string; latest: string } {
  return { earliest: shiftYears(today, -DEADLINE_RANGE_YEARS), latest: shiftYears(today, DEADLINE_RANGE_YEARS) };
}

/** The Chinese refusal for a deadline too far from today, or undefined when it is within range. */
export function deadlineRangeProblem(date: string, today: string): string | undefined {
  const { earliest, latest } = deadlineRange(today);
  if (date > latest) return `日期 ${date} 太远：完成时限应在今后 ${DEADLINE_RANGE_YEARS} 年内，即不晚于 ${latest}。`;
  if (date < earliest) return `日期 ${date} 太早：完成时限应在前后 ${DEADLINE_RANGE_YEARS} 年内，即不早于 ${earliest}。`;
  return undefined;
}
