import { codeAndText, codeOnly } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { VERIFIERS } from '../src/services/measure-access.js';
import { returnMeasure, verifyMeasure } from '../src/services/measure-changes.js';
import type { Command } from './types.js';

export const verifyCommand: Command<{ code: string; rest: string }> = {
  name: 'verify',
  aliases: ['销号', '通过'],
  summary: '审核通过，措施正式销号',
  usage: '/verify <编号>',
  roles: VERIFIERS,
  args: codeOnly,
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const r = await verifyMeasure(ctx.deps, { actor: ctx.actor, measure, key: `cmd:${ctx.eventId}` });
    return changeOutcome(ctx, r.applied ? `措施 ${measure.code} 已销号，已通知责任人。` : `措施 ${measure.code} 此前已销号。`, r.measure, r.notices);
  },
};

export const returnCommand: Command<{ code: string; text: string }> = {
  name: 'return',
  aliases: ['退回'],
  summary: '退回销号申请并说明原因',
  usage: '/return <编号> <原因>',
  roles: VERIFIERS,
  args: codeAndText('请写明退回原因。'),
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const r = await returnMeasure(ctx.deps, { actor: ctx.actor, measure, reason: a.text, key: `cmd:${ctx.eventId}` });
    return changeOutcome(ctx, `已退回措施 ${measure.code} 的销号申请，已通知责任人。`, r.measure, r.notices);
  },
};
