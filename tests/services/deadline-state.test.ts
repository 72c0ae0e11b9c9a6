import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/services/calendar.js';
import { computeDeadlineState, reportPeriodOf, type DeadlineFacts } from '../../src/services/deadline-state.js';

const cal = createWorkCalendar({ timezone: 'Asia/Shanghai' });
const dated = (dueDate: string, status: DeadlineFacts['status'] = 'in_progress'): DeadlineFacts => ({ deadlineKind: 'dated', dueDate, status });

describe('deadline state', () => {
  it('counts working days left across the National Day holiday', () => {
    const s = computeDeadlineState(dated('2025-10-10'), '2025-09-26', cal);
    expect(s).toMatchObject({ state: 'due_soon', workingDaysLeft: 5, countdown: '还剩 5 个工作日' });
    expect(computeDeadlineState(dated('2025-10-31'), '2025-09-26', cal).state).toBe('on_track');
    expect(computeDeadlineState(dated('2025-10-31'), '2025-09-26', cal, { dueSoonDays: 30, reportPeriod: 'monthly' }).state).toBe('due_soon');
  });

  it('says 今日到期 on the due date, and treats the last working day before a holiday due date as the deadline', () => {
    expect(computeDeadlineState(dated('2025-09-30'), '2025-09-30', cal)).toMatchObject({ state: 'due_today', countdown: '今日到期' });
    expect(computeDeadlineState(dated('2025-10-05'), '2025-09-30', cal)).toMatchObject({
      state: 'due_today',
      workingDaysLeft: 0,
      countdown: '今日为最后工作日 · 10月5日到期',
    });
  });

  it('counts overdue in calendar days and escalation in working days', () => {
    const s = computeDeadlineState(dated('2025-09-30'), '2025-10-09', cal);
    expect(s).toMatchObject({ state: 'overdue', daysOverdue: 9, workingDaysOverdue: 1, countdown: '已逾期 9 天', label: '已逾期 9 天' });
    expect(computeDeadlineState(dated('2025-03-26'), '2025-03-31', cal).countdown).toBe('已逾期 5 天');
  });

  it('lets closed and submitted win over the deadline, and overdue win over returned', () => {
    // A closed measure is done: no countdown and no days overdue, however late it was closed.
    expect(computeDeadlineState(dated('2025-09-30', 'closed'), '2025-10-09', cal)).toMatchObject({
      state: 'closed',
      label: '已销号',
      countdown: '已销号',
      daysOverdue: 0,
      workingDaysOverdue: 0,
    });
    // Verified at 2024-11-03 23:30 UTC, which is Nov 4 in Beijing; the year shows as it is not this year's.
    expect(computeDeadlineState({ ...dated('2024-10-31', 'closed'), verifiedAt: '2024-11-03T23:30:00.000Z' }, '2026-10-01', cal)).toMatchObject({
      state: 'closed',
      countdown: '已销号（2024年11月4日）',
      label: '已销号（2024年11月4日）',
      daysOverdue: 0,
    });
    expect(computeDeadlineState(dated('2025-09-30', 'submitted'), '2025-10-09', cal).state).toBe('submitted');
    expect(computeDeadlineState(dated('2025-09-30', 'returned'), '2025-10-09', cal).state).toBe('overdue');
    expect(computeDeadlineState(dated('2025-12-30', 'returned'), '2025-10-09', cal).state).toBe('returned');
  });

  it('labels immediate and ongoing measures', () => {
    expect(computeDeadlineState({ deadlineKind: 'immediate', dueDate: null, status: 'in_progress' }, '2025-04-10', cal)).toMatchObject({
      state: 'immediate',
      countdown: '立行立改',
    });
    const ongoing = computeDeadlineState({ deadlineKind: 'ongoing', dueDate: null, status: 'in_progress' }, '2025-04-10', cal);
    expect(ongoing).toMatchObject({ state: 'ongoing', nextReportDue: '2025-04-30', reportedThisPeriod: false, countdown: '长期坚持 · 下次汇报 4月30日前' });
    const reported = computeDeadlineState({ deadlineKind: 'ongoing', dueDate: null, status: 'in_progress', lastReportDate: '2025-04-02' }, '2025-04-10', cal);
    // May 31 is a Saturday inside the Dragon Boat holiday: the last working day is May 30.
    expect(reported).toMatchObject({ reportedThisPeriod: true, nextReportDue: '2025-05-30', countdown: '长期坚持 · 下次汇报 5月30日前' });
    const lastYear = computeDeadlineState({ deadlineKind: 'ongoing', dueDate: null, status: 'in_progress', lastReportDate: '2025-12-01' }, '2025-12-10', cal);
    expect(lastYear.countdown).toBe('长期坚持 · 下次汇报 2026年1月30日前');
  });

  it('finds weekly, monthly and quarterly report periods', () => {
    expect(reportPeriodOf('2025-10-09', 'weekly', cal)).toEqual({ key: '2025-W41', start: '2025-10-06', end: '2025-10-12', dueDate: '2025-10-11' });
    expect(reportPeriodOf('2025-02-10', 'monthly', cal)).toMatchObject({ key: '2025-02', start: '2025-02-01', end: '2025-02-28' });
    expect(reportPeriodOf('2025-09-10', 'quarterly', cal)).toMatchObject({ key: '2025-Q3', start: '2025-07-01', end: '2025-09-30', dueDate: '2025-09-30' });
    expect(reportPeriodOf('2025-10-02', 'weekly', cal).dueDate).toBe('2025-09-30');
  });
});
