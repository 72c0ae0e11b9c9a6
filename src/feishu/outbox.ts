import type { Clock } from '../clock.js';
import { describeError, type Logger } from '../logger.js';
import type { Db } from '../../db/database.js';
import {
  claimDueOutbox,
  failOutbox,
  markOutboxSent,
  nextOutboxAttemptAt,
  parkExhaustedOutbox,
  rescheduleOutbox,
  type OutboxRow,
} from '../../db/queries/outbox.js';
import { recordCardMessage } from '../../db/queries/card-messages.js';
import { errorReference } from '../services/errors.js';
import { claimWindow } from './claim-window.js';
import type { ReceiveIdType } from '../outbox/outbound-message.js';
import { recipientOf, type FeishuClient, type OutgoingMessage } from '../port/feishu-client.js';
import { RateLimiter } from './rate-limiter.js';

export const APP_MESSAGES_PER_SECOND = 50;
export const RECIPIENT_MESSAGES_PER_SECOND = 5;
/**
 * Sends per message, counted when it is claimed: a send the process did not survive uses one
 * up too, so a message that keeps killing the process is parked, not retried for ever.
 */
export const MAX_SEND_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10 * 60_000;
const CLAIM_BATCH = 25;
/**
 * A delayed card update's token lives 30 minutes from the callback; past that the update can
 * never succeed (300030 "更新卡片的 token 失效"), so it is skipped, not retried or reported as a
 * failure: the action itself was stored, only the clicked card was not refreshed.
 * https://open.feishu.cn/document/server-docs/im-v1/message-card/delay-update-message-card
 */
export const CARD_UPDATE_TOKEN_TTL_MS = 30 * 60_000;
const CARD_UPDATE_TOKEN_EXPIRED = 300030;
const PARALLEL_RECIPIENTS = 6;

/** Rows written before rate keys existed fall back to the recipient the message itself names. */
const rateKeyOfRow = (row: OutboxRow) => row.rateKey ?? recipientOf(toOutgoing(row));

function toOutgoing(row: OutboxRow): OutgoingMessage {
  switch (row.kind) {
    case 'create':
      return {
        kind: 'create',
        receiveIdType: row.receiveIdType as ReceiveIdType,
        receiveId: row.receiveId,
        msgType: row.msgType,
        content: row.content,
        uuid: row.uuid,
      };
    case 'reply':
      return { kind: 'reply', replyTo: row.receiveId, msgType: row.msgType, content: row.content, uuid: row.uuid };
    case 'patch':
      return { kind: 'patch', messageId: row.receiveId, content: row.content };
    case 'card_update':
      return { kind: 'card_update', token: row.receiveId, content: row.content };
  }
}

export interface DrainResult {
  sent: number;
  failed: number;
  retried: number;
}

export interface OutboxDelivery {
  /** Delivers everything due; waits up to maxWaitMs for messages scheduled to retry. */
  drain(options?: { maxWaitMs?: number }): Promise<DrainResult>;
  /** Starts a drain unless one is running (then that one picks the new work up). */
  kick(): void;
  /** No more wake-ups (shutdown); a drain in progress finishes its batch. */
  stop(): void;
}

export interface OutboxDeliveryOptions {
  db: Db;
  feishu: FeishuClient;
  clock: Clock;
  log: Logger;
  leaseMs: number;
  /** who claims (see Deps.holderId); absent: lease-only claims */
  holderId?: string;
  defer: (task: () => Promise<unknown>) => void;
  /** how long a kicked drain waits for retries before leaving them to the next sweep */
  kickMaxWaitMs?: number;
  random?: () => number;
  limiter?: RateLimiter;
  /**
   * Long-running processes: after a drain, a timer wakes the outbox when the next retry falls
   * due, however far off. Without it (Workers) later retries wait for the next sweep.
   */
  wakeAtDue?: boolean;
}

