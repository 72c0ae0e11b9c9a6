/**
 * The playground's Feishu: a FeishuClient that keeps what the bot sends (messages, replies,
 * PATCHed cards, delayed card updates, uploaded files) in chats held in memory and pushes every
 * change to the page, and the other half, what the people in the page send. Each outgoing
 * message is still logged as one summary line, as local mode does, by the local client.
 */
import { createLocalFeishuClient } from '../feishu/local-client.js';
import type { Logger } from '../logger.js';
import { ResourceTooLargeError, type FeishuClient, type OutgoingMessage, type SendOutcome } from '../port/feishu-client.js';
import type { MessageView } from './protocol.js';
import { BOT, type CastMember, type Chat, cleanName, DEFAULT_CAST, LEADING_GROUP, p2pChatId } from './cast.js';

/** A message in a chat, as the page shows it. */
export type ChatMessage = MessageView;

export interface StoredFile {
  key: string;
  name: string;
  bytes: Uint8Array;
}

export type HubEvent =
  | { type: 'message'; message: ChatMessage }
  | { type: 'update'; message: ChatMessage }
  | { type: 'cast'; cast: CastMember[]; chats: Chat[] };

/** Feishu error for a message id that does not exist (230001 "invalid message_id" style). */
const UNKNOWN_MESSAGE = { ok: false, permanent: true, error: 'message not found in the playground', code: 230001 } as const;

export function createPlaygroundHub(log: Logger, now: () => Date = () => new Date()) {
  const local = createLocalFeishuClient(log);
  const cast: CastMember[] = DEFAULT_CAST.map((c) => ({ ...c }));
  const chats = new Map<string, Chat>();
  const messages: ChatMessage[] = [];
  const byId = new Map<string, ChatMessage>();
  const files = new Map<string, StoredFile>();
  /** card-update tokens handed out with card callbacks -> the card message they update */
  const cardTokens = new Map<string, string>();
  const listeners = new Set<(e: HubEvent) => void>();
  let seq = 0;
  const nextId = (prefix: string) => `${prefix}${now().getTime().toString(36)}_${(++seq).toString(36)}`;

  const emit = (e: HubEvent) => {
    for (const l of listeners) l(e);
  };

  function resetChats() {
    chats.clear();
    for (const c of cast) chats.set(p2pChatId(c.openId), { id: p2pChatId(c.openId), name: c.name, type: 'p2p', members: [c.openId] });
    chats.set(LEADING_GROUP.id, { id: LEADING_GROUP.id, name: LEADING_GROUP.name, type: 'group', members: cast.map((c) => c.openId) });
  }
  resetChats();

  /** A chat for a recipient outside the cast, so nothing the bot sends is dropped. */
  function chatFor(id: string, name: string, type: Chat['type']): Chat {
    let chat = chats.get(id);
    if (!chat) {
      chat = { id, name, type, members: [] };
      chats.set(id, chat);
      emit({ type: 'cast', cast: [...cast], chats: [...chats.values()] });
    }
    return chat;
  }

  function record(m: Omit<ChatMessage, 'id' | 'at' | 'revision'>, id = nextId('om_pg_')): ChatMessage {
    const message: ChatMessage = { ...m, id, at: now().toISOString(), revision: 0 };
    messages.push(message);
    byId.set(id, message);
    emit({ type: 'message', message });
    return message;
  }

  function updateCard(messageId: string, content: string): ChatMessage | undefined {
    const m = byId.get(messageId);
    if (!m) return undefined;
    m.content = content;
    m.revision += 1;
    emit({ type: 'update', message: m });
    return m;
  }

  function targetChat(message: Extract<OutgoingMessage, { kind: 'create' }>): Chat {
    if (message.receiveIdType === 'open_id') {
      const person = cast.find((c) => c.openId === message.receiveId);
      return chatFor(p2pChatId(message.receiveId), person?.name ?? `未知用户 ${message.receiveId}`, 'p2p');
    }
    return chatFor(message.receiveIdType === 'chat_id' ? message.receiveId : `${message.receiveIdType}:${message.receiveId}`, message.receiveId, 'group');
  }

  const client: FeishuClient = {
    mode: 'local',
    async send(message): Promise<SendOutcome> {
      await local.send(message);
      switch (message.kind) {
        case 'create': {
          const m = record({ chatId: targetChat(message).id, from: 'bot', msgType: message.msgType, content: message.content });
          return { ok: true, messageId: m.id };
        }
        case 'reply': {
          const parent = byId.get(message.replyTo);
          if (!parent) return UNKNOWN_MESSAGE;
          const m = record({ chatId: parent.chatId, from: 'bot', msgType: message.msgType, content: message.content, replyTo: parent.id });
          return { ok: true, messageId: m.id };
        }
        case 'patch':
          return updateCard(message.messageId, message.content) ? { ok: true, messageId: message.messageId } : UNKNOWN_MESSAGE;
        case 'card_update': {
          const id = cardTokens.get(message.token);
          return id && updateCard(id, message.content) ? { ok: true } : { ok: false, permanent: true, error: 'unknown card token', code: 200_220 };
        }
      }
    },
    async botOpenId() {
      return BOT.openId;
    },
    async lookupUserIds(query) {
      // The cast has no emails or mobiles: nobody is found, as for people outside the contact scope.
      void query;
      return new Map();
    },
    async downloadMessageResource(messageId, fileKey, limits) {
      const m = byId.get(messageId);
      const file = files.get(fileKey);
      if (!m || !file || !m.content.includes(fileKey)) throw new Error(`playground: no file ${fileKey} in message ${messageId}`);
      if (file.bytes.byteLength > limits.maxBytes) throw new ResourceTooLargeError(limits.maxBytes);
      return file.bytes;
    },
    async uploadFile(file) {
      await local.uploadFile(file);
      const key = nextId('file_pg_');
      files.set(key, { key, name: file.fileName, bytes: file.bytes });
      return key;
    },
  };

  return {
    client,
    cast: () => cast,
    chats: () => [...chats.values()],
    chat: (id: string) => chats.get(id),
    messages: (chatId?: string) => (chatId ? messages.filter((m) => m.chatId === chatId) : [...messages]),
    message: (id: string) => byId.get(id),
    file: (key: string) => files.get(key),
    person: (openId: string) => cast.find((c) => c.openId === openId),
    personByName: (name: string) => cast.find((c) => c.name === name),
    /** A message a person sends (the page's composer); returns it as recorded. */
    said(chatId: string, from: string, msgType: string, content: string): ChatMessage {
      return record({ chatId, from, msgType, content });
    },
    /** Keeps a file the page sent; returns its file_key. */
    keepFile(name: string, bytes: Uint8Array): string {
      const key = nextId('file_v3_pg_');
      files.set(key, { key, name, bytes });
      return key;
    },
    /** The card-update token of a callback, so a delayed update finds its card. */
    rememberCardToken(token: string, messageId: string) {
      cardTokens.set(token, messageId);
    },
    updateCard,
    rename(openId: string, name: unknown, title: unknown): CastMember | undefined {
      const person = cast.find((c) => c.openId === openId);
      const n = cleanName(name);
      if (!person || !n || cast.some((c) => c.name === n && c !== person)) return undefined;
      person.name = n;
      const t = cleanName(title);
      if (t) person.title = t;
      const chat = chats.get(p2pChatId(openId));
      if (chat) chat.name = n;
      emit({ type: 'cast', cast: [...cast], chats: [...chats.values()] });
      return person;
    },
    subscribe(listener: (e: HubEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type PlaygroundHub = ReturnType<typeof createPlaygroundHub>;
