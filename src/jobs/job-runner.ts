import {
  claimJobPeriod,
  deleteMark,
  finishJobPeriod,
  getJobRun,
  listMarks,
  markOnce,
  outboxStateByUuid,
  readMark,
  updateJobSummary,
} from '../../db/queries/job-runs.js';
import type { ServiceDeps } from '../deps.js';
import { enqueueMessage, type CardRef } from '../outbox/outbound-message.js';
import { stableId } from '../outbox/stable-id.js';
import { describeError } from '../logger.js';

/**
 * Runs a job at most once per period (job + day, job + ISO week). The period is claimed in one
 * statement, so two processes or a doubled cron trigger cannot both run it; a holder that died
 * leaves a 'running' row that another run takes over once the lease has passed. Messages carry
 * deterministic uuids, so a taken-over run re-enqueues nothing that was already written.
 */

export const JOB_NAMES = ['reminders', 'weekly-summary', 'rechecks'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** How long a 'running' period belongs to its holder before another run may take it over. */
export const JOB_LEASE_MS = 10 * 60_000;

export type JobDeps = ServiceDeps;

/** One message a job wants sent: a card, with the text that replaces it if the card is refused. */
export interface JobMessage {
  uuid: string;
  receiveIdType: 'open_id' | 'chat_id';
  receiveId: string;
  /** who it is for, for the run summary and dry runs */
  recipientLabel: string;
  card: Record<string, unknown>;
  fallbackText: string;
  topic: string;
  /** what the card is, remembered once sent (cards whose buttons act on a record) */
  cardRef?: CardRef;
}

export interface JobOptions {
  /** the instant the job runs as (defaults to the clock) */
  at?: Date;
  /** compute and return the messages; claim nothing, write nothing */
  dryRun?: boolean;
}

export type JobOutcome =
  | { status: 'done'; periodKey: string; messages: JobMessage[]; summary: Record<string, unknown> }
  | { status: 'dry_run'; periodKey: string; messages: JobMessage[]; summary: Record<string, unknown> }
  | { status: 'already_done' | 'busy'; periodKey: string; messages: []; summary?: unknown }
  /** reminders only go out on working days */
  | { status: 'not_working_day'; periodKey: string; messages: []; summary?: undefined };

export interface PeriodWork {
  /** builds the messages; `marks` decides once-only items (check-ins, escalations) */
  (marks: OnceMarks): Promise<{ messages: JobMessage[]; summary: Record<string, unknown> }>;
}

/** Once-only decisions: true when `key` was first marked on `value` (this period) or is new. */
export type OnceMarks = (key: string, value: string) => Promise<boolean>;

export async function runForPeriod(deps: JobDeps, job: JobName, periodKey: string, options: JobOptions, work: PeriodWork): Promise<JobOutcome> {
  const key = `${job}:${periodKey}`;
  if (options.dryRun) {
    const marks: OnceMarks = async (k, value) => {
      const stored = await readMark(deps.db, k);
      return stored === undefined || stored === value;
    };
    const { messages, summary } = await work(marks);
    return { status: 'dry_run', periodKey: key, messages, summary };
  }

  const startedAt = deps.clock.now().toISOString();
  const staleBefore = new Date(deps.clock.now().getTime() - JOB_LEASE_MS).toISOString();
  if (!(await claimJobPeriod(deps.db, { periodKey: key, job, now: startedAt, staleBefore }))) {
    const row = await getJobRun(deps.db, key);
    const status = row?.status === 'done' ? 'already_done' : 'busy';
    deps.log.info('job period not run', { job, period: key, reason: status });
    return { status, periodKey: key, messages: [], summary: row?.summary };
  }

  try {
    const now = () => deps.clock.now();
    const marks: OnceMarks = async (k, value) => (await markOnce(deps.db, { key: k, value, now: now().toISOString() })) === value;
    const { messages, summary } = await work(marks);
    for (const m of messages) await enqueueJobMessage(deps, m);
    const full = {
      ...summary,
      period: key,
      recipients: messages.map((m) => ({ to: m.receiveId, name: m.recipientLabel, uuid: m.uuid })),
    };
    await finishJobPeriod(deps.db, { periodKey: key, startedAt, status: 'done', summary: full, now: now().toISOString() });
    deps.log.info('job period done', { job, period: key, messages: messages.length });
    return { status: 'done', periodKey: key, messages, summary: full };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await finishJobPeriod(deps.db, { periodKey: key, startedAt, status: 'failed', summary: { period: key, error }, now: deps.clock.now().toISOString() });
    deps.log.error('job period failed', { job, period: key, error: describeError(e) });
    throw e;
  }
}

const FALLBACK_PREFIX = 'card-fallback:';

/** Enqueues the card and keeps its text fallback until the card is delivered or refused. */
export async function enqueueJobMessage(deps: Pick<JobDeps, 'db' | 'clock'>, m: JobMessage): Promise<boolean> {
  const now = deps.clock.now();
  const fallback = JSON.stringify({ receiveIdType: m.receiveIdType, receiveId: m.receiveId, text: m.fallbackText, topic: m.topic });
  await markOnce(deps.db, { key: FALLBACK_PREFIX + m.uuid, value: fallback, now: now.toISOString() });
  return enqueueMessage(
    deps.db,
    {
      kind: 'create',
      receiveIdType: m.receiveIdType,
      receiveId: m.receiveId,
      msgType: 'interactive',
      content: JSON.stringify({ ...m.card }),
      uuid: m.uuid,
      topic: m.topic,
      cardRef: m.cardRef,
    },
    now,
  );
}

/**
 * Sends the text version of every job card the platform refused (the outbox recorded it as
 * failed), and forgets fallbacks of cards that were delivered. Safe to call any time, any
 * number of times: the text message has its own deterministic uuid.
 */
export async function enqueueCardFallbacks(deps: Pick<JobDeps, 'db' | 'clock' | 'log'>): Promise<number> {
  const pending = await listMarks(deps.db, FALLBACK_PREFIX);
  if (pending.length === 0) return 0;
  const states = new Map(
    (
      await outboxStateByUuid(
        deps.db,
        pending.map((p) => p.key.slice(FALLBACK_PREFIX.length)),
      )
    ).map((s) => [s.uuid, s]),
  );
  let sent = 0;
  for (const p of pending) {
    const uuid = p.key.slice(FALLBACK_PREFIX.length);
    const state = states.get(uuid);
    if (state?.status === 'pending' || state?.status === 'sending') continue;
    if (state?.status === 'failed') {
      const f = JSON.parse(p.value) as { receiveIdType: 'open_id' | 'chat_id'; receiveId: string; text: string; topic?: string };
      await enqueueMessage(
        deps.db,
        {
          kind: 'create',
          receiveIdType: f.receiveIdType,
          receiveId: f.receiveId,
          msgType: 'text',
          content: JSON.stringify({ text: f.text }),
          uuid: stableId(uuid, 'text'),
          topic: f.topic,
        },
        deps.clock.now(),
      );
      deps.log.warn('card refused, sending its text version', { uuid, error: state.lastError ?? undefined });
      sent += 1;
    }
    await deleteMark(deps.db, p.key);
  }
  return sent;
}

export interface DeliveryLine {
  to: string;
  name: string;
  uuid: string;
  /** the platform's message id once delivered */
  messageId: string | null;
  /** delivered as the card, as its text version, not (yet) delivered, or failed */
  as: 'card' | 'text' | 'pending' | 'failed';
  error?: string;
}

/**
 * Where each message of a run stands in the outbox (the card, or its text version when the
 * card was refused), written back into the run's summary with the platform's message ids.
 */
export async function recordDeliveries(deps: Pick<JobDeps, 'db'>, outcome: JobOutcome): Promise<DeliveryLine[]> {
  if (outcome.status !== 'done') return [];
  const uuids = outcome.messages.map((m) => m.uuid);
  const states = new Map((await outboxStateByUuid(deps.db, [...uuids, ...uuids.map((u) => stableId(u, 'text'))])).map((s) => [s.uuid, s]));
  const lines = outcome.messages.map((m): DeliveryLine => {
    const card = states.get(m.uuid);
    const text = states.get(stableId(m.uuid, 'text'));
    const base = { to: m.receiveId, name: m.recipientLabel, uuid: m.uuid };
    if (card?.status === 'sent') return { ...base, messageId: card.messageId, as: 'card' };
    if (text?.status === 'sent') return { ...base, messageId: text.messageId, as: 'text' };
    const settled = card?.status === 'failed' && (!text || text.status === 'failed');
    return { ...base, messageId: null, as: settled ? 'failed' : 'pending', error: (text ?? card)?.lastError ?? undefined };
  });
  await updateJobSummary(deps.db, outcome.periodKey, { ...outcome.summary, recipients: lines });
  return lines;
}
