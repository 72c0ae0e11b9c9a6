import type { Deps } from '../deps.js';
import { CardActionSchema, type CardAction, type IncomingEvent } from './incoming-events.js';
import { loadActor, type Actor } from '../../db/queries/people.js';

/** The answer to a card callback: a toast and/or a replacement card (raw JSON 2.0). */
export type CardAnswer = {
  toast?: { type: 'info' | 'success' | 'error' | 'warning'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
};

export interface CardActionContext {
  deps: Deps;
  actor: Actor;
  action: CardAction;
  /** the value the button carried: a claim to check, never a permission */
  value: Record<string, unknown>;
  eventId: string;
}

export type CardActionHandlerFn = (ctx: CardActionContext) => Promise<CardAnswer>;

const STALE: CardAnswer = { toast: { type: 'warning', content: '该卡片已失效，请发送“帮助”查看可用命令。' } };

/** Routes card callbacks by the `action` field of the button's value. */
export function createCardActionRouter(handlers: Record<string, CardActionHandlerFn>) {
  return async function onCardAction(deps: Deps, event: IncomingEvent): Promise<Record<string, unknown>> {
    const parsed = CardActionSchema.safeParse(event.event);
    if (!parsed.success) {
      deps.log.warn('card action with an unexpected shape', { eventId: event.id });
      return STALE;
    }
    const raw = parsed.data.action.value;
    const value = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const handler = typeof value.action === 'string' ? handlers[value.action] : undefined;
    if (!handler) return STALE;
    const actor = await loadActor(deps.db, parsed.data.operator.open_id);
    return handler({ deps, actor, action: parsed.data, value, eventId: event.id });
  };
}
