/** 确认导入 / 取消导入 on an import preview card. */
import { getCardMessage } from '../../../db/queries/card-messages.js';
import { isManager } from '../../services/measure-access.js';
import { cancelPendingImport, confirmPendingImport, pendingImportById, storedPreview } from '../../services/pending-imports.js';
import { importPreviewReply } from '../../views/import-preview.view.js';
import type { CardActionHandlerFn } from '../card-actions.js';
import { afterAnswer, asCard, MISMATCH, toast } from './action-answer.js';

/** 确认导入 / 取消 on the preview card: only the person who sent the file, only while it is pending. */
export const importDecision =
  (confirm: boolean): CardActionHandlerFn =>
  async (ctx) => {
    const importId = Number(ctx.value.importId);
    const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
    const pending = Number.isInteger(importId) ? await pendingImportById(ctx.deps, importId) : undefined;
    if (!pending || !sent || Number((sent.context as { importId?: unknown } | null)?.importId) !== importId) {
      return { toast: toast('error', MISMATCH) };
    }
    const preview = storedPreview(pending);
    const redraw = (status: 'pending' | 'confirmed' | 'cancelled') =>
      preview ? asCard(importPreviewReply(preview, importId, status, pending.openId)) : undefined;
    if (pending.openId !== ctx.actor.openId || !isManager(ctx.actor)) {
      return { toast: toast('error', '只有发送该文件的整改办同志可以确认或取消这次导入。') };
    }
    if (pending.status !== 'pending') {
      return { toast: toast('info', pending.status === 'confirmed' ? '该文件已导入。' : '该导入已取消。'), card: redraw(pending.status) };
    }
    if (!confirm) {
      await cancelPendingImport(ctx.deps, pending);
      return { toast: toast('success', '已取消导入，台账没有任何改动。'), card: redraw('cancelled') };
    }
    const summary = await confirmPendingImport(ctx.deps, pending, ctx.actor.openId);
    if (!summary.applied) return { toast: toast('error', `导入未完成：${summary.errors[0] ?? '请检查文件后重新发送。'}`), card: redraw('pending') };
    afterAnswer(ctx, { replies: [], notices: [], changed: summary.changedMeasureIds });
    return {
      toast: toast('success', `已导入 ${summary.measures} 项整改措施。`),
      card: asCard(importPreviewReply(summary, importId, 'confirmed', pending.openId)),
    };
  };
