import { yieldToEventLoop } from '../../db/atomic.js';
import { listActiveCampaigns } from '../../db/queries/measures-read.js';
import { listPeopleWithRole } from '../../db/queries/people.js';
import { reminderDigestCard, reminderDigestText, type ReminderDigestRow, type ReminderDigestView } from '../../cards/reminder-digest.card.js';
import { stableId } from '../outbox/stable-id.js';
import { workCalendarFor } from '../services/calendar.js';
import { formatChineseDate } from '../services/deadline-state.js';
import { listReminderMeasures } from '../services/reminder-measures.js';
import { groupReminderDigests, planReminderItems, type ReminderDigestData, type ReminderItem } from '../services/reminder-plan.js';
import { runForPeriod, type JobDeps, type JobMessage, type JobOptions, type JobOutcome } from './job-runner.js';

/**
 * Daily reminders (period: the local day). On working days only; one digest per person with
 * their measures due within the lead times, due today and overdue, the ongoing measures that
 * owe this period's report, and (to leaders and secretaries) measures escalated as overdue.
 */

const toRow = (i: ReminderItem): ReminderDigestRow => ({
  code: i.code,
  text: i.text,
  department: i.department,
  ownerName: i.ownerName,
  countdown: i.countdown,
});

export function reminderDigestView(d: ReminderDigestData, day: string): ReminderDigestView {
  return {
    dateLabel: formatChineseDate(day),
    recipientName: d.recipient.name,
    dueToday: d.dueToday.map(toRow),
    overdue: d.overdue.map(toRow),
    dueSoon: d.dueSoon.map(toRow),
    checkins: d.checkins.map(toRow),
    escalations: d.escalations.map(toRow),
  };
}

export async function runRemindersJob(deps: JobDeps, options: JobOptions = {}): Promise<JobOutcome> {
  const calendar = workCalendarFor(deps);
  const at = options.at ?? deps.clock.now();
  const day = calendar.toDate(at);
  if (!calendar.isWorkingDay(day)) {
    deps.log.info('no reminders on a non-working day', { day, festival: calendar.festivalOf(day) });
    return { status: 'not_working_day', periodKey: `reminders:${day}`, messages: [] };
  }
  const { reminderLeadDays, escalateAfterDays } = deps.config.scheduler;
  const rules = { leadDays: reminderLeadDays, escalateAfterDays };

  return runForPeriod(deps, 'reminders', day, options, async (marks) => {
    const items: ReminderItem[] = [];
    for (const campaign of await listActiveCampaigns(deps.db)) {
      const measures = await listReminderMeasures(deps, { campaignId: campaign.id, day, rules });
      await yieldToEventLoop();
      items.push(...planReminderItems(measures, day, rules, calendar));
    }
    const accepted: ReminderItem[] = [];
    for (const item of items) if (!item.onceKey || (await marks(item.onceKey, day))) accepted.push(item);

    const secretaries = (await listPeopleWithRole(deps.db, ['secretary'])).filter((p) => p.openId).map((p) => ({ openId: p.openId!, name: p.name }));
    const { digests, unreachable } = groupReminderDigests(accepted, secretaries);

    const messages: JobMessage[] = digests.map((d) => {
      const view = reminderDigestView(d, day);
      return {
        uuid: stableId('reminder', day, d.recipient.openId),
        receiveIdType: 'open_id',
        receiveId: d.recipient.openId,
        recipientLabel: d.recipient.name ?? d.recipient.openId,
        card: reminderDigestCard(view),
        fallbackText: reminderDigestText(view),
        topic: `reminder:${day}`,
      };
    });
    const codes = (kind: ReminderItem['kind']) => accepted.filter((i) => i.kind === kind).map((i) => i.code);
    return {
      messages,
      summary: {
        day,
        dueSoon: codes('due_soon'),
        dueToday: codes('due_today'),
        overdue: codes('overdue'),
        checkins: codes('checkin'),
        escalations: codes('escalation'),
        /** measures whose owner (or leader, for escalations) has no Feishu account yet */
        unreachable: unreachable.map((i) => ({ code: i.code, kind: i.kind, name: i.recipientName })),
      },
    };
  });
}
