import { Cron } from 'croner';
import { workCalendarFor } from '../services/calendar.js';
import { enqueueCardFallbacks, JOB_NAMES, type JobDeps, type JobName, type JobOptions, type JobOutcome } from './job-runner.js';
import { runRemindersJob } from './reminders.job.js';
import { runRechecksJob } from './rechecks.job.js';
import { runWeeklySummaryJob } from './weekly-summary.job.js';
import { describeError } from '../logger.js';

/**
 * The scheduled jobs as the runtimes see them: by name (CLI, in-process cron) or "whatever is
 * due" (start-up catch-up, Workers Cron Triggers). Every path goes through the period claim,
 * so running them more often than needed is harmless.
 */

export { enqueueCardFallbacks, JOB_NAMES, recordDeliveries, type JobName, type JobOutcome } from './job-runner.js';

const RUNNERS: Record<JobName, (deps: JobDeps, options: JobOptions) => Promise<JobOutcome>> = {
  reminders: runRemindersJob,
  'weekly-summary': runWeeklySummaryJob,
  rechecks: runRechecksJob,
};

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

export function runJob(deps: JobDeps, job: JobName, options: JobOptions = {}): Promise<JobOutcome> {
  return RUNNERS[job](deps, options);
}

export function cronOf(deps: JobDeps, job: JobName): string {
  // Re-checks go out with the daily reminders.
  return job === 'weekly-summary' ? deps.config.scheduler.weeklySummaryCron : deps.config.scheduler.reminderCron;
}

/**
 * The latest scheduled time at or before `at` that the job would act on (reminders: a working
 * day), looking back at most two weeks.
 */
export function latestScheduledRun(deps: JobDeps, job: JobName, at: Date): Date | undefined {
  const calendar = workCalendarFor(deps);
  const cron = new Cron(cronOf(deps, job), { timezone: deps.config.timezone, paused: true });
  try {
    const [latest] = cron.previousRuns(1, new Date(at.getTime() + 1000));
    if (!latest) return undefined;
    if (job === 'reminders' || job === 'rechecks') {
      // Reminders are about today: a day missed earlier is not sent late (today's run, or the next
      // working day's, tells the same people the same things), so nobody gets two in one day.
      // A re-check missed on its day is not lost either: the next working day finds it still due.
      const today = calendar.toDate(at);
      return calendar.toDate(latest) === today && calendar.isWorkingDay(today) ? latest : undefined;
    }
    // The weekly summary: the latest week's, if it was missed within the last two weeks.
    return at.getTime() - latest.getTime() <= 15 * 86_400_000 ? latest : undefined;
  } finally {
    cron.stop();
  }
}

/**
 * Runs each job's latest scheduled period unless it already ran: the catch-up at start (today's
 * reminders if their time has passed, the latest missed week) and the Workers scheduled handler.
 * Each period runs as of its scheduled time, so a late run says what that day's run would have.
 */
export async function runDueJobs(deps: JobDeps, p: { at?: Date } = {}): Promise<Partial<Record<JobName, JobOutcome>>> {
  const at = p.at ?? deps.clock.now();
  const outcomes: Partial<Record<JobName, JobOutcome>> = {};
  for (const job of JOB_NAMES) {
    const scheduled = latestScheduledRun(deps, job, at);
    if (!scheduled) continue;
    try {
      outcomes[job] = await runJob(deps, job, { at: scheduled });
    } catch (e) {
      deps.log.error('scheduled job failed', { job, error: describeError(e) });
    }
  }
  await enqueueCardFallbacks(deps);
  return outcomes;
}

/**
 * What the Workers entry calls from its Cron Triggers. Whichever trigger fired, every job whose
 * period is due runs once; a doubled or extra trigger finds its periods done and sends nothing.
 */
export async function runScheduledJobs(deps: JobDeps, p: { cron?: string; at?: Date } = {}): Promise<Partial<Record<JobName, JobOutcome>>> {
  deps.log.info('scheduled trigger', { cron: p.cron });
  return runDueJobs(deps, { at: p.at });
}
