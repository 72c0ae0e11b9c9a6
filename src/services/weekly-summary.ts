import { getCampaign, listLedgerMeasures } from '../../db/queries/measures-read.js';
import type { MeasureStatus } from '../../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { workCalendarFor } from './calendar.js';
import { formatChineseDate } from './deadline-state.js';
import { deadlineRulesOf, ratio, summarizeLedger, withDeadlines, type DepartmentStats, type LedgerMeasure } from './ledger-stats.js';

/**
 * The leading group's weekly picture of one campaign: where the ledger stands, what moved in
 * the last seven days, what is late and what falls due next, and completion week by week.
 */

export interface SummaryItem {
  measureId: number;
  code: string;
  text: string;
  department: string | null;
  ownerName: string | null;
  ownerOpenId: string | null;
  dueDate: string | null;
  countdown: string;
  daysOverdue: number;
}

export interface TrendPoint {
  /** 10月6日 */
  label: string;
  date: string;
  /** 0..1 */
  rate: number;
}

export interface WeeklySummaryData {
  campaignId: number;
  campaignName: string;
  /** 2025-W41 */
  weekKey: string;
  today: string;
  /** the seven days looked back on: windowStart..windowEnd (local dates, inclusive) */
  windowStart: string;
  windowEnd: string;
  total: number;
  byStatus: Record<MeasureStatus, number>;
  closed: number;
  completionRate: number;
  /** completion seven days earlier; null when the ledger was empty then */
  previousRate: number | null;
  closedThisWeek: SummaryItem[];
  submitted: SummaryItem[];
  newlyOverdue: SummaryItem[];
  overdue: SummaryItem[];
  dueNextWeek: SummaryItem[];
  /** open measures whose deadline is still to be set (时限待定) */
  unsetCount: number;
  departments: DepartmentStats[];
  trend: TrendPoint[];
}

export const TREND_WEEKS = 8;
const WEEK_MS = 7 * 86_400_000;

const toItem = (m: LedgerMeasure): SummaryItem => ({
  measureId: m.id,
  code: m.code,
  text: m.text,
  department: m.departmentName,
  ownerName: m.ownerName,
  ownerOpenId: m.ownerOpenId,
  dueDate: m.dueDate,
  countdown: m.deadline.countdown,
  daysOverdue: m.deadline.daysOverdue,
});

/** When a closed measure counts as closed: its verification, or its arrival for imported ones. */
const closedAt = (m: LedgerMeasure) => (m.status === 'closed' ? (m.verifiedAt ?? m.createdAt) : undefined);

/** Completion as the ledger stood at an instant (measures present then; closed by then). */
function rateAsOf(measures: LedgerMeasure[], instant: string): number | null {
  const present = measures.filter((m) => m.createdAt <= instant);
  if (present.length === 0) return null;
  return ratio(present.filter((m) => (closedAt(m) ?? '\uffff') <= instant).length, present.length);
}

export async function buildWeeklySummary(deps: ServiceDeps, p: { campaignId: number; at: Date }): Promise<WeeklySummaryData> {
  const calendar = workCalendarFor(deps);
  const today = calendar.toDate(p.at);
  const campaign = await getCampaign(deps.db, { campaignId: p.campaignId });
  const rows = await listLedgerMeasures(deps.db, { campaignId: p.campaignId });
  const measures = withDeadlines(rows, today, calendar, deadlineRulesOf(deps.config));
  const stats = summarizeLedger(p.campaignId, today, measures, calendar);

  const nowIso = p.at.toISOString();
  const weekAgoIso = new Date(p.at.getTime() - WEEK_MS).toISOString();
  const windowStart = calendar.addDays(today, -7);
  const closedThisWeek = measures
    .filter((m) => {
      const at = closedAt(m);
      return at !== undefined && at > weekAgoIso && at <= nowIso;
    })
    .sort((a, b) => closedAt(a)!.localeCompare(closedAt(b)!));
  const newlyOverdue = stats.lists.overdue.filter((m) => m.dueDate !== null && m.dueDate >= windowStart);

  const trend: TrendPoint[] = [];
  for (let k = TREND_WEEKS - 1; k >= 0; k--) {
    const instant = new Date(p.at.getTime() - k * WEEK_MS);
    const rate = rateAsOf(measures, instant.toISOString());
    const date = calendar.toDate(instant);
    if (rate !== null) trend.push({ label: formatChineseDate(date, today), date, rate });
  }

  return {
    campaignId: p.campaignId,
    campaignName: campaign?.name ?? '',
    weekKey: calendar.isoWeekKey(today),
    today,
    windowStart,
    windowEnd: calendar.addDays(today, -1),
    total: stats.total,
    byStatus: stats.byStatus,
    closed: stats.closed,
    completionRate: stats.completionRate,
    previousRate: rateAsOf(measures, weekAgoIso),
    closedThisWeek: closedThisWeek.map(toItem),
    submitted: stats.lists.submitted.map(toItem),
    newlyOverdue: newlyOverdue.map(toItem),
    overdue: stats.lists.overdue.map(toItem),
    dueNextWeek: stats.lists.dueNext7Days.map(toItem),
    unsetCount: stats.unsetCount,
    departments: stats.departments,
    trend,
  };
}
