import type { Context } from 'hono';
import type { Deps } from '../deps.js';
import { claimInboxEvent, completeInboxEvent, insertInboxEvent } from '../../db/queries/inbox.js';
import { CARD_ACTION_EVENT_TYPE, HANDLED_EVENT_TYPES, type IncomingEvent } from './envelope.js';
import { inboxClaimWindow, MAX_EVENT_ATTEMPTS, serializeEvent, submitInboxEvent, type EventHandler } from './inbox.js';
import type { Ingress } from './ingress.js';
import { readAtMost } from './bounded-read.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Feishu waits 3 s for a card callback; answer before that even if the work is slow. */
const CARD_ANSWER_BUDGET_MS = 2500;

export type CardActionHandler = (deps: Deps, event: IncomingEvent) => Promise<Record<string, unknown>>;

export interface WebhookHandlers {
  onEvent: EventHandler;
  onCardAction: CardActionHandler;
}

function messageIdOf(event: IncomingEvent): string | undefined {
  const m = (event.event as { message?: { message_id?: unknown } }).message;
  return typeof m?.message_id === 'string' ? m.message_id : undefined;
}

/**
 * POST /feishu/events: verify, persist, acknowledge, then work. The ack never waits on the
 * Feishu API; card callbacks are the exception because their answer is the updated card.
 */
export function createWebhookRoute(deps: Deps, ingress: Ingress, handlers: WebhookHandlers) {
  return async (c: Context) => {
    // Processing of earlier events gives way while this request is being acknowledged.
    const acked = deps.inboxQueue?.ackStarted();
    try {
      return await acknowledge(c);
    } finally {
      acked?.();
    }
  };

  async function acknowledge(c: Context) {
    const raw = await readBody(c);
    if (raw === undefined) return c.json({ error: 'payload too large' }, 413);
    const result = await ingress.verify(raw, {
      timestamp: c.req.header('x-lark-request-timestamp'),
      nonce: c.req.header('x-lark-request-nonce'),
      signature: c.req.header('x-lark-signature'),
    });
    if (result.kind === 'reject') {
      deps.log.warn('feishu request rejected', { status: result.status, reason: result.reason });
      return c.json({ error: result.reason }, result.status);
    }
    if (result.kind === 'challenge') return c.json({ challenge: result.challenge });

    const event = result.event;
    const now = deps.clock.now().toISOString();
    if (event.type === CARD_ACTION_EVENT_TYPE) return c.json(await answerCardAction(deps, event, now, handlers.onCardAction));

    if (!HANDLED_EVENT_TYPES.has(event.type)) {
      deps.log.info('event type not handled, acknowledged', { type: event.type, eventId: event.id });
      return c.json({});
    }
    if (neverActedOn(event)) return c.json({});
    const fresh = await insertInboxEvent(deps.db, {
      eventId: event.id,
      messageId: event.type === 'im.message.receive_v1' ? messageIdOf(event) : undefined,
      eventType: event.type,
      payload: serializeEvent(event),
      receivedAt: now,
    });
    if (!fresh) {
      deps.log.debug('duplicate delivery acknowledged', { eventId: event.id });
      return c.json({});
    }
    submitInboxEvent(deps, event.id, handlers.onEvent);
    return c.json({});
  }
}

/**
 * Messages the bot will not act on are answered without being stored: those not sent by a
 * person (its own and other bots' messages), and group messages that mention nobody (a message
 * addressed to the bot in a group always mentions it). Everything else is stored first.
 */
function neverActedOn(event: IncomingEvent): boolean {
  if (event.type !== 'im.message.receive_v1') return false;
  const e = event.event as { sender?: { sender_type?: unknown }; message?: { chat_type?: unknown; mentions?: unknown } };
  if (e.sender?.sender_type !== undefined && e.sender.sender_type !== 'user') return true;
  const mentions = e.message?.mentions;
  return e.message?.chat_type === 'group' && !(Array.isArray(mentions) && mentions.length > 0);
}

/**
 * The raw body (the signature covers its exact bytes), or undefined when it exceeds 1 MiB.
 * With a Content-Length (Feishu always sends one) the size is known up front and the body is
 * read in one go, which on Node avoids building a web stream; without one it is streamed
 * with a running count.
 */
async function readBody(c: Context): Promise<string | undefined> {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared)) {
    if (declared > MAX_BODY_BYTES) return undefined;
    const text = await c.req.text();
    return text.length > MAX_BODY_BYTES ? undefined : text;
  }
  const body = c.req.raw.body;
  if (!body) return '';
  const all = await readAtMost(body, MAX_BODY_BYTES);
  return all && new TextDecoder().decode(all);
}

async function answerCardAction(deps: Deps, event: IncomingEvent, now: string, handle: CardActionHandler): Promise<Record<string, unknown>> {
  const fresh = await insertInboxEvent(deps.db, { eventId: event.id, eventType: event.type, payload: serializeEvent(event), receivedAt: now });
  if (!fresh) return {};
  await claimInboxEvent(deps.db, event.id, inboxClaimWindow(deps), MAX_EVENT_ATTEMPTS);
  const work = handle(deps, event)
    .catch((e): Record<string, unknown> => {
      deps.log.error('card action failed', { eventId: event.id, error: e instanceof Error ? e.message : String(e) });
      return { toast: { type: 'error', content: '操作未完成，请稍后重试' } };
    })
    .finally(() => {
      deps.outbox.kick();
      return completeInboxEvent(deps.db, event.id, deps.clock.now().toISOString());
    });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Record<string, unknown>>((resolve) => {
    timer = setTimeout(() => resolve({ toast: { type: 'info', content: '正在处理，请稍候查看' } }), CARD_ANSWER_BUDGET_MS);
  });
  const answer = await Promise.race([work, late]);
  clearTimeout(timer);
  deps.defer(() => work);
  return answer;
}
