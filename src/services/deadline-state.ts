import type { OngoingReportPeriod } from '../config.js';
import type { DeadlineKind, MeasureStatus } from '../domain/enums.js';
import type { WorkCalendar } from './calendar.js';
import { DEADLINE_KIND_LABELS, STATUS_LABELS } from '../domain/labels.js';

/**
 * Where a measure stands against its deadline, as cards, lists and reminders show it.
 * One function so every view counts the same way: working days until the due date,
 * calendar days past it (as people say 已逾期 5 天), and report periods for ongoing measures.
 */

/** The deadline alone, whatever the status. */
/** 'unset': the source stated no deadline (时限待定): never due, never overdue, until one is set. */
export type DeadlineTiming = 'on_track' | 'due_soon' | 'due_today' | 'overdue' | 'immediate' | 'ongoing' | 'undated' | 'unset';

/** What a view shows: the status wins once the measure left the owner's hands. */
export type DeadlineStateKind = 'on_track' | 'due_soon' | 'due_today' | 'overdue' | 'immediate' | 'ongoing' | 'submitted' | 'closed' | 'returned';

export interface DeadlineFacts {
  deadlineKind: DeadlineKind;
  /** YYYY-MM-DD, local */
  dueDate: string | null;
  status: MeasureStatus;
  /** local date (YYYY-MM-DD) of the latest progress report, if any */
  lastReportDate?: string | null;
  /** when the measure was verified and closed (ISO instant); imported closed measures have none */
  verifiedAt?: string | null;
}

export interface DeadlineRules {
  /** "due soon" within this many working days (the largest reminder lead time) */
  dueSoonDays: number;
  /** how often ongoing measures report */
  reportPeriod: OngoingReportPeriod;
}

export const DEFAULT_DEADLINE_RULES: DeadlineRules = { dueSoonDays: 7, reportPeriod: 'monthly' };

export interface ReportPeriod {
  /** e.g. 2025-10, 2025-W41, 2025-Q4 */
  key: string;
  start: string;
  end: string;
  /** the last working day of the period: reports are asked for by then */
  dueDate: string;
}

export interface DeadlineState {
  state: DeadlineStateKind;
  timing: DeadlineTiming;
  /** working days from today to the due date (0 on the due date); null when undated */
  workingDaysLeft: number | null;
  /** calendar days past the due date (0 unless overdue) */
  daysOverdue: number;
  /** working days past the due date (escalation counts these) */
  workingDaysOverdue: number;
  /** ongoing measures: the current report period and whether a report came in during it */
  reportPeriod: ReportPeriod | null;
  reportedThisPeriod: boolean;
  /** ongoing measures: the date the next report is due by */
  nextReportDue: string | null;
  /**
   * the countdown alone: 还剩 3 个工作日 / 今日到期 / 已逾期 5 天 / 立行立改 / 长期坚持 · 下次汇报 4月30日前;
   * for a closed measure 已销号（10月9日）, since nothing counts down or runs over any more
   */
  countdown: string;
  /** the countdown, or the status once it no longer depends on the deadline (已销号, 待审核销号) */
  label: string;
}

const ONGOING_KINDS: ReadonlySet<DeadlineKind> = new Set(['ongoing', 'immediate_ongoing']);

export function isOngoing(kind: DeadlineKind): boolean {
  return ONGOING_KINDS.has(kind);
}

/** 4月30日, or 2026年1月30日 when the year differs from today's. */
export function formatChineseDate(date: string, today?: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const md = `${m}月${d}日`;
  return today && today.slice(0, 4) !== date.slice(0, 4) ? `${y}年${md}` : md;
}

/** The report period containing `date`. */
export function reportPeriodOf(date: string, period: OngoingReportPeriod, calendar: WorkCalendar): ReportPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  let key: string;
  let start: string;
  let end: string;
  if (period === 'weekly') {
    start = calendar.startOfIsoWeek(date);
    end = calendar.addDays(start, 6);
    key = calendar.isoWeekKey(date);
  } else {
    const months = period === 'monthly' ? 1 : 3;
    const firstMonth = Math.floor((month - 1) / months) * months + 1;
    start = `${year}-${String(firstMonth).padStart(2, '0')}-01`;
    const next = firstMonth + months > 12 ? `${year + 1}-01-01` : `${year}-${String(firstMonth + months).padStart(2, '0')}-01`;
    end = calendar.addDays(next, -1);
    key = period === 'monthly' ? start.slice(0, 7) : `${year}-Q${(firstMonth + 2) / 3}`;
  }
  const lastWorking = calendar.lastWorkingDayOnOrBefore(end);
  return { key, start, end, dueDate: lastWorking < start ? end : lastWorking };
}

