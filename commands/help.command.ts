import { z } from 'zod';
import { mayRun } from './registry.js';
import type { Command } from './types.js';

/** /help — 帮助: the commands this person may use, generated from the registry. */
export const helpCommand: Command<void> = {
  name: 'help',
  aliases: ['帮助', '?'],
  summary: '查看我可以使用的命令',
  usage: '/help',
  roles: 'anyone',
  args: z.string().transform(() => undefined),
  async run(ctx) {
    const usable = ctx.registry.commands.filter((c) => mayRun(c, ctx.actor.roles));
    const lines = usable.map((c) => {
      const aliases = c.aliases.filter((a) => /[\u4e00-\u9fff]/.test(a));
      return `${c.usage}${aliases.length ? `（${aliases.join('、')}）` : ''}\n    ${c.summary}`;
    });
    const intro =
      ctx.actor.roles.size === 0
        ? '您好！我是整改督办助手。您还没有登记在整改台账中，如需汇报整改进展，请联系整改办为您登记。'
        : '您好！我是整改督办助手，可以使用以下命令：';
    return { kind: 'text', text: `${intro}\n\n${lines.join('\n')}\n\n命令前的“/”可省略，也可使用中文命令名。` };
  },
};
