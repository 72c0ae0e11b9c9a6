/**
 * Nesting bound for request bodies. JSON.parse copes with deep nesting, but what recurses over
 * the parsed value afterwards (zod, JSON.stringify when the event is stored) overflows the stack
 * at a few thousand levels. Feishu's envelopes nest about 6 deep; card values are ours and
 * shallow; 64 leaves ample room.
 */
export const MAX_JSON_DEPTH = 64;

/** True when no object or array in `text` nests deeper than `max`: one pass, no parse. */
export function jsonDepthWithin(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}
