/**
 * The Cloudflare Workers entry: the same app as the Node service, wired to D1, waitUntil and
 * Cron Triggers. With src/entry.node.ts, the only file that knows which runtime it runs on.
 *
 * Per isolate (kept between requests): the parsed configuration, the Feishu client with its
 * token cache, the send-rate limiter. Per request or cron run: the D1 handle and `defer`,
 * because a Worker must not hold on to one request's I/O context in another.
 */
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../db/schema.js';
import { withCapabilities } from '../db/database.js';
import { ensureAdmins } from '../db/queries/people.js';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, parseConfig, type AppConfig } from './config.js';
import type { Deps } from './deps.js';
import type { FeishuClient } from './port/feishu-client.js';
import { recoverInbox } from './feishu/inbox.js';
import { createLocalFeishuClient } from './feishu/local-client.js';
import { createOutboxDelivery } from './feishu/outbox.js';
import { RateLimiter } from './feishu/rate-limiter.js';
import { createSdkFeishuClient } from './feishu/sdk-client.js';
import { withSendBudget } from './feishu/send-budget.js';
import { runScheduledJobs } from './jobs/index.js';
import { createLogger, describeError, type Logger } from './logger.js';
import { createR2EvidenceStore, isR2Bucket } from './runtime/evidence-store.r2.js';

/** Bindings and variables from wrangler.toml and `wrangler secret put`. */
export interface WorkerEnv {
  DB: Parameters<typeof drizzle>[0];
  [name: string]: unknown;
}

/** The parts of the Workers ExecutionContext and ScheduledController used here. */
interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}
interface ScheduledRun {
  cron: string;
  scheduledTime: number;
}

/**
 * The every-minute trigger of wrangler.toml only sweeps. The others also run the scheduled
 * jobs, which pick what is due from REMINDER_CRON and WEEKLY_SUMMARY_CRON in TIMEZONE (each
 * period once); working that out costs CPU, so it is not done every minute.
 */
const SWEEP_ONLY_CRON = '* * * * *';

/**
 * How long a drain started after an ack waits for a retry that falls due. Short: waitUntil
 * work is cut off 30 s after the response, and the every-minute sweep retries what is left.
 */
const AFTER_ACK_RETRY_WAIT_MS = 2_000;
/** A cron run may take minutes; it waits for retries due before the next run starts. */
const SWEEP_RETRY_WAIT_MS = 45_000;
/**
 * Messages one invocation sends: under the free plan's 50 subrequests, with room for a token
 * fetch and a refreshed retry. The rest wait for the next cron run, a minute later.
 */
const SENDS_PER_INVOCATION = 40;
const OVER_BUDGET_RETRY_MS = 60_000;

interface Isolate {
  config: AppConfig;
  log: Logger;
  feishu: FeishuClient;
  limiter: RateLimiter;
  adminsReady?: Promise<void>;
}

let isolate: Isolate | ConfigError | undefined;

function textEnv(env: WorkerEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function boot(env: WorkerEnv): Isolate | ConfigError {
  if (isolate) return isolate;
  try {
    const config = parseConfig(textEnv(env), 'workers');
    // Workers Logs take the level from the console method, so each level gets its own.
    const log = createLogger(config.logLevel, (line, level) => console[level](line));
    const feishu =
      config.mode === 'feishu'
        ? createSdkFeishuClient({ appId: config.feishu.appId!, appSecret: config.feishu.appSecret!, baseUrl: config.feishu.baseUrl, log })
        : createLocalFeishuClient(log);
    isolate = { config, log, feishu, limiter: new RateLimiter(systemClock) };
    if (config.mode === 'local') log.warn('no Feishu credentials: outgoing messages are logged, not sent (set the secrets, see wrangler.toml)');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`duban: ${e.message}`);
    isolate = e;
  }
  return isolate;
}

function wire(world: Isolate, env: WorkerEnv, ctx: WorkerContext) {
  const { config, log, limiter } = world;
  const feishu = config.mode === 'feishu' ? withSendBudget(world.feishu, SENDS_PER_INVOCATION, OVER_BUDGET_RETRY_MS) : world.feishu;
  // D1 has no interactive transactions: atomic work goes to the binding as one batch; no group commit.
  const db = withCapabilities(drizzle(env.DB, { schema }), { atomic: 'batch', d1: env.DB });
  const defer = (task: () => Promise<unknown>) =>
    ctx.waitUntil(
      Promise.resolve()
        .then(task)
        .catch((e) => log.error('background task failed', { error: describeError(e) })),
    );
  const outbox = createOutboxDelivery({
    db,
    feishu,
    clock: systemClock,
    log,
    leaseMs: config.workLeaseMs,
    defer,
    limiter,
    kickMaxWaitMs: AFTER_ACK_RETRY_WAIT_MS,
  });
  // Evidence files go to the EVIDENCE R2 bucket when one is bound; otherwise only a reference is kept.
  const evidenceStore = isR2Bucket(env.EVIDENCE) ? createR2EvidenceStore(env.EVIDENCE) : undefined;
  const deps: Deps = { config, db, feishu, clock: systemClock, log, defer, outbox, evidenceStore };
  return { deps, ...createApp(deps) };
}

/** The configured administrators exist, once per isolate (retried if it failed). */
function adminsReady(world: Isolate, deps: Deps): Promise<void> {
  world.adminsReady ??= ensureAdmins(deps.db, world.config.adminOpenIds, deps.clock.now().toISOString()).catch((e) => {
    world.adminsReady = undefined;
    deps.log.error('could not record the configured administrators', { error: describeError(e) });
  });
  return world.adminsReady;
}

function configErrorResponse(e: ConfigError): Response {
  return new Response(`duban is misconfigured. ${e.message}\n`, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    const world = boot(env);
    if (world instanceof ConfigError) return configErrorResponse(world);
    const { deps, app } = wire(world, env, ctx);
    await adminsReady(world, deps);
    return app.fetch(request, env, ctx as never);
  },

  /** Every cron run finishes what isolates left behind, then runs the jobs that are due. */
  async scheduled(controller: ScheduledRun, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
    const world = boot(env);
    if (world instanceof ConfigError) throw new Error(world.message);
    const { deps, onEvent } = wire(world, env, ctx);
    await adminsReady(world, deps);
    const recovered = await recoverInbox(deps, onEvent);
    const swept = await deps.outbox.drain();
    let jobsFailed: unknown;
    try {
      if (controller.cron !== SWEEP_ONLY_CRON) await runScheduledJobs(deps, { cron: controller.cron, at: new Date(controller.scheduledTime) });
    } catch (e) {
      jobsFailed = e; // deliver what the jobs queued before failing, then fail the run
    }
    const delivered = await deps.outbox.drain({ maxWaitMs: SWEEP_RETRY_WAIT_MS });
    deps.log.info('cron run done', {
      cron: controller.cron,
      recoveredEvents: recovered,
      sent: swept.sent + delivered.sent,
      failed: swept.failed + delivered.failed,
      retried: swept.retried + delivered.retried,
    });
    if (jobsFailed !== undefined) throw jobsFailed;
  },
};
