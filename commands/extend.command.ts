import { z } from 'zod';
import { codeAndText, DATE_HINT, firstWord, parseCommandDate } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { MANAGERS } from '../src/services/measure-access.js';
import { text } from '../src/views/reply.js';
import { UserError } from '../src/services/errors.js';
import { decideExtension, requestExtension } from '../src/services/measure-changes.js';
import { today } from '../src/services/measure-views.js';
import type { Command } from './types.js';

const extendArgs = z
  .string()
  .transform((s) => {
    const [code, rest] = firstWord(s);
    const [date, reason] = firstWord(rest);
    return { code, date, reason };
  })
  .refine((a) => a.code !== '' && a.date !== '', { message: '请写上措施编号和新的完成日期。' })
  .refine((a) => a.reason !== '', { message: '请写明申请延期的理由。' });

export const extendCommand: Command<{ code: string; date: string; reason: string }> = {
  name: 'extend',
  aliases: ['延期', '申请延期'],
  summary: '申请延长完成时限，由整改办审批',
  usage: '/extend <编号> <新日期> <理由>',
  roles: ['owner'],
  args: extendArgs,
  async run(ctx, a) {
    const day = today(ctx.deps);
    const newDate = parseCommandDate(a.date, day);
    if (!newDate) throw new UserError(`无法识别日期“${a.date}”。${DATE_HINT}`);
    const measure = await measureFor(ctx, a.code, '申请延期');
    const r = await requestExtension(ctx.deps, { actor: ctx.actor, measure, newDate, reason: a.reason, today: day, key: `cmd:${ctx.eventId}` });
    return {
      replies: [text(`已提交措施 ${measure.code} 的延期申请（${measure.dueDate ?? '未定'} → ${newDate}），请等待整改办审批。`)],
      notices: r.notices,
      changed: [measure.id],
    };
  },
};

export const approveExtensionCommand: Command<{ code: string; rest: string }> = {
  name: 'approve-extension',
  aliases: ['同意延期'],
  summary: '同意延期申请，原定与新的时限都会保留',
  usage: '/approve-extension <编号>',
  roles: MANAGERS,
  args: z
    .string()
    .transform((s) => {
      const [code, rest] = firstWord(s);
      return { code, rest };
    })
    .refine((a) => a.code !== '', { message: '请写上措施编号。' }),
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const r = await decideExtension(ctx.deps, { actor: ctx.actor, measure, approve: true, key: `cmd:${ctx.eventId}` });
    return changeOutcome(ctx, `已同意措施 ${measure.code} 延期，新的完成时限为 ${r.measure.dueDate}。`, r.measure, r.notices);
  },
};

export const rejectExtensionCommand: Command<{ code: string; text: string }> = {
  name: 'reject-extension',
  aliases: ['驳回延期'],
  summary: '驳回延期申请并说明原因',
  usage: '/reject-extension <编号> <原因>',
  roles: MANAGERS,
  args: codeAndText('请写明驳回原因。'),
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const r = await decideExtension(ctx.deps, { actor: ctx.actor, measure, approve: false, reason: a.text, key: `cmd:${ctx.eventId}` });
    return changeOutcome(ctx, `已驳回措施 ${measure.code} 的延期申请。`, r.measure, r.notices);
  },
};
