import type { Deps } from '../deps.js';
import {
  claimInboxEvent,
  completeInboxEvent,
  deleteProcessedEvents,
  failInboxEvent,
  listUnfinishedInboxEvents,
  parkExhaustedInboxEvents,
  type InboxEvent,
} from '../../db/queries/inbox.js';
import { listPeopleWithRole } from '../../db/queries/people.js';
import { errorReference } from '../services/errors.js';
import { workLabel } from '../services/parked-work.js';
import { MessageReceiveSchema, type IncomingEvent } from '../dispatch/incoming-events.js';
import { enqueueMessage } from '../outbox/outbound-message.js';
import { claimWindow } from './claim-window.js';
import { inboxRetentionMs } from './replay-window.js';
import { stableId } from '../outbox/stable-id.js';
import { describeError } from '../logger.js';

/**
 * Runs per event, counted when it is claimed: an attempt the process did not survive (a file
 * that runs it out of memory, a kill) uses one up like one that threw. Past the last, the event
 * is parked as failed and never runs again, whatever restarts follow.
 */
export const MAX_EVENT_ATTEMPTS = 3;

export type EventHandler = (deps: Deps, event: IncomingEvent) => Promise<void>;

function serialize(e: IncomingEvent): string {
  return JSON.stringify({ ...e, createdAt: e.createdAt?.toISOString() });
}

export function deserializeEvent(payload: string): IncomingEvent {
  const o = JSON.parse(payload) as IncomingEvent & { createdAt?: string };
  return { ...o, createdAt: o.createdAt ? new Date(o.createdAt) : undefined };
}

export const serializeEvent = serialize;

/**
 * Processes one stored event if nobody else holds it and it has attempts left. Errors are
 * logged and recorded; the event is retried by the recovery sweep until its attempts run out.
 */
export async function processInboxEvent(deps: Deps, eventId: string, handle: EventHandler): Promise<void> {
  const row = await claimInboxEvent(deps.db, eventId, inboxClaimWindow(deps), MAX_EVENT_ATTEMPTS);
  if (!row) return;
  try {
    await handle(deps, deserializeEvent(row.payload));
    await completeInboxEvent(deps.db, eventId, deps.clock.now().toISOString());
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    deps.log.error('event processing failed', { eventId, type: row.eventType, attempt: row.attempts, error: describeError(e) });
    if (await failInboxEvent(deps.db, eventId, error, deps.clock.now().toISOString(), MAX_EVENT_ATTEMPTS)) {
      await announceParked(deps, { ...row, lastError: error });
    }
  } finally {
    deps.outbox.kick();
  }
}

/**
 * Claims are taken over early when their holder died (see claim-window.ts). That is safe for
 * everything an event does: messages keep their deterministic uuid, which Feishu deduplicates
 * for an hour, and every change to a measure is guarded in its own transaction.
 */
export const inboxClaimWindow = (deps: Deps) => claimWindow(deps.clock.now(), deps.config.workLeaseMs, deps.holderId);

/**
 * Runs a stored event after its ack: in the process's ack-first queue where there is one
 * (Node), else as background work of the request (Workers' waitUntil).
 */
export function submitInboxEvent(deps: Deps, eventId: string, handle: EventHandler): void {
  if (deps.inboxQueue) deps.inboxQueue.push(eventId, () => processInboxEvent(deps, eventId, handle));
  else deps.defer(() => processInboxEvent(deps, eventId, handle));
}

/**
 * Events handed to the queue per sweep: a backlog a crash left (a burst acknowledged, not yet
 * processed) resumes at the queue's speed, not one sweep's worth a second. Those the queue
 * already holds are skipped by key.
 */
const QUEUED_RECOVERY_BATCH = 2000;

/**
 * Picks up events accepted but never finished (after a crash, a kill or a lost isolate, or
 * held by a process that died), parking first those that have no attempts left, and deletes
 * processed events older than the retention period (never shorter than the replay window needs).
 * With a queue the events join it (it skips those it already holds); without, they run here.
 */
export async function recoverInbox(deps: Deps, handle: EventHandler, limit = deps.inboxQueue ? QUEUED_RECOVERY_BATCH : 100): Promise<number> {
  const window = inboxClaimWindow(deps);
  const parked = await parkExhaustedInboxEvents(deps.db, window, MAX_EVENT_ATTEMPTS);
  for (const row of parked) await announceParked(deps, row);
  if (parked.length > 0) deps.outbox.kick();
  const ids = await listUnfinishedInboxEvents(deps.db, window, MAX_EVENT_ATTEMPTS, limit);
  for (const id of ids) {
    if (deps.inboxQueue) submitInboxEvent(deps, id, handle);
    else await processInboxEvent(deps, id, handle);
  }
  const now = deps.clock.now();
  await deleteProcessedEvents(deps.db, new Date(now.getTime() - inboxRetentionMs(deps.config.feishu.replayWindowMs)).toISOString());
  return ids.length;
}

/**
 * Says why an event was parked: in the log, to the person whose message it was (a reply with
 * a reference they can quote), and to the administrators (at most one message an hour each;
 * /status lists every parked item). Message ids are stable, so telling twice sends once.
 */
async function announceParked(deps: Deps, row: InboxEvent): Promise<void> {
  const ref = errorReference(row.eventId);
  deps.log.error('event parked: no attempts left, it will not run again', {
    eventId: row.eventId,
    type: row.eventType,
    attempts: row.attempts,
    ref,
    reason: row.lastError,
  });
  const now = deps.clock.now();
  const text = (t: string) => ({ msgType: 'text' as const, content: JSON.stringify({ text: t }) });
  const asker = askerOf(row);
  if (asker) {
    await enqueueMessage(
      deps.db,
      {
        kind: 'reply',
        replyTo: asker.messageId,
        chatId: asker.chatId,
        uuid: stableId('parked', row.eventId),
        ...text(`抱歉，您的这条消息已尝试处理 ${row.attempts} 次仍未成功，系统已停止处理并通知管理员。如需查询，请提供参考编号：${ref}`),
      },
      now,
    );
  }
  const hour = now.toISOString().slice(0, 13);
  for (const admin of await listPeopleWithRole(deps.db, ['admin'])) {
    if (!admin.openId) continue;
    await enqueueMessage(
      deps.db,
      {
        kind: 'create',
        receiveIdType: 'open_id',
        receiveId: admin.openId,
        uuid: stableId('parked-admin', admin.openId, hour),
        ...text(
          `一项任务（${workLabel('inbox', row.eventType)}）尝试处理 ${row.attempts} 次仍未成功，已停止自动重试（参考编号 ${ref}）。发送 /status 可查看所有搁置的任务。`,
        ),
      },
      now,
    );
  }
}

/** The message a person sent the bot, if the parked event is one (group chatter not addressed to the bot is not). */
function askerOf(row: InboxEvent): { messageId: string; chatId: string } | undefined {
  if (row.eventType !== 'im.message.receive_v1') return undefined;
  let event: IncomingEvent;
  try {
    event = deserializeEvent(row.payload);
  } catch {
    return undefined;
  }
  const m = MessageReceiveSchema.safeParse(event.event);
  if (!m.success || m.data.sender.sender_type !== 'user') return undefined;
  const addressed = m.data.message.chat_type === 'p2p' || (m.data.message.mentions ?? []).some((x) => x.mentioned_type === 'bot');
  return addressed ? { messageId: m.data.message.message_id, chatId: m.data.message.chat_id } : undefined;
}
