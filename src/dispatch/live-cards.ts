import { listMeasureCards } from '../../db/queries/card-messages.js';
import { getMeasure } from '../../db/queries/measures-write.js';
import { loadActor } from '../../db/queries/people.js';
import { measureCard } from '../../cards/measure.card.js';
import { isSharedCard, SHARED } from '../views/audience.js';
import { measureViewOf } from '../views/measure.view.js';
import type { ServiceDeps } from '../deps.js';
import { enqueueMessage } from '../outbox/outbound-message.js';
import { stableId } from '../outbox/stable-id.js';

/** Feishu lets a sent card be updated for 14 days; older ones are left as they are. */
export const CARD_UPDATE_WINDOW_MS = 14 * 24 * 3600_000;

/**
 * Updates, in place, every card already sent for these measures, so nobody acts on a stale
 * card. Each card is rendered for the person it was sent to (in a group chat, for nobody in
 * particular); the update goes through the outbox (rate limits, retries) with a uuid per
 * message and version, so it is sent once.
 */
export async function refreshMeasureCards(deps: ServiceDeps, measureIds: number[], exceptMessageId?: string): Promise<number> {
  const since = new Date(deps.clock.now().getTime() - CARD_UPDATE_WINDOW_MS).toISOString();
  let queued = 0;
  for (const id of new Set(measureIds)) {
    const measure = await getMeasure(deps.db, id);
    if (!measure) continue;
    for (const sent of await listMeasureCards(deps.db, id, since)) {
      if (sent.messageId === exceptMessageId) continue;
      const viewer = String((sent.context as { viewer?: unknown } | null)?.viewer ?? '');
      const audience = isSharedCard(sent.context) ? SHARED : { viewer: await loadActor(deps.db, viewer) };
      const view = await measureViewOf(deps, audience, measure);
      const fresh = await enqueueMessage(
        deps.db,
        {
          kind: 'patch',
          messageId: sent.messageId,
          msgType: 'interactive',
          content: JSON.stringify(measureCard(view)),
          uuid: stableId('patch', sent.messageId, measure.version),
        },
        deps.clock.now(),
      );
      if (fresh) queued += 1;
    }
  }
  return queued;
}
