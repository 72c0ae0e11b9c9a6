/**
 * Numbers as people write them in Chinese text: 五, 十二, 四十三, 一百零五, 两百, and the
 * completion percentages of a report (60%, ６０％, 百分之六十, 六成, 百分之百). The one home for
 * number words: ledger headings, category ordinals and chat commands all read them here.
 */

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const D = '一二两三四五六七八九';

/** 十 .. 九十九 (十五, 二十, 四十三); undefined otherwise. */
function tens(s: string): number | undefined {
  const m = new RegExp(`^([${D}])?十([${D}])?$`).exec(s);
  if (!m) return undefined;
  return (m[1] ? DIGITS[m[1]]! : 1) * 10 + (m[2] ? DIGITS[m[2]]! : 0);
}

/**
 * 0 .. 999 written in Arabic digits or Chinese numerals: 零, 七, 十, 十一, 四十三, 百, 一百,
 * 一百零五, 一百二十, 一百五 (colloquial 150), 两百. Undefined for anything else.
 */
export function chineseNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (t.length === 1 && t in DIGITS) return DIGITS[t];
  const h = new RegExp(`^([${D}])?百(.*)$`).exec(t);
  if (!h) return tens(t);
  const hundreds = (h[1] ? DIGITS[h[1]]! : 1) * 100;
  const rest = h[2]!;
  if (rest === '') return hundreds;
  if (rest.length === 1 && rest in DIGITS && rest !== '零' && rest !== '〇') return hundreds + DIGITS[rest]! * 10; // 一百五
  const zero = new RegExp(`^[零〇]([${D}])$`).exec(rest); // 一百零五
  if (zero) return hundreds + DIGITS[zero[1]!]!;
  const t2 = tens(rest);
  return t2 !== undefined && /^[一二两三四五六七八九]/.test(rest) ? hundreds + t2 : undefined;
}

/** The rule for a completion percentage, as replies name it. */
export const PERCENT_RULE = '完成比例应为 0–100 的整数，如 60%、百分之六十或六成';

/**
 * Anything shaped like a percentage (valid or not): Arabic with a sign or decimals and % or ％,
 * 百分之 + number words (with 点 for decimals, 负 for negatives), 六成 / 六成五.
 * Used to find a percentage in text; `readPercent` then decides whether it is acceptable.
 */
export const PERCENT_SHAPE = `(?:[+\\-−－]?\\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\\s*[%％]|负?百分之[零〇一二两三四五六七八九十百点]+|[一二两三四五六七八九十]成[一二三四五六七八九]?)`;

export type PercentReading = { ok: true; value: number } | { ok: false; written: string };

/**
 * Reads one percentage token. Undefined when the token is not shaped like a percentage at all;
 * { ok: false } when it is but breaks the rule (negative, decimal, above 100).
 */
export function readPercent(token: string): PercentReading | undefined {
  const written = token.trim();
  const t = written.normalize('NFKC').replace(/\s+/g, '');
  const invalid = { ok: false as const, written };
  const inRange = (n: number | undefined): PercentReading => (n !== undefined && n >= 0 && n <= 100 ? { ok: true, value: n } : invalid);
  let m: RegExpExecArray | null;
  if ((m = /^([+\-−]?)(\d+)(\.\d+)?%$/.exec(t))) return m[1] === '-' || m[1] === '−' || m[3] ? invalid : inRange(Number(m[2]));
  if ((m = /^(负?)百分之(.+)$/.exec(t))) return m[1] || m[2]!.includes('点') ? invalid : inRange(chineseNumber(m[2]!));
  if ((m = new RegExp(`^([${D}十])成([${D}])?$`).exec(t))) {
    const tenths = m[1] === '十' ? 10 : DIGITS[m[1]!]!;
    return inRange(tenths * 10 + (m[2] ? DIGITS[m[2]]! : 0));
  }
  return undefined;
}
