/**
 * Buttons on a measure card: open a form, report, submit for closure, ask for more time, close,
 * return, show the record. Every action checks that the measure is the one the message was sent
 * for (from what was stored when it was sent, never from the card), that the card is current,
 * and the operator's permission (in the services); a refused action changes nothing and answers
 * with an error toast and an up-to-date card.
 */
import { MEASURE_FORM_KINDS, measureFieldNames, type MeasureFormKind } from '../../../cards/actions.js';
import { measureCard } from '../../../cards/measure.card.js';
import { parseCalendarDate } from '../../domain/dates.js';
import { getCardMessage } from '../../../db/queries/card-messages.js';
import { getMeasure } from '../../../db/queries/measures-write.js';
import { stableId } from '../../outbox/stable-id.js';
import { enqueueMessage } from '../../outbox/outbound-message.js';
import { recordProgress, requestExtension, returnMeasure, submitForVerification, verifyMeasure, type ChangeResult } from '../../services/measure-changes.js';
import { measureDetail, today } from '../../services/measure-views.js';
import { PERCENT_RULE } from '../../domain/number-words.js';
import { parseLink } from '../../domain/evidence-files.js';
import { recordEvidenceLinks } from '../../services/evidence.service.js';
import type { MeasureRow } from '../../services/records.js';
import { isSharedCard, SHARED, type CardAudience } from '../../views/audience.js';
import { historyReply } from '../../views/history.view.js';
import { measureActionsFor } from '../../views/measure-actions.js';
import { measureReply, measureViewOf } from '../../views/measure.view.js';
import type { CommandOutcome } from '../../views/reply.js';
import type { CardActionContext, CardActionHandlerFn, CardAnswer } from '../card-actions.js';
import { replyToOutbound } from '../replies.js';
import { actionKey as key, afterAnswer, formText, MISMATCH, PRIVATE_CHAT, refusalsAsToast, sendPrivately, toast } from './action-answer.js';

export async function freshCard(ctx: CardActionContext, measure: MeasureRow, audience: CardAudience, openForm?: MeasureFormKind): Promise<CardAnswer['card']> {
  const view = await measureViewOf(ctx.deps, audience, measure);
  return { type: 'raw', data: measureCard(view, { openForm: 'viewer' in audience ? openForm : undefined }) };
}

/** The measure a button names, and who its card is drawn for (from what was sent, never the card). */
export type Checked = { measure: MeasureRow; audience: CardAudience };

/** The measure the button names, if it is the one this message shows and the card is current. */
async function checkedMeasure(ctx: CardActionContext): Promise<Checked | { answer: CardAnswer }> {
  const measureId = Number(ctx.value.measureId);
  const messageId = ctx.action.context.open_message_id ?? '';
  const sent = messageId ? await getCardMessage(ctx.deps.db, messageId) : undefined;
  const audience: CardAudience = sent && isSharedCard(sent.context) ? SHARED : { viewer: ctx.actor };
  if (!sent || !Number.isInteger(measureId) || sent.measureId !== measureId) {
    ctx.deps.log.warn('card action does not match the card that was sent', {
      eventId: ctx.eventId,
      messageId,
      claimed: ctx.value.measureId,
      sent: sent?.measureId,
    });
    const shown = sent?.measureId ? await getMeasure(ctx.deps.db, sent.measureId) : undefined;
    return { answer: { toast: toast('error', MISMATCH), card: shown ? await freshCard(ctx, shown, audience) : undefined } };
  }
  const measure = await getMeasure(ctx.deps.db, measureId);
  if (!measure) return { answer: { toast: toast('error', '该措施已不存在。') } };
  if (Number(ctx.value.version) !== measure.version) {
    return { answer: { toast: toast('warning', '卡片内容已更新，请查看最新情况后再操作。'), card: await freshCard(ctx, measure, audience) } };
  }
  return { measure, audience };
}

/** Runs a change and answers with the updated card; notices and other cards follow through the outbox. */
export function applyChange(ctx: CardActionContext, { measure, audience }: Checked, success: string, change: () => Promise<ChangeResult>): Promise<CardAnswer> {
  return refusalsAsToast(
    async () => {
      const r = await change();
      const outcome: CommandOutcome = { replies: [], notices: r.notices, changed: r.applied ? [measure.id] : [] };
      afterAnswer(ctx, outcome, ctx.action.context.open_message_id);
      return { toast: toast('success', r.applied ? success : '已处理，无需重复操作。'), card: await freshCard(ctx, r.measure, audience) };
    },
    async () => freshCard(ctx, (await getMeasure(ctx.deps.db, measure.id)) ?? measure, audience),
  );
}

export const measureAction =
  (run: (ctx: CardActionContext, checked: Checked) => Promise<CardAnswer>): CardActionHandlerFn =>
  async (ctx) => {
    const checked = await checkedMeasure(ctx);
    return 'answer' in checked ? checked.answer : run(ctx, checked);
  };

const FORM_NAMES: Record<MeasureFormKind, string> = { report: '汇报进展', submit: '申请销号', extend: '申请延期', return: '退回' };

