/** The campaign's progress as a card: counts by status, overdue and due soon, and per department. */
import { statusCard } from '../../cards/status.card.js';
import type { StatusView } from '../../cards/views.js';
import type { LedgerCounts } from '../services/ledger-stats.js';
import type { Reply } from './reply.js';

const pct = (r: number) => Math.round(r * 100);

function statusViewOf(stats: LedgerCounts, campaignName: string, dueSoonDays: number): StatusView {
  return {
    campaignName,
    total: stats.total,
    byStatus: stats.byStatus,
    completionRate: pct(stats.completionRate),
    overdue: stats.overdueCount,
    unset: stats.unsetCount,
    dueSoon: stats.dueNext7DaysCount,
    dueSoonDays,
    departments: stats.departments.map((d) => ({
      department: d.department,
      total: d.total,
      closed: d.closed,
      submitted: d.submitted,
      overdue: d.overdue,
      completionRate: pct(d.rate),
    })),
    asOf: `截至 ${stats.today}`,
  };
}

export function statusReply(stats: LedgerCounts, campaignName: string): Reply {
  return { kind: 'card', card: statusCard(statusViewOf(stats, campaignName, 7)), cardRef: { kind: 'status' } };
}
