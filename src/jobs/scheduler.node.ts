import { Cron } from 'croner';
import type { Deps } from '../deps.js';
import { cronOf, enqueueCardFallbacks, JOB_NAMES, runDueJobs, runJob } from './index.js';

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
  const afterRun = async () => {
    // Deliver now, then look for refused cards among what was just delivered.
    await deps.outbox.drain();
    if ((await enqueueCardFallbacks(deps)) > 0) deps.outbox.kick();
  };
  const guarded = (what: string, task: () => Promise<unknown>) => async () => {
    try {
      await task();
    } catch (e) {
      log.error('scheduler task failed', { task: what, error: e instanceof Error ? e.message : String(e) });
    }
  };

  const crons = JOB_NAMES.map(
    (job) =>
      new Cron(
        cronOf(deps, job),
        { timezone: deps.config.timezone, protect: true, name: `duban-${job}` },
        guarded(job, async () => {
          await runJob(deps, job);
          await afterRun();
        }),
      ),
  );
  crons.push(
    new Cron(FALLBACK_SWEEP_CRON, { timezone: deps.config.timezone, protect: true }, guarded('card fallbacks', async () => {
      if ((await enqueueCardFallbacks(deps)) > 0) deps.outbox.kick();
    })),
  );
  const ready = guarded('catch-up', async () => {
    await runDueJobs(deps);
    await afterRun();
  })();
  log.info('scheduler started', Object.fromEntries(JOB_NAMES.map((j) => [j, cronOf(deps, j)])));
  return {
    ready,
    stop() {
      for (const c of crons) c.stop();
    },
  };
}
