import { noArgs } from './args.js';
import { ANY_ROLE } from './common.js';
import { listReply } from './presenters.js';
import { resolveCampaign } from '../src/services/campaign-context.js';
import { myMeasures } from '../src/services/measure-views.js';
import type { Command } from './types.js';

export const mineCommand: Command<void> = {
  name: 'mine',
  aliases: ['我的', '我的措施'],
  summary: '查看我负责的整改措施及截止时间',
  usage: '/mine',
  roles: ANY_ROLE,
  args: noArgs,
  async run(ctx) {
    const campaign = await resolveCampaign(ctx.deps, ctx.chat.id);
    const measures = await myMeasures(ctx.deps, ctx.actor, campaign.id);
    return listReply({ title: '我负责的整改措施', subtitle: campaign.name, measures, command: 'mine', emptyText: '您目前没有负责的整改措施。', viewer: ctx.actor.openId });
  },
};
