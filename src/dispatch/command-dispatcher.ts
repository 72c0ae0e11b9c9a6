import type { Actor } from '../services/records.js';
import { mayRun } from '../../commands/registry.js';
import type { CommandContext, CommandOutcome, CommandRegistry, CommandResult, Reply } from '../../commands/types.js';
import type { ServiceDeps } from '../deps.js';
import { text } from '../views/reply.js';
import { errorReference, UserError } from '../services/errors.js';
import { describeError } from '../logger.js';

export interface CommandInput {
  text: string;
  actor: Actor;
  chat: CommandContext['chat'];
  messageId: string;
  eventId: string;
  mentions: CommandContext['mentions'];
  upload?: CommandContext['upload'];
  download?: CommandContext['download'];
  postWeeklySummary?: CommandContext['postWeeklySummary'];
  zipArchive?: CommandContext['zipArchive'];
}

const only = (...replies: Reply[]): CommandOutcome => ({ replies, notices: [] });

function toOutcome(r: CommandResult): CommandOutcome {
  if (Array.isArray(r)) return only(...r);
  if ('replies' in r) return r;
  return only(r);
}

export const CHATTER_REPLY = '您好，我是整改督办助手。发送“帮助”或 /help 查看我能做什么。';
export const STRANGER_NOTE = '您还没有登记在整改台账中。如需汇报整改进展，请联系整改办（巡察整改工作领导小组办公室）为您登记。';

/** Splits "/report 2.1.3 text" into the command word and the rest (which may span lines). */
export function splitCommand(line: string): { slash: boolean; word: string; rest: string } | undefined {
  const m = /^\s*([/／]?)([^\s]+)([\s\S]*)$/.exec(line);
  if (!m) return undefined;
  return { slash: m[1] !== '', word: m[2]!, rest: m[3]!.trim() };
}

/** Text in, replies out. Never throws: every failure becomes a reply the user can act on. */
export async function dispatchCommand(deps: ServiceDeps, registry: CommandRegistry, input: CommandInput): Promise<CommandOutcome> {
  const parts = splitCommand(input.text);
  if (!parts) return only(text(CHATTER_REPLY));
  const command = registry.find(parts.word);
  if (!command) {
    if (!parts.slash) return only(text(CHATTER_REPLY));
    return only(text(`没有“/${parts.word.replace(/^[/／]/, '')}”这个命令。发送 /help 查看可用命令。`));
  }
  if (!mayRun(command, input.actor.roles)) {
    const who = input.actor.roles.size === 0 ? STRANGER_NOTE : '如需开通，请联系整改办。';
    return only(text(`抱歉，您没有使用 /${command.name} 的权限。${who}`));
  }
  const parsed = command.args.safeParse(parts.rest);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? '参数不正确';
    return only(text(`${reason}\n用法：${command.usage}`));
  }
  try {
    const out = await command.run(
      {
        deps,
        actor: input.actor,
        chat: input.chat,
        messageId: input.messageId,
        eventId: input.eventId,
        mentions: input.mentions,
        registry,
        upload: input.upload,
        download: input.download,
        postWeeklySummary: input.postWeeklySummary,
        zipArchive: input.zipArchive,
      },
      parsed.data,
    );
    return toOutcome(out);
  } catch (e) {
    if (e instanceof UserError) return only(text(e.message));
    const ref = errorReference(input.eventId);
    deps.log.error('command failed', { command: command.name, ref, eventId: input.eventId, error: describeError(e) });
    return only(text(`抱歉，处理时出现问题（编号 ${ref}），请稍后重试或联系整改办。`));
  }
}
