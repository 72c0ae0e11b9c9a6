import type { Actor } from '../services/records.js';

/**
 * Who a card is drawn for: one person in a private chat (their own buttons), or everyone in a
 * group chat (`shared`), where forms open in the presser's private chat instead.
 */
export type CardAudience = { viewer: Actor } | { shared: true };
export const SHARED: CardAudience = { shared: true };

export const audienceIn = (chatType: 'p2p' | 'group', actor: Actor): CardAudience => (chatType === 'group' ? SHARED : { viewer: actor });

/** What a sent card remembers of its audience (card_messages.context). */
export const audienceContext = (audience: CardAudience): Record<string, unknown> =>
  'viewer' in audience ? { viewer: audience.viewer.openId } : { shared: true };

export const isSharedCard = (context: unknown): boolean => (context as { shared?: unknown } | null)?.shared === true;
