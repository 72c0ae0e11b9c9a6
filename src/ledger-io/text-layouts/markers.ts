import { chineseNumber } from '../../domain/number-words.js';

/**
 * The numbering at the start of a paragraph, read the way people type it: full- or half-width
 * brackets and points, and stray spaces inside (（ 一 ）、, 一 、, 1 ., ( 2 )). The rest keeps
 * the paragraph's own punctuation.
 */

/** Heading levels by the numbering they use, outermost first. */
export type Rank = 1 | 2 | 3 | 4 | 5;

export type Marker = { kind: 'numbered'; rank: Rank; n: number; rest: string } | { kind: 'shi'; n: number; rest: string } | { kind: 'plain'; rest: string };

/** spaces, ideographic spaces and the zero-width characters editors leave behind */
const WS = '[\\s\\u3000\\u200b-\\u200d]*';
const CN = '[一二三四五六七八九十]+';
const DIGITS = '[0-9０-９]{1,2}';

const PATTERNS: Array<[Rank | 'shi', RegExp]> = [
  [2, new RegExp(`^[（(]${WS}(${CN})${WS}[）)]${WS}[、.．,，:：]?${WS}`)], // （一）
  [1, new RegExp(`^(${CN})${WS}[、．.]${WS}`)], // 一、
  ['shi', new RegExp(`^(${CN})是${WS}[，,、：:]?${WS}`)], // 一是
  [4, new RegExp(`^[（(]${WS}(${DIGITS})${WS}[）)]${WS}[、.．]?${WS}`)], // （1）
  [3, new RegExp(`^(${DIGITS})${WS}(?:[、．]|\\.(?![0-9])|[)）])${WS}`)], // 1. 1、 1）
  [5, /^([①-⑳])[\s\u3000]*/], // ①
];

/** 一 .. 九十九, 1 .. 99 (full width too), ① .. ⑳ as headings number themselves; 0 when unreadable. */
function headingNumber(s: string): number {
  if (/^[①-⑳]$/.test(s)) return s.charCodeAt(0) - 0x2460 + 1;
  return chineseNumber(s.normalize('NFKC')) ?? 0;
}

export function markerOf(original: string): Marker {
  const paragraph = original.replace(/^[\s\u3000\u200b-\u200d]+/, '');
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(paragraph);
    if (!m) continue;
    const rest = paragraph.slice(m[0].length).trim();
    const n = headingNumber(m[1]!);
    return kind === 'shi' ? { kind, n, rest } : { kind: 'numbered', rank: kind, n, rest };
  }
  return { kind: 'plain', rest: paragraph.trim() };
}
