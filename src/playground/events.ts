/**
 * What Feishu sends a bot, built and sealed the way the platform does it: event envelopes
 * (schema 2.0), encrypted with the Encrypt Key and signed over the exact body bytes. The
 * playground posts these to /feishu/events; the tests' payload builders reuse them.
 *
 * Envelope and fields: https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case
 * Encryption and signature: https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case
 */
import { FeishuCipher, feishuSignature } from '../feishu/crypto.js';

/** The header every event carries; `create_time` is milliseconds (microseconds for card callbacks). */
export interface EnvelopeHeader {
  eventId: string;
  token: string;
  createTime: string;
  appId: string;
  tenantKey: string;
}

function header(type: string, h: EnvelopeHeader) {
  return { event_id: h.eventId, event_type: type, create_time: h.createTime, token: h.token, app_id: h.appId, tenant_key: h.tenantKey };
}

export interface MentionSpec {
  key: string;
  openId: string;
  name: string;
  type: 'user' | 'bot';
}

export interface MessageSpec {
  header: EnvelopeHeader;
  senderOpenId: string;
  senderType: 'user' | 'bot';
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  messageType: string;
  /** the message's content JSON as a string, e.g. {"text":"..."} or {"file_key":..,"file_name":..} */
  content: string;
  mentions?: MentionSpec[];
}

/** im.message.receive_v1: https://open.feishu.cn/document/server-docs/im-v1/message/events/receive */
export function messageReceivePayload(m: MessageSpec) {
  const { tenantKey } = m.header;
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', m.header),
    event: {
      sender: { sender_id: { open_id: m.senderOpenId }, sender_type: m.senderType, tenant_key: tenantKey },
      message: {
        message_id: m.messageId,
        create_time: m.header.createTime,
        chat_id: m.chatId,
        chat_type: m.chatType,
        message_type: m.messageType,
        content: m.content,
        mentions: m.mentions?.map((x) => ({
          key: x.key,
          id: { open_id: x.openId, union_id: `on_${x.openId.slice(3)}` },
          name: x.name,
          mentioned_type: x.type,
          tenant_key: tenantKey,
        })),
      },
    },
  };
}

export interface CardActionSpec {
  header: EnvelopeHeader;
  operatorOpenId: string;
  /** event.token: the card-update token, valid for delayed updates of this card */
  cardToken: string;
  value: unknown;
  tag: string;
  name?: string;
  formValue?: Record<string, unknown>;
  messageId: string;
  chatId: string;
}

/** card.action.trigger: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication */
export function cardActionPayload(a: CardActionSpec) {
  return {
    schema: '2.0',
    header: header('card.action.trigger', a.header),
    event: {
      operator: { tenant_key: a.header.tenantKey, open_id: a.operatorOpenId, union_id: `on_${a.operatorOpenId.slice(3)}` },
      token: a.cardToken,
      action: { value: a.value, tag: a.tag, timezone: 'Asia/Shanghai', name: a.name, form_value: a.formValue },
      host: 'im_message',
      context: { open_message_id: a.messageId, open_chat_id: a.chatId },
    },
  };
}

/** im.chat.member.bot.added_v1: https://open.feishu.cn/document/server-docs/group/chat-member/event/added-2 */
export function botAddedPayload(b: { header: EnvelopeHeader; chatId: string; chatName: string; operatorOpenId: string }) {
  return {
    schema: '2.0',
    header: header('im.chat.member.bot.added_v1', b.header),
    event: {
      chat_id: b.chatId,
      name: b.chatName,
      external: false,
      operator_id: { open_id: b.operatorOpenId, union_id: `on_${b.operatorOpenId.slice(3)}` },
      operator_tenant_key: b.header.tenantKey,
    },
  };
}

export interface SealedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SealOptions {
  encryptKey: string;
  /** false: no signature headers (as for the url_verification challenge) */
  sign?: boolean;
  timestamp?: string;
  nonce?: string;
  /** changes the body after encryption and before signing (tests forge requests with it) */
  bodyTransform?: (body: string) => string;
}

/** Encrypts the payload into {"encrypt": ...} and signs the exact body, as the platform does. */
export async function sealEvent(payload: unknown, o: SealOptions): Promise<SealedRequest> {
  const encrypt = await new FeishuCipher(o.encryptKey).encrypt(JSON.stringify(payload));
  const body = (o.bodyTransform ?? ((s) => s))(JSON.stringify({ encrypt }));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (o.sign !== false) {
    const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? crypto.randomUUID();
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = await feishuSignature(timestamp, nonce, o.encryptKey, body);
  }
  return { body, headers };
}

/** A random secret for the local door (hex), from WebCrypto. */
export function randomSecret(bytes = 16): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}
