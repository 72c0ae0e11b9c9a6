/**
 * What every card action shares: the answer's pieces (toast, card), form values, user errors
 * turned into an error toast, and the work that follows an answer.
 */
import type { CommandOutcome, Reply } from '../../views/reply.js';
import { stableId } from '../../outbox/stable-id.js';
import { enqueueMessage } from '../../outbox/outbound-message.js';
import { UserError } from '../../services/errors.js';
import type { CardActionContext, CardAnswer } from '../card-actions.js';
import { deliverOutcome, replyToOutbound } from '../replies.js';

export const toast = (type: NonNullable<CardAnswer['toast']>['type'], content: string) => ({ type, content });
export const asCard = (reply: Reply): CardAnswer['card'] | undefined => (reply.kind === 'card' ? { type: 'raw', data: reply.card } : undefined);

export const MISMATCH = '卡片内容与记录不一致，操作未执行。';
export const PRIVATE_CHAT = '您与整改督办助手的单聊';

/** A form field's text as submitted, trimmed; empty when absent. */
export function formText(ctx: CardActionContext, name: string): string {
  const v = ctx.action.action.form_value?.[name];
  return typeof v === 'string' ? v.trim() : '';
}

/** The idempotency key of this callback: a redelivered click has one effect. */
export const actionKey = (ctx: CardActionContext) => `card:${ctx.eventId}`;

/**
 * Runs an action; a refusal the services explain (UserError) becomes an error toast with the card
 * as it now is. Anything else propagates to the router, which apologises with a reference id.
 */
export async function refusalsAsToast(run: () => Promise<CardAnswer>, redraw: () => Promise<CardAnswer['card']>): Promise<CardAnswer> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { toast: toast('error', e.message), card: await redraw() };
  }
}

/**
 * Notices and updates of the measure's other cards are written after the callback is answered:
 * the answer has 3 seconds and needs neither. The outbox is the durable part, so a crash in
 * between loses at most these (the change itself is already committed).
 */
export function afterAnswer(ctx: CardActionContext, outcome: CommandOutcome, exceptMessageId?: string): void {
  ctx.deps.defer(async () => {
    await deliverOutcome(ctx.deps, outcome, { openId: ctx.actor.openId }, `card:${ctx.eventId}`, exceptMessageId);
    ctx.deps.outbox.kick();
  });
}

/** Sends a reply to the presser's private chat with the bot, once per callback. */
export async function sendPrivately(ctx: CardActionContext, reply: Reply, kind: string): Promise<void> {
  await enqueueMessage(ctx.deps.db, replyToOutbound(reply, { openId: ctx.actor.openId }, stableId(kind, ctx.eventId)), ctx.deps.clock.now());
  ctx.deps.outbox.kick();
}
