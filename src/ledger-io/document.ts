import { parseDeadline } from './deadline.js';
import type { LedgerFormat, LedgerIssue, ParsedCategory, ParsedDeadline, ParsedLedger, ParsedProblem } from './ledger.js';
import type { ParseContext } from './parse-context.js';
import { decodeText } from './spreadsheet.js';

/**
 * Rectification plans and progress notices as organisations publish them: categories （一）,
 * problems 1、关于“…”方面, measures 一是…二是… (or numbered one level below the problems).
 * Enumerations outside a problem (the preamble, the closing sections) are not measures.
 */

const CN_NUMERALS = '一二三四五六七八九十';

/** 一 .. 九十九 -> 1 .. 99 (enough for headings and declared counts). */
export function chineseNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const digit = (c: string | undefined) => (c ? CN_NUMERALS.indexOf(c) + 1 : 0);
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return undefined;
  if (!m[2]) return m[3] ? undefined : digit(m[1]);
  return (m[1] ? digit(m[1]) : 1) * 10 + digit(m[3]);
}

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

const DEADLINE_CLAUSE = /[，,；;\s]*(?:完成时限|整改时限|完成时间|整改时间|时限)\s*[:：]\s*([^。；;]+?)\s*[。；;]?\s*$/;
const DEADLINE_PAREN = /\s*[（(]([^（）()]{2,24})[)）]\s*[。；;]?\s*$/;

/** A deadline stated in the measure text; the clause is removed from the text. */
function deadlineInText(text: string, ctx: ParseContext): { text: string; deadline?: ParsedDeadline; error?: string } {
  const context = { year: Number(ctx.referenceDate.slice(0, 4)), notBefore: ctx.referenceDate };
  const clause = DEADLINE_CLAUSE.exec(text);
  if (clause) {
    const parsed = parseDeadline(clause[1]!, context);
    const rest = text.slice(0, clause.index).trim();
    return parsed.ok ? { text: rest, deadline: parsed.deadline } : { text: rest, error: parsed.error };
  }
  const paren = DEADLINE_PAREN.exec(text);
  if (paren) {
    const parsed = parseDeadline(paren[1]!, context);
    if (parsed.ok) return { text: text.slice(0, paren.index).trim(), deadline: parsed.deadline };
  }
  const immediate = /立行立改/.test(text);
  const ongoing = /长期坚持/.test(text);
  if (immediate || ongoing) {
    const kind = immediate && ongoing ? 'immediate_ongoing' : immediate ? 'immediate' : 'ongoing';
    return { text, deadline: { kind, text: immediate && ongoing ? '立行立改、长期坚持' : immediate ? '立行立改' : '长期坚持' } };
  }
  return { text };
}

/** 保障部门已经… -> 保障部门: the department a measure names first, as a suggestion. */
export function suggestedDepartment(text: string): string | undefined {
  return /^(?:由)?([\u4e00-\u9fff]{2,6}?(?:部门|办公室))/.exec(text)?.[1];
}

const DEPARTMENT_CLAUSE = /[，,；;。\s]*(?:责任单位|责任部门|牵头单位|牵头部门)\s*[:：]\s*([^，,。；;\s]+)\s*[。；;]?/;

/** 责任单位：办公室 written in a measure names its lead department; the clause leaves the text. */
export function namedDepartment(text: string): { department: string; text: string } | undefined {
  const m = DEPARTMENT_CLAUSE.exec(text);
  if (!m) return undefined;
  const before = text.slice(0, m.index).trim();
  const after = text.slice(m.index + m[0].length).trim();
  return { department: m[1]!, text: [before, after].filter(Boolean).join('。') };
}

/** Splits 一是…。二是…。三是… in one paragraph, only where the numbering continues. */
function splitEnumeration(first: number, rest: string): string[] {
  const items: string[] = [];
  let expected = first + 1;
  let current = rest;
  for (;;) {
    const next = CN_NUMERALS[expected - 1];
    if (!next || expected > 10) break;
    const re = new RegExp(`(?<=[。；;！!？?])\\s*${next}是\\s*[，,、：:]?`);
    const m = re.exec(current);
    if (!m) break;
    items.push(current.slice(0, m.index).trim());
    current = current.slice(m.index + m[0].length);
    expected++;
  }
  items.push(current.trim());
  return items.filter(Boolean);
}

