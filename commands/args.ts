import { z } from 'zod';
import { calendarDateOf } from '../src/domain/dates.js';
import { PERCENT_RULE, PERCENT_SHAPE, readPercent } from '../src/domain/number-words.js';
import { reportTextProblem } from '../src/services/report-rules.js';

/**
 * Argument grammar shared by the commands. Every schema takes the raw text after the command
 * word; a failed parse becomes "reason + usage" in the reply, in Chinese.
 */

/** Splits off the first whitespace-separated word. */
export function firstWord(s: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(s.trim());
  return m ? [m[1]!, m[2]!.trim()] : ['', ''];
}

/** What may stand right before a percentage at the end of a report: a break, or 进度/完成/达到. */
const BEFORE = '(?<=^|[\\s，,。；;：:、]|进度|完成|达到|达)';
const AFTER_END = '[\\s。.!！]*$';
const AT_END = new RegExp(`${BEFORE}(${PERCENT_SHAPE})${AFTER_END}`);
const AT_START = new RegExp(`^\\s*(${PERCENT_SHAPE})(?=[\\s，,。；;：:、]|$)`);

export type PercentInText = { text: string; percent?: number; invalidPercent?: string };

/**
 * Takes the completion percentage written at the end or the start of a report (60%, ６０％,
 * 60 %, 百分之六十, 六成). One shaped like a percentage but outside the rule (-20%, 50.5%,
 * 150%) is reported as `invalidPercent`, so the command refuses it rather than keeping it as
 * text; a percentage inside a sentence (提高了 5% 的覆盖率) is text.
 */
export function extractPercent(text: string): PercentInText {
  const m = AT_END.exec(text) ?? AT_START.exec(text);
  const reading = m ? readPercent(m[1]!) : undefined;
  if (!m || !reading) return { text: text.trim() };
  const rest = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).trim().replace(/[\s，,；;：:、]+$/, '');
  return reading.ok ? { text: rest, percent: reading.value } : { text: rest, invalidPercent: reading.written };
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
  .superRefine((a, ctx) => {
    if (a.invalidPercent !== undefined) ctx.addIssue({ code: 'custom', message: `无法记录完成比例“${a.invalidPercent}”：${PERCENT_RULE}。` });
  })
  .refine((a) => a.text !== '', { message: '请写上进展内容。' })
  .superRefine((a, ctx) => {
    const problem = reportTextProblem(a.text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(({ code, text, percent }) => ({ code, text, percent }));

/**
 * 2025-03-31, 2025/3/31, 2025.3.31, 2025年3月31日, 3月31日, 3.31, 3/31. Without a year the
 * date is the next one on or after today.
 */
export function parseCommandDate(input: string, today: string): string | undefined {
  const s = input
    .normalize('NFKC')
    .trim()
    .replace(/日$|号$/, '');
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})$/.exec(s);
  if (m) return calendarDateOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})$/.exec(s);
  if (m) {
    const year = Number(today.slice(0, 4));
    const thisYear = calendarDateOf(year, Number(m[1]), Number(m[2]));
    if (thisYear && thisYear >= today) return thisYear;
    return calendarDateOf(year + 1, Number(m[1]), Number(m[2])) ?? thisYear;
  }
  return undefined;
}

export const DATE_HINT = '日期可以写成 2025-03-31、2025/3/31、3月31日 或 3.31。';
