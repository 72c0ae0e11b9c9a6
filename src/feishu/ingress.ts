import { ChallengeSchema, parseEnvelope } from './envelope.js';
import type { IncomingEvent } from '../dispatch/incoming-events.js';
import { feishuSignature, safeEqual, webCrypto, type FeishuCrypto } from './crypto.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from './json-depth.js';
import { freshness, parseRequestTimestamp, unsignedMaxAgeMs } from './replay-window.js';

/**
 * Turns a raw webhook request into a verified event, a challenge answer or a rejection.
 * Order matters: the challenge is not signed, so it is answered before the signature
 * check, but only after its token is compared.
 */

export interface IngressSecurity {
  verificationToken?: string;
  encryptKey?: string;
  /** signed requests older than this are refused as replays (see replay-window.ts) */
  replayWindowMs: number;
  now: () => Date;
}

export interface SignatureHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

export type IngressResult =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'event'; event: IncomingEvent }
  | { kind: 'reject'; status: 400 | 401; reason: string };

export interface Ingress {
  verify(raw: string, headers: SignatureHeaders): Promise<IngressResult>;
}

export function createIngress(security: IngressSecurity, impl: FeishuCrypto = webCrypto): Ingress {
  const encryptKey = security.encryptKey;

  const tokenMatches = (token: string | undefined) =>
    security.verificationToken === undefined || (token !== undefined && safeEqual(token, security.verificationToken));

  async function signatureValid(raw: string, h: SignatureHeaders): Promise<boolean> {
    if (!h.signature || !h.timestamp || !h.nonce) return false;
    const expected = await feishuSignature(h.timestamp, h.nonce, encryptKey!, raw, impl);
    return safeEqual(expected, h.signature.toLowerCase());
  }

  /** The signed timestamp is recent: a captured request cannot be replayed after the window. */
  function signedFreshness(timestamp: string): IngressResult | undefined {
    const at = parseRequestTimestamp(timestamp);
    if (!at) return { kind: 'reject', status: 401, reason: 'malformed X-Lark-Request-Timestamp' };
    const fresh = freshness('X-Lark-Request-Timestamp', at, security.now(), security.replayWindowMs);
    return fresh.ok ? undefined : { kind: 'reject', status: 401, reason: fresh.reason };
  }

  /** JSON.parse after the cheap depth check, so nothing downstream recurses past the bound. */
  function parseBounded(text: string): { ok: true; value: unknown } | { ok: false; tooDeep: boolean; reason: string } {
    if (!jsonDepthWithin(text)) return { ok: false, tooDeep: true, reason: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false, tooDeep: false, reason: 'malformed JSON' };
    }
  }

  return {
    async verify(raw, headers) {
      const parsed = parseBounded(raw);
      if (!parsed.ok) return { kind: 'reject', status: 400, reason: parsed.reason };
      const body = parsed.value;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'reject', status: 400, reason: 'body is not a JSON object' };

      const hasSignature = Boolean(headers.signature);
      // With a key, a signed request must carry a valid signature before anything else is read.
      if (encryptKey && hasSignature) {
        if (!(await signatureValid(raw, headers))) return { kind: 'reject', status: 401, reason: 'bad signature' };
        const stale = signedFreshness(headers.timestamp!);
        if (stale) return stale;
      }

      let plain: unknown = body;
      const encrypted = (body as { encrypt?: unknown }).encrypt;
      if (encrypted !== undefined) {
        if (!encryptKey || typeof encrypted !== 'string') return { kind: 'reject', status: 401, reason: 'encrypted body but no usable encrypt key' };
        let decrypted: string;
        try {
          decrypted = await impl.decrypt(encryptKey, encrypted);
        } catch {
          return { kind: 'reject', status: 401, reason: 'body does not decrypt with the configured key' };
        }
        const inner = parseBounded(decrypted);
        if (!inner.ok && inner.tooDeep) return { kind: 'reject', status: 400, reason: `decrypted body: ${inner.reason}` };
        if (!inner.ok) return { kind: 'reject', status: 401, reason: 'body does not decrypt with the configured key' };
        plain = inner.value;
      }

      // Checked by its type first: a failed schema parse on every event would cost more than it guards.
      const challenge = (plain as { type?: unknown }).type === 'url_verification' ? ChallengeSchema.safeParse(plain) : undefined;
      if (challenge?.success) {
        if (!tokenMatches(challenge.data.token)) return { kind: 'reject', status: 401, reason: 'bad verification token' };
        return { kind: 'challenge', challenge: challenge.data.challenge };
      }

      if (encryptKey && !hasSignature) return { kind: 'reject', status: 401, reason: 'missing signature' };
      if (encryptKey && encrypted === undefined) return { kind: 'reject', status: 401, reason: 'plain body while an encrypt key is configured' };

      const event = parseEnvelope(plain);
      if (!event) return { kind: 'reject', status: 400, reason: 'not a Feishu event envelope' };
      if (!tokenMatches(event.token)) return { kind: 'reject', status: 401, reason: 'bad verification token' };
      // Unsigned (no key): the event's own create_time is all there is to bound a replay with.
      if (!encryptKey && event.createdAt) {
        const fresh = freshness('event create_time', event.createdAt, security.now(), unsignedMaxAgeMs(security.replayWindowMs));
        if (!fresh.ok) return { kind: 'reject', status: 401, reason: fresh.reason };
      }
      return { kind: 'event', event };
    },
  };
}
