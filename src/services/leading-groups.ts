/** The leading group's chats: where the weekly summary goes. */
import { bindLeadingGroup, deactivateChatBindings } from '../../db/queries/chat-bindings.js';
import type { ServiceDeps } from '../deps.js';

/** Binds a group chat to receive the weekly summary; returns how many chats receive it now. */
export function bindWeeklySummaryChat(deps: ServiceDeps, p: { chatId: string; campaignId: number | null; boundBy: string }): Promise<number> {
  return bindLeadingGroup(deps.db, { ...p, now: deps.clock.now().toISOString() });
}

/** The bot was removed from a chat: its bindings stop. */
export function forgetChat(deps: ServiceDeps, chatId: string): Promise<void> {
  return deactivateChatBindings(deps.db, chatId);
}
