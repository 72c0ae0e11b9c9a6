import { ChallengeSchema, parseEnvelope, type IncomingEvent } from './envelope.js';
import { feishuSignature, safeEqual, webCrypto, type FeishuCrypto } from './crypto.js';

/**
 * Turns a raw webhook request into a verified event, a challenge answer or a rejection.
 * Order matters: the challenge is not signed, so it is answered before the signature
 * check, but only after its token is compared.
 */

export interface IngressSecurity {
  verificationToken?: string;
  encryptKey?: string;
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

  return {
    async verify(raw, headers) {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return { kind: 'reject', status: 400, reason: 'malformed JSON' };
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return { kind: 'reject', status: 400, reason: 'body is not a JSON object' };

      const hasSignature = Boolean(headers.signature);
      // With a key, a signed request must carry a valid signature before anything else is read.
      if (encryptKey && hasSignature && !(await signatureValid(raw, headers))) return { kind: 'reject', status: 401, reason: 'bad signature' };

      let plain: unknown = body;
      const encrypted = (body as { encrypt?: unknown }).encrypt;
      if (encrypted !== undefined) {
        if (!encryptKey || typeof encrypted !== 'string') return { kind: 'reject', status: 401, reason: 'encrypted body but no usable encrypt key' };
        try {
          plain = JSON.parse(await impl.decrypt(encryptKey, encrypted));
        } catch {
          return { kind: 'reject', status: 401, reason: 'body does not decrypt with the configured key' };
        }
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
      return { kind: 'event', event };
    },
  };
}
