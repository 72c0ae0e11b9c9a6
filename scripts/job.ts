/**
 * npm run job -- <reminders|weekly-summary|rechecks> [--at <ISO datetime>] [--dry-run]
 *
 * Runs a scheduled job now, as if the time were --at, with the service's configuration
 * (.env / environment). Delivers what it produced through the outbox, with its retries, and
 * exits when every message is delivered or recorded as failed. --dry-run prints each message
 * and sends nothing.
 *
 * Exit codes: 0 everything delivered (or nothing to do), 1 some message could not be delivered,
 * 2 bad arguments or configuration.
 */
import { existsSync } from 'node:fs';
import { ConfigError, parseConfig, type AppConfig } from '../src/config.js';
import { createNodeService, openNodeDatabase } from '../src/entry.node.js';
import { previewCard } from '../cards/preview.js';
import { enqueueCardFallbacks, isJobName, JOB_NAMES, recordDeliveries, runJob, type JobName, type JobOutcome } from '../src/jobs/index.js';
import { createLogger, describeError } from '../src/logger.js';
import { systemClock } from '../src/clock.js';
import { workCalendarFor } from '../src/services/calendar.js';

const USAGE = `usage: npm run job -- <${JOB_NAMES.join('|')}> [--at <ISO datetime>] [--dry-run]`;
/** how long to keep retrying undelivered messages before giving up on them */
const DELIVERY_WAIT_MS = 15 * 60_000;

interface Args {
  job: JobName;
  at?: Date;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  let job: string | undefined;
  let at: Date | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dry-run') dryRun = true;
    else if (a === '--at' || a.startsWith('--at=')) {
      const value = a === '--at' ? argv[++i] : a.slice(5);
      if (!value || Number.isNaN(Date.parse(value))) throw new Error(`--at expects an ISO date-time such as 2025-10-09T09:00:00+08:00 (got "${value ?? ''}")`);
      at = new Date(value);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (job === undefined) job = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!job || !isJobName(job)) throw new Error(job ? `unknown job "${job}"` : 'which job?');
  return { job, at, dryRun };
}

function describe(outcome: JobOutcome, config: AppConfig): string {
  switch (outcome.status) {
    case 'already_done':
      return `${outcome.periodKey} 已执行过，本次不再发送。`;
    case 'busy':
      return `${outcome.periodKey} 正由另一个进程执行，本次不再发送。`;
    case 'not_working_day': {
      const day = outcome.periodKey.slice(outcome.periodKey.indexOf(':') + 1);
      const festival = workCalendarFor({ config }).festivalOf(day);
      return `${day} 不是工作日${festival ? `（${festival}）` : ''}，不发送提醒。`;
    }
    default:
      return `${outcome.periodKey}：${outcome.messages.length} 条消息。`;
  }
}

/** Card markdown as a person reads it: no emphasis markers, escapes undone. */
function readable(markdown: string): string {
  return markdown.replace(/\*\*/g, '').replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function printDryRun(outcome: JobOutcome, config: AppConfig) {
  console.log(`【演练】${describe(outcome, config)}以下内容不会发送，也不会写入数据库。`);
  for (const [i, m] of outcome.messages.entries()) {
    console.log(`\n──── 第 ${i + 1} 条 · 发给 ${m.recipientLabel} ────`);
    console.log(readable(previewCard(m.card)));
  }
  if (outcome.messages.length === 0) console.log('没有需要发送的消息。');
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let args: Args;
  let config: AppConfig;
  try {
    args = parseArgs(process.argv.slice(2));
    config = parseConfig(process.env);
  } catch (e) {
    console.error(`duban job: ${e instanceof ConfigError ? e.message : (e as Error).message}\n${USAGE}`);
    return 2;
  }
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn', (line) => console.error(line));

  if (args.dryRun) {
    const database = openNodeDatabase(config.databasePath);
    try {
      const outcome = await runJob({ db: database.db, clock: systemClock, log, config }, args.job, { at: args.at, dryRun: true });
      printDryRun(outcome, config);
      return 0;
    } finally {
      database.close();
    }
  }

  const service = await createNodeService(config, { log });
  try {
    const { deps } = service;
    const outcome = await runJob(deps, args.job, { at: args.at });
    console.log(describe(outcome, config));
    if (outcome.status !== 'done') return 0;

    await deps.outbox.drain({ maxWaitMs: DELIVERY_WAIT_MS });
    if ((await enqueueCardFallbacks(deps)) > 0) await deps.outbox.drain({ maxWaitMs: DELIVERY_WAIT_MS });

    // A card still pending after the wait counts as undelivered; the service's sweep keeps trying it.
    const delivered = await recordDeliveries(deps, outcome);
    const mark = { card: '✓ 已送达', text: '✓ 已送达（文字版）', pending: '… 仍在重试', failed: '✗ 未送达' } as const;
    for (const d of delivered) console.log(`${mark[d.as]} ${d.name}${d.error && d.as !== 'card' ? `：${d.error}` : ''}`);
    return delivered.every((d) => d.as === 'card' || d.as === 'text') ? 0 : 1;
  } finally {
    await service.idle(5_000);
    await service.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    // Unexpected (a job's own failures are recorded and logged): the stack and cause help the operator.
    const d = describeError(e);
    console.error(`duban job: failed: ${d.message}`, JSON.stringify(d));
    process.exit(1);
  },
);
