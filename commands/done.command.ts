import { codeOnly } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { submitForVerification } from '../src/services/measure-changes.js';
import type { Command } from './types.js';

export const doneCommand: Command<{ code: string; rest: string }> = {
  name: 'done',
  aliases: ['完成', '申请销号'],
  summary: '整改完成，申请审核销号（可附说明）',
  usage: '/done <编号> [说明]',
  roles: ['owner', 'secretary', 'admin'],
  args: codeOnly,
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code, '申请销号');
    const r = await submitForVerification(ctx.deps, { actor: ctx.actor, measure, note: a.rest || undefined, key: `cmd:${ctx.eventId}` });
    const msg = r.applied ? `已提交措施 ${measure.code} 的销号申请，已通知整改办和分管领导审核。` : `措施 ${measure.code} 已在等待审核销号。`;
    return changeOutcome(ctx, msg, r.measure, r.notices);
  },
};
