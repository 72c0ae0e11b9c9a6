import { reportArgs } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { recordProgress } from '../src/services/measure-changes.js';
import type { Command } from './types.js';

export const reportCommand: Command<{ code: string; text: string; percent?: number }> = {
  name: 'report',
  aliases: ['汇报', '进展'],
  summary: '汇报整改进展，可在末尾写完成比例，如 60%、六成或百分之六十',
  usage: '/report <编号> <进展内容> [完成比例%]',
  roles: ['owner', 'secretary', 'admin'],
  args: reportArgs,
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code, '汇报进展');
    const r = await recordProgress(ctx.deps, { actor: ctx.actor, measure, text: a.text, percent: a.percent, source: 'command', key: `cmd:${ctx.eventId}` });
    // The stored percentage: the new one when one was given (even 0%), else the one before.
    const pct = a.percent !== undefined || r.measure.percent ? `，完成 ${r.measure.percent}%` : '';
    return changeOutcome(ctx, `已记录措施 ${r.measure.code} 的进展${pct}。`, r.measure, r.notices);
  },
};
