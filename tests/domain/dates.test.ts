import dayjs from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek.js';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDate, calendarDateOf, isoWeekKey, parseCalendarDate, startOfDayIn, todayIn } from '../../src/domain/dates.js';

dayjs.extend(utc);
dayjs.extend(timezonePlugin);
dayjs.extend(isoWeek);

const ZONES = ['Asia/Shanghai', 'Australia/Sydney', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago'];
/** Instants from 1990 to 2100, where ledgers live. */
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }).map((t) => new Date(t));
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

describe('calendar dates', () => {
  it('accepts a YYYY-MM-DD exactly when it names a real day', () => {
    const parts = fc.record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(parts, ({ y, m, d }) => {
        const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
        const real = days !== undefined && d >= 1 && d <= days;
        expect(parseCalendarDate(text)).toBe(real ? text : undefined);
        expect(calendarDateOf(y, m, d)).toBe(real ? text : undefined);
      }),
    );
    expect(parseCalendarDate('2024-02-29')).toBe('2024-02-29');
    expect(parseCalendarDate('2025-02-29')).toBeUndefined();
    expect(parseCalendarDate('2025-2-28')).toBeUndefined();
    expect(parseCalendarDate(' 2025-02-28')).toBeUndefined();
  });

  it('dates an instant in a zone as dayjs does, and today comes from the clock', () => {
    fc.assert(fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => calendarDate(at, zone) === dayjs(at).tz(zone).format('YYYY-MM-DD')));
    const clock = { now: () => new Date('2025-10-12T16:00:00Z') };
    expect(todayIn(clock, 'Asia/Shanghai')).toBe('2025-10-13');
    expect(todayIn(clock, 'America/New_York')).toBe('2025-10-12');
  });

  it('keys ISO weeks and starts days in a zone as dayjs does', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        const date = calendarDate(at, zone);
        const d = dayjs.utc(date);
        expect(isoWeekKey(date)).toBe(`${d.isoWeekYear()}-W${pad(d.isoWeek())}`);
        expect(startOfDayIn(date, zone).getTime()).toBe(dayjs.tz(date, zone).toDate().getTime());
      }),
    );
    // Days that start on one side of a daylight saving change and end on the other.
    for (const [date, zone] of [
      ['2025-10-05', 'Australia/Sydney'],
      ['2025-04-06', 'Australia/Sydney'],
      ['2025-03-09', 'America/New_York'],
      ['2025-03-30', 'Europe/London'],
    ] as const) {
      expect(startOfDayIn(date, zone).toISOString()).toBe(dayjs.tz(date, zone).toDate().toISOString());
    }
    expect(startOfDayIn('2025-10-01', 'Asia/Shanghai').toISOString()).toBe('2025-09-30T16:00:00.000Z');
  });
});
