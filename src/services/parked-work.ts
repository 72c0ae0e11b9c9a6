import type { ServiceDeps } from '../deps.js';
import { listFailedInboxEvents } from '../../db/queries/inbox.js';
import { listFailedOutbox } from '../../db/queries/outbox.js';
import { interruptionsIn } from '../../db/queries/work-attempts.js';
import { EVENT_LABELS, MESSAGE_LABELS } from '../domain/labels.js';
import { errorReference } from './errors.js';

/**
 * Work that used all its attempts and was parked as failed: received events that could not be
 * processed and messages that could not be sent. Administrators see it in /status.
 */

export type WorkSource = 'inbox' | 'outbox';

export interface ParkedItem {
  source: WorkSource;
  /** what it was, in Chinese */
  label: string;
  /** when it was parked (ISO) */
  at: string;
  attempts: number;
  /** why, in Chinese (the technical error is quoted, shortened) */
  reason: string;
  /** the reference the person was given, also in the log line */
  ref: string;
}

export interface ParkedWork {
  total: number;
  events: number;
  messages: number;
  /** the most recently parked, newest first */
  latest: ParkedItem[];
}

/** What a piece of work was, in words an administrator reads. */
export function workLabel(source: WorkSource, type: string): string {
  return (source === 'inbox' ? EVENT_LABELS : MESSAGE_LABELS)[type] ?? `${source === 'inbox' ? '事件' : '消息'} ${type}`;
}

function reasonOf(source: WorkSource, lastError: string | null): string {
  const interrupted = interruptionsIn(lastError);
  const doing = source === 'inbox' ? '处理' : '发送';
  if (interrupted !== undefined) return `${doing}时程序中断 ${interrupted} 次`;
  const error = (lastError ?? '').replace(/\s+/g, ' ').trim();
  if (!error) return `${doing}未成功`;
  return `${doing}出错：${error.length > 80 ? `${error.slice(0, 79)}…` : error}`;
}

/**
 * Parked in the last PARKED_WORK_DAYS: recent enough to act on. Older failures stay in the
 * database and the log, but a count that only ever grows would soon be read past.
 */
export const PARKED_WORK_DAYS = 30;

export async function listParkedWork(deps: Pick<ServiceDeps, 'db' | 'clock'>, limit = 5): Promise<ParkedWork> {
  const since = new Date(deps.clock.now().getTime() - PARKED_WORK_DAYS * 24 * 3600_000).toISOString();
  const [events, messages] = await Promise.all([listFailedInboxEvents(deps.db, since, limit), listFailedOutbox(deps.db, since, limit)]);
  const items: ParkedItem[] = [
    ...events.latest.map((e) => ({
      source: 'inbox' as const,
      label: workLabel('inbox', e.eventType),
      at: e.failedAt ?? e.processedAt ?? e.receivedAt,
      attempts: e.attempts,
      reason: reasonOf('inbox', e.lastError),
      ref: errorReference(e.eventId),
    })),
    ...messages.latest.map((m) => ({
      source: 'outbox' as const,
      label: workLabel('outbox', m.kind),
      at: m.failedAt ?? m.createdAt,
      attempts: m.attempts,
      reason: reasonOf('outbox', m.lastError),
      ref: errorReference(m.uuid),
    })),
  ];
  items.sort((a, b) => b.at.localeCompare(a.at));
  return { total: events.total + messages.total, events: events.total, messages: messages.total, latest: items.slice(0, limit) };
}
