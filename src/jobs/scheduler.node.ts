import { Cron } from 'croner';
import type { Deps } from '../deps.js';
import { cronOf, enqueueCardFallbacks, JOB_NAMES, recordDeliveries, runDueJobs, runJob, type JobOutcome } from './index.js';
import { describeError } from '../logger.js';

/**
 * The in-process scheduler of `npm start`: croner fires each job on its cron in TIMEZONE, a
 * start-up catch-up runs periods missed while the service was down, and a light sweep sends
 * the text version of any job card the platform refused. The period claim makes a second
 * process or an overlapping trigger harmless.
 */

const FALLBACK_SWEEP_CRON = '*/5 * * * *';

export interface NodeScheduler {
  /** resolves when the start-up catch-up has finished */
  ready: Promise<void>;
  stop(): void;
}

export function startNodeScheduler(deps: Deps): NodeScheduler {
  const { log } = deps;
  const afterRun = async (outcomes: Array<JobOutcome | undefined>) => {
    // Deliver now, send text versions of refused cards, then note the message ids in job_runs.
    await deps.outbox.drain();
    if ((await enqueueCardFallbacks(deps)) > 0) await deps.outbox.drain();
    for (const o of outcomes) if (o) await recordDeliveries(deps, o);
  };
  const guarded = (what: string, task: () => Promise<unknown>) => async () => {
    try {
      await task();
    } catch (e) {
      log.error('scheduler task failed', { task: what, error: describeError(e) });
    }
  };

  const crons = JOB_NAMES.map(
    (job) =>
      new Cron(
        cronOf(deps, job),
        { timezone: deps.config.timezone, protect: true, name: `duban-${job}` },
        guarded(job, async () => {
          await afterRun([await runJob(deps, job)]);
        }),
      ),
  );
  crons.push(
    new Cron(
      FALLBACK_SWEEP_CRON,
      { timezone: deps.config.timezone, protect: true },
      guarded('card fallbacks', async () => {
        if ((await enqueueCardFallbacks(deps)) > 0) deps.outbox.kick();
      }),
    ),
  );
  const ready = guarded('catch-up', async () => {
    await afterRun(Object.values(await runDueJobs(deps)));
  })();
  log.info('scheduler started', Object.fromEntries(JOB_NAMES.map((j) => [j, cronOf(deps, j)])));
  return {
    ready,
    stop() {
      for (const c of crons) c.stop();
    },
  };
}
