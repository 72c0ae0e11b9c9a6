import { chineseNumber } from '../domain/number-words.js';
import { declaredCountWarnings, declaredCounts } from './declared-counts.js';
import { NO_DEADLINE_STATED } from './deadline.js';
import type { LedgerFormat, LedgerIssue, ParsedLedger, ParsedProblem } from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { decodeText } from './spreadsheet.js';
import { measureWarnings, numberedCategories } from './text-layouts/drafts.js';
import { deadlineInText, namedDepartment, splitEnumeration, suggestedDepartment } from './text-layouts/measure-text.js';
import { hasNoticeMeasures, NOTHING_TO_IMPORT, parseOutline, PLAN_LEVELS_WARNING } from './text-layouts/outline.js';
import { toSimplified } from './text-layouts/traditional.js';

export { declaredCounts } from './declared-counts.js';

/**
 * Rectification plans and progress notices as organisations publish them: categories （一）,
 * problems 1、关于“…”方面, measures 一是…二是… (or numbered one level below the problems).
 * Enumerations outside a problem (the preamble, the closing sections) are not measures.
 */

const CN_NUMERALS = '一二三四五六七八九十';

export { chineseNumber };

type Marker =
  | { kind: 'section'; rest: string }
  | { kind: 'category'; n: number; rest: string }
  | { kind: 'arabic' | 'paren' | 'circled'; n: number; rest: string }
  | { kind: 'shi'; n: number; rest: string }
  | { kind: 'plain'; rest: string };

const CN = `[${CN_NUMERALS}]+`;