export function declaredCounts(text: string): ParsedLedger['declared'] {
  const t = text.normalize('NFKC');
  const num = `(\\d+|[${CN_NUMERALS}]+)`;
  const out: NonNullable<ParsedLedger['declared']> = {};
  let m = new RegExp(`${num}\\s*(?:个|项|类|大类|个方面)\\s*${num}\\s*(?:个|项|条)(?:具体)?问题`).exec(t);
  if (m) {
    out.categories = chineseNumber(m[1]!);
    out.problems = chineseNumber(m[2]!);
  } else if ((m = new RegExp(`${num}\\s*(?:个|项|条)(?:具体)?问题`).exec(t))) {
    out.problems = chineseNumber(m[1]!);
  }
  if ((m = new RegExp(`${num}\\s*(?:条|项)\\s*整改措施`).exec(t)) || (m = new RegExp(`整改措施\\s*${num}\\s*(?:条|项)`).exec(t))) {
    out.measures = chineseNumber(m[1]!);
  }
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
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
 * Reads a notice or plan. Notices number categories （一） and problems 1、; many plans instead use
 * 一、 for categories, （一） for problems and 1. for measures. The notice layout is tried first
 * (its 一、 sections are preamble and closing text); only when it finds no measures is the plan
 * layout tried.
 */
export function parseDocumentText(text: string, meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger {
  const paragraphs = paragraphsOf(text, meta.format);
  const asNotice = parseParagraphs(paragraphs, meta, ctx);
  if (asNotice.categories.length > 0) return asNotice;
  const asPlan = parseParagraphs(planAsNotice(paragraphs), meta, ctx);
  if (asPlan.categories.length === 0) return asNotice;
  asPlan.warnings.unshift({ message: '按“一、类别 （一）问题 1.措施”的层级识别，请核对分类是否正确' });
  return asPlan;
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
      deadline: found.deadline ?? { kind: 'ongoing', text: '' },
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

  // Keep what holds measures; number categories, problems and measures in order.
  const categories: ParsedCategory[] = [];
  for (const d of drafts) {
    const problems = d.problems.filter((p) => {
      if (p.measures.length === 0) warnings.push({ ref: { kind: 'paragraph', index: p.heading }, message: `问题“${p.title}”下没有找到整改措施` });
      return p.measures.length > 0;
    });
    if (problems.length === 0) continue;
    const c: ParsedCategory = { ordinal: categories.length + 1, title: d.title, problems: [] };
    problems.forEach((p, pi) => {
      c.problems.push({
        ordinal: pi + 1,
        title: p.title,
        measures: p.measures.map((m, mi) => ({ ...m, code: `${c.ordinal}.${pi + 1}.${mi + 1}` })),
      });
    });
    categories.push(c);
  }

  const measures = categories.flatMap((c) => c.problems.flatMap((p) => p.measures));
  if (measures.length === 0) {
    errors.push({
      message: '没有找到整改措施：文件中应有（一）类别、1、关于“…”方面的问题和“一是…二是…”列出的措施，或者一、类别、（一）问题和 1. 编号的措施',
    });
  }
  if (undated > deadlineErrors && measures.length > 0) {
    warnings.push({ message: `${undated - deadlineErrors}条措施未写明整改时限，暂按“长期坚持”登记，可在台账中修改后重新导入` });
  }
  const withoutDepartment = measures.filter((m) => !m.department).length;
  if (withoutDepartment > 0) warnings.push({ message: `${withoutDepartment}条措施没有写明责任部门，导入后可再指派` });
  const suggested = measures.filter((m) => m.departmentSuggested).length;
  if (suggested > 0) warnings.push({ message: `${suggested}条措施的责任部门是从措施文字中推断的，请核对` });

  const declared = declaredCounts(paragraphs.join('\n'));
  if (declared) {
    const parsedCounts = { categories: categories.length, problems: categories.reduce((n, c) => n + c.problems.length, 0), measures: measures.length };
    const names = { categories: '类问题', problems: '个问题', measures: '条整改措施' } as const;
    for (const k of ['categories', 'problems', 'measures'] as const) {
      const d = declared[k];
      if (d !== undefined && d !== parsedCounts[k]) warnings.push({ message: `文件中写明${d}${names[k]}，实际识别出${parsedCounts[k]}${names[k]}，请核对` });
    }
  }
  return { format: meta.format, fileName: meta.fileName, categories, warnings, errors, declared };
}

export async function parseDocx(fileName: string, bytes: Uint8Array, ctx: ParseContext): Promise<ParsedLedger> {
  let text: string;
  try {
    // Loaded on first use, like the other document libraries.
    const { default: mammoth } = await import('mammoth');
    text = (await mammoth.extractRawText({ buffer: bytes as unknown as Buffer })).value;
  } catch {
    return { format: 'docx', fileName, categories: [], warnings: [], errors: [{ message: '无法读取这个 Word 文件，请确认是 .docx 格式（旧版 .doc 请先另存为 .docx）' }] };
  }
  return parseDocumentText(text, { fileName, format: 'docx' }, ctx);
}

export function parseTextDocument(fileName: string, bytes: Uint8Array, format: 'txt' | 'md', ctx: ParseContext): ParsedLedger {
  return parseDocumentText(decodeText(bytes), { fileName, format }, ctx);
}
