import { and, eq } from 'drizzle-orm';
import {
  EXTENSION_APPROVE,
  EXTENSION_REJECT,
  extensionFieldNames,
  IMPORT_CANCEL,
  IMPORT_CONFIRM,
  LIST_PAGE,
  MEASURE_EXTEND,
  MEASURE_FORM,
  MEASURE_FORM_KINDS,
  MEASURE_HISTORY,
  MEASURE_REPORT,
  MEASURE_RETURN,
  MEASURE_SUBMIT,
  MEASURE_VERIFY,
  measureFieldNames,
  type MeasureFormKind,
} from '../../cards/actions.js';
import { measureCard } from '../../cards/measure.card.js';
import { LIST_COMMANDS, buildList, type ListCommand } from '../../commands/lists.js';
import { confirmPendingImport, storedPreview } from '../../commands/import-confirm.command.js';
import { extensionReply } from '../views/extension.view.js';
import { historyReply } from '../views/history.view.js';
import { importPreviewReply } from '../views/import-preview.view.js';
import { isSharedCard, SHARED, type CardAudience } from '../views/audience.js';
import { measureActionsFor } from '../views/measure-actions.js';
import { measureReply, measureViewOf } from '../views/measure.view.js';
import { closePendingImport, getPendingImport } from '../../db/queries/pending-imports.js';
import type { CommandOutcome, Reply } from '../../commands/types.js';
import { getCardMessage } from '../../db/queries/card-messages.js';
import { getMeasure, type MeasureRow } from '../../db/queries/measures-write.js';
import { loadActor } from '../../db/queries/people.js';
import { extensionRequests } from '../../db/schema.js';
import { resolveCampaign } from '../services/campaign-context.js';
import { decideExtension, recordProgress, requestExtension, returnMeasure, submitForVerification, verifyMeasure, type ChangeResult } from '../services/measure-changes.js';
import { measureDetail, today } from '../services/measure-views.js';
import { parseCommandDate } from '../../commands/args.js';
import { PERCENT_RULE } from '../services/number-words.js';
import { stableId } from '../outbox/stable-id.js';
import { enqueueMessage } from '../outbox/outbound-message.js';
import type { CardActionContext, CardActionHandlerFn, CardAnswer } from './card-actions.js';
import { UserError } from '../services/errors.js';
import { deliverOutcome, replyToOutbound } from './replies.js';

/**
 * Card buttons: the second door to the same services as the commands. Every action checks
 * the operator's permission (in the services, from the database), that the measure is the one
 * the message was sent for, and that the card is not stale; a refused action changes nothing
 * and answers with an error toast and an up-to-date card.
 */

const toast = (type: NonNullable<CardAnswer['toast']>['type'], content: string) => ({ type, content });
const asCard = (reply: Reply): CardAnswer['card'] | undefined => (reply.kind === 'card' ? { type: 'raw', data: reply.card } : undefined);

function formText(ctx: CardActionContext, name: string): string {
  const v = ctx.action.action.form_value?.[name];
  return typeof v === 'string' ? v.trim() : '';
}

async function freshCard(ctx: CardActionContext, measure: MeasureRow, audience: CardAudience, openForm?: MeasureFormKind): Promise<CardAnswer['card']> {
  const view = await measureViewOf(ctx.deps, audience, measure);
  return { type: 'raw', data: measureCard(view, { openForm: 'viewer' in audience ? openForm : undefined }) };
}

/** The measure a button names, and who its card is drawn for (from what was sent, never the card). */
type Checked = { measure: MeasureRow; audience: CardAudience };

