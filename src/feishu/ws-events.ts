import type { Deps } from '../deps.js';
import { describeError } from '../logger.js';
import { whileAcknowledging, type AcceptEvent } from './accept-event.js';
import { webCrypto } from './crypto.js';
import { parseEnvelope } from './envelope.js';

/**
 * The long connection's door: what the SDK's WSClient hands its event dispatcher (the JSON of
 * one event or callback, its frames already merged) goes to the same acceptor as a verified
 * webhook request, and what that returns is the answer the SDK puts in the response frame
 * (base64 JSON in `data`, with code 200; code 500 when this throws, and Feishu delivers again).
 *
 * Nothing here checks signatures or the verification token: there are none to check. The
 * connection itself was opened with the app secret, and "长连接模式下…推送的数据为明文" (payloads
 * are plaintext once the connection is authenticated, https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/request-url-configuration-case).
 * Should an encrypted body come anyway, it is decrypted with the configured key.
 *
 * Card callbacks come the same way: the new-style `card.action.trigger` arrives as an event
 * frame with the 2.0 envelope, and the SDK sends back whatever this returns, so the answer is the
 * webhook's `{toast, card: {type: 'raw', data}}` (处理回调,
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/server-side-sdk/nodejs-sdk/handling-callbacks;
 * the legacy card callback is not delivered over the long connection).
 */
export function createLongConnectionDoor(deps: Deps, accept: AcceptEvent): (payload: unknown) => Promise<Record<string, unknown>> {
  const crypto = deps.crypto ?? webCrypto;
  const encryptKey = deps.config.feishu.encryptKey;

  async function plain(payload: unknown): Promise<unknown> {
    const encrypted = (payload as { encrypt?: unknown } | null)?.encrypt;
    if (typeof encrypted !== 'string') return payload;
    if (!encryptKey) throw new Error('encrypted payload on the long connection and no FEISHU_ENCRYPT_KEY to read it');
    return JSON.parse(await crypto.decrypt(encryptKey, encrypted)) as unknown;
  }

  return (payload) =>
    whileAcknowledging(deps, async () => {
      const event = parseEnvelope(await plain(payload));
      if (!event) {
        // Acknowledged: the same payload delivered again would not parse either.
        deps.log.warn('long connection payload is not a Feishu event envelope, acknowledged', {
          keys: payload && typeof payload === 'object' ? Object.keys(payload).slice(0, 10).join(',') : typeof payload,
        });
        return {};
      }
      try {
        return await accept(event);
      } catch (e) {
        deps.log.error('long connection event not stored, Feishu will deliver it again', { eventId: event.id, error: describeError(e) });
        throw e;
      }
    });
}
