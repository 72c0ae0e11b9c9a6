import { z } from 'zod';
import { DATE_HINT, firstWord, parseCommandDate } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { MANAGERS } from '../src/services/measure-access.js';
import { UserError } from '../src/services/errors.js';
import { deadlineTextOf, setDeadline, type DeadlineSetting } from '../src/services/measure-changes.js';
import { today } from '../src/services/measure-views.js';
import type { Command } from './types.js';

const deadlineArgs = z
  .string()
  .transform((s) => {
    const [code, rest] = firstWord(s);
    return { code, deadline: rest };
  })
  .refine((a) => a.code !== '' && a.deadline !== '', { message: '请写上措施编号和整改时限（日期、立行立改或长期坚持）。' });

/** 立行立改 / 长期坚持 (and their usual variants), or a date as every other command reads it. */
function deadlineSettingOf(input: string, day: string): DeadlineSetting {
  const s = input.normalize('NFKC').replace(/\s+/g, '');
  if (/^(立行立改|立即整改)$/.test(s)) return { kind: 'immediate' };
  if (/^(长期坚持|持续推进|常态化)$/.test(s)) return { kind: 'ongoing' };
  const dueDate = parseCommandDate(input, day);
  if (!dueDate) throw new UserError(`无法识别整改时限“${input}”。可以写日期、立行立改或长期坚持；${DATE_HINT}`);
  return { kind: 'dated', dueDate };
}

export const deadlineCommand: Command<{ code: string; deadline: string }> = {
  name: 'deadline',
  aliases: ['时限', '设定时限'],
  summary: '设定整改时限（如时限待定的措施）；/status 时限待定 可查看尚未设定的措施',
  usage: '/deadline <编号> <日期|立行立改|长期坚持>',
  roles: MANAGERS,
  args: deadlineArgs,
  async run(ctx, a) {
    const day = today(ctx.deps);
    const setting = deadlineSettingOf(a.deadline, day);
    const measure = await measureFor(ctx, a.code);
    const r = await setDeadline(ctx.deps, { actor: ctx.actor, measure, deadline: setting, today: day });
    // The reply quotes the row as stored, not the request.
    const stored = r.measure.deadlineKind === 'dated' ? r.measure.dueDate : r.measure.deadlineText;
    const confirmation = r.applied
      ? `已将措施 ${r.measure.code} 的整改时限设定为 ${stored}。`
      : `措施 ${r.measure.code} 的整改时限已是 ${stored ?? deadlineTextOf(setting)}，无需更改。`;
    return changeOutcome(ctx, confirmation, r.measure, r.notices);
  },
};
