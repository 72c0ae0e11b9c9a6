/**
 * Deterministic ids for outgoing messages (Feishu's uuid: at most 50 characters, one
 * message per uuid per hour). Readable when short enough, hashed (FNV-1a 64) when not.
 */
export function stableId(...parts: Array<string | number>): string {
  const joined = parts.join(':');
  if (joined.length <= 50) return joined;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ joined.length;
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  const prefix = String(parts[0]).slice(0, 16);
  return `${prefix}:${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
