import { codeOnly } from './args.js';
import { ANY_ROLE } from '../src/services/measure-access.js';
import { measureFor } from './measure-command.js';
import { audienceIn } from '../src/views/audience.js';
import { historyReply } from '../src/views/history.view.js';
import { measureReply } from '../src/views/measure.view.js';
import { measureDetail } from '../src/services/measure-views.js';
import type { Command } from './types.js';

export const showCommand: Command<{ code: string; rest: string }> = {
  name: 'show',
  aliases: ['详情', '查看'],
  summary: '查看措施详情及全部汇报和变更记录',
  usage: '/show <编号>',
  roles: ANY_ROLE,
  args: codeOnly,
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const detail = await measureDetail(ctx.deps, measure);
    return [await measureReply(ctx.deps, audienceIn(ctx.chat.type, ctx.actor), measure, {}, detail), historyReply(detail, ctx.deps.config.timezone)];
  },
};
