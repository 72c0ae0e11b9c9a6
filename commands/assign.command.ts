import { z } from 'zod';
import { firstWord } from './args.js';
import { MANAGERS } from '../src/services/measure-access.js';
import { text } from '../src/views/reply.js';
import { UserError } from '../src/services/errors.js';
import { resolveCampaign } from '../src/services/campaign-context.js';
import { findMeasureByCode, looksLikeCode } from '../src/services/measure-lookup.js';
import { assignOwner, grantRoleTo, resolvePerson, ROLE_LABELS, ROLE_WORDS } from '../src/services/people.service.js';
import type { Command, CommandContext } from './types.js';

const mentionNames = (ctx: CommandContext) => new Map(ctx.mentions.map((m) => [m.openId, m.name ?? '']));

/** The last word names the person; everything before it is the code or department. */
const assignArgs = z
  .string()
  .transform((s) => {
    const words = s.trim().split(/\s+/).filter(Boolean);
    return { target: words.slice(0, -1).join(' '), person: words.at(-1) ?? '' };
  })
  .refine((a) => a.target !== '' && a.person !== '', { message: '请写上措施编号（或部门名称）和要指派的人。' });

export const assignCommand: Command<{ target: string; person: string }> = {
  name: 'assign',
  aliases: ['指派'],
  summary: '指定措施（或某部门全部措施）的责任人',
  usage: '/assign <编号或部门> @某人',
  roles: MANAGERS,
  args: assignArgs,
  async run(ctx, a) {
    const campaign = await resolveCampaign(ctx.deps, ctx.chat.id);
    const person = await resolvePerson(ctx.deps, a.person, mentionNames(ctx));
    const measure = looksLikeCode(a.target) ? await findMeasureByCode(ctx.deps, campaign.id, a.target) : undefined;
    const r = await assignOwner(ctx.deps, { actor: ctx.actor, campaignId: campaign.id, measure, departmentName: measure ? undefined : a.target, person });
    const who = person.name ?? person.openId ?? '该同事';
    const what = measure ? `措施 ${measure.code}` : `“${a.target}”的 ${r.measures.length} 项措施`;
    return { replies: [text(`已将${what}的责任人设为 ${who}。`)], notices: r.notices, changed: r.changed.map((m) => m.id) };
  },
};

export const roleCommand: Command<{ person: string; role: string }> = {
  name: 'role',
  aliases: ['角色'],
  summary: '授予角色：secretary 整改办、leader 领导、owner 责任人',
  usage: '/role @某人 <secretary|leader|owner>',
  roles: ['admin'],
  args: z
    .string()
    .transform((s) => {
      const [person, role] = firstWord(s);
      return { person, role: role.trim() };
    })
    .refine((a) => a.person !== '' && a.role !== '', { message: '请写上人员和角色。' }),
  async run(ctx, a) {
    const role = ROLE_WORDS[a.role.toLowerCase()];
    if (!role) throw new UserError(`无法识别角色“${a.role}”。可用角色：secretary（整改办）、leader（领导）、owner（责任人）。`);
    const person = await resolvePerson(ctx.deps, a.person, mentionNames(ctx));
    const added = await grantRoleTo(ctx.deps, { actor: ctx.actor, person, role });
    const who = person.name ?? person.openId ?? '该同事';
    return text(added ? `已授予 ${who}“${ROLE_LABELS[role]}”角色。` : `${who} 已经拥有“${ROLE_LABELS[role]}”角色。`);
  },
};
