import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createWorkCalendar, parseHolidayOverrides, workCalendarFor } from '../../src/services/calendar.js';

const cal = createWorkCalendar({ timezone: 'Asia/Shanghai' });

describe('work calendar', () => {
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
});
