import { z } from 'zod';
import { ANY_ROLE, VIEWERS } from '../src/services/measure-access.js';
import { buildList } from './lists.js';
import { parkedWorkReply } from './parked-work.presenter.js';
import { statusReply } from '../src/views/status.view.js';
import { resolveCampaign } from '../src/services/campaign-context.js';
import { campaignStats } from '../src/services/measure-views.js';
import { listParkedWork } from '../src/services/parked-work.js';
import type { Command } from './types.js';

export const statusCommand: Command<string> = {
  name: 'status',
  aliases: ['进度', '统计'],
  summary: '整改总体进度；加部门或问题类别可查看其措施清单',
  usage: '/status [部门或类别]',
  roles: VIEWERS,
  args: z.string().transform((s) => s.trim()),
  async run(ctx, filter) {
    const campaign = await resolveCampaign(ctx.deps, ctx.chat.id);
    if (filter) return buildList(ctx.deps, ctx.actor, campaign, 'status', filter);
    const status = statusReply(await campaignStats(ctx.deps, campaign.id), campaign.name);
    // Parked work is for administrators only, in their private chat: it names system errors.
    if (!ctx.actor.roles.has('admin') || ctx.chat.type !== 'p2p') return status;
    const parked = await listParkedWork(ctx.deps);
    return parked.total > 0 ? [status, parkedWorkReply(parked, ctx.deps.config.timezone)] : status;
  },
};

export const overdueCommand: Command<void> = {
  name: 'overdue',
  aliases: ['逾期'],
  summary: '查看逾期措施，逾期最久的在前',
  usage: '/overdue',
  roles: VIEWERS,
  args: z.string().transform(() => undefined),
  async run(ctx) {
    return buildList(ctx.deps, ctx.actor, await resolveCampaign(ctx.deps, ctx.chat.id), 'overdue', undefined);
  },
};

export const dueCommand: Command<number> = {
  name: 'due',
  aliases: ['临期'],
  summary: '查看近期到期的措施（默认 7 天内）',
  usage: '/due [天数]',
  roles: ANY_ROLE,
  args: z
    .string()
    .transform((s) => s.normalize('NFKC').trim().replace(/天$/, ''))
    .refine((s) => s === '' || /^\d{1,3}$/.test(s), { message: '天数应为 1 到 365 之间的整数。' })
    .transform((s) => (s === '' ? 7 : Number(s)))
    .refine((n) => n >= 1 && n <= 365, { message: '天数应为 1 到 365 之间的整数。' }),
  async run(ctx, days) {
    return buildList(ctx.deps, ctx.actor, await resolveCampaign(ctx.deps, ctx.chat.id), 'due', String(days));
  },
};
