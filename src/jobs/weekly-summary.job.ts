import { listLeadingGroupChats } from '../../db/queries/job-runs.js';
import { listActiveCampaigns } from '../../db/queries/measures-read.js';
import {
  WEEKLY_SUMMARY_MAX_ROWS,
  weeklySummaryCard,
  weeklySummaryText,
  type WeeklySummaryRow,
  type WeeklySummaryView,
} from '../../cards/weekly-summary.card.js';
import { stableId } from '../outbox/stable-id.js';
import { workCalendarFor } from '../services/calendar.js';
import { formatChineseDate } from '../services/deadline-state.js';
import { buildWeeklySummary, type SummaryItem, type WeeklySummaryData } from '../services/weekly-summary.js';
import { enqueueJobMessage, runForPeriod, type JobDeps, type JobMessage, type JobOptions, type JobOutcome } from './job-runner.js';

/**
 * The weekly summary (period: the ISO week) to every chat bound as the leading group's chat,
 * each showing the campaign it is bound to (or the latest active campaign).
 */

export function weeklySummaryView(s: WeeklySummaryData, mentionOwners: boolean): WeeklySummaryView {
  const row = (i: SummaryItem): WeeklySummaryRow => ({
    code: i.code,
    text: i.text,
    department: i.department,
    ownerName: i.ownerName,
    ownerOpenId: i.ownerOpenId,
    countdown: i.countdown,
    daysOverdue: i.daysOverdue,
    dueLabel: i.dueDate ? formatChineseDate(i.dueDate, s.today) : null,
  });
  const [year, week] = s.weekKey.split('-W');
  return {
    campaignName: s.campaignName,
    weekLabel: `${year}年第${Number(week)}周`,
    windowLabel: `${formatChineseDate(s.windowStart, s.today)}—${formatChineseDate(s.windowEnd, s.today)}`,
    asOfLabel: formatChineseDate(s.today),
    total: s.total,
    closed: s.closed,
    submitted: s.byStatus.submitted,
    inProgress: s.total - s.closed - s.byStatus.submitted,
    overdueCount: s.counts.overdue,
    unsetCount: s.unsetCount,
    completionRate: s.completionRate,
    previousRate: s.previousRate,
    closedThisWeek: s.closedThisWeek.map(row),
    submittedList: s.submitted.map(row),
    newlyOverdue: s.newlyOverdue.map(row),
    overdue: s.overdue.map(row),
    dueNextWeek: s.dueNextWeek.map(row),
    listTotals: {
      closedThisWeek: s.counts.closedThisWeek,
      submittedList: s.counts.submitted,
      newlyOverdue: s.counts.newlyOverdue,
      overdue: s.counts.overdue,
      dueNextWeek: s.counts.dueNextWeek,
    },
    departments: s.departments,
    trend: s.trend,
    recheckAwaiting: s.rechecks.awaiting,
    reopenedThisWeek: s.rechecks.reopened,
    mentionOwners,
  };
}

/** One summary message per bound chat; `uuidFor` makes them once-only for the caller's purpose. */
export async function buildWeeklySummaryMessages(
  deps: JobDeps,
  at: Date,
  uuidFor: (chatId: string) => string,
): Promise<{ messages: JobMessage[]; skippedChats: string[] }> {
  const chats = await listLeadingGroupChats(deps.db);
  const campaigns = await listActiveCampaigns(deps.db);
  const fallbackCampaign = campaigns.at(-1)?.id;
  const built = new Map<number, WeeklySummaryView>();
  const messages: JobMessage[] = [];
  const skippedChats: string[] = [];
  for (const chat of chats) {
    const campaignId = chat.campaignId ?? fallbackCampaign;
    if (campaignId === undefined) {
      skippedChats.push(chat.chatId);
      continue;
    }
    let view = built.get(campaignId);
    if (!view) {
      view = weeklySummaryView(
        await buildWeeklySummary(deps, { campaignId, at, listLimit: WEEKLY_SUMMARY_MAX_ROWS }),
        deps.config.scheduler.mentionOwnersInSummary,
      );
      built.set(campaignId, view);
    }
    messages.push({
      uuid: uuidFor(chat.chatId),
      receiveIdType: 'chat_id',
      receiveId: chat.chatId,
      recipientLabel: `群 ${chat.chatId}（${view.campaignName}）`,
      card: weeklySummaryCard(view),
      fallbackText: weeklySummaryText(view),
      topic: `weekly-summary:campaign:${campaignId}`,
    });
  }
  return { messages, skippedChats };
}

export async function runWeeklySummaryJob(deps: JobDeps, options: JobOptions = {}): Promise<JobOutcome> {
  const calendar = workCalendarFor(deps);
  const at = options.at ?? deps.clock.now();
  const week = calendar.isoWeekKey(calendar.toDate(at));
  return runForPeriod(deps, 'weekly-summary', week, options, async () => {
    const { messages, skippedChats } = await buildWeeklySummaryMessages(deps, at, (chatId) => stableId('weekly-summary', week, chatId));
    return { messages, summary: { week, chats: messages.map((m) => m.receiveId), skippedChats } };
  });
}

/** /summary: posts the summary to the bound chats now, outside the weekly period. */
export async function postWeeklySummaryNow(deps: JobDeps, requestId: string): Promise<{ chats: number; skippedChats: string[] }> {
  const { messages, skippedChats } = await buildWeeklySummaryMessages(deps, deps.clock.now(), (chatId) => stableId('summary-now', requestId, chatId));
  for (const m of messages) await enqueueJobMessage(deps, m);
  return { chats: messages.length, skippedChats };
}
