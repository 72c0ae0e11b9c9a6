import type { Deps } from '../deps.js';
import { claimInboxEvent, completeInboxEvent, insertInboxEvent } from '../../db/queries/inbox.js';
import { CARD_ACTION_EVENT_TYPE, CardActionSchema, HANDLED_EVENT_TYPES, type IncomingEvent } from '../dispatch/incoming-events.js';
import { inboxClaimWindow, MAX_EVENT_ATTEMPTS, serializeEvent, submitInboxEvent, type EventHandler } from './inbox.js';
import { enqueueMessage } from '../outbox/outbound-message.js';
import { stableId } from '../outbox/stable-id.js';
import { errorReference } from '../services/errors.js';
import { describeError } from '../logger.js';

/**
 * What happens to an event once its door has established that Feishu sent it: the webhook after
 * the signature, decryption and token checks, the long connection after the SDK decoded its
 * frames. Both doors answer Feishu with what `accept` returns, so both persist before
 * acknowledging, dedupe on event_id and message_id, and answer card callbacks in the same budget.
 */

/** Feishu waits 3 s for a card callback; answer before that even if the work is slow. */
export const CARD_ANSWER_BUDGET_MS = 2500;

export type CardActionHandler = (deps: Deps, event: IncomingEvent) => Promise<Record<string, unknown>>;

export interface EventHandlers {
  onEvent: EventHandler;
  onCardAction: CardActionHandler;
}

export interface AcceptOptions {
  /** how long a card callback waits for its handler before answering as pending */
  cardAnswerBudgetMs?: number;
}

function messageIdOf(event: IncomingEvent): string | undefined {
  const m = (event.event as { message?: { message_id?: unknown } }).message;
  return typeof m?.message_id === 'string' ? m.message_id : undefined;
}

/** Answers one verified event: the body Feishu receives (`{}`, or a card callback's toast and card). */
export type AcceptEvent = (event: IncomingEvent) => Promise<Record<string, unknown>>;

/**
 * Persist, acknowledge, then work. The answer never waits on the Feishu API; card callbacks are
 * the exception because their answer is the updated card. A failure to store throws, so the door
 * does not acknowledge (HTTP 500, or code 500 in the long connection's response frame) and
 * Feishu delivers the event again.
 */
export function createEventAcceptor(deps: Deps, handlers: EventHandlers, options: AcceptOptions = {}): AcceptEvent {
  const cardAnswerBudgetMs = options.cardAnswerBudgetMs ?? CARD_ANSWER_BUDGET_MS;
  return async (event) => {
    const now = deps.clock.now().toISOString();
    if (event.type === CARD_ACTION_EVENT_TYPE) return answerCardAction(deps, event, now, handlers.onCardAction, cardAnswerBudgetMs);

    if (!HANDLED_EVENT_TYPES.has(event.type)) {
      deps.log.info('event type not handled, acknowledged', { type: event.type, eventId: event.id });
      return {};
    }
    if (neverActedOn(event)) return {};
    const fresh = await insertInboxEvent(deps.db, {
      eventId: event.id,
      messageId: event.type === 'im.message.receive_v1' ? messageIdOf(event) : undefined,
      eventType: event.type,
      payload: serializeEvent(event),
      receivedAt: now,
    });
    if (!fresh) {
      deps.log.debug('duplicate delivery acknowledged', { eventId: event.id });
      return {};
    }
    submitInboxEvent(deps, event.id, handlers.onEvent);
    return {};
  };
}

/**
 * Runs one acknowledgement: processing of earlier events gives way while it is under way (see
 * ack-first-queue.ts), whichever door it came through.
 */
