/** 上一页 / 下一页 on a list card. */
import { LIST_COMMANDS, buildList, type ListCommand } from '../../../commands/lists.js';
import { getCardMessage } from '../../../db/queries/card-messages.js';
import { loadActor } from '../../../db/queries/people.js';
import { resolveCampaign } from '../../services/campaign-context.js';
import { mayViewAll } from '../../services/measure-access.js';
import type { CardActionHandlerFn } from '../card-actions.js';
import { asCard, MISMATCH, refusalsAsToast, toast } from './action-answer.js';

/**
 * 上一页 / 下一页 page the list as it was asked for: the requester's view, which in a group chat
 * everyone shares. Others may page it only if they may see every measure anyway.
 */
export const page: CardActionHandlerFn = async (ctx) => {
  const command = LIST_COMMANDS.find((c) => c === ctx.value.command) as ListCommand | undefined;
  const pageNo = Number(ctx.value.page);
  if (!command || !Number.isInteger(pageNo) || pageNo < 1) return { toast: toast('error', '翻页参数无效。') };
  if (ctx.actor.roles.size === 0) return { toast: toast('error', '您还没有登记在整改台账中，请联系整改办。') };
  const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
  const requesterId = String((sent?.context as { viewer?: unknown } | null)?.viewer ?? '');
  if (sent?.kind !== 'list' || !requesterId) return { toast: toast('error', MISMATCH) };
  if (requesterId !== ctx.actor.openId && !mayViewAll(ctx.actor)) {
    return { toast: toast('error', '这是其他同志查询的列表，您可以自己发送命令查看。') };
  }
  const requester = requesterId === ctx.actor.openId ? ctx.actor : await loadActor(ctx.deps.db, requesterId);
  if ((command === 'overdue' || command === 'status') && !mayViewAll(requester)) return { toast: toast('error', '您没有查看该列表的权限。') };
  const filter = typeof ctx.value.filter === 'string' ? ctx.value.filter : undefined;
  return refusalsAsToast(
    async () => ({
      card: asCard(await buildList(ctx.deps, requester, await resolveCampaign(ctx.deps, ctx.action.context.open_chat_id ?? ''), command, filter, pageNo)),
    }),
    async () => undefined,
  );
};
