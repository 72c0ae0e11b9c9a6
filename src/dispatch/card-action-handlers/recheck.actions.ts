/**
 * 成效巩固 / 出现反弹 on a 回头看 card. The re-check is the one the message was sent for (from what
 * was stored when it was sent, never from the card); who may answer is decided by the service
 * from the database. The first answer applies; a second (a double click, the other recipient at
 * the same moment) changes nothing and is told what the first one was. Every other copy of the
 * card is updated to show the answer.
 */
import { recheckFieldNames } from '../../../cards/actions.js';
import { getCardMessage, listMeasureCards } from '../../../db/queries/card-messages.js';
import { stableId } from '../../outbox/stable-id.js';
import { enqueueMessage } from '../../outbox/outbound-message.js';
import { workCalendarFor } from '../../services/calendar.js';
import { formatChineseDate } from '../../services/deadline-state.js';
import { answerRecheck, earlierAnswerText, type RecheckRow } from '../../services/rechecks.js';
import type { RecheckOutcome } from '../../domain/enums.js';
import { recheckMessage } from '../../views/recheck.view.js';
import type { ServiceDeps } from '../../deps.js';
import type { CardActionContext, CardActionHandlerFn, CardAnswer } from '../card-actions.js';
import { CARD_UPDATE_WINDOW_MS } from '../live-cards.js';
import { afterAnswer, formText, MISMATCH, refusalsAsToast, toast } from './action-answer.js';

const recheckIdOf = (context: unknown) => Number((context as { recheckId?: unknown } | null)?.recheckId);

async function currentCard(ctx: CardActionContext, recheckId: number): Promise<CardAnswer['card']> {
  const m = await recheckMessage(ctx.deps, recheckId);
  return m ? { type: 'raw', data: m.card } : undefined;
}

/** Shows the answer on the re-check's other cards (the other recipient's, the secretaries'). */
async function refreshRecheckCards(deps: ServiceDeps, recheck: RecheckRow, exceptMessageId: string): Promise<void> {
  const m = await recheckMessage(deps, recheck.id);
  if (!m) return;
  const since = new Date(deps.clock.now().getTime() - CARD_UPDATE_WINDOW_MS).toISOString();
  for (const sent of await listMeasureCards(deps.db, recheck.measureId, since, 'recheck')) {
    if (sent.messageId === exceptMessageId || recheckIdOf(sent.context) !== recheck.id) continue;
    const patch = { kind: 'patch' as const, messageId: sent.messageId, msgType: 'interactive' as const, content: JSON.stringify(m.card) };
    await enqueueMessage(deps.db, { ...patch, uuid: stableId('rcp', sent.messageId, recheck.outcome ?? '') }, deps.clock.now());
  }
}

export const answer =
  (outcome: RecheckOutcome): CardActionHandlerFn =>
  async (ctx) => {
    const recheckId = Number(ctx.value.recheckId);
    const messageId = ctx.action.context.open_message_id ?? '';
    const sent = messageId ? await getCardMessage(ctx.deps.db, messageId) : undefined;
    if (sent?.kind !== 'recheck' || !Number.isInteger(recheckId) || recheckIdOf(sent.context) !== recheckId || Number(ctx.value.measureId) !== sent.measureId) {
      ctx.deps.log.warn('re-check action does not match the card that was sent', { eventId: ctx.eventId, messageId, claimed: ctx.value.recheckId });
      return { toast: toast('error', MISMATCH) };
    }
    const reason = formText(ctx, recheckFieldNames(recheckId).reboundReason);
    if (outcome === 'rebounded' && !reason) return { toast: toast('error', '请填写反弹情况。'), card: await currentCard(ctx, recheckId) };
    return refusalsAsToast(
      async () => {
        const r = await answerRecheck(ctx.deps, { actor: ctx.actor, recheckId, outcome, reason });
        const card = await currentCard(ctx, recheckId);
        if (!r.applied) {
          const calendar = workCalendarFor(ctx.deps);
          const today = calendar.toDate(ctx.deps.clock.now());
          return {
            toast: toast(
              'info',
              earlierAnswerText(r.recheck, (iso) => formatChineseDate(calendar.toDate(new Date(iso)), today)),
            ),
            card,
          };
        }
        afterAnswer(ctx, { replies: [], notices: r.notices, changed: outcome === 'rebounded' ? [r.measure.id] : [] }, messageId);
        ctx.deps.defer(async () => {
          await refreshRecheckCards(ctx.deps, r.recheck, messageId);
          ctx.deps.outbox.kick();
        });
        return { toast: toast('success', outcome === 'held' ? '已记录：整改成效巩固' : '已记录反弹，措施已恢复为“整改中”，并已告知整改办'), card };
      },
      () => currentCard(ctx, recheckId),
    );
  };
