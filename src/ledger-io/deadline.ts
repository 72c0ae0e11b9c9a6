import { calendarDateOf, DEADLINE_RANGE_YEARS, daysInMonth as lastDay, deadlineRange } from '../domain/dates.js';
import type { DeadlineKind } from '../domain/enums.js';
import type { LedgerIssue, ParsedLedger, ParsedDeadline } from './ledger.js';

/**
 * Deadlines as ledgers write them: dates in every common form, month ends (2025年3月底前),
 * half years and quarters, 年底前, and the two open kinds 立行立改 (fix at once) and
 * 长期坚持 (ongoing), alone or joined.
 */

export interface DeadlineContext {
  /** the year for forms without one (12月底, 年底前) */
  year: number;
  /**
   * When the year was not taken from the file but guessed from the campaign, a date before
   * this (YYYY-MM-DD) means the following year: 3月底 in a plan made in September is next March.
   */
  notBefore?: string;
}

/**
 * What a measure gets when its source states no deadline (an empty cell, a paragraph without one):
 * 时限待定, to be set with /deadline or a later import. Never 长期坚持: that is a commitment of its own.
 */
export const NO_DEADLINE_STATED: Readonly<ParsedDeadline> = Object.freeze({ kind: 'unset', text: '' });

export function isNoDeadlineStated(d: ParsedDeadline): boolean {
  return d.kind === NO_DEADLINE_STATED.kind;
}

/** The import warning counting the measures whose source states no deadline. */
export function unsetDeadlineWarning(count: number): LedgerIssue {
  return { message: `${count}条措施未写明整改时限，已登记为“时限待定”，可用 /deadline 设定，或在台账中补上后重新导入` };
}

export type DeadlineResult = { ok: true; deadline: ParsedDeadline } | { ok: false; error: string };

/** 时限待定 as an export writes it, or the same said otherwise: read back as unset. */
const UNSET = /^(时限待定|待定|未定|暂无|无|-|—|\/)$/;
const IMMEDIATE = /^(立行立改|立即整改|立查立改|即知即改|马上就改|立即落实)$/;
const ONGOING = /^(长期坚持|长期|持续推进|持续整改|常态化|长期推进|持续坚持|常态长效|长期执行)$/;
const KIND_WORDS = /立行立改|立即整改|立查立改|即知即改|马上就改|立即落实|长期坚持|持续推进|持续整改|常态化|长期推进|持续坚持|常态长效|长期执行/g;

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A real date in the years a ledger can mean (1990–2100); a year outside them is a misreading. */
function isoDate(year: number, month: number, day: number): string | undefined {
  return year < 1990 || year > 2100 ? undefined : calendarDateOf(year, month, day);
}

/** Formats an Excel date cell (exceljs gives a UTC-midnight Date) as YYYY-MM-DD. */
export function excelDateToIso(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

interface DateParse {
  date?: string;
  /** the year came from the text itself */
  explicitYear: boolean;
}

/** One date expression (no 前/完成 around it) -> YYYY-MM-DD, or undefined when not a date. */
function parseDatePart(part: string, ctx: DeadlineContext): DateParse | undefined {
  let m: RegExpExecArray | null;
  const yearOf = (y: string | undefined, rel?: string) => {
    if (y) return Number(y);
    if (rel === '明年' || rel === '次年') return ctx.year + 1;
    return ctx.year;
  };
  const explicit = (y: string | undefined, rel?: string) => y !== undefined || rel === '明年' || rel === '次年';
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[日号]?$/.exec(part))) {
    return { date: isoDate(Number(m[1]), Number(m[2]), Number(m[3])), explicitYear: true };
  }
  if ((m = /^(\d{4})[-/.](\d{1,2})$/.exec(part))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { date: mo >= 1 && mo <= 12 ? isoDate(y, mo, lastDay(y, mo)) : undefined, explicitYear: true };
  }
  const yearPrefix = '(?:(\\d{4})年|(今年|本年|明年|次年))?';
  if ((m = new RegExp(`^${yearPrefix}(\\d{1,2})月(\\d{1,2})[日号]$`).exec(part))) {
    return { date: isoDate(yearOf(m[1], m[2]), Number(m[3]), Number(m[4])), explicitYear: explicit(m[1], m[2]) };
  }
  if ((m = new RegExp(`^${yearPrefix}(\\d{1,2})月(底|末|份|上旬|中旬|下旬)?$`).exec(part))) {
    const y = yearOf(m[1], m[2]);
    const mo = Number(m[3]);
    if (mo < 1 || mo > 12) return { date: undefined, explicitYear: true };
    const day = m[4] === '上旬' ? 10 : m[4] === '中旬' ? 20 : lastDay(y, mo);
    return { date: isoDate(y, mo, day), explicitYear: explicit(m[1], m[2]) };
  }
  if ((m = new RegExp(`^${yearPrefix}(上半年|年中|下半年|年底|年末|年内|底|末|全年|度)?$`).exec(part)) && (m[1] || m[2] || m[3])) {
    const y = yearOf(m[1], m[2]);
    const half = m[3] === '上半年' || m[3] === '年中';
    return { date: half ? isoDate(y, 6, 30) : isoDate(y, 12, 31), explicitYear: explicit(m[1], m[2]) };
  }
  if ((m = new RegExp(`^${yearPrefix}第?([一二三四1-4])季度(末|底)?$`).exec(part))) {
    const y = yearOf(m[1], m[2]);
    const q = CN_DIGITS[m[3]!] ?? Number(m[3]);
    return { date: isoDate(y, q * 3, lastDay(y, q * 3)), explicitYear: explicit(m[1], m[2]) };
  }
  return undefined;
}

