/** Talking to the bot as a person would: a message through the webhook, the replies it caused. */
import { previewCard } from '../../cards/preview.js';
import type { FakeFeishu, PostedMessage } from './fake-feishu.js';
import type { TestService } from './harness.js';
import { messageEvent, type MessageOptions } from './payloads.js';

let n = 0;

export interface Conversation {
  /** the replies to this message, as readable text (cards rendered to text) */
  replies: string[];
  /** the raw card JSON of card replies */
  cards: any[];
  messageId: string;
}

export function readable(m: PostedMessage): string {
  return m.msgType === 'text' ? String(m.content.text) : previewCard(m.content);
}

export async function say(svc: TestService, fake: FakeFeishu, openId: string, text: string, o: Partial<MessageOptions> = {}): Promise<Conversation> {
  const messageId = o.messageId ?? `om_chat_${Date.now().toString(36)}_${++n}`;
  const res = await svc.post(messageEvent({ text, openId, messageId, ...o }));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  await svc.settle();
  const mine = fake.sent('reply').filter((m) => m.target === messageId);
  return { replies: mine.map(readable), cards: mine.filter((m) => m.msgType === 'interactive').map((m) => m.content), messageId };
}

/** Messages the bot sent on its own to a person (notices), readable. */
export function noticesTo(fake: FakeFeishu, openId: string): string[] {
  return fake
    .sent('create')
    .filter((m) => m.target === openId)
    .map(readable);
}
