import { desc, eq } from 'drizzle-orm';
import { campaigns, chatSettings } from '../../db/schema.js';
import { getCampaign, type CampaignRow } from '../../db/queries/measures-read.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';

/** The campaign a chat is looking at: the one chosen with /campaign, else the latest active one. */
export async function resolveCampaign(deps: ServiceDeps, chatId: string): Promise<CampaignRow> {
  const chosen = await deps.db
    .select({ campaign: campaigns })
    .from(chatSettings)
    .innerJoin(campaigns, eq(campaigns.id, chatSettings.activeCampaignId))
    .where(eq(chatSettings.chatId, chatId))
    .limit(1);
  if (chosen[0]) return chosen[0].campaign;
  const latest = await deps.db.select().from(campaigns).where(eq(campaigns.active, true)).orderBy(desc(campaigns.id)).limit(1);
  if (latest[0]) return latest[0];
  throw new UserError('目前还没有整改任务。请整改办先把整改台账文件发给我导入。');
}

export async function listCampaigns(deps: ServiceDeps): Promise<CampaignRow[]> {
  return deps.db.select().from(campaigns).orderBy(desc(campaigns.id));
}

/** Points a chat at a campaign (by exact name, or a unique part of it). */
export async function switchCampaign(deps: ServiceDeps, chatId: string, name: string): Promise<CampaignRow> {
  const all = await listCampaigns(deps);
  const match = all.find((c) => c.name === name) ?? (() => {
    const partial = all.filter((c) => c.name.includes(name));
    if (partial.length > 1) throw new UserError(`有 ${partial.length} 个整改任务包含“${name}”：${partial.map((c) => c.name).join('、')}。请写得更完整一些。`);
    return partial[0];
  })();
  if (!match) throw new UserError(`没有名为“${name}”的整改任务。发送 /campaign 查看全部整改任务。`);
  const now = deps.clock.now().toISOString();
  await deps.db
    .insert(chatSettings)
    .values({ chatId, activeCampaignId: match.id, updatedAt: now })
    .onConflictDoUpdate({ target: chatSettings.chatId, set: { activeCampaignId: match.id, updatedAt: now } });
  return match;
}

export async function campaignById(deps: ServiceDeps, campaignId: number): Promise<CampaignRow | undefined> {
  return getCampaign(deps.db, { campaignId });
}