/** The measure the button names, if it is the one this message shows and the card is current. */
async function checkedMeasure(ctx: CardActionContext): Promise<Checked | { answer: CardAnswer }> {
  const measureId = Number(ctx.value.measureId);
  const messageId = ctx.action.context.open_message_id ?? '';
  const sent = messageId ? await getCardMessage(ctx.deps.db, messageId) : undefined;
  const audience: CardAudience = sent && isSharedCard(sent.context) ? SHARED : { viewer: ctx.actor };
  if (!sent || !Number.isInteger(measureId) || sent.measureId !== measureId) {
    ctx.deps.log.warn('card action does not match the card that was sent', { eventId: ctx.eventId, messageId, claimed: ctx.value.measureId, sent: sent?.measureId });
    const shown = sent?.measureId ? await getMeasure(ctx.deps.db, sent.measureId) : undefined;
    return { answer: { toast: toast('error', '卡片内容与记录不一致，操作未执行。'), card: shown ? await freshCard(ctx, shown, audience) : undefined } };
  }
  const measure = await getMeasure(ctx.deps.db, measureId);
  if (!measure) return { answer: { toast: toast('error', '该措施已不存在。') } };
  if (Number(ctx.value.version) !== measure.version) {
    return { answer: { toast: toast('warning', '卡片内容已更新，请查看最新情况后再操作。'), card: await freshCard(ctx, measure, audience) } };
  }
  return { measure, audience };
}

/**
 * Notices and updates of the measure's other cards are written after the callback is answered:
 * the answer has 3 seconds and needs neither. The outbox is the durable part, so a crash in
 * between loses at most these (the change itself is already committed).
 */
function afterAnswer(ctx: CardActionContext, outcome: CommandOutcome, exceptMessageId?: string): void {
  ctx.deps.defer(async () => {
    await deliverOutcome(ctx.deps, outcome, { openId: ctx.actor.openId }, `card:${ctx.eventId}`, exceptMessageId);
    ctx.deps.outbox.kick();
  });
}

/** Runs a change and answers with the updated card; notices and other cards follow through the outbox. */
async function applyChange(ctx: CardActionContext, { measure, audience }: Checked, success: string, change: () => Promise<ChangeResult>): Promise<CardAnswer> {
  try {
    const r = await change();
    const outcome: CommandOutcome = { replies: [], notices: r.notices, changed: r.applied ? [measure.id] : [] };
    const messageId = ctx.action.context.open_message_id;
    afterAnswer(ctx, outcome, messageId);
    return { toast: toast('success', r.applied ? success : '已处理，无需重复操作。'), card: await freshCard(ctx, r.measure, audience) };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const current = (await getMeasure(ctx.deps.db, measure.id)) ?? measure;
    return { toast: toast('error', e.message), card: await freshCard(ctx, current, audience) };
  }
}

const measureAction =
  (run: (ctx: CardActionContext, checked: Checked) => Promise<CardAnswer>): CardActionHandlerFn =>
  async (ctx) => {
    const checked = await checkedMeasure(ctx);
    return 'answer' in checked ? checked.answer : run(ctx, checked);
  };

const key = (ctx: CardActionContext) => `card:${ctx.eventId}`;

const FORM_NAMES: Record<MeasureFormKind, string> = { report: '汇报进展', submit: '申请销号', extend: '申请延期', return: '退回' };
const PRIVATE_CHAT = '您与整改督办助手的单聊';

/** Sends a reply to the presser's private chat with the bot, once per callback. */
async function sendPrivately(ctx: CardActionContext, reply: Reply, kind: string): Promise<void> {
  await enqueueMessage(ctx.deps.db, replyToOutbound(reply, { openId: ctx.actor.openId }, stableId(kind, ctx.eventId)), ctx.deps.clock.now());
  ctx.deps.outbox.kick();
}

const openForm = measureAction(async (ctx, checked) => {
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

const report = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const names = measureFieldNames(measure.id);
  const text = formText(ctx, names.reportText);
  if (!text) return { toast: toast('error', '请填写进展内容。'), card: await freshCard(ctx, measure, audience, 'report') };
  const percentText = formText(ctx, names.reportPercent).replace(/[%％]/g, '');
  const percent = percentText === '' ? undefined : Number(percentText);
  if (percent !== undefined && (!Number.isInteger(percent) || percent < 0 || percent > 100)) {
    return { toast: toast('error', `${PERCENT_RULE}。`), card: await freshCard(ctx, measure, audience, 'report') };
  }
  return applyChange(ctx, checked, '进展已记录', () => recordProgress(ctx.deps, { actor: ctx.actor, measure, text, percent, source: 'card', key: key(ctx) }));
});

