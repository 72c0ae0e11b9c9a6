import { desc, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { campaigns, chatSettings } from '../schema.js';

export type Campaign = typeof campaigns.$inferSelect;

export async function findCampaignByName(db: Db, name: string): Promise<Campaign | undefined> {
  return (await db.select().from(campaigns).where(eq(campaigns.name, name)).limit(1))[0];
}

export async function findCampaignById(db: Db, id: number): Promise<Campaign | undefined> {
  return (await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1))[0];
}

/** The campaign a chat looks at: its own setting, else the newest active campaign. */
export async function findChatCampaign(db: Db, chatId: string | undefined): Promise<Campaign | undefined> {
  if (chatId) {
    const set = await db
      .select({ campaign: campaigns })
      .from(chatSettings)
      .innerJoin(campaigns, eq(campaigns.id, chatSettings.activeCampaignId))
      .where(eq(chatSettings.chatId, chatId))
      .limit(1);
    if (set[0]) return set[0].campaign;
  }
  return (await db.select().from(campaigns).where(eq(campaigns.active, true)).orderBy(desc(campaigns.id)).limit(1))[0];
}

/** Every campaign, newest first. */
export async function listCampaigns(db: Db): Promise<Campaign[]> {
  return db.select().from(campaigns).orderBy(desc(campaigns.id));
}

/** Points a chat at a campaign (one upsert). */
export async function setChatCampaign(db: Db, p: { chatId: string; campaignId: number; at: string }): Promise<void> {
  await db
    .insert(chatSettings)
    .values({ chatId: p.chatId, activeCampaignId: p.campaignId, updatedAt: p.at })
    .onConflictDoUpdate({ target: chatSettings.chatId, set: { activeCampaignId: p.campaignId, updatedAt: p.at } });
}
