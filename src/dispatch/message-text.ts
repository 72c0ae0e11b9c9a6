import type { MessageReceive } from './incoming-events.js';

/**
 * A received text message reduced to what a command needs. Mentions arrive as placeholders
 * like @_user_1 (and @_user_10, which a naive replace in key order would corrupt).
 */
export interface ParsedMessage {
  text: string;
  /** people mentioned, excluding the bot itself */
  mentions: Array<{ openId: string; name?: string }>;
  mentionsBot: boolean;
}

const PLACEHOLDER = /@_user_\d+|@_all/g;

export function parseTextMessage(m: MessageReceive, botOpenId: string | undefined): ParsedMessage | undefined {
  if (m.message.message_type !== 'text') return undefined;
  let text: string;
  try {
    const content = JSON.parse(m.message.content) as { text?: unknown };
    if (typeof content.text !== 'string') return undefined;
    text = content.text;
  } catch {
    return undefined;
  }
  const all = m.message.mentions ?? [];
  const isBot = (x: (typeof all)[number]) => (botOpenId ? x.id.open_id === botOpenId : x.mentioned_type === 'bot');
  const mentionsBot = all.some(isBot);
  const mentions = all.filter((x) => !isBot(x) && x.key !== '@_all' && x.id.open_id).map((x) => ({ openId: x.id.open_id!, name: x.name }));
  // The bot's mention disappears; a person's becomes their open_id so commands can name them.
  const byKey = new Map(all.map((x) => [x.key, x]));
  const cleaned = text
    .replace(PLACEHOLDER, (key) => {
      const x = byKey.get(key);
      return x && !isBot(x) && x.id.open_id ? ` ${x.id.open_id} ` : ' ';
    })
    .replace(/[ \t\u3000]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
  return { text: cleaned, mentions, mentionsBot };
}
