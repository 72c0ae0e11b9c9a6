import { z } from 'zod';

/**
 * What the transport hands over once a request is verified: an event, and the payloads of the
 * events and callbacks duban handles, parsed where they are used. Unknown fields are kept, never
 * trusted.
 */

export interface IncomingEvent {
  id: string;
  type: string;
  /** the verification token the envelope carries */
  token?: string;
  createdAt?: Date;
  event: Record<string, unknown>;
}

const MentionSchema = z.object({
  key: z.string(),
  id: z.object({ open_id: z.string().optional(), union_id: z.string().optional(), user_id: z.string().optional() }).default({}),
  name: z.string().optional(),
  mentioned_type: z.string().optional(),
});
export type Mention = z.infer<typeof MentionSchema>;

export const MessageReceiveSchema = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: z.string().optional(), union_id: z.string().optional(), user_id: z.string().optional() }).default({}),
    sender_type: z.string(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    create_time: z.string().optional(),
    parent_id: z.string().optional(),
    root_id: z.string().optional(),
    mentions: z.array(MentionSchema).optional(),
  }),
});
export type MessageReceive = z.infer<typeof MessageReceiveSchema>;

export const CardActionSchema = z.object({
  operator: z.object({ open_id: z.string().min(1), union_id: z.string().optional(), user_id: z.string().optional() }),
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    tag: z.string().optional(),
    name: z.string().optional(),
    timezone: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    input_value: z.string().optional(),
    option: z.string().optional(),
    options: z.array(z.string()).optional(),
    checked: z.boolean().optional(),
  }),
  host: z.string().optional(),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).default({}),
});
export type CardAction = z.infer<typeof CardActionSchema>;

export const BotChatEventSchema = z.object({
  chat_id: z.string().min(1),
  operator_id: z.object({ open_id: z.string().optional() }).default({}),
  name: z.string().optional(),
});

/** Event types duban stores and processes; anything else is acknowledged and logged. */
export const HANDLED_EVENT_TYPES = new Set([
  'im.message.receive_v1',
  'im.chat.member.bot.added_v1',
  'im.chat.member.bot.deleted_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
  'application.bot.menu_v6',
  'p2p_chat_create',
]);
export const CARD_ACTION_EVENT_TYPE = 'card.action.trigger';
