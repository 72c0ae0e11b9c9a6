/**
 * Evidence buttons: 上传佐证 and 获取佐证文件 on a measure card, and the "which measure is this file
 * for" card. Files to send back are uploaded after the answer (the callback has 3 seconds) and
 * reach the presser's private chat; a chosen file is kept before the answer.
 */
import { EVIDENCE_PICK_FIELDS } from '../../../cards/actions.js';
import { evidencePickCard } from '../../../cards/evidence-pick.card.js';
import type { EvidencePickView } from '../../../cards/views.js';
import { evidenceFileReplies } from '../../../commands/evidence.command.js';
import { getCardMessage } from '../../../db/queries/card-messages.js';
import { EVIDENCE_SESSION_MINUTES, evidenceMaxBytes, evidenceOf, mayAttachEvidence, startEvidenceSession } from '../../services/evidence.service.js';
import { canSee } from '../../services/measure-access.js';
import type { EvidencePickContext } from '../../views/evidence.view.js';
import { text } from '../../views/reply.js';
import type { CardActionHandlerFn } from '../card-actions.js';
import { attachMessageFile, pickedMeasure } from '../evidence-file.js';
import { deliverOutcome } from '../replies.js';
import { afterAnswer, formText, MISMATCH, PRIVATE_CHAT, refusalsAsToast, sendPrivately, toast } from './action-answer.js';
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
  // Kept before answering, so the answer says what was stored; a slow download is answered as
  // pending by the webhook and the card follows as a delayed update (src/feishu/webhook.ts).
  const file = { messageId: c.messageId, fileKey: c.fileKey, kind: c.kind, name: c.fileName || undefined };
  const outcome = await attachMessageFile(ctx.deps, { actor: ctx.actor, measure, file, source: 'pick' });
  // The confirmation (or refusal) also goes to the private chat, and the measure's cards are redrawn.
  afterAnswer(ctx, outcome);
  const said = outcome.replies[0]?.kind === 'text' ? outcome.replies[0].text.split('\n')[0]! : '';
  if (!outcome.kept) return { toast: toast('error', said) };
  return { toast: toast(outcome.changed?.length ? 'success' : 'info', said), card: pickCard(c, { kind: 'done', code: measure.code }) };
};
