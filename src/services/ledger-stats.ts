import { countLedgerGroups, listLedgerMeasures, type LedgerMeasureRow } from '../../db/queries/measures-read.js';
import { todayIn } from '../domain/dates.js';
import { MEASURE_STATUSES, type MeasureStatus } from '../domain/enums.js';
import type { ServiceDeps } from '../deps.js';
import { workCalendarFor, type WorkCalendar } from './calendar.js';
import { computeDeadlineState, isOngoing, type DeadlineRules, type DeadlineState } from './deadline-state.js';

/**
 * The numbers of a campaign's ledger on a given day: what /status shows and what the weekly
 * summary and reminders are built from. Pure arithmetic over one read of the ledger.
 */

export interface LedgerMeasure extends LedgerMeasureRow {
  /** local date of the latest report */
  lastReportDate: string | null;
  deadline: DeadlineState;
}

export interface DepartmentStats {
  departmentId: number | null;
  /** 未指定部门 when the measure has no lead department */
  department: string;
  total: number;
  closed: number;
  /** submitted for verification, not yet closed */
  submitted: number;
  /** neither closed nor submitted */
  inProgress: number;
  overdue: number;
  /** closed / total, 0..1 */
  rate: number;
}

export interface LedgerStats {
  campaignId: number;
  /** the day the numbers are for (YYYY-MM-DD, local) */
  today: string;
  total: number;
  byStatus: Record<MeasureStatus, number>;
  closed: number;
  /** closed / total, 0..1 (0 for an empty ledger) */
  completionRate: number;
  overdueCount: number;
  /** open measures whose deadline is still to be set (时限待定) */
  unsetCount: number;
  /** open dated measures due from today to Sunday of this week */
  dueThisWeekCount: number;
  departments: DepartmentStats[];
  /** every measure with its deadline state, in code order */
  measures: LedgerMeasure[];
  lists: {
    /** open and past due, worst (most days overdue) first */
    overdue: LedgerMeasure[];
    dueThisWeek: LedgerMeasure[];
    /** open, due within the next 7 calendar days (today included), soonest first */
    dueNext7Days: LedgerMeasure[];
    /** submitted and waiting for verification, oldest update first */
    submitted: LedgerMeasure[];
    /** ongoing measures without a report in the current period */
    ongoingWithoutReport: LedgerMeasure[];
    /** open, deadline still to be set (时限待定), in code order */
    unset: LedgerMeasure[];
  };
}

export const NO_DEPARTMENT = '未指定部门';

/** The numbers /status shows, counted by the database rather than from every row. */
export type LedgerCounts = Pick<
  LedgerStats,
  'campaignId' | 'today' | 'total' | 'byStatus' | 'closed' | 'completionRate' | 'overdueCount' | 'unsetCount' | 'departments'
> & {
  /** open dated measures due within the next 7 calendar days, today included (as lists.dueNext7Days) */
  dueNext7DaysCount: number;
};

const emptyByStatus = () => Object.fromEntries(MEASURE_STATUSES.map((s) => [s, 0])) as Record<MeasureStatus, number>;

const emptyDepartment = (departmentId: number | null, name: string | null): DepartmentStats => ({
  departmentId,
  department: name ?? NO_DEPARTMENT,
  total: 0,
  closed: 0,
  submitted: 0,
  inProgress: 0,
  overdue: 0,
  rate: 0,
});

/** Departments by name, the measures without one last. */
const departmentOrder = (a: DepartmentStats, b: DepartmentStats) =>
  (a.departmentId === null ? 1 : 0) - (b.departmentId === null ? 1 : 0) || a.department.localeCompare(b.department, 'zh-CN');

const isOpen = (m: { status: MeasureStatus }) => m.status !== 'closed' && m.status !== 'submitted';

export function deadlineRulesOf(config: ServiceDeps['config']): DeadlineRules {
  return {
    dueSoonDays: Math.max(...config.scheduler.reminderLeadDays),
    reportPeriod: config.scheduler.ongoingReportPeriod,
  };
}

/** Turns ledger rows into measures with deadline states for `today`. */
export function withDeadlines(rows: LedgerMeasureRow[], today: string, calendar: WorkCalendar, rules: DeadlineRules): LedgerMeasure[] {
  return rows.map((r) => {
    const lastReportDate = r.lastReportAt ? calendar.toDate(new Date(r.lastReportAt)) : null;
    return { ...r, lastReportDate, deadline: computeDeadlineState({ ...r, lastReportDate }, today, calendar, rules) };
  });
}