export async function whileAcknowledging<T>(deps: Deps, ack: () => Promise<T>): Promise<T> {
  const acked = deps.inboxQueue?.ackStarted();
  try {
    return await ack();
  } finally {
    acked?.();
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

const PENDING_TOAST = { toast: { type: 'info', content: '正在处理，请稍候查看' } };
/** The reference is the one logged with the failure, so a user who quotes it can be found. */
const failedToast = (ref: string) => ({ toast: { type: 'error', content: `操作未完成（编号 ${ref}），请稍后重试或联系整改办。` } });

type CardOutcome = { answer: Record<string, unknown> } | { error: unknown };

/**
 * Answers a card callback within the budget. A handler that finishes in time answers with its
 * toast and card. One that does not gets the pending toast at once; when it finishes, the card
 * it produced goes to the clicked message as a delayed update (see enqueueLateCard).
 *
 * The budget is wall time, not `deps.clock`: Feishu's 3 s timer runs on real time, and the
 * pinned clock tests use resolves `sleep` at once, which would make every callback "late".
 */
async function answerCardAction(deps: Deps, event: IncomingEvent, now: string, handle: CardActionHandler, budgetMs: number): Promise<Record<string, unknown>> {
  const fresh = await insertInboxEvent(deps.db, { eventId: event.id, eventType: event.type, payload: serializeEvent(event), receivedAt: now });
  if (!fresh) return {};
  await claimInboxEvent(deps.db, event.id, inboxClaimWindow(deps), MAX_EVENT_ATTEMPTS);
  const outcome: Promise<CardOutcome> = handle(deps, event).then(
    (answer) => ({ answer }),
    (e: unknown) => ({ error: e }),
  );
  const finish = async () => {
    deps.outbox.kick();
    await completeInboxEvent(deps.db, event.id, deps.clock.now().toISOString());
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  const first = await Promise.race([outcome, late]);
  clearTimeout(timer);
  if (first !== 'late') {
    await finish();
    if ('answer' in first) return first.answer;
    const ref = errorReference(event.id);
    deps.log.error('card action failed', { eventId: event.id, ref, error: describeError(first.error) });
    return failedToast(ref);
  }
  deps.log.info('card action slower than the answer budget, answered as pending', { eventId: event.id, budgetMs });
  deps.defer(async () => {
    const o = await outcome;
    try {
      if ('answer' in o) await enqueueLateCard(deps, event, o.answer);
      // The clicked card stays as it was: the action did not complete, and a toast can no longer be shown.
      else
        deps.log.error('card action failed after the callback was answered', {
          eventId: event.id,
          ref: errorReference(event.id),
          error: describeError(o.error),
        });
    } finally {
      await finish();
    }
  });
  return PENDING_TOAST;
}

/**
 * Delivers the card a late handler produced through the outbox (retried, rate limited) as a
 * delayed card update, keyed on the event so a second run enqueues it once. Per 延时更新消息卡片
 * (https://open.feishu.cn/document/server-docs/im-v1/message-card/delay-update-message-card)
 * the body is {token, card} where `card` is the card JSON itself (the `data` of the callback
 * answer's {type:'raw', data}); the token is the callback's `event.token`, valid 30 minutes,
 * usable twice, and the update must come after the callback answer (it does: the answer was
 * already returned when the handler finished late). A toast-only answer sends nothing.
 */
async function enqueueLateCard(deps: Deps, event: IncomingEvent, answer: Record<string, unknown>): Promise<void> {
  const card = answer.card as { type?: unknown; data?: unknown } | undefined;
  if (!card) return;
  const token = CardActionSchema.safeParse(event.event).data?.token;
  if (card.type !== 'raw' || !card.data || typeof card.data !== 'object' || !token) {
    deps.log.warn('late card action answer cannot be delivered as a card update', { eventId: event.id, cardType: String(card.type), hasToken: Boolean(token) });
    return;
  }
  const uuid = stableId('late-card', event.id);
  await enqueueMessage(deps.db, { kind: 'card_update', token, uuid, msgType: 'interactive', content: JSON.stringify(card.data) }, deps.clock.now());
  deps.log.info('late card action answer queued as a card update', { eventId: event.id, uuid });
}
