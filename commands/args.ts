import { z } from 'zod';

/**
 * Argument grammar shared by the commands. Every schema takes the raw text after the command
 * word; a failed parse becomes "reason + usage" in the reply, in Chinese.
 */

/** Splits off the first whitespace-separated word. */
export function firstWord(s: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(s.trim());
  return m ? [m[1]!, m[2]!.trim()] : ['', ''];
}

const PERCENT = /(?:^|\s)(\d{1,3})\s*[%％]\s*$|^\s*(\d{1,3})\s*[%％](?:\s|$)/;

/** Takes a percentage written at the start or the end of a report ("60%" or "60％"). */
export function extractPercent(text: string): { text: string; percent?: number } {
  const normalized = text.replace(/％/g, '%');
  const m = PERCENT.exec(normalized);
  if (!m) return { text: text.trim() };
  const percent = Number(m[1] ?? m[2]);
  return { text: normalized.replace(m[0], ' ').trim(), percent };
}

export const noArgs = z.string().transform(() => undefined);

export const codeOnly = z
  .string()
  .transform((s) => firstWord(s))
  .refine(([code]) => code !== '', { message: '请写上措施编号。' })
  .transform(([code, rest]) => ({ code, rest }));

export const codeAndText = (missing: string) =>
  z
    .string()
    .transform((s) => firstWord(s))
    .refine(([code]) => code !== '', { message: '请写上措施编号。' })
    .refine(([, rest]) => rest !== '', { message: missing })
    .transform(([code, rest]) => ({ code, text: rest }));

export const reportArgs = z
  .string()
  .transform((s) => firstWord(s))
  .refine(([code]) => code !== '', { message: '请写上措施编号和进展内容。' })
  .transform(([code, rest]) => ({ code, ...extractPercent(rest) }))
  .refine((a) => a.text !== '', { message: '请写上进展内容。' })
  .refine((a) => a.percent === undefined || (a.percent >= 0 && a.percent <= 100), { message: '完成比例应在 0% 到 100% 之间。' });

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/**
 * 2025-03-31, 2025/3/31, 2025.3.31, 2025年3月31日, 3月31日, 3.31, 3/31. Without a year the
 * date is the next one on or after today.
 */
export function parseCommandDate(input: string, today: string): string | undefined {
  const s = input.normalize('NFKC').trim().replace(/日$|号$/, '');
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})$/.exec(s);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})$/.exec(s);
  if (m) {
    const year = Number(today.slice(0, 4));
    const thisYear = validDate(year, Number(m[1]), Number(m[2]));
    if (thisYear && thisYear >= today) return thisYear;
    return validDate(year + 1, Number(m[1]), Number(m[2])) ?? thisYear;
  }
  return undefined;
}

export const DATE_HINT = '日期可以写成 2025-03-31、2025/3/31、3月31日 或 3.31。';
