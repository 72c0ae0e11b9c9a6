/** Builders for what Feishu sends us: envelopes, encrypted and signed like the platform does. */
import { randomUUID } from 'node:crypto';
import { FeishuCipher, feishuSignature } from '../../src/feishu/crypto.js';

export const TEST_ENCRYPT_KEY = 'duban-test-encrypt-key';
export const TEST_VERIFICATION_TOKEN = 'duban-test-verification-token';

let seq = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(16)}${(++seq).toString(16).padStart(6, '0')}`;

export interface MessageOptions {
  text: string;
  openId?: string;
  chatType?: 'p2p' | 'group';
  chatId?: string;
  messageId?: string;
  eventId?: string;
  /** people (or the bot) mentioned; placeholders @_user_N are inserted by the caller in text */
  mentions?: Array<{ key: string; openId: string; name?: string; type?: 'user' | 'bot' }>;
  senderType?: 'user' | 'bot';
  messageType?: string;
  content?: string;
  token?: string;
}

export function messageEvent(o: MessageOptions) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: o.token ?? TEST_VERIFICATION_TOKEN,
      app_id: 'cli_a1b2c3d4e5f60718',
      tenant_key: 'tenant_test',
    },
    event: {
      sender: { sender_id: { open_id: o.openId ?? 'ou_owner0000000000000000000000001' }, sender_type: o.senderType ?? 'user', tenant_key: 'tenant_test' },
      message: {
        message_id: o.messageId ?? nextId('om_'),
        create_time: String(Date.now()),
        chat_id: o.chatId ?? (o.chatType === 'group' ? 'oc_group000000000000000000000001' : 'oc_p2p0000000000000000000000000001'),
        chat_type: o.chatType ?? 'p2p',
        message_type: o.messageType ?? 'text',
        content: o.content ?? JSON.stringify({ text: o.text }),
        mentions: o.mentions?.map((m) => ({
          key: m.key,
          id: { open_id: m.openId, union_id: `on_${m.openId.slice(3)}` },
          name: m.name ?? m.openId,
          mentioned_type: m.type ?? 'user',
          tenant_key: 'tenant_test',
        })),
      },
    },
  };
}

export interface CardActionOptions {
  openId: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  messageId?: string;
  chatId?: string;
  eventId?: string;
  tag?: string;
  name?: string;
  token?: string;
  /** the card-update token (event.token); random when absent */
  cardToken?: string;
}

export function cardActionEvent(o: CardActionOptions) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? nextId('ev'),
      event_type: 'card.action.trigger',
      create_time: String(Date.now() * 1000),
      token: o.token ?? TEST_VERIFICATION_TOKEN,
      app_id: 'cli_a1b2c3d4e5f60718',
      tenant_key: 'tenant_test',
    },
    event: {
      operator: { tenant_key: 'tenant_test', open_id: o.openId, union_id: `on_${o.openId.slice(3)}` },
      token: o.cardToken ?? `c-${randomUUID()}`,
      action: { value: o.value, tag: o.tag ?? 'button', timezone: 'Asia/Shanghai', name: o.name, form_value: o.formValue },
      host: 'im_message',
      context: { open_message_id: o.messageId ?? nextId('om_'), open_chat_id: o.chatId ?? 'oc_p2p0000000000000000000000000001' },
    },
  };
}

export function challengeBody(challenge: string, token = TEST_VERIFICATION_TOKEN) {
  return { type: 'url_verification', challenge, token };
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Encrypts the payload and signs the exact body bytes, as the platform does. */
export async function signedRequest(
  payload: unknown,
  o: { encryptKey?: string; sign?: boolean; timestamp?: string; nonce?: string; bodyTransform?: (s: string) => string } = {},
): Promise<SignedRequest> {
  const key = o.encryptKey ?? TEST_ENCRYPT_KEY;
  const encrypt = await new FeishuCipher(key).encrypt(JSON.stringify(payload));
  const body = (o.bodyTransform ?? ((s) => s))(JSON.stringify({ encrypt }));
  const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomUUID();
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (o.sign !== false) {
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = await feishuSignature(timestamp, nonce, key, body);
  }
  return { body, headers };
}
