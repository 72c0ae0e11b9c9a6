import dayjs from 'dayjs';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createWorkCalendar, parseHolidayOverrides, workCalendarFor } from '../../src/services/calendar.js';

const cal = createWorkCalendar({ timezone: 'Asia/Shanghai' });

dayjs.extend(utc);
dayjs.extend(timezonePlugin);

describe('work calendar', () => {
  it('dates an instant in its time zone as dayjs did, around midnight and daylight saving changes too', () => {
    const zones = ['Asia/Shanghai', 'Pacific/Auckland', 'America/New_York', 'UTC'];
    const calendars = new Map(zones.map((z) => [z, createWorkCalendar({ timezone: z })]));
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
      // the last and first minutes of local days, where an hour's error shows
      fc
        .tuple(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -90, max: 90 }))
        .map(([day, minutes]) => Date.UTC(2000, 0, 1) + day * 86_400_000 + (16 * 60 + minutes) * 60_000),
    );
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (zone, t) => {
        expect(calendars.get(zone)!.toDate(new Date(t))).toBe(dayjs(new Date(t)).tz(zone).format('YYYY-MM-DD'));
      }),
      { numRuns: 3000 },
    );
    expect(cal.toDate(new Date('2025-10-12T16:00:00Z'))).toBe('2025-10-13');
    expect(cal.toDate(new Date('2025-10-12T15:59:59.999Z'))).toBe('2025-10-12');
  });

  it('follows the 2025 National Day arrangement: Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked', () => {
    expect(cal.isWorkingDay('2025-09-26')).toBe(true);
    expect(cal.isWorkingDay('2025-09-27')).toBe(false);
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    for (let d = 1; d <= 8; d++) expect(cal.isWorkingDay(`2025-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true);
    expect(cal.isWorkingDay('2025-10-12')).toBe(false);
    expect(cal.festivalOf('2025-10-03')).toBe('国庆节、中秋节');
  });

  it('knows 2024 and 2026 make-up days and holidays', () => {
    expect(cal.isWorkingDay('2024-02-04')).toBe(true); // Sunday before Spring Festival
    expect(cal.isWorkingDay('2024-02-16')).toBe(false);
    expect(cal.isWorkingDay('2024-10-12')).toBe(true);
    expect(cal.isWorkingDay('2026-01-04')).toBe(true);
    expect(cal.isWorkingDay('2026-01-02')).toBe(false);
    expect(cal.isWorkingDay('2026-02-23')).toBe(false);
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
  });

  it('counts working days across the holiday', () => {
    // (Sep 26, Oct 10]: Sep 28, 29, 30, Oct 9, 10 = 5 working days
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-10')).toBe(5);
    expect(cal.workingDaysBetween('2025-10-10', '2025-09-26')).toBe(-5);
    expect(cal.workingDaysBetween('2025-09-30', '2025-09-30')).toBe(0);
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    expect(cal.addWorkingDays('2025-09-26', 5)).toBe('2025-10-10');
    expect(cal.nextWorkingDayOnOrAfter('2025-10-04')).toBe('2025-10-09');
    expect(cal.lastWorkingDayOnOrBefore('2025-10-04')).toBe('2025-09-30');
  });

  it('reads instants in the configured time zone', () => {
    // 2025-09-30T17:00Z is 01:00 on Oct 1 in Shanghai, still Sep 30 in New York.
    expect(cal.toDate(new Date('2025-09-30T17:00:00Z'))).toBe('2025-10-01');
    expect(createWorkCalendar({ timezone: 'America/New_York' }).toDate(new Date('2025-09-30T17:00:00Z'))).toBe('2025-09-30');
    expect(cal.startOfDay('2025-10-01').toISOString()).toBe('2025-09-30T16:00:00.000Z');
    expect(cal.isoWeekKey('2025-12-29')).toBe('2026-W01');
    expect(cal.startOfIsoWeek('2025-10-05')).toBe('2025-09-29');
    expect(cal.isoWeekday('2025-09-28')).toBe(7);
  });

  it('falls back to Monday–Friday for a year without data and warns once', () => {
    const lines: string[] = [];
    const c = createWorkCalendar({ timezone: 'Asia/Shanghai', log: createLogger('debug', (l) => lines.push(l)) });
    expect(c.hasDataFor(2030)).toBe(false);
    expect(c.isWorkingDay('2030-01-01')).toBe(true); // a Tuesday; no data, so it counts
    expect(c.isWorkingDay('2030-01-05')).toBe(false); // Saturday
    expect(c.workingDaysBetween('2030-01-01', '2030-02-01')).toBe(23);
    expect(lines.filter((l) => l.includes('no holiday data'))).toHaveLength(1);
  });

  it('merges overrides over the data, and an overridden year counts as known', () => {
    const lines: string[] = [];
    const c = createWorkCalendar({
      timezone: 'Asia/Shanghai',
      overrides: parseHolidayOverrides('{"off":["2025-10-09..2025-10-10","2030-01-01"],"work":["2025-10-12"]}'),
      log: createLogger('debug', (l) => lines.push(l)),
    });
    expect(c.isWorkingDay('2025-10-09')).toBe(false);
    expect(c.isWorkingDay('2025-10-10')).toBe(false);
    expect(c.isWorkingDay('2025-10-12')).toBe(true);
    expect(c.isWorkingDay('2030-01-01')).toBe(false);
    expect(lines).toHaveLength(0);
  });

  it('rejects bad overrides and dates with a clear message', () => {
    expect(() => parseHolidayOverrides('{"off":["2025-13-01"]}')).toThrow(/off\.0/);
    expect(() => parseHolidayOverrides('nope')).toThrow(/expected JSON/);
    expect(() => parseConfig({ HOLIDAY_OVERRIDES: '{"of":[]}' })).toThrow(/HOLIDAY_OVERRIDES/);
    expect(() => cal.isWorkingDay('2025-9-1')).toThrow(/YYYY-MM-DD/);
  });

  it('is shared per configuration and reads HOLIDAY_OVERRIDES from the environment', () => {
    const config = parseConfig({ HOLIDAY_OVERRIDES: '{"off":["2025-09-29"]}' });
    const a = workCalendarFor({ config });
    expect(workCalendarFor({ config })).toBe(a);
    expect(a.isWorkingDay('2025-09-29')).toBe(false);
  });

  describe('working days between two dates', () => {
    // Day-by-day reference: what workingDaysBetween must equal, exception by exception.
    const naive = (c: ReturnType<typeof createWorkCalendar>, a: string, b: string) => {
      const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
      let n = 0;
      for (let d = c.addDays(lo, 1); d <= hi; d = c.addDays(d, 1)) if (c.isWorkingDay(d)) n++;
      return sign * n;
    };
    const start = Date.UTC(2023, 11, 25) / 86_400_000;
    const end = Date.UTC(2027, 0, 5) / 86_400_000;
    const day = fc.integer({ min: start, max: end }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
    const withOverrides = createWorkCalendar({
      timezone: 'Asia/Shanghai',
      overrides: parseHolidayOverrides('{"off":["2025-10-09..2025-10-10","2026-03-02","2024-06-01"],"work":["2025-10-12","2026-02-22"]}'),
    });

    it('equals a day-by-day count over any range in the years with data, overrides included', () => {
      fc.assert(
        fc.property(day, day, (a, b) => {
          expect(cal.workingDaysBetween(a, b)).toBe(naive(cal, a, b));
          expect(withOverrides.workingDaysBetween(a, b)).toBe(naive(withOverrides, a, b));
        }),
        { numRuns: 300 },
      );
    });

    it('counts to a far deadline without walking the days, with one warning for all the years without data', () => {
      const lines: string[] = [];
      const c = createWorkCalendar({ timezone: 'Asia/Shanghai', log: createLogger('debug', (l) => lines.push(l)) });
      const toNextYear = c.workingDaysBetween('2026-12-01', '2027-12-31');
      // 2026-12 has data; 2027 falls back to Monday–Friday: 261 weekdays + 22 in Dec 2026
      expect(toNextYear).toBe(22 + 261);
      expect(c.workingDaysBetween('2025-10-09', '2099-12-31')).toBeGreaterThan(0);
      expect(c.workingDaysBetween('2025-10-09', '9999-12-31')).toBeGreaterThan(c.workingDaysBetween('2025-10-09', '2099-12-31'));
      const warnings = lines.filter((l) => l.includes('no holiday data'));
      expect(warnings).toHaveLength(3); // 2027, 2028..2099, 2100..9999: each year once
      expect(warnings[2]).toContain('2100..9999');
      c.workingDaysBetween('2025-10-09', '9999-12-31');
      c.isWorkingDay('3000-01-01');
      expect(lines.filter((l) => l.includes('no holiday data'))).toHaveLength(3);
    });
  });
});