const submit = measureAction(async (ctx, checked) => {
  const { measure } = checked;
  const note = formText(ctx, measureFieldNames(measure.id).submitNote) || undefined;
  return applyChange(ctx, checked, '已提交销号申请', () => submitForVerification(ctx.deps, { actor: ctx.actor, measure, note, key: key(ctx) }));
});

/** Date pickers send "2025-06-30 +0800": the picked calendar date, read in the campaign's zone. */
export function pickedDate(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+[+-]\d{4})?$/.exec(value.trim());
  return m ? parseCommandDate(m[1]!, '0000-01-01') : undefined;
}

const extend = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const names = measureFieldNames(measure.id);
  const newDate = pickedDate(formText(ctx, names.extendDate));
  const reason = formText(ctx, names.extendReason);
  if (!newDate || !reason) return { toast: toast('error', '请选择新的完成日期并填写理由。'), card: await freshCard(ctx, measure, audience, 'extend') };
  return applyChange(ctx, checked, '延期申请已提交，请等待整改办审批', () =>
    requestExtension(ctx.deps, { actor: ctx.actor, measure, newDate, reason, today: today(ctx.deps), key: key(ctx) }),
  );
});

const verify = measureAction(async (ctx, checked) =>
  applyChange(ctx, checked, '已销号', () => verifyMeasure(ctx.deps, { actor: ctx.actor, measure: checked.measure, key: key(ctx) })),
);

const giveBack = measureAction(async (ctx, checked) => {
  const { measure, audience } = checked;
  const reason = formText(ctx, measureFieldNames(measure.id).returnReason);
  if (!reason) return { toast: toast('error', '请填写退回原因。'), card: await freshCard(ctx, measure, audience, 'return') };
  return applyChange(ctx, checked, '已退回', () => returnMeasure(ctx.deps, { actor: ctx.actor, measure, reason, key: key(ctx) }));
});

