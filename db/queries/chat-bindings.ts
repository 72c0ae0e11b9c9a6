import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { chatBindings } from '../schema.js';

/** Makes a chat the leading group (again); returns how many leading groups are active now. */
export async function bindLeadingGroup(db: Db, p: { chatId: string; campaignId: number | null; boundBy: string; now: string }): Promise<number> {
  await db
    .insert(chatBindings)
    .values({ chatId: p.chatId, purpose: 'leading_group', campaignId: p.campaignId, boundBy: p.boundBy, active: true, createdAt: p.now })
    .onConflictDoUpdate({ target: [chatBindings.chatId, chatBindings.purpose], set: { active: true, boundBy: p.boundBy, campaignId: p.campaignId } });
  const active = await db
    .select({ chatId: chatBindings.chatId })
    .from(chatBindings)
    .where(and(eq(chatBindings.purpose, 'leading_group'), eq(chatBindings.active, true)));
  return active.length;
}

/** The bot left the chat: nothing is sent there any more. */
export async function deactivateChatBindings(db: Db, chatId: string): Promise<void> {
  await db.update(chatBindings).set({ active: false }).where(eq(chatBindings.chatId, chatId));
}
