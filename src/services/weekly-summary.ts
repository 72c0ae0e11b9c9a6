import { yieldToEventLoop } from '../../db/atomic.js';
import { countRechecks } from '../../db/queries/rechecks.js';
import { countLedgerAsOf, countLedgerMeasures, getCampaign, type LedgerOrder, type LedgerSelection } from '../../db/queries/measures-read.js';
import type { MeasureStatus } from '../domain/enums.js';
import type { ServiceDeps } from '../deps.js';
import { workCalendarFor } from './calendar.js';
import { formatChineseDate } from './deadline-state.js';
import { countLedger, ratio, type DepartmentStats, type LedgerMeasure } from './ledger-stats.js';
import { dueWithinOn, overdueOn, pageOfMeasures } from './measure-views.js';

/**
 * The leading group's weekly picture of one campaign: where the ledger stands, what moved in
 * the last seven days, what is late and what falls due next, and completion week by week.
 * Counted and listed by the database (the lists' selections and orders in measure-views and
 * db/queries/measures-read); deadline states are computed only for the rows a list shows.
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

export type SummaryListKey = 'closedThisWeek' | 'submitted' | 'newlyOverdue' | 'overdue' | 'dueNextWeek';

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
  /** each list in its order, cut to `listLimit` rows when one was asked for; `counts` has their lengths */
  closedThisWeek: SummaryItem[];
  submitted: SummaryItem[];
  newlyOverdue: SummaryItem[];
  overdue: SummaryItem[];
  dueNextWeek: SummaryItem[];
  counts: Record<SummaryListKey, number>;
  /** open measures whose deadline is still to be set (时限待定) */
  unsetCount: number;
  departments: DepartmentStats[];
  trend: TrendPoint[];
  /** 回头看: re-checks sent and not yet answered; measures a re-check reopened within the week */
  rechecks: { awaiting: number; reopened: number };
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

/**
 * The summary of a campaign at an instant. `listLimit`: the most rows of each list the caller
 * shows (the counts stay whole); without it every row is listed.
 */
export async function buildWeeklySummary(deps: ServiceDeps, p: { campaignId: number; at: Date; listLimit?: number }): Promise<WeeklySummaryData> {
  const calendar = workCalendarFor(deps);
  const today = calendar.toDate(p.at);
  const campaignId = p.campaignId;
  const campaign = await getCampaign(deps.db, { campaignId });
  const stats = await countLedger(deps, campaignId, today);
  // Each read is a full pass over the campaign or a list's keys: other work (webhook acks) runs between them.
  await yieldToEventLoop();

  const windowStart = calendar.addDays(today, -7);
  // Completion at the same instant in each of the last weeks: previousRate is the week before.
  const instants = Array.from({ length: TREND_WEEKS }, (_, i) => new Date(p.at.getTime() - (TREND_WEEKS - 1 - i) * WEEK_MS));
  const asOf = await countLedgerAsOf(deps.db, { campaignId, instants: instants.map((i) => i.toISOString()) });
  await yieldToEventLoop();
  const rateAt = (k: number) => (asOf.present[k] === 0 ? null : ratio(asOf.closed[k]!, asOf.present[k]!));
  const trend: TrendPoint[] = [];
  instants.forEach((instant, k) => {
    const rate = rateAt(k);
    const date = calendar.toDate(instant);
    if (rate !== null) trend.push({ label: formatChineseDate(date, today), date, rate });
  });

  const weekAgo = TREND_WEEKS - 2;
  const closedWithin = { after: instants[weekAgo]!.toISOString(), upTo: p.at.toISOString() };
  const newlyOverdue = overdueOn(calendar, today, windowStart);
  const counts: Record<SummaryListKey, number> = {
    closedThisWeek: asOf.closedAfter[weekAgo]!,
    submitted: stats.byStatus.submitted,
    newlyOverdue: await countLedgerMeasures(deps.db, { campaignId, ...newlyOverdue }),
    overdue: stats.overdueCount,
    dueNextWeek: stats.dueNext7DaysCount,
  };
  const list = async (key: SummaryListKey, selection: Omit<LedgerSelection, 'campaignId'>, order: LedgerOrder) => {
    const rows = Math.min(counts[key], p.listLimit ?? Infinity);
    if (rows <= 0) return [];
    await yieldToEventLoop();
    return (await pageOfMeasures(deps, { selection: { campaignId, ...selection }, order, today }, 0, rows)).map(toItem);
  };

  return {
    campaignId,
    campaignName: campaign?.name ?? '',
    weekKey: calendar.isoWeekKey(today),
    today,
    windowStart,
    windowEnd: calendar.addDays(today, -1),
    total: stats.total,
    byStatus: stats.byStatus,
    closed: stats.closed,
    completionRate: stats.completionRate,
    previousRate: rateAt(weekAgo),
    closedThisWeek: await list('closedThisWeek', { closedWithin }, 'closed'),
    submitted: await list('submitted', { status: 'submitted' }, 'updated'),
    newlyOverdue: await list('newlyOverdue', newlyOverdue, 'due'),
    overdue: await list('overdue', overdueOn(calendar, today), 'due'),
    dueNextWeek: await list('dueNextWeek', dueWithinOn(calendar, today, 6), 'due'),
    counts,
    unsetCount: stats.unsetCount,
    departments: stats.departments,
    trend,
    rechecks: await countRechecks(deps.db, { campaignId, ...closedWithin }),
  };
}
