import { z } from 'zod';
import { ANY_ROLE, VIEWERS } from './common.js';
import { listReply, statusReply } from './presenters.js';
import { resolveCampaign } from '../src/services/campaign-context.js';
import { campaignStats, measuresDueWithin, measuresOfGroup, overdueMeasures } from '../src/services/measure-views.js';
import type { LedgerMeasure } from '../src/services/ledger-stats.js';
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
    if (!filter) return statusReply(await campaignStats(ctx.deps, campaign.id), campaign.name);
    const group = await measuresOfGroup(ctx.deps, campaign.id, filter);
    return listReply({ title: `${group.title} 的整改措施`, subtitle: campaign.name, measures: group.measures, command: 'status', filter, emptyText: '暂无措施。', viewer: ctx.actor.openId });
  },
};

const overdueRow = (m: LedgerMeasure) => ({
  id: m.id,
  code: m.code,
  text: m.text,
  department: m.departmentName,
  ownerName: m.ownerName,
  countdownLabel: m.deadline.countdown,
  deadlineState: m.deadline.state,
  status: m.status,
});

export const overdueCommand: Command<void> = {
  name: 'overdue',
  aliases: ['逾期'],
  summary: '查看逾期措施，逾期最久的在前',
  usage: '/overdue',
  roles: VIEWERS,
  args: z.string().transform(() => undefined),
  async run(ctx) {
    const campaign = await resolveCampaign(ctx.deps, ctx.chat.id);
    const measures = await overdueMeasures(ctx.deps, ctx.actor, campaign.id);
    return listReply({ title: '逾期整改措施', subtitle: campaign.name, measures, command: 'overdue', emptyText: '目前没有逾期的措施。', viewer: ctx.actor.openId, rowOf: overdueRow });
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
    const campaign = await resolveCampaign(ctx.deps, ctx.chat.id);
    const onlyMine = !VIEWERS.some((r) => ctx.actor.roles.has(r));
    const measures = await measuresDueWithin(ctx.deps, ctx.actor, campaign.id, days, onlyMine);
    return listReply({
      title: `${days} 天内到期的措施`,
      subtitle: onlyMine ? '仅显示我负责的措施' : campaign.name,
      measures,
      command: 'due',
      filter: String(days),
      emptyText: `${days} 天内没有到期的措施。`,
      viewer: ctx.actor.openId,
    });
  },
};
