/** 同意延期 / 驳回 on an extension request card. */
import { extensionFieldNames } from '../../../cards/actions.js';
import { getCardMessage } from '../../../db/queries/card-messages.js';
import { getMeasure } from '../../../db/queries/measures-write.js';
import { getExtensionRequestById } from '../../services/extension-requests.js';
import { decideExtension } from '../../services/measure-changes.js';
import { extensionReply } from '../../views/extension.view.js';
import type { CardActionHandlerFn } from '../card-actions.js';
import { actionKey as key, afterAnswer, asCard, formText, MISMATCH, refusalsAsToast, toast } from './action-answer.js';

export const decide =
  (approve: boolean): CardActionHandlerFn =>
  async (ctx) => {
    const requestId = Number(ctx.value.requestId);
    const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
    const request = Number.isInteger(requestId) ? await getExtensionRequestById(ctx.deps, requestId) : undefined;
    if (!request || !sent || sent.measureId !== request.measureId || Number((sent.context as { requestId?: unknown } | null)?.requestId) !== request.id) {
      return { toast: toast('error', MISMATCH) };
    }
    const measure = (await getMeasure(ctx.deps.db, request.measureId))!;
    const reason = formText(ctx, extensionFieldNames(request.id).rejectReason);
    const current = async () => asCard((await extensionReply(ctx.deps, ctx.actor, request.id))!);
    if (request.status !== 'pending') return { toast: toast('info', '该延期申请已处理。'), card: await current() };
    if (!approve && !reason) return { toast: toast('error', '请填写驳回原因。'), card: await current() };
    return refusalsAsToast(async () => {
      const r = await decideExtension(ctx.deps, { actor: ctx.actor, measure, approve, reason: reason || undefined, key: key(ctx) });
      afterAnswer(ctx, { replies: [], notices: r.notices, changed: [measure.id] });
      return { toast: toast('success', approve ? '已同意延期' : '已驳回延期申请'), card: await current() };
    }, current);
  };
