/**
 * Evidence buttons: 上传佐证 and 获取佐证文件 on a measure card, and the "which measure is this file
 * for" card. Files are downloaded and uploaded after the answer (the callback has 3 seconds);
 * the presser hears of the result in the private chat.
 */
import { EVIDENCE_PICK_FIELDS } from '../../../cards/actions.js';
import { evidencePickCard } from '../../../cards/evidence-pick.card.js';
import type { EvidencePickView } from '../../../cards/views.js';
import { evidenceFileReplies } from '../../../commands/evidence.command.js';
import { getCardMessage } from '../../../db/queries/card-messages.js';
import { enqueueMessage } from '../../outbox/outbound-message.js';
import { stableId } from '../../outbox/stable-id.js';
import { EVIDENCE_SESSION_MINUTES, evidenceMaxBytes, evidenceOf, mayAttachEvidence, startEvidenceSession } from '../../services/evidence.service.js';
import { canSee } from '../../services/measure-access.js';
import type { EvidencePickContext } from '../../views/evidence.view.js';
import { text } from '../../views/reply.js';
import type { CardActionHandlerFn } from '../card-actions.js';
import { attachMessageFile, pickedMeasure } from '../evidence-file.js';
import { deliverOutcome } from '../replies.js';
import { actionKey, formText, MISMATCH, PRIVATE_CHAT, refusalsAsToast, sendPrivately, toast } from './action-answer.js';
import { freshCard, measureAction } from './measure.actions.js';

export const startUpload = measureAction(async (ctx, { measure, audience }) =>
  refusalsAsToast(
    async () => {
      if (!mayAttachEvidence(ctx.actor, measure))
        return { toast: toast('error', '您不能为这项措施上传佐证材料。'), card: await freshCard(ctx, measure, audience) };
      await startEvidenceSession(ctx.deps, ctx.actor, measure);
      const hint = `请在 ${EVIDENCE_SESSION_MINUTES} 分钟内在${PRIVATE_CHAT}中发送文件或图片，每个都将作为措施 ${measure.code} 的佐证材料。`;
      await sendPrivately(ctx, text(hint), 'evs');
      return { toast: toast('info', hint) };
    },
    async () => freshCard(ctx, measure, audience),
  ),
);

export const sendFiles = measureAction(async (ctx, { measure }) => {
  if (!canSee(ctx.actor, measure)) return { toast: toast('error', '您不能查看这项措施的佐证材料。') };
  const { items } = await evidenceOf(ctx.deps, measure.id);
  if (!items.some((e) => e.kind !== 'link')) return { toast: toast('info', `措施 ${measure.code} 还没有佐证文件。`) };
  const { deps } = ctx;
  ctx.deps.defer(async () => {
    const replies = await evidenceFileReplies(deps, items, {
      upload: (f) => deps.feishu.uploadFile(f),
      download: (f) => deps.feishu.downloadMessageResource(f.messageId, f.fileKey, { maxBytes: evidenceMaxBytes(deps), type: f.kind }),
    });
    await deliverOutcome(deps, { replies, notices: [] }, { openId: ctx.actor.openId }, `evf:${ctx.eventId}`);
    deps.outbox.kick();
  });
  return { toast: toast('info', `佐证文件将发送到${PRIVATE_CHAT}`) };
});

/** The card of a file waiting for its measure, redrawn in another state. */
function pickCard(c: EvidencePickContext, state: EvidencePickView['state']) {
  return { type: 'raw' as const, data: evidencePickCard({ fileName: c.fileName || '图片', kind: c.kind, options: [], more: 0, state }) };
}

export const pick: CardActionHandlerFn = async (ctx) => {
  const messageId = ctx.action.context.open_message_id ?? '';
  const sent = messageId ? await getCardMessage(ctx.deps.db, messageId) : undefined;
  const c = sent?.kind === 'evidence_pick' ? (sent.context as EvidencePickContext | null) : null;
  if (!c || c.viewer !== ctx.actor.openId) return { toast: toast('error', MISMATCH) };
  const measure = await pickedMeasure(ctx.deps, Number(formText(ctx, EVIDENCE_PICK_FIELDS.measure)), c.campaignId);
  if (!measure) return { toast: toast('error', '请选择一项整改措施。') };
  if (!mayAttachEvidence(ctx.actor, measure)) return { toast: toast('error', `您不能为措施 ${measure.code} 上传佐证材料。`) };
  const { deps, actor } = ctx;
  deps.defer(async () => {
    const file = { messageId: c.messageId, fileKey: c.fileKey, kind: c.kind, name: c.fileName || undefined };
    const outcome = await attachMessageFile(deps, { actor, measure, file, source: 'pick' });
    await deliverOutcome(deps, outcome, { openId: actor.openId }, `evp:${actionKey(ctx)}`);
    if (outcome.changed?.length) {
      // The question is answered: the card says so (a patch through the outbox, once).
      const done = JSON.stringify(pickCard(c, { kind: 'done', code: measure.code }).data);
      await enqueueMessage(deps.db, { kind: 'patch', messageId, msgType: 'interactive', content: done, uuid: stableId('evpd', messageId) }, deps.clock.now());
    }
    deps.outbox.kick();
  });
  return { toast: toast('info', `正在保存为措施 ${measure.code} 的佐证材料`), card: pickCard(c, { kind: 'saving', code: measure.code }) };
};
