/**
 * Feishu request security with WebCrypto only, so the same code runs on Node and Workers.
 * Signature: hex(sha256(timestamp + nonce + encryptKey + rawBody)).
 * Encryption: base64(iv[16] || AES-256-CBC(PKCS#7)) with key sha256(encryptKey).
 */

const encoder = new TextEncoder();

function toHex(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, '0');
  return out;
}

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin);
}

/**
 * The two primitives the webhook needs. WebCrypto (below) runs everywhere; the Node entry
 * may pass a node:crypto implementation, which avoids a thread-pool hop per request.
 */
export interface FeishuCrypto {
  sha256Hex(text: string): string | Promise<string>;
  /** Decrypts base64(iv || AES-256-CBC) with key sha256(encryptKey); throws on bad input. */
  decrypt(encryptKey: string, b64: string): string | Promise<string>;
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

export async function feishuSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string,
  impl: Pick<FeishuCrypto, 'sha256Hex'> = webCrypto,
): Promise<string> {
  return impl.sha256Hex(timestamp + nonce + encryptKey + rawBody);
}

/** Holds the derived AES key so it is imported once per encrypt key, not per request. */
export class FeishuCipher {
  private keyPromise: Promise<Awaited<ReturnType<typeof crypto.subtle.importKey>>> | undefined;

  constructor(private readonly encryptKey: string) {}

  private key(): Promise<Awaited<ReturnType<typeof crypto.subtle.importKey>>> {
    this.keyPromise ??= crypto.subtle
      .digest('SHA-256', encoder.encode(this.encryptKey))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']));
    return this.keyPromise;
  }

  /** Throws on anything that is not valid ciphertext for this key. */
  async decrypt(b64: string): Promise<string> {
    const buf = fromBase64(b64);
    if (buf.length < 32 || buf.length % 16 !== 0) throw new Error('ciphertext has an invalid length');
    const plain = await crypto.subtle.decrypt({ name: 'AES-CBC', iv: buf.slice(0, 16) }, await this.key(), buf.slice(16));
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  }

  /** The inverse of decrypt; used by tests and tools that play the platform's part. */
  async encrypt(plain: string, iv: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(16))): Promise<string> {
    const cipher = await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, await this.key(), encoder.encode(plain));
    const out = new Uint8Array(16 + cipher.byteLength);
    out.set(iv, 0);
    out.set(new Uint8Array(cipher), 16);
    return toBase64(out);
  }
}

const ciphers = new Map<string, FeishuCipher>();

export const webCrypto: FeishuCrypto = {
  sha256Hex,
  decrypt(encryptKey, b64) {
    let c = ciphers.get(encryptKey);
    if (!c) ciphers.set(encryptKey, (c = new FeishuCipher(encryptKey)));
    return c.decrypt(b64);
  },
};
