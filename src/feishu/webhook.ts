import type { Context } from 'hono';
import type { Deps } from '../deps.js';
import type { Ingress } from './ingress.js';
import { bodyLimit } from 'hono/body-limit';
import { whileAcknowledging, type AcceptEvent } from './accept-event.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Refuses a request body over 1 MiB with 413 before the route reads it: by Content-Length when
 * given (Feishu always sends one), else counted while it streams. The route then reads the raw
 * body once (the signature covers its exact bytes).
 */
export const webhookBodyLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'payload too large' }, 413) });

/** POST /feishu/events: verify, then hand the event to the acceptor shared with the long connection. */
export function createWebhookRoute(deps: Deps, ingress: Ingress, accept: AcceptEvent) {
  return (c: Context) =>
    whileAcknowledging(deps, async () => {
      const raw = await c.req.text();
      const result = await ingress.verify(raw, {
        timestamp: c.req.header('x-lark-request-timestamp'),
        nonce: c.req.header('x-lark-request-nonce'),
        signature: c.req.header('x-lark-signature'),
      });
      if (result.kind === 'reject') {
        deps.log.warn('feishu request rejected', { status: result.status, reason: result.reason });
        return c.json({ error: result.reason }, result.status);
      }
      if (result.kind === 'challenge') return c.json({ challenge: result.challenge });
      return c.json(await accept(result.event));
    });
}
