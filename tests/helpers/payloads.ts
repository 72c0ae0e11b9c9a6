/** Builders for what Feishu sends us: envelopes, encrypted and signed like the platform does. */
import { randomUUID } from 'node:crypto';
import { cardActionPayload, messageReceivePayload, sealEvent, type SealedRequest } from '../../src/playground/events.js';

export const TEST_ENCRYPT_KEY = 'duban-test-encrypt-key';
export const TEST_VERIFICATION_TOKEN = 'duban-test-verification-token';
const APP_ID = 'cli_a1b2c3d4e5f60718';
const TENANT = 'tenant_test';

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
  const now = String(Date.now());
  return messageReceivePayload({
    header: { eventId: o.eventId ?? nextId('ev'), token: o.token ?? TEST_VERIFICATION_TOKEN, createTime: now, appId: APP_ID, tenantKey: TENANT },
    senderOpenId: o.openId ?? 'ou_owner0000000000000000000000001',
    senderType: o.senderType ?? 'user',
    messageId: o.messageId ?? nextId('om_'),
    chatId: o.chatId ?? (o.chatType === 'group' ? 'oc_group000000000000000000000001' : 'oc_p2p0000000000000000000000000001'),
    chatType: o.chatType ?? 'p2p',
    messageType: o.messageType ?? 'text',
    content: o.content ?? JSON.stringify({ text: o.text }),
    mentions: o.mentions?.map((m) => ({ key: m.key, openId: m.openId, name: m.name ?? m.openId, type: m.type ?? 'user' })),
  });
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
  return cardActionPayload({
    header: {
      eventId: o.eventId ?? nextId('ev'),
      token: o.token ?? TEST_VERIFICATION_TOKEN,
      createTime: String(Date.now() * 1000),
      appId: APP_ID,
      tenantKey: TENANT,
    },
    operatorOpenId: o.openId,
    cardToken: o.cardToken ?? `c-${randomUUID()}`,
    value: o.value,
    tag: o.tag ?? 'button',
    name: o.name,
    formValue: o.formValue,
    messageId: o.messageId ?? nextId('om_'),
    chatId: o.chatId ?? 'oc_p2p0000000000000000000000000001',
  });
}

export function challengeBody(challenge: string, token = TEST_VERIFICATION_TOKEN) {
  return { type: 'url_verification', challenge, token };
}

export type SignedRequest = SealedRequest;

/** Encrypts the payload and signs the exact body bytes, as the platform does. */
export function signedRequest(
  payload: unknown,
  o: { encryptKey?: string; sign?: boolean; timestamp?: string; nonce?: string; bodyTransform?: (s: string) => string } = {},
): Promise<SignedRequest> {
  return sealEvent(payload, { ...o, encryptKey: o.encryptKey ?? TEST_ENCRYPT_KEY });
}