export const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** Statistics over measures already read (lets callers filter, e.g. one department). */
export function summarizeLedger(campaignId: number, today: string, measures: LedgerMeasure[], calendar: WorkCalendar): LedgerStats {
  const byStatus = emptyByStatus();
  const weekEnd = calendar.addDays(calendar.startOfIsoWeek(today), 6);
  const in7Days = calendar.addDays(today, 6);
  const departments = new Map<string, DepartmentStats>();
  const overdue: LedgerMeasure[] = [];
  const dueThisWeek: LedgerMeasure[] = [];
  const dueNext7Days: LedgerMeasure[] = [];
  const submitted: LedgerMeasure[] = [];
  const ongoingWithoutReport: LedgerMeasure[] = [];
  const unset: LedgerMeasure[] = [];

  for (const m of measures) {
    byStatus[m.status] += 1;
    const key = m.departmentId === null ? '-' : String(m.departmentId);
    let d = departments.get(key);
    if (!d) {
      d = emptyDepartment(m.departmentId, m.departmentName);
      departments.set(key, d);
    }
    d.total += 1;
    if (m.status === 'closed') d.closed += 1;
    else if (m.status === 'submitted') {
      d.submitted += 1;
      submitted.push(m);
    } else d.inProgress += 1;

    if (!isOpen(m)) continue;
    if (m.deadline.timing === 'overdue') {
      d.overdue += 1;
      overdue.push(m);
    }
    if (m.deadline.timing === 'ongoing' && !m.deadline.reportedThisPeriod) ongoingWithoutReport.push(m);
    if (m.deadline.timing === 'unset') unset.push(m);
    if (m.deadline.timing !== 'ongoing' && m.dueDate && m.dueDate >= today) {
      if (m.dueDate <= weekEnd) dueThisWeek.push(m);
      if (m.dueDate <= in7Days) dueNext7Days.push(m);
    }
  }
  for (const d of departments.values()) d.rate = ratio(d.closed, d.total);

  const byDue = (a: LedgerMeasure, b: LedgerMeasure) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '');
  overdue.sort((a, b) => b.deadline.daysOverdue - a.deadline.daysOverdue || byDue(a, b));
  dueThisWeek.sort(byDue);
  dueNext7Days.sort(byDue);
  submitted.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));

  return {
    campaignId,
    today,
    total: measures.length,
    byStatus,
    closed: byStatus.closed,
    completionRate: ratio(byStatus.closed, measures.length),
    overdueCount: overdue.length,
    unsetCount: unset.length,
    dueThisWeekCount: dueThisWeek.length,
    departments: [...departments.values()].sort(departmentOrder),
    measures,
    lists: { overdue, dueThisWeek, dueNext7Days, submitted, ongoingWithoutReport, unset },
  };
}

/**
 * Reads a campaign's ledger and computes its statistics for `today` (YYYY-MM-DD in the
 * configured time zone; defaults to the clock's today).
 */
export async function computeLedgerStats(deps: ServiceDeps, campaignId: number, today?: string): Promise<LedgerStats> {
  const calendar = workCalendarFor(deps);
  const day = today ?? todayIn(deps.clock, calendar.timezone);
  const rows = await listLedgerMeasures(deps.db, { campaignId });
  return summarizeLedger(campaignId, day, withDeadlines(rows, day, calendar, deadlineRulesOf(deps.config)), calendar);
}

/** The /status numbers for `today`, from counts per department, status and deadline kind made in SQL. */
export async function countLedger(deps: ServiceDeps, campaignId: number, today: string): Promise<LedgerCounts> {
  const calendar = workCalendarFor(deps);
  const groups = await countLedgerGroups(deps.db, { campaignId, today, dueSoonTo: calendar.addDays(today, 6) });
  const byStatus = emptyByStatus();
  const departments = new Map<number | null, DepartmentStats>();
  let total = 0;
  let overdueCount = 0;
  let dueNext7DaysCount = 0;
  let unsetCount = 0;
  for (const g of groups) {
    let d = departments.get(g.departmentId);
    if (!d) {
      d = emptyDepartment(g.departmentId, g.departmentName);
      departments.set(g.departmentId, d);
    }
    byStatus[g.status] += g.total;
    total += g.total;
    d.total += g.total;
    if (g.status === 'closed') d.closed += g.total;
    else if (g.status === 'submitted') d.submitted += g.total;
    else d.inProgress += g.total;
    if (isOpen(g) && g.deadlineKind === 'unset') unsetCount += g.total;
    // As summarizeLedger: only open measures with a dated deadline are overdue or due soon.
    if (!isOpen(g) || isOngoing(g.deadlineKind)) continue;
    d.overdue += g.dueBefore;
    overdueCount += g.dueBefore;
    dueNext7DaysCount += g.dueWithin;
  }
  for (const d of departments.values()) d.rate = ratio(d.closed, d.total);
  return {
    campaignId,
    today,
    total,
    byStatus,
    closed: byStatus.closed,
    completionRate: ratio(byStatus.closed, total),
    overdueCount,
    unsetCount,
    dueNext7DaysCount,
    departments: [...departments.values()].sort(departmentOrder),
  };
}
