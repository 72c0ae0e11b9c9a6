import { escapeTextMessage } from '../../cards/escape.js';
import type { CommandOutcome, Reply } from '../../commands/types.js';
import type { Deps } from '../deps.js';
import { enqueueMessage, type OutboundMessage } from '../outbox/outbound-message.js';
import { stableId } from '../outbox/stable-id.js';
import { extensionReply } from '../views/extension.view.js';
import { measureReply } from '../views/measure.view.js';
import { getMeasure } from '../../db/queries/measures-write.js';
import { loadActor } from '../../db/queries/people.js';
import type { Notice } from '../services/notice.js';
import { refreshMeasureCards } from './live-cards.js';

/** How a reply reaches the user: as an answer to their message, or to a chat or person. */
export type ReplyTarget = { replyTo: string; chatId?: string } | { chatId: string } | { openId: string };

export function replyToOutbound(reply: Reply, target: ReplyTarget, uuid: string): OutboundMessage {
  const body =
    reply.kind === 'text'
      ? // Text messages turn <at ...> into pings and [x](url) into links: nothing we send may.
        { msgType: 'text' as const, content: JSON.stringify({ text: escapeTextMessage(reply.text) }) }
      : reply.kind === 'file'
        ? { msgType: 'file' as const, content: JSON.stringify({ file_key: reply.fileKey }) }
        : { msgType: 'interactive' as const, content: JSON.stringify(reply.card) };
  const cardRef = reply.kind === 'card' ? reply.cardRef : undefined;
  if ('replyTo' in target) return { kind: 'reply', replyTo: target.replyTo, chatId: target.chatId, uuid, cardRef, ...body };
  if ('chatId' in target) return { kind: 'create', receiveIdType: 'chat_id', receiveId: target.chatId, uuid, cardRef, ...body };
  return { kind: 'create', receiveIdType: 'open_id', receiveId: target.openId, uuid, cardRef, ...body };
}

/**
 * Writes a command's replies (to the asker) and notices (to others) to the outbox. uuids are
 * derived from the triggering message or action and the notice keys, so a re-run sends nothing twice.
 */
export async function deliverOutcome(deps: Deps, outcome: CommandOutcome, target: ReplyTarget, origin: string, exceptMessageId?: string): Promise<void> {
  const now = deps.clock.now();
  for (const [i, reply] of outcome.replies.entries()) {
    await enqueueMessage(deps.db, replyToOutbound(reply, target, stableId('re', origin, i)), now);
  }
  for (const notice of outcome.notices) {
    const to = { openId: notice.toOpenId };
    await enqueueMessage(deps.db, replyToOutbound({ kind: 'text', text: notice.text }, to, stableId('nt', notice.key)), now);
    const card = await noticeCard(deps, notice);
    if (card) await enqueueMessage(deps.db, replyToOutbound(card, to, stableId('nc', notice.key)), now);
  }
  if (outcome.changed?.length) await refreshMeasureCards(deps, outcome.changed, exceptMessageId);
}

/** The card that goes with a notice, rendered with the recipient's own buttons. */
async function noticeCard(deps: Deps, notice: Notice): Promise<Reply | undefined> {
  if (!notice.card) return undefined;
  const recipient = await loadActor(deps.db, notice.toOpenId);
  if (notice.card.kind === 'extension') return extensionReply(deps, recipient, notice.card.requestId);
  const measure = notice.measureId ? await getMeasure(deps.db, notice.measureId) : undefined;
  return measure ? measureReply(deps, { viewer: recipient }, measure) : undefined;
}