export function createOutboxDelivery(o: OutboxDeliveryOptions): OutboxDelivery {
  const limiter = o.limiter ?? new RateLimiter(o.clock);
  const random = o.random ?? Math.random;
  const iso = () => o.clock.now().toISOString();

  async function deliverOne(row: OutboxRow, result: DrainResult): Promise<void> {
    const message = toOutgoing(row);
    // Queued after the callback, so this errs towards one last try, which 300030 then ends.
    if (row.kind === 'card_update' && o.clock.now().getTime() - new Date(row.createdAt).getTime() >= CARD_UPDATE_TOKEN_TTL_MS) {
      await failOutbox(o.db, row.id, row.lastError ?? 'card update token expired before delivery', iso(), 'skipped');
      o.log.info('card update token expired before delivery, skipped', { uuid: row.uuid, lastError: row.lastError });
      return;
    }
    await limiter.acquire([
      ['app', APP_MESSAGES_PER_SECOND],
      [rateKeyOfRow(row), RECIPIENT_MESSAGES_PER_SECOND],
    ]);
    let outcome;
    try {
      outcome = await o.feishu.send(message);
    } catch (e) {
      // The client reports platform failures as outcomes; a throw is unexpected, so keep its stack.
      o.log.warn('message send threw', { uuid: row.uuid, error: describeError(e) });
      outcome = { ok: false as const, permanent: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (outcome.ok) {
      await markOutboxSent(o.db, row.id, outcome.messageId, iso());
      if (outcome.messageId) await rememberCard(row, outcome.messageId);
      result.sent += 1;
      o.log.debug('message delivered', { uuid: row.uuid, kind: row.kind, messageId: outcome.messageId });
      return;
    }
    if (row.kind === 'patch' && outcome.code === 230031) {
      // Older than the 14-day update window: the card can no longer change; nothing to retry.
      await failOutbox(o.db, row.id, outcome.error, iso(), 'skipped');
      o.log.info('card too old to update, skipped', { uuid: row.uuid });
      return;
    }
    if (row.kind === 'card_update' && outcome.code === CARD_UPDATE_TOKEN_EXPIRED) {
      await failOutbox(o.db, row.id, outcome.error, iso(), 'skipped');
      o.log.info('card update token expired, skipped', { uuid: row.uuid });
      return;
    }
    if (outcome.notSent) {
      // Put off before it reached Feishu (the invocation's send budget): no attempt used.
      const next = new Date(o.clock.now().getTime() + (outcome.retryAfterMs ?? BASE_BACKOFF_MS));
      await rescheduleOutbox(o.db, row.id, next.toISOString(), outcome.error, true);
      result.retried += 1;
      o.log.debug('message put off', { uuid: row.uuid, error: outcome.error, retryAt: next.toISOString() });
      return;
    }
    if (outcome.permanent || row.attempts >= MAX_SEND_ATTEMPTS) {
      await failOutbox(o.db, row.id, outcome.error, iso());
      result.failed += 1;
      o.log.warn('message undeliverable', {
        uuid: row.uuid,
        ref: errorReference(row.uuid),
        kind: row.kind,
        to: row.receiveId,
        error: outcome.error,
        attempts: row.attempts,
      });
      return;
    }
    const backoff = Math.min(MAX_BACKOFF_MS, Math.max(outcome.retryAfterMs ?? 0, BASE_BACKOFF_MS * 3 ** (row.attempts - 1)));
    const next = new Date(o.clock.now().getTime() + backoff + Math.floor(random() * 250));
    await rescheduleOutbox(o.db, row.id, next.toISOString(), outcome.error);
    result.retried += 1;
    o.log.info('message will be retried', { uuid: row.uuid, error: outcome.error, attempt: row.attempts, retryAt: next.toISOString() });
  }

  /** Cards are remembered once sent, so later changes can update them in place. */
  async function rememberCard(row: OutboxRow, messageId: string) {
    const ref = row.cardRef;
    if (!ref) return;
    const chatId = row.rateKey?.startsWith('chat_id:') ? row.rateKey.slice(8) : null;
    await recordCardMessage(o.db, { messageId, measureId: ref.measureId, kind: ref.kind, context: ref.context, chatId, sentAt: iso() });
  }

  async function deliverBatch(rows: OutboxRow[], result: DrainResult) {
    // Keep each recipient's messages in order; different recipients go in parallel.
    const byRecipient = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const k = rateKeyOfRow(r);
      byRecipient.set(k, [...(byRecipient.get(k) ?? []), r]);
    }
    const queues = [...byRecipient.values()];
    const workers = Array.from({ length: Math.min(PARALLEL_RECIPIENTS, queues.length) }, async () => {
      for (let q = queues.shift(); q; q = queues.shift()) for (const r of q) await deliverOne(r, result);
    });
    await Promise.all(workers);
  }

  /**
   * Sends abandoned by a holder that died are taken over at once, not after the lease: each
   * create and reply carries its deterministic uuid, which Feishu deduplicates for an hour, so
   * a send that did reach Feishu before the crash is not posted twice. (A patch repeats the same
   * content; a card_update re-spends one of its token's two uses.)
   */
  const windowAt = (now: Date) => claimWindow(now, o.leaseMs, o.holderId);

  /** Messages abandoned mid-send with no attempts left are failed, never claimed again. */
  async function parkExhausted(result: DrainResult) {
    for (const row of await parkExhaustedOutbox(o.db, windowAt(o.clock.now()), MAX_SEND_ATTEMPTS)) {
      result.failed += 1;
      o.log.error('message parked: no attempts left, it will not be sent again', {
        uuid: row.uuid,
        ref: errorReference(row.uuid),
        kind: row.kind,
        to: row.receiveId,
        attempts: row.attempts,
        reason: row.lastError,
      });
    }
  }

  async function drain(options: { maxWaitMs?: number } = {}): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, failed: 0, retried: 0 };
    const deadline = o.clock.now().getTime() + (options.maxWaitMs ?? 0);
    await parkExhausted(result);
    for (;;) {
      const now = o.clock.now();
      const rows = await claimDueOutbox(o.db, windowAt(now), CLAIM_BATCH, MAX_SEND_ATTEMPTS);
      if (rows.length > 0) {
        await deliverBatch(rows, result);
        continue;
      }
      const next = await nextOutboxAttemptAt(o.db);
      if (!next) break;
      const at = new Date(next).getTime();
      if (at > deadline) break;
      // Waiting for a retry must not hold up new messages: a kick ends the wait early.
      await Promise.race([o.clock.sleep(Math.max(0, at - o.clock.now().getTime())), new Promise<void>((resolve) => (wake = resolve))]);
      wake = () => {};
    }
    return result;
  }

  let wake: () => void = () => {};

  let cancelAlarm: (() => void) | undefined;
  let stopped = false;
  /** Sets the clock's alarm for the next retry's due time (an alarm, not a poll: nothing runs until then). */
  async function wakeAtNextDue() {
    if (!o.wakeAtDue || stopped) return;
    const next = await nextOutboxAttemptAt(o.db);
    cancelAlarm?.();
    cancelAlarm = undefined;
    if (!next) return;
    const delay = Math.max(0, new Date(next).getTime() - o.clock.now().getTime());
    cancelAlarm = o.clock.alarm(delay, () => {
      cancelAlarm = undefined;
      kick();
    });
  }

  let running = false;
  let again = false;
  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      wake();
      return;
    }
    running = true;
    o.defer(async () => {
      try {
        do {
          do {
            again = false;
            await drain({ maxWaitMs: o.kickMaxWaitMs ?? 0 });
          } while (again);
          await wakeAtNextDue();
        } while (again);
      } catch (e) {
        o.log.error('outbox delivery stopped', { error: describeError(e) });
      } finally {
        running = false;
      }
    });
  }

  function stop() {
    stopped = true;
    cancelAlarm?.();
    cancelAlarm = undefined;
  }

  return { drain, kick, stop };
}