function markerOf(paragraph: string): Marker {
  const p = paragraph.normalize('NFKC');
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^\\(\\s*(${CN})\\s*\\)\\s*(.*)$`, 's').exec(p))) return { kind: 'category', n: chineseNumber(m[1]!) ?? 0, rest: m[2]! };
  if ((m = new RegExp(`^(${CN})\\s*[、.]\\s*(.*)$`, 's').exec(p))) return { kind: 'section', rest: m[2]! };
  if ((m = new RegExp(`^(${CN})是\\s*[,、:]?\\s*(.*)$`, 's').exec(p))) return { kind: 'shi', n: chineseNumber(m[1]!) ?? 0, rest: m[2]! };
  if ((m = /^\(\s*(\d{1,2})\s*\)\s*(.*)$/s.exec(p))) return { kind: 'paren', n: Number(m[1]), rest: m[2]! };
  if ((m = /^(\d{1,2})\s*(?:、|\.(?!\d)|\)\s*)\s*(.*)$/s.exec(p))) return { kind: 'arabic', n: Number(m[1]), rest: m[2]! };
  if ((m = /^([①-⑳])\s*(.*)$/s.exec(p))) return { kind: 'circled', n: m[1]!.charCodeAt(0) - 0x2460 + 1, rest: m[2]! };
  return { kind: 'plain', rest: p };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The last `count` code points of a string (walked, not spread into an array: paragraphs can be huge). */
function lastCodePoints(s: string, count: number): string {
  let i = s.length;
  for (let n = 0; n < count && i > 0; n++) i -= i >= 2 && isLowSurrogate(s.charCodeAt(i - 1)) && isHighSurrogate(s.charCodeAt(i - 2)) ? 2 : 1;
  return s.slice(i);
}

function codePointCount(s: string): number {
  let pairs = 0;
  for (let i = 1; i < s.length; i++) if (isLowSurrogate(s.charCodeAt(i)) && isHighSurrogate(s.charCodeAt(i - 1))) pairs++;
  return s.length - pairs;
}

/** The original paragraph with its leading marker removed (keeping the original punctuation). */
function withoutMarker(original: string, marker: Marker): string {
  const nfkcRest = marker.rest;
  // NFKC keeps the length of CJK text; the rest is the tail of the same length.
  const tail = lastCodePoints(original, codePointCount(nfkcRest));
  return tail.normalize('NFKC') === nfkcRest ? tail.trim() : nfkcRest.trim();
}

/** 关于“学习…不深入”方面 -> 学习…不深入; a heading without that shape stays as written. */
export function problemTitle(heading: string): string {
  const h = heading.trim().replace(/[。.;；:：]+$/, '');
  const m = /^关于(.+?)(?:方面|问题)$/.exec(h);
  if (!m) return h;
  const inner = m[1]!;
  const quoted = /^[“"]([^“”"]+)[”"](.{0,2})$/.exec(inner);
  return quoted ? quoted[1]! + quoted[2]! : inner;
}

function categoryTitle(heading: string): string {
  return heading.trim().replace(/[。.;；:：]+$/, '');
}

/** Paragraphs of plain or markdown text, markdown decoration removed. */
export function paragraphsOf(text: string, format: LedgerFormat): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => (format === 'md' ? line.replace(/^\s*(#{1,6}\s+|[-*+]\s+|>\s*)/, '').replace(/\*\*|__/g, '') : line))
    .map((line) => line.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((line) => line !== '');
}

interface Draft {
  title: string;
  problems: Array<ParsedProblem & { heading: number }>;
}

/**
 * Reads a notice or plan, Traditional text as Simplified. A notice whose measures are
 * 一是…二是… paragraphs under numbered problems (the sample's layout) is read by the notice
 * reader below; every other layout (numbered at any level, labelled measures, label pairs) by
 * the outline reader in text-layouts/. The older fallbacks stay for what neither recognises.
 */
export async function parseDocumentText(text: string, meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): Promise<ParsedLedger> {
  const paragraphs = paragraphsOf(await toSimplified(text), meta.format);
  if (!hasNoticeMeasures(paragraphs)) {
    const outline = parseOutline(paragraphs, meta, ctx);
    if (outline.categories.length > 0) return outline;
  }
  const asNotice = parseParagraphs(paragraphs, meta, ctx);
  if (asNotice.categories.length > 0) return asNotice;
  const asPlan = parseParagraphs(planAsNotice(paragraphs), meta, ctx);
  if (asPlan.categories.length === 0) return asNotice;
  asPlan.warnings.unshift({ message: PLAN_LEVELS_WARNING });
  return { ...asPlan, layout: 'numbered' };
}

/**
 * Rewrites a plan's headings into the notice layout, paragraph for paragraph (so references
 * keep pointing at the right paragraph): 一、 -> （一）, （一） -> N、, and 1. / （1） -> （1）, which the
 * notice layout reads as measures numbered below their problem.
 */
function planAsNotice(paragraphs: string[]): string[] {
  let problem = 0;
  return paragraphs.map((paragraph) => {
    const marker = markerOf(paragraph);
    const rest = withoutMarker(paragraph, marker);
    switch (marker.kind) {
      case 'section': {
        problem = 0;
        const n = chineseNumber(/^[一二三四五六七八九十]+/.exec(paragraph.normalize('NFKC'))?.[0] ?? '') ?? 1;
        return `（${CN_NUMERALS[Math.min(n, 10) - 1] ?? '十'}）${rest}`;
      }
      case 'category':
        problem += 1;
        return `${problem}、${rest}`;
      case 'arabic':
      case 'paren':
        return `（${marker.n}）${rest}`;
      default:
        return paragraph;
    }
  });
}

function parseParagraphs(paragraphs: string[], meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger {
  const warnings: LedgerIssue[] = [];
  const errors: LedgerIssue[] = [];
  const drafts: Draft[] = [];
  let category: Draft | undefined;
  let problem: (ParsedProblem & { heading: number }) | undefined;
  let problemStyle: 'arabic' | 'paren' | undefined;
  let lastProblemNumber = 0;
  let lastShi = 0;
  let undated = 0;
  let deadlineErrors = 0;

  const addMeasure = (raw: string, index: number) => {
    if (!problem) return;
    const found = deadlineInText(raw, ctx);
    if (found.error) {
      errors.push({ ref: { kind: 'paragraph', index }, message: found.error });
      deadlineErrors++;
    }
    if (!found.deadline) undated++;
    const named = namedDepartment(found.text);
    const department = named?.department ?? suggestedDepartment(found.text);
    problem.measures.push({
      code: '',
      text: named?.text ?? found.text,
      department,
      departmentSuggested: department && !named ? true : undefined,
      deadline: found.deadline ?? { ...NO_DEADLINE_STATED },
      ref: { kind: 'paragraph', index },
    });
  };
  const closeSection = () => {
    category = undefined;
    problem = undefined;
  };

  paragraphs.forEach((paragraph, i) => {
    const index = i + 1;
    const marker = markerOf(paragraph);
    const rest = withoutMarker(paragraph, marker);
    switch (marker.kind) {
      case 'section':
        return closeSection();
      case 'category':
        category = { title: categoryTitle(rest), problems: [] };
        drafts.push(category);
        problem = undefined;
        problemStyle = undefined;
        lastProblemNumber = 0;
        return;
      case 'arabic':
      case 'paren':
      case 'circled': {
        const isProblemStyle = marker.kind !== 'circled' && (problemStyle === undefined || problemStyle === marker.kind);
        if (category && isProblemStyle) {
          const about = /^关于/.test(rest);
          if (about || marker.n === lastProblemNumber + 1) {
            problemStyle = marker.kind as 'arabic' | 'paren';
            lastProblemNumber = marker.n;
            lastShi = 0;
            problem = { ordinal: 0, title: problemTitle(rest), measures: [], heading: index };
            category.problems.push(problem);
            return;
          }
          // A numbered heading out of sequence ends the structure (a closing section, "3、坚持…").
          return closeSection();
        }
        if (problem) return addMeasure(rest, index); // numbered one level below the problems
        if (!category) return closeSection(); // numbered headings outside any category
        return;
      }
      case 'shi': {
        if (!problem) return; // an enumeration in the preamble or a closing section
        const items = splitEnumeration(marker.n, rest);
        lastShi = marker.n + items.length - 1;
        for (const item of items) addMeasure(item, index);
        return;
      }
      case 'plain':
        // A paragraph after a measure continues it; before the first measure it describes the problem.
        if (problem && problem.measures.length > 0 && lastShi > 0) {
          const last = problem.measures.at(-1)!;
          if (last.ref.index === index - 1 && !/^(主办|地址|联系方式|电话|邮编|版权|备案)/.test(rest)) {
            last.text = `${last.text}\n${rest}`;
            last.ref = { ...last.ref };
          }
        }
        return;
    }
  });

  const categories = numberedCategories(drafts, warnings);
  const measures = categories.flatMap((c) => c.problems.flatMap((p) => p.measures));
  if (measures.length === 0) errors.push({ message: NOTHING_TO_IMPORT });
  warnings.push(...measureWarnings(measures, undated - deadlineErrors));

  const declared = declaredCounts(paragraphs.join('\n'));
  warnings.push(...declaredCountWarnings(declared, { categories }));
  return { format: meta.format, fileName: meta.fileName, layout: 'notice', categories, warnings, errors, declared };
}

export function parseTextDocument(fileName: string, bytes: Uint8Array, format: 'txt' | 'md', ctx: ParseContext): Promise<ParsedLedger> {
  return parseDocumentText(decodeText(bytes), { fileName, format }, ctx);
}
