import { pingDatabase } from '../db/queries/health.js';
import { Hono } from 'hono';
import type { CommandRegistry } from '../commands/types.js';
import { cardActionHandlers } from './dispatch/card-action-handlers/index.js';
import { createCardActionRouter, type CardActionHandlerFn } from './dispatch/card-actions.js';
import { createEventRouter } from './dispatch/event-router.js';
import type { Deps } from './deps.js';
import { createIngress } from './feishu/ingress.js';
import { createWebhookRoute, webhookBodyLimit } from './feishu/webhook.js';
import { describeError } from './logger.js';

export interface AppOptions {
  registry?: CommandRegistry;
  cardActions?: Record<string, CardActionHandlerFn>;
  /** card callbacks answer as pending after this long (default 2.5 s; tests shorten it) */
  cardAnswerBudgetMs?: number;
}

/** The HTTP surface of duban. Knows nothing about the runtime it is served from. */
export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new Hono();
  const { verificationToken, encryptKey, replayWindowMs } = deps.config.feishu;
  const ingress = createIngress({ verificationToken, encryptKey, replayWindowMs, now: () => deps.clock.now() }, deps.crypto);
  const onEvent = createEventRouter(options.registry);
  const onCardAction = createCardActionRouter(options.cardActions ?? cardActionHandlers);

  app.get('/healthz', async (c) => {
    let db: 'ok' | 'unreachable' = 'ok';
    try {
      await pingDatabase(deps.db);
    } catch {
      db = 'unreachable';
    }
    return c.json({ status: db === 'ok' ? 'ok' : 'degraded', db, mode: deps.config.mode }, db === 'ok' ? 200 : 503);
  });

  app.post(
    '/feishu/events',
    webhookBodyLimit,
    createWebhookRoute(deps, ingress, { onEvent, onCardAction }, { cardAnswerBudgetMs: options.cardAnswerBudgetMs }),
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((e, c) => {
    deps.log.error('unhandled request error', { path: c.req.path, error: describeError(e) });
    return c.json({ error: 'internal error' }, 500);
  });
  return { app, onEvent };
}
