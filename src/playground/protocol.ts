/**
 * What the playground's server and its page say to each other (types only: the page is
 * bundled for the browser and imports nothing else of the server).
 */

export interface PersonView {
  openId: string;
  name: string;
  title: string;
  role: 'admin' | 'secretary' | 'leader' | 'owner';
}

export interface ChatView {
  id: string;
  name: string;
  type: 'p2p' | 'group';
  members: string[];
}

export interface MessageView {
  id: string;
  chatId: string;
  /** 'bot' or the sender's open_id */
  from: string;
  msgType: string;
  content: string;
  replyTo?: string;
  at: string;
  revision: number;
}

export interface StateView {
  bot: { openId: string; name: string };
  cast: PersonView[];
  chats: ChatView[];
  messages: MessageView[];
}

/** One server-sent event on /playground/stream (event name = type). */
export type StreamEvent =
  | { type: 'message'; message: MessageView }
  | { type: 'update'; message: MessageView }
  | { type: 'cast'; cast: PersonView[]; chats: ChatView[] };

/** The answer to a card action: what Feishu's client shows (a toast, the card as updated). */
export interface ActionAnswer {
  ok: boolean;
  toast?: { type: string; content: string };
  card?: Record<string, unknown>;
  error?: string;
}

export interface SayAnswer {
  ok: boolean;
  /** set when the message was kept but not delivered to the bot, and why (in Chinese) */
  note?: string;
  error?: string;
}

export interface JobAnswer {
  ok: boolean;
  /** a Chinese line for the page: what ran and who received what */
  summary: string;
  error?: string;
}
