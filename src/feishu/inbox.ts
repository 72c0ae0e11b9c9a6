import type { Deps } from '../deps.js';
import { claimInboxEvent, completeInboxEvent, deleteProcessedEvents, failInboxEvent, listUnfinishedInboxEvents } from '../../db/queries/inbox.js';
import type { IncomingEvent } from './envelope.js';

export const MAX_EVENT_ATTEMPTS = 3;
/**
 * Processed events are kept this long for deduplication, far beyond Feishu's redelivery window
 * (about 7 hours), then deleted so the inbox does not grow without end.
 */
export const INBOX_RETENTION_MS = 7 * 24 * 3600_000;

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
 * Processes one stored event if nobody else holds it. Errors are logged and recorded;
 * the event is retried (up to MAX_EVENT_ATTEMPTS) by the recovery sweep.
 */
export async function processInboxEvent(deps: Deps, eventId: string, handle: EventHandler): Promise<void> {
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - deps.config.workLeaseMs).toISOString();
  const row = await claimInboxEvent(deps.db, eventId, now.toISOString(), staleBefore);
  if (!row) return;
  try {
    await handle(deps, deserializeEvent(row.payload));
    await completeInboxEvent(deps.db, eventId, deps.clock.now().toISOString());
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    deps.log.error('event processing failed', { eventId, type: row.eventType, attempt: row.attempts, error });
    await failInboxEvent(deps.db, eventId, error, deps.clock.now().toISOString(), MAX_EVENT_ATTEMPTS);
  } finally {
    deps.outbox.kick();
  }
}

/**
 * Picks up events accepted but never finished (after a crash, a kill or a lost isolate), and
 * deletes processed events older than the retention period.
 */
export async function recoverInbox(deps: Deps, handle: EventHandler, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const ids = await listUnfinishedInboxEvents(deps.db, new Date(now.getTime() - deps.config.workLeaseMs).toISOString(), limit);
  for (const id of ids) await processInboxEvent(deps, id, handle);
  await deleteProcessedEvents(deps.db, new Date(now.getTime() - INBOX_RETENTION_MS).toISOString());
  return ids.length;
}
