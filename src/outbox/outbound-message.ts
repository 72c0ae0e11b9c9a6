/**
 * What the rest of duban asks Feishu to send, as the outbox stores it. Dispatch, jobs and the
 * delivery loop (src/feishu/outbox.ts) meet here: writing a message is a database insert that a
 * later delivery picks up, so nothing here talks to Feishu.
 */
import type { Db } from '../../db/database.js';
import { enqueueOutbox, type NewOutboxRow } from '../../db/queries/outbox.js';
import type { CardRef } from '../../db/schema.js';
import { previewContent } from '../../cards/preview.js';

export type { CardRef };

/** How Feishu names a message's recipient (receive_id_type of im/v1/messages). */
export type ReceiveIdType = 'open_id' | 'chat_id' | 'email' | 'union_id' | 'user_id';

export type OutboundMessage = {
  uuid: string;
  content: string;
  msgType: 'text' | 'interactive' | 'file';
  /** what the message is about, for the jobs that look their messages up (reminder:2025-10-09) */
  topic?: string;
  /** a card's reference, remembered in card_messages once it is sent so later changes can update it */
  cardRef?: CardRef;
} & (
  | { kind: 'create'; receiveIdType: ReceiveIdType; receiveId: string }
  | { kind: 'reply'; replyTo: string /** the chat the reply lands in: it counts against that chat's limit */; chatId?: string }
  | { kind: 'patch'; messageId: string }
  | { kind: 'card_update'; token: string }
);

/** Whom the platform's 5 messages/s limit counts a message against. */
function rateKeyOf(m: OutboundMessage): string {
  switch (m.kind) {
    case 'create':
      return `${m.receiveIdType}:${m.receiveId}`;
    case 'reply':
      return m.chatId ? `chat_id:${m.chatId}` : `reply:${m.replyTo}`;
    case 'patch':
      return `message:${m.messageId}`;
    case 'card_update':
      return `token:${m.token}`;
  }
}

function toRow(m: OutboundMessage, now: string): NewOutboxRow {
  const target =
    m.kind === 'create'
      ? { receiveIdType: m.receiveIdType, receiveId: m.receiveId }
      : m.kind === 'reply'
        ? { receiveIdType: 'message_id', receiveId: m.replyTo }
        : m.kind === 'patch'
          ? { receiveIdType: 'message_id', receiveId: m.messageId }
          : { receiveIdType: 'card_token', receiveId: m.token };
  return {
    uuid: m.uuid,
    kind: m.kind,
    ...target,
    msgType: m.msgType,
    content: m.content,
    preview: previewContent(m.msgType, m.content).slice(0, 2000),
    topic: m.topic ?? null,
    cardRef: m.cardRef ?? null,
    rateKey: rateKeyOf(m),
    nextAttemptAt: now,
    createdAt: now,
  };
}

/** Writes a message to the outbox; a second message with the same uuid is ignored. */
export function enqueueMessage(db: Db, message: OutboundMessage, now: Date): Promise<boolean> {
  if (message.uuid.length > 50) throw new Error(`message uuid longer than 50 characters: ${message.uuid}`);
  return enqueueOutbox(db, toRow(message, now.toISOString()));
}
