import { z } from 'zod';
import { MANAGERS } from '../src/services/measure-access.js';
import { text } from '../src/views/reply.js';
import { bindWeeklySummaryChat } from '../src/services/leading-groups.js';
import { UserError } from '../src/services/errors.js';
import { listCampaigns, resolveCampaign, switchCampaign } from '../src/services/campaign-context.js';
import { escapeTextMessage } from '../cards/escape.js';
import type { Command } from './types.js';

export const campaignCommand: Command<string> = {
  name: 'campaign',
  aliases: ['整改任务'],
  summary: '查看全部整改任务，或切换本会话的当前任务',
  usage: '/campaign [任务名称]',
  roles: MANAGERS,
  args: z.string().transform((s) => s.trim()),
  async run(ctx, name) {
    if (name) {
      const c = await switchCampaign(ctx.deps, ctx.chat.id, name);
      return text(`本会话的当前整改任务已切换为“${escapeTextMessage(c.name)}”。`);
    }
    const all = await listCampaigns(ctx.deps);
    if (all.length === 0) return text('目前还没有整改任务。请把整改台账文件发给我导入。');
    const current = await resolveCampaign(ctx.deps, ctx.chat.id).catch(() => undefined);
    const lines = all.map((c) => `${c.id === current?.id ? '▶ ' : '· '}${escapeTextMessage(c.name)}${c.active ? '' : '（已结束）'}`);
    return text(`整改任务：\n${lines.join('\n')}\n\n切换请发送 /campaign <任务名称>`);
  },
};

export const bindGroupCommand: Command<void> = {
  name: 'bind-group',
  aliases: ['设为周报群'],
  summary: '在群里使用：把本群设为领导小组群，每周接收整改周报',
  usage: '/bind-group',
  roles: MANAGERS,
  args: z.string().transform(() => undefined),
  async run(ctx) {
    if (ctx.chat.type !== 'group') throw new UserError('请在领导小组的群聊中 @我 并发送这条命令。');
    const campaign = await resolveCampaign(ctx.deps, ctx.chat.id).catch(() => undefined);
    const count = await bindWeeklySummaryChat(ctx.deps, { chatId: ctx.chat.id, campaignId: campaign?.id ?? null, boundBy: ctx.actor.openId });
    return text(`已将本群设为领导小组群，每周一将在这里发送整改周报。${count > 1 ? `（目前共有 ${count} 个群接收周报）` : ''}`);
  },
};