function timingOf(facts: DeadlineFacts, today: string, calendar: WorkCalendar, rules: DeadlineRules) {
  const due = facts.dueDate;
  if (facts.deadlineKind === 'unset') return { timing: 'unset' as const, left: null };
  if (isOngoing(facts.deadlineKind)) return { timing: 'ongoing' as const, left: due ? calendar.workingDaysBetween(today, due) : null };
  if (!due) return { timing: facts.deadlineKind === 'immediate' ? ('immediate' as const) : ('undated' as const), left: null };
  const left = calendar.workingDaysBetween(today, due);
  if (due < today) return { timing: 'overdue' as const, left };
  // A due date on a holiday leaves the last working day before it as the real deadline.
  if (due === today || left === 0) return { timing: 'due_today' as const, left };
  return { timing: left <= rules.dueSoonDays ? ('due_soon' as const) : ('on_track' as const), left };
}

/** 已销号, with the local date of verification when there was one: 已销号（10月9日）. */
function closedLabel(verifiedAt: string | null | undefined, today: string, calendar: WorkCalendar): string {
  if (!verifiedAt) return STATUS_LABELS.closed;
  const at = new Date(verifiedAt);
  return Number.isNaN(at.getTime()) ? STATUS_LABELS.closed : `${STATUS_LABELS.closed}（${formatChineseDate(calendar.toDate(at), today)}）`;
}

/** Computes the deadline state of a measure on `today` (YYYY-MM-DD in the calendar's zone). */
export function computeDeadlineState(
  facts: DeadlineFacts,
  today: string,
  calendar: WorkCalendar,
  rules: DeadlineRules = DEFAULT_DEADLINE_RULES,
): DeadlineState {
  const { timing, left } = timingOf(facts, today, calendar, rules);
  const due = facts.dueDate;
  const closed = facts.status === 'closed';
  const overdue = timing === 'overdue' && due !== null && !closed;
  const daysOverdue = overdue ? calendar.daysBetween(due, today) : 0;
  const workingDaysOverdue = overdue ? calendar.workingDaysBetween(due, today) : 0;

  let reportPeriod: ReportPeriod | null = null;
  let reportedThisPeriod = false;
  let nextReportDue: string | null = null;
  if (timing === 'ongoing') {
    reportPeriod = reportPeriodOf(today, rules.reportPeriod, calendar);
    reportedThisPeriod = !!facts.lastReportDate && facts.lastReportDate >= reportPeriod.start;
    nextReportDue = reportedThisPeriod ? reportPeriodOf(calendar.addDays(reportPeriod.end, 1), rules.reportPeriod, calendar).dueDate : reportPeriod.dueDate;
  }

  let countdown: string;
  switch (timing) {
    case 'ongoing':
      countdown = `${facts.deadlineKind === 'immediate_ongoing' ? `${DEADLINE_KIND_LABELS.immediate} · ` : ''}${DEADLINE_KIND_LABELS.ongoing} · 下次汇报 ${formatChineseDate(nextReportDue!, today)}前`;
      break;
    case 'immediate':
      countdown = DEADLINE_KIND_LABELS.immediate;
      break;
    case 'undated':
      countdown = '未设期限';
      break;
    case 'unset':
      countdown = DEADLINE_KIND_LABELS.unset;
      break;
    case 'overdue':
      countdown = `已逾期 ${daysOverdue} 天`;
      break;
    case 'due_today':
      countdown = due === today ? '今日到期' : `今日为最后工作日 · ${formatChineseDate(due!, today)}到期`;
      break;
    default:
      countdown = `还剩 ${left} 个工作日`;
  }

  let state: DeadlineStateKind;
  if (closed) countdown = closedLabel(facts.verifiedAt, today, calendar);
  let label = countdown;
  if (closed) {
    state = 'closed';
  } else if (facts.status === 'submitted') {
    state = 'submitted';
    label = '已申请销号 · 待审核';
  } else if (facts.status === 'returned' && timing !== 'overdue' && timing !== 'due_today') {
    state = 'returned';
  } else {
    state = timing === 'undated' || timing === 'unset' ? 'on_track' : timing;
  }

  return {
    state,
    timing,
    workingDaysLeft: left,
    daysOverdue,
    workingDaysOverdue,
    reportPeriod,
    reportedThisPeriod,
    nextReportDue,
    countdown,
    label,
  };
}
