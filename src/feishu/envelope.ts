import { z } from 'zod';

/** Platform payloads, parsed at the boundary. Unknown fields are kept, never trusted. */

export const ChallengeSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string(),
  token: z.string().optional(),
});

const V2Schema = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: z.string().min(1),
    event_type: z.string().min(1),
    token: z.string().optional(),
    create_time: z.string().optional(),
    app_id: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()).default({}),
});

const V1Schema = z.object({
  uuid: z.string().min(1),
  token: z.string().optional(),
  ts: z.string().optional(),
  type: z.literal('event_callback'),
  event: z.object({ type: z.string().min(1) }).catchall(z.unknown()),
});

export interface IncomingEvent {
  id: string;
  type: string;
  /** the verification token the envelope carries */
  token?: string;
  createdAt?: Date;
  event: Record<string, unknown>;
}

/** create_time comes as 13 (ms) or 16 (µs) digits depending on the event; the 1.0 `ts` as seconds with a fraction. */
export function parseCreateTime(v: string | undefined): Date | undefined {
  if (v && /^\d{1,10}\.\d+$/.test(v)) return new Date(Number(v) * 1000);
  if (!v || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  const ms = v.length >= 16 ? n / 1000 : v.length <= 10 ? n * 1000 : n;
  return new Date(ms);
}

export function parseEnvelope(body: unknown): IncomingEvent | undefined {
  const v2 = V2Schema.safeParse(body);
  if (v2.success) {
    const h = v2.data.header;
    return { id: h.event_id, type: h.event_type, token: h.token, createdAt: parseCreateTime(h.create_time), event: v2.data.event };
  }
  const v1 = V1Schema.safeParse(body);
  if (v1.success) {
    return { id: v1.data.uuid, type: v1.data.event.type, token: v1.data.token, createdAt: parseCreateTime(v1.data.ts), event: v1.data.event };
  }
  return undefined;
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