const history: CardActionHandlerFn = async (ctx) => {
  const checked = await checkedMeasure(ctx);
  // History is read-only: a card that is merely out of date may still show it.
  const measure = 'measure' in checked ? checked.measure : await getMeasure(ctx.deps.db, Number(ctx.value.measureId));
  const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
  if (!measure || sent?.measureId !== measure.id || !measureActionsFor(ctx.actor, measure).includes('history')) {
    return { toast: toast('error', '您不能查看这项措施的记录。') };
  }
  const reply = historyReply(await measureDetail(ctx.deps, measure));
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
const page: CardActionHandlerFn = async (ctx) => {
  const command = LIST_COMMANDS.find((c) => c === ctx.value.command) as ListCommand | undefined;
  const pageNo = Number(ctx.value.page);
  if (!command || !Number.isInteger(pageNo) || pageNo < 1) return { toast: toast('error', '翻页参数无效。') };
  if (ctx.actor.roles.size === 0) return { toast: toast('error', '您还没有登记在整改台账中，请联系整改办。') };
  const mayViewAll = (actor: typeof ctx.actor) => actor.roles.has('secretary') || actor.roles.has('admin') || actor.roles.has('leader');
  const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
  const requesterId = String((sent?.context as { viewer?: unknown } | null)?.viewer ?? '');
  if (!sent || sent.kind !== 'list' || !requesterId) return { toast: toast('error', '卡片内容与记录不一致，操作未执行。') };
  if (requesterId !== ctx.actor.openId && !mayViewAll(ctx.actor)) {
    return { toast: toast('error', '这是其他同志查询的列表，您可以自己发送命令查看。') };
  }
  const requester = requesterId === ctx.actor.openId ? ctx.actor : await loadActor(ctx.deps.db, requesterId);
  if ((command === 'overdue' || command === 'status') && !mayViewAll(requester)) return { toast: toast('error', '您没有查看该列表的权限。') };
  try {
    const campaign = await resolveCampaign(ctx.deps, ctx.action.context.open_chat_id ?? '');
    const filter = typeof ctx.value.filter === 'string' ? ctx.value.filter : undefined;
    return { card: asCard(await buildList(ctx.deps, requester, campaign, command, filter, pageNo)) };
  } catch (e) {
    if (e instanceof UserError) return { toast: toast('error', e.message) };
    throw e;
  }
};

const decide = (approve: boolean): CardActionHandlerFn => async (ctx) => {
  const requestId = Number(ctx.value.requestId);
  const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
  const [request] = Number.isInteger(requestId) ? await ctx.deps.db.select().from(extensionRequests).where(and(eq(extensionRequests.id, requestId))) : [];
  if (!request || !sent || sent.measureId !== request.measureId || Number((sent.context as { requestId?: unknown } | null)?.requestId) !== request.id) {
    return { toast: toast('error', '卡片内容与记录不一致，操作未执行。') };
  }
  const measure = (await getMeasure(ctx.deps.db, request.measureId))!;
  const reason = formText(ctx, extensionFieldNames(request.id).rejectReason);
  const current = async () => asCard((await extensionReply(ctx.deps, ctx.actor, request.id))!);
  if (request.status !== 'pending') return { toast: toast('info', '该延期申请已处理。'), card: await current() };
  if (!approve && !reason) return { toast: toast('error', '请填写驳回原因。'), card: await current() };
  try {
    const r = await decideExtension(ctx.deps, { actor: ctx.actor, measure, approve, reason: reason || undefined, key: key(ctx) });
    afterAnswer(ctx, { replies: [], notices: r.notices, changed: [measure.id] });
    return { toast: toast('success', approve ? '已同意延期' : '已驳回延期申请'), card: await current() };
  } catch (e) {
    if (e instanceof UserError) return { toast: toast('error', e.message), card: await current() };
    throw e;
  }
};

/** 确认导入 / 取消 on the preview card: only the person who sent the file, only while it is pending. */
const importDecision = (confirm: boolean): CardActionHandlerFn => async (ctx) => {
  const importId = Number(ctx.value.importId);
  const sent = await getCardMessage(ctx.deps.db, ctx.action.context.open_message_id ?? '');
  const pending = Number.isInteger(importId) ? await getPendingImport(ctx.deps.db, importId) : undefined;
  if (!pending || !sent || Number((sent.context as { importId?: unknown } | null)?.importId) !== importId) {
    return { toast: toast('error', '卡片内容与记录不一致，操作未执行。') };
  }
  const preview = storedPreview(pending);
  const redraw = (status: 'pending' | 'confirmed' | 'cancelled') => (preview ? asCard(importPreviewReply(preview, importId, status, pending.openId)) : undefined);
  if (pending.openId !== ctx.actor.openId || !(ctx.actor.roles.has('secretary') || ctx.actor.roles.has('admin'))) {
    return { toast: toast('error', '只有发送该文件的整改办同志可以确认或取消这次导入。') };
  }
  if (pending.status !== 'pending') {
    return { toast: toast('info', pending.status === 'confirmed' ? '该文件已导入。' : '该导入已取消。'), card: redraw(pending.status) };
  }
  if (!confirm) {
    await closePendingImport(ctx.deps.db, pending.id, 'cancelled');
    return { toast: toast('success', '已取消导入，台账没有任何改动。'), card: redraw('cancelled') };
  }
  const summary = await confirmPendingImport(ctx.deps, pending, ctx.actor.openId);
  if (!summary.applied) return { toast: toast('error', `导入未完成：${summary.errors[0] ?? '请检查文件后重新发送。'}`), card: redraw('pending') };
  afterAnswer(ctx, { replies: [], notices: [], changed: summary.changedMeasureIds });
  return { toast: toast('success', `已导入 ${summary.measures} 项整改措施。`), card: asCard(importPreviewReply(summary, importId, 'confirmed', pending.openId)) };
};

export const cardActionHandlers: Record<string, CardActionHandlerFn> = {
  [IMPORT_CONFIRM]: importDecision(true),
  [IMPORT_CANCEL]: importDecision(false),
  [MEASURE_FORM]: openForm,
  [MEASURE_REPORT]: report,
  [MEASURE_SUBMIT]: submit,
  [MEASURE_EXTEND]: extend,
  [MEASURE_VERIFY]: verify,
  [MEASURE_RETURN]: giveBack,
  [MEASURE_HISTORY]: history,
  [LIST_PAGE]: page,
  [EXTENSION_APPROVE]: decide(true),
  [EXTENSION_REJECT]: decide(false),
};
