import { findChatCampaign, listCampaigns as listAllCampaigns, setChatCampaign } from '../../db/queries/campaigns.js';
import { getCampaign, type CampaignRow } from '../../db/queries/measures-read.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';

/** The campaign a chat is looking at: the one chosen with /campaign, else the latest active one. */
export async function resolveCampaign(deps: ServiceDeps, chatId: string | undefined): Promise<CampaignRow> {
  const campaign = await findChatCampaign(deps.db, chatId);
  if (!campaign) throw new UserError('还没有导入任何整改任务。请整改办先把整改台账文件发给我导入。');
  return campaign;
}

export async function listCampaigns(deps: ServiceDeps): Promise<CampaignRow[]> {
  return listAllCampaigns(deps.db);
}

/** Points a chat at a campaign (by exact name, or a unique part of it). */
export async function switchCampaign(deps: ServiceDeps, chatId: string, name: string): Promise<CampaignRow> {
  const all = await listCampaigns(deps);
  const match =
    all.find((c) => c.name === name) ??
    (() => {
      const partial = all.filter((c) => c.name.includes(name));
      if (partial.length > 1) throw new UserError(`有 ${partial.length} 个整改任务包含“${name}”：${partial.map((c) => c.name).join('、')}。请写得更完整一些。`);
      return partial[0];
    })();
  if (!match) throw new UserError(`没有名为“${name}”的整改任务。发送 /campaign 查看全部整改任务。`);
  await setChatCampaign(deps.db, { chatId, campaignId: match.id, at: deps.clock.now().toISOString() });
  return match;
}

export async function campaignById(deps: ServiceDeps, campaignId: number): Promise<CampaignRow | undefined> {
  return getCampaign(deps.db, { campaignId });
}
