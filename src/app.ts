import { pingDatabase } from '../db/queries/health.js';
import { Hono } from 'hono';
import type { CommandRegistry } from '../commands/types.js';
import { cardActionHandlers } from './dispatch/card-action-handlers/index.js';
import { createCardActionRouter, type CardActionHandlerFn } from './dispatch/card-actions.js';
import { createEventRouter } from './dispatch/event-router.js';
import type { Deps } from './deps.js';
import { createEventAcceptor } from './feishu/accept-event.js';
import { createIngress } from './feishu/ingress.js';
import { createWebhookRoute, webhookBodyLimit } from './feishu/webhook.js';
import { createLongConnectionDoor } from './feishu/ws-events.js';
import type { LongConnectionHealth } from './feishu/ws-health.js';
import { describeError } from './logger.js';

export interface AppOptions {
  registry?: CommandRegistry;
  cardActions?: Record<string, CardActionHandlerFn>;
  /** card callbacks answer as pending after this long (default 2.5 s; tests shorten it) */
  cardAnswerBudgetMs?: number;
  /** websocket mode: the long connection whose state /healthz reports (opened by the Node entry) */
  longConnection?: () => LongConnectionHealth | undefined;
}

/** The HTTP surface of duban. Knows nothing about the runtime it is served from. */
export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono();
  const { verificationToken, encryptKey, replayWindowMs, eventMode } = deps.config.feishu;
  const ingress = createIngress({ verificationToken, encryptKey, replayWindowMs, now: () => deps.clock.now() }, deps.crypto);
  const onEvent = createEventRouter(options.registry);
  const onCardAction = createCardActionRouter(options.cardActions ?? cardActionHandlers);
  // One acceptor for both doors: the webhook route below, and the long connection (websocket mode).
  const accept = createEventAcceptor(deps, { onEvent, onCardAction }, { cardAnswerBudgetMs: options.cardAnswerBudgetMs });

  app.get('/healthz', async (c) => {
    let db: 'ok' | 'unreachable' = 'ok';
    try {
      await pingDatabase(deps.db);
    } catch {
      db = 'unreachable';
    }
    const connection = eventMode === 'websocket' ? options.longConnection?.()?.status() : undefined;
    const healthy = db === 'ok' && (eventMode === 'webhook' || connection?.healthy === true);
    return c.json(
      // Webhook mode answers as it always has; websocket mode adds the connection's state.
      { status: healthy ? 'ok' : 'degraded', db, mode: deps.config.mode, ...(eventMode === 'websocket' ? { eventMode, connection: connection ?? null } : {}) },
      healthy ? 200 : 503,
    );
  });

  // In websocket mode events come over the long connection only: the webhook door is not there,
  // so a console still set to "send to developer server" fails visibly instead of half working.
  if (eventMode === 'webhook') app.post('/feishu/events', webhookBodyLimit, createWebhookRoute(deps, ingress, accept));

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((e, c) => {
    deps.log.error('unhandled request error', { path: c.req.path, error: describeError(e) });
    return c.json({ error: 'internal error' }, 500);
  });
  return { app, onEvent, longConnectionDoor: createLongConnectionDoor(deps, accept) };
}
