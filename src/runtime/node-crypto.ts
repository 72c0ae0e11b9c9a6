/** Node-only: the webhook's crypto on node:crypto, synchronous (imported by entry.node.ts only). */
import { createDecipheriv, createHash } from 'node:crypto';
import type { FeishuCrypto } from '../feishu/crypto.js';

const keys = new Map<string, Buffer>();

export const nodeCrypto: FeishuCrypto = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  decrypt(encryptKey, b64) {
    let key = keys.get(encryptKey);
    if (!key) keys.set(encryptKey, (key = createHash('sha256').update(encryptKey, 'utf8').digest()));
    const buf = Buffer.from(b64, 'base64');
    if (buf.length < 32 || buf.length % 16 !== 0) throw new Error('ciphertext has an invalid length');
    const decipher = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
    const plain = Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]);
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  },
};