export const openForm = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const form = MEASURE_FORM_KINDS.find((f) => f === ctx.value.form);
  if (!form || !measureActionsFor(ctx.actor, measure).includes(form)) {
    return { toast: toast('error', '您不能对这项措施执行此操作。'), card: await freshCard(ctx, measure, audience) };
  }
  if ('shared' in audience) {
    // A form opened on a group card would be open, and half-filled, for everyone in the chat.
    await sendPrivately(ctx, await measureReply(ctx.deps, { viewer: ctx.actor }, measure, { openForm: form }), 'form');
    return { toast: toast('info', `已在${PRIVATE_CHAT}中打开“${FORM_NAMES[form]}”，请在那里填写。`) };
  }
  return { card: await freshCard(ctx, measure, audience, form) };
});

export const report = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const names = measureFieldNames(measure.id);
  const text = formText(ctx, names.reportText);
  if (!text) return { toast: toast('error', '请填写进展内容。'), card: await freshCard(ctx, measure, audience, 'report') };
  const percentText = formText(ctx, names.reportPercent).replace(/[%％]/g, '');
  const percent = percentText === '' ? undefined : Number(percentText);
  if (percent !== undefined && (!Number.isInteger(percent) || percent < 0 || percent > 100)) {
    return { toast: toast('error', `${PERCENT_RULE}。`), card: await freshCard(ctx, measure, audience, 'report') };
  }
  const linkText = formText(ctx, names.reportLink);
  const link = linkText ? parseLink(linkText) : undefined;
  if (linkText && !link)
    return { toast: toast('error', '佐证链接应是以 http:// 或 https:// 开头的网址。'), card: await freshCard(ctx, measure, audience, 'report') };
  return applyChange(ctx, checked, link ? '进展和佐证链接已记录' : '进展已记录', async () => {
    const r = await recordProgress(ctx.deps, { actor: ctx.actor, measure, text, percent, source: 'card', key: key(ctx) });
    if (!link) return r;
    const links = await recordEvidenceLinks(ctx.deps, { actor: ctx.actor, measure: r.measure, urls: [link], source: 'form' });
    return { ...r, measure: links.measure, applied: r.applied || links.added.length > 0 };
  });
});

export const submit = measureAction(async (ctx, checked) => {
  const { measure } = checked;
  const note = formText(ctx, measureFieldNames(measure.id).submitNote) || undefined;
  return applyChange(ctx, checked, '已提交销号申请', () => submitForVerification(ctx.deps, { actor: ctx.actor, measure, note, key: key(ctx) }));
});

/** Date pickers send "2025-06-30 +0800": the picked calendar date, read in the campaign's zone. */
export function pickedDate(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+[+-]\d{4})?$/.exec(value.trim());
  return m ? parseCalendarDate(m[1]!) : undefined;
}

export const extend = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const names = measureFieldNames(measure.id);
  const newDate = pickedDate(formText(ctx, names.extendDate));
  const reason = formText(ctx, names.extendReason);
  if (!newDate || !reason) return { toast: toast('error', '请选择新的完成日期并填写理由。'), card: await freshCard(ctx, measure, audience, 'extend') };
  return applyChange(ctx, checked, '延期申请已提交，请等待整改办审批', () =>
    requestExtension(ctx.deps, { actor: ctx.actor, measure, newDate, reason, today: today(ctx.deps), key: key(ctx) }),
  );
});

export const verify = measureAction(async (ctx, checked) =>
  applyChange(ctx, checked, '已销号', () => verifyMeasure(ctx.deps, { actor: ctx.actor, measure: checked.measure, key: key(ctx) })),
);

export const giveBack = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const reason = formText(ctx, measureFieldNames(measure.id).returnReason);
  if (!reason) return { toast: toast('error', '请填写退回原因。'), card: await freshCard(ctx, measure, audience, 'return') };
  return applyChange(ctx, checked, '已退回', () => returnMeasure(ctx.deps, { actor: ctx.actor, measure, reason, key: key(ctx) }));
});

export const history: CardActionHandlerFn = async (ctx) => {
  const checked = await checkedMeasure(ctx);
  // History is read-only: a card that is merely out of date may still show it.
  const measure = 'measure' in checked ? checked.measure : await getMeasure(ctx.deps.db, Number(ctx.value.measureId));
  const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
  if (!measure || sent?.measureId !== measure.id || !measureActionsFor(ctx.actor, measure).includes('history')) {
    return { toast: toast('error', '您不能查看这项措施的记录。') };
  }
  const reply = historyReply(await measureDetail(ctx.deps, measure), ctx.deps.config.timezone);
  // Asked for on a group card, the record goes to the asker alone.
  if (isSharedCard(sent.context)) {
    await sendPrivately(ctx, reply, 'hist');
    return { toast: toast('info', `整改记录已发送到${PRIVATE_CHAT}`) };
  }
  const chatId = ctx.action.context.open_chat_id;
  const target = chatId ? { chatId } : { openId: ctx.actor.openId };
  await enqueueMessage(ctx.deps.db, replyToOutbound(reply, target, stableId('hist', ctx.eventId)), ctx.deps.clock.now());
  ctx.deps.outbox.kick();
  return { toast: toast('info', '整改记录已发送') };
};

/**
 * 上一页 / 下一页 page the list as it was asked for: the requester's view, which in a group chat
 * everyone shares. Others may page it only if they may see every measure anyway.
 */
