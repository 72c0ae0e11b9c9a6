import { stableId } from '../outbox/stable-id.js';
import { workCalendarFor } from '../services/calendar.js';
import { dueRechecks } from '../services/rechecks.js';
import { dueRecheckMessage } from '../views/recheck.view.js';
import { runForPeriod, type JobDeps, type JobMessage, type JobOptions, type JobOutcome } from './job-runner.js';

/**
 * 回头看 (period: the local day, working days only, on the reminders' schedule): every closure
 * whose re-check has fallen due and was not sent on an earlier day gets its card, to whoever
 * verified the closure and to the owner. The period claim runs the day once; the re-check row
 * (one per closure, marked with the day it went out) keeps later days from sending it again,
 * and the uuids (re-check + recipient) make a taken-over run enqueue nothing twice.
 */
export async function runRechecksJob(deps: JobDeps, options: JobOptions = {}): Promise<JobOutcome> {
  const calendar = workCalendarFor(deps);
  const at = options.at ?? deps.clock.now();
  const day = calendar.toDate(at);
  if (!calendar.isWorkingDay(day)) return { status: 'not_working_day', periodKey: `rechecks:${day}`, messages: [] };
  return runForPeriod(deps, 'rechecks', day, options, async () => {
    const due = await dueRechecks(deps, { day, dryRun: options.dryRun });
    const messages: JobMessage[] = [];
    for (const d of due) {
      const { card, text, cardRef } = await dueRecheckMessage(deps, d);
      for (const openId of d.recipients) {
        messages.push({
          uuid: stableId('recheck', d.recheck?.id ?? `dry-${d.candidate.measureId}`, openId),
          receiveIdType: 'open_id',
          receiveId: openId,
          recipientLabel: openId,
          card,
          fallbackText: text,
          topic: `recheck:${d.candidate.measureId}`,
          cardRef,
        });
      }
    }
    return {
      messages,
      summary: {
        day,
        months: deps.config.scheduler.recheckAfterMonths,
        rechecks: due.map((d) => ({ code: d.candidate.code, measureId: d.candidate.measureId, dueDate: d.dueDate, to: d.recipients })),
      },
    };
  });
}
