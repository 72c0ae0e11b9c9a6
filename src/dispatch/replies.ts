import type { Reply } from '../../commands/types.js';
import type { OutboundMessage } from '../feishu/outbox.js';

/** How a reply reaches the user: as an answer to their message, or to a chat or person. */
export type ReplyTarget = { replyTo: string } | { chatId: string } | { openId: string };

export function replyToOutbound(reply: Reply, target: ReplyTarget, uuid: string): OutboundMessage {
  const body =
    reply.kind === 'text'
      ? { msgType: 'text' as const, content: JSON.stringify({ text: reply.text }) }
      : reply.kind === 'file'
        ? { msgType: 'file' as const, content: JSON.stringify({ file_key: reply.fileKey }) }
        : { msgType: 'interactive' as const, content: JSON.stringify(reply.card) };
  const topic = reply.kind === 'card' && reply.cardRef ? `card:${JSON.stringify(reply.cardRef)}` : undefined;
  if ('replyTo' in target) return { kind: 'reply', replyTo: target.replyTo, uuid, topic, ...body };
  if ('chatId' in target) return { kind: 'create', receiveIdType: 'chat_id', receiveId: target.chatId, uuid, topic, ...body };
  return { kind: 'create', receiveIdType: 'open_id', receiveId: target.openId, uuid, topic, ...body };
}
