import { z } from 'zod';
import { MANAGERS } from '../src/services/measure-access.js';
import type { Command } from './types.js';

/** /summary — 周报: the secretary posts the weekly summary to the leading group's chats now. */
export const summaryCommand: Command<void> = {
  name: 'summary',
  aliases: ['周报'],
  summary: '立即向领导小组群发送整改周报',
  usage: '/summary',
  roles: MANAGERS,
  args: z.string().transform(() => undefined),
  async run(ctx) {
    if (!ctx.postWeeklySummary) return { kind: 'text', text: '这里无法发送周报，请在飞书中使用本命令。' };
    const { chats, skippedChats } = await ctx.postWeeklySummary();
    if (chats === 0) {
      return {
        kind: 'text',
        text:
          skippedChats.length > 0
            ? '领导小组群已绑定，但当前没有进行中的整改任务，周报未发送。'
            : '还没有绑定领导小组群。请在领导小组群中 @我 并发送“设为周报群”，再使用本命令。',
      };
    }
    return { kind: 'text', text: `周报已发送到 ${chats} 个领导小组群。` };
  },
};
