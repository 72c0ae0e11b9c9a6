import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';

describe('scheduler settings', () => {
  it('has the documented defaults', () => {
    expect(parseConfig({}).scheduler).toEqual({
      reminderCron: '0 9 * * *',
      weeklySummaryCron: '0 9 * * 1',
      reminderLeadDays: [7, 3, 1],
      escalateAfterDays: 3,
      ongoingReportPeriod: 'monthly',
      mentionOwnersInSummary: false,
      recheckAfterMonths: 6,
    });
    expect(parseConfig({}).holidayOverrides).toBeUndefined();
  });

  it('reads each variable', () => {
    const c = parseConfig({
      REMINDER_CRON: '30 8 * * 1-6',
      WEEKLY_SUMMARY_CRON: '0 10 * * 5',
      REMINDER_LEAD_DAYS: '1，5, 10 5',
      ESCALATE_AFTER_DAYS: '5',
      ONGOING_REPORT_PERIOD: 'quarterly',
      SUMMARY_MENTION_OWNERS: 'true',
      RECHECK_AFTER_MONTHS: '12',
      HOLIDAY_OVERRIDES: '{"off":["2027-01-01..2027-01-03"]}',
    });
    expect(c.scheduler).toEqual({
      reminderCron: '30 8 * * 1-6',
      weeklySummaryCron: '0 10 * * 5',
      reminderLeadDays: [10, 5, 1],
      escalateAfterDays: 5,
      ongoingReportPeriod: 'quarterly',
      mentionOwnersInSummary: true,
      recheckAfterMonths: 12,
    });
    expect(c.holidayOverrides).toEqual({ off: ['2027-01-01..2027-01-03'], work: [] });
  });

  it('names the bad variable in one line', () => {
    expect(() => parseConfig({ REMINDER_CRON: '9am daily' })).toThrow('Invalid setting REMINDER_CRON: expected a cron expression such as "0 9 * * *"');
    expect(() => parseConfig({ REMINDER_LEAD_DAYS: '7,three' })).toThrow(
      'Invalid setting REMINDER_LEAD_DAYS: expected comma-separated working-day counts such as 7,3,1',
    );
    expect(() => parseConfig({ ESCALATE_AFTER_DAYS: '0' })).toThrow('Invalid setting ESCALATE_AFTER_DAYS: expected at least 1 working day');
    expect(() => parseConfig({ ONGOING_REPORT_PERIOD: 'daily' })).toThrow('Invalid setting ONGOING_REPORT_PERIOD: expected one of weekly, monthly, quarterly');
    expect(() => parseConfig({ RECHECK_AFTER_MONTHS: 'six' })).toThrow(
      'Invalid setting RECHECK_AFTER_MONTHS: expected a whole number of months (0 turns re-checks off)',
    );
    expect(() => parseConfig({ RECHECK_AFTER_MONTHS: '61' })).toThrow('Invalid setting RECHECK_AFTER_MONTHS: expected at most 60 months');
    expect(parseConfig({ RECHECK_AFTER_MONTHS: '0' }).scheduler.recheckAfterMonths).toBe(0);
    expect(() => parseConfig({ SUMMARY_MENTION_OWNERS: 'maybe' })).toThrow('Invalid setting SUMMARY_MENTION_OWNERS: expected true or false');
    expect(() => parseConfig({ HOLIDAY_OVERRIDES: '{"off":"2027-01-01"}' })).toThrow(/Invalid setting HOLIDAY_OVERRIDES/);
  });
});