/** Removes the words around a date that do not change it: 于…前完成, 截至…, …之前. */
function stripDateWords(part: string): string {
  return part
    .replace(/^(于|在|截至|截止到?|到|至|争取|力争|计划|预计)/, '')
    .replace(/(完成整改|整改完成|全部完成|完成|办结|整改到位|到位)$/, '')
    .replace(/(之前|以前|前)$/, '');
}

function bumpYear(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const day = Math.min(d, lastDay(y + 1, m));
  return `${y + 1}-${pad(m)}-${pad(day)}`;
}

/**
 * Parses the text of a deadline cell or clause. `text` in the result is the cell as written
 * (trimmed); an unknown form is an error quoting it.
 */
export function parseDeadline(raw: string, ctx: DeadlineContext): DeadlineResult {
  const written = raw.replace(/\s+/g, ' ').trim();
  if (!written) return { ok: false, error: '整改时限为空' };
  const compact = written
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[。.]$/, '');
  if (UNSET.test(compact)) return { ok: true, deadline: { ...NO_DEADLINE_STATED } };
  // The open kinds may be joined to each other or to a date in any way (、 并 space or nothing).
  let immediate = false;
  let ongoing = false;
  const rest = compact.replace(KIND_WORDS, (w) => {
    if (IMMEDIATE.test(w)) immediate = true;
    else ongoing = true;
    return '、';
  });
  const dates: string[] = [];
  // A slash between digits is a date separator (2024/12/31); elsewhere it joins two parts.
  const pieces = rest
    .split(/[、,;+]|(?<!\d)\/|\/(?!\d)|并且|并|且|和|及|同时/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const piece of pieces) {
    if (ONGOING.test(piece)) {
      ongoing = true;
      continue;
    }
    const parsed = parseDatePart(stripDateWords(piece), ctx);
    if (!parsed?.date) return { ok: false, error: `无法识别的整改时限“${written}”` };
    dates.push(!parsed.explicitYear && ctx.notBefore && parsed.date < ctx.notBefore ? bumpYear(parsed.date) : parsed.date);
  }
  if (dates.length > 0) {
    // Several dates (a first step and a final one): the last is the deadline.
    return { ok: true, deadline: { kind: 'dated', dueDate: dates.sort().at(-1)!, text: written } };
  }
  const kind: DeadlineKind | undefined = immediate && ongoing ? 'immediate_ongoing' : immediate ? 'immediate' : ongoing ? 'ongoing' : undefined;
  if (!kind) return { ok: false, error: `无法识别的整改时限“${written}”` };
  return { ok: true, deadline: { kind, text: written } };
}

/** The explicit year of a deadline text, when it states one (used as context for later rows). */
export function explicitYearOf(raw: string): number | undefined {
  const m = /(20\d{2})\s*[年\-/.．]/.exec(raw.normalize('NFKC'));
  return m ? Number(m[1]) : undefined;
}

/**
 * Dates more than DEADLINE_RANGE_YEARS from the reference date (a typo such as 9999-12-31, or an
 * Excel date cell gone wrong) are not taken as due dates: the measure keeps the deadline as
 * written, without a date (未设期限), and the import summary says so. The same bound applies to
 * dates typed in chat.
 */
export function boundDeadlines(ledger: ParsedLedger, referenceDate: string): ParsedLedger {
  const { earliest, latest } = deadlineRange(referenceDate);
  const warnings: LedgerIssue[] = [];
  for (const c of ledger.categories) {
    for (const p of c.problems) {
      for (const m of p.measures) {
        const due = m.deadline.dueDate;
        if (!due || (due >= earliest && due <= latest)) continue;
        warnings.push({
          ref: m.ref,
          message: `整改时限“${m.deadline.text || due}”超出前后 ${DEADLINE_RANGE_YEARS} 年（${earliest} 至 ${latest}），不作为完成日期，已按未设期限登记，请核对`,
        });
        m.deadline = { kind: m.deadline.kind, text: m.deadline.text || due };
      }
    }
  }
  return warnings.length ? { ...ledger, warnings: [...ledger.warnings, ...warnings] } : ledger;
}
