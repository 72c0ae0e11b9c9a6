import { noArgs } from './args.js';
import { ANY_ROLE } from '../src/services/measure-access.js';
import { buildList } from './lists.js';
import { resolveCampaign } from '../src/services/campaign-context.js';
import type { Command } from './types.js';

export const mineCommand: Command<void> = {
  name: 'mine',
  aliases: ['我的', '我的措施'],
  summary: '查看我负责的整改措施及截止时间',
  usage: '/mine',
  roles: ANY_ROLE,
  args: noArgs,
  async run(ctx) {
    return buildList(ctx.deps, ctx.actor, await resolveCampaign(ctx.deps, ctx.chat.id), 'mine', undefined);
  },
};
