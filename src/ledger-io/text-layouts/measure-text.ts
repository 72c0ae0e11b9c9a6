import { DEADLINE_KIND_LABELS } from '../../domain/labels.js';
import { parseDeadline } from '../deadline.js';
import type { ParsedDeadline } from '../ledger.js';
import type { ParseContext } from '../parse-context.js';

/**
 * What a measure paragraph says besides the measure: its deadline, its department and people
 * (责任领导：…；责任单位：…；责任人：…；完成时限：…), a progress word before it (已完成。), and
 * the enumeration that splits one paragraph into several measures.
 */

const CN_NUMERALS = '一二三四五六七八九十';

const DEADLINE_CLAUSE = /[，,；;\s]*(?:完成时限|整改时限|完成时间|整改时间|时限)\s*[:：]\s*([^。；;]+?)\s*[。；;]?\s*$/;
const DEADLINE_PAREN = /\s*[（(]([^（）()]{2,24})[)）]\s*[。；;]?\s*$/;

/** The year and the earliest date a deadline without a year is read against. */
export function deadlineContext(ctx: ParseContext) {
  return { year: Number(ctx.referenceDate.slice(0, 4)), notBefore: ctx.referenceDate };
}

/** A deadline stated in the measure text; the clause is removed from the text. */
export function deadlineInText(text: string, ctx: ParseContext): { text: string; deadline?: ParsedDeadline; error?: string } {
  const clause = DEADLINE_CLAUSE.exec(text);
  if (clause) {
    const parsed = parseDeadline(clause[1]!, deadlineContext(ctx));
    const rest = text.slice(0, clause.index).trim();
    return parsed.ok ? { text: rest, deadline: parsed.deadline } : { text: rest, error: parsed.error };
  }
  const paren = DEADLINE_PAREN.exec(text);
  if (paren) {
    const parsed = parseDeadline(paren[1]!, deadlineContext(ctx));
    if (parsed.ok) return { text: text.slice(0, paren.index).trim(), deadline: parsed.deadline };
  }
  const immediate = /立行立改/.test(text);
  const ongoing = /长期坚持/.test(text);
  if (immediate || ongoing) {
    const kind = immediate && ongoing ? 'immediate_ongoing' : immediate ? 'immediate' : 'ongoing';
    return { text, deadline: { kind, text: DEADLINE_KIND_LABELS[kind] } };
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
export function splitEnumeration(first: number, rest: string): string[] {
  return splitWhileNumbered(first, rest, (n) => {
    const next = CN_NUMERALS[n - 1];
    return next && n <= 10 ? `${next}是\\s*[，,、：:]?` : undefined;
  });
}

/** Splits 1.…；2.…；3.… in one paragraph, only where the numbering continues. */
export function splitArabicEnumeration(first: number, rest: string): string[] {
  return splitWhileNumbered(first, rest, (n) => `${n}\\s*(?:[、．]|\\.(?!\\d))\\s*`);
}

function splitWhileNumbered(first: number, rest: string, markerFor: (n: number) => string | undefined): string[] {
  const items: string[] = [];
  let expected = first + 1;
  let current = rest;
  for (;;) {
    const marker = markerFor(expected);
    if (!marker) break;
    const m = new RegExp(`(?<=[。；;！!？?])\\s*${marker}`).exec(current);
    if (!m) break;
    items.push(current.slice(0, m.index).trim());
    current = current.slice(m.index + m[0].length);
    expected++;
  }
  items.push(current.trim());
  return items.filter(Boolean);
}

/** Labels that open a measure paragraph in notices: 整改情况：… */
export const MEASURE_LABEL =
  /^(?:整改落实情况|整改进展情况|整改完成情况|整改推进情况|整改情况|整改措施|整改举措|整改进展|落实情况|整改)[\s\u3000]*[：:][\s\u3000]*/;
/** Labels that open a problem: 问题：… */
export const PROBLEM_LABEL = /^(?:存在问题|反馈问题|问题表现|问题)[\s\u3000]*[：:][\s\u3000]*/;
/** 问题：…。整改：… on one line: where the measure label starts. */
export const INLINE_MEASURE_LABEL = /(?<=[。；;！!？?])[\s\u3000]*(?:整改落实情况|整改进展情况|整改情况|整改措施|整改举措|整改)[\s\u3000]*[：:][\s\u3000]*/;

/** A progress word written before the measure (整改：已完成。清理…), kept apart from its text. */
const STATUS = /^(已完成整改|已整改到位|已完成|已整改|基本完成|正在推进|持续推进中|推进中|正在整改|整改中|未完成)[\s\u3000]*[。；;，,：:][\s\u3000]*/;

export function leadingStatus(text: string): { status?: string; text: string } {
  const m = STATUS.exec(text);
  return m ? { status: m[1]!, text: text.slice(m[0].length) } : { text };
}

/** The words a numbered plan writes before a field (责任单位：…), as patterns. */
const FIELD_WORDS = {
  leader: '责任领导|牵头领导|分管领导',
  department: '责任单位|责任部门|牵头单位|牵头部门',
  coDepartments: '配合单位|配合部门|协办单位',
  owner: '具体责任人|责任人',
  deadline: '完成时限|整改时限|完成时间|整改时间|时限',
} as const;
type FieldName = keyof typeof FIELD_WORDS;
const ANY_FIELD = new RegExp(`(?:${Object.values(FIELD_WORDS).join('|')})[\\s\\u3000]*[：:]`);

export interface MeasureFields {
  leader?: string;
  department?: string;
  coDepartments?: string;
  owner?: string;
  /** the deadline as written after its label */
  deadline?: string;
}

/** True for a paragraph that is only labelled fields (责任领导：局长；…；完成时限：长期坚持。). */
export function isFieldsParagraph(paragraph: string): boolean {
  return ANY_FIELD.exec(paragraph)?.index === 0;
}

/**
 * Splits 修订…制度。责任领导：局长；责任单位：办公室；完成时限：2025年6月30日。 into the measure text
 * and its labelled fields; a text without labels comes back whole.
 */
export function labelledFields(text: string): { text: string; fields: MeasureFields } {
  const start = ANY_FIELD.exec(text);
  if (!start) return { text, fields: {} };
  const fields: MeasureFields = {};
  const tail = text.slice(start.index);
  for (const name of Object.keys(FIELD_WORDS) as FieldName[]) {
    const m = new RegExp(`(?:^|[；;。，,\\s])(?:${FIELD_WORDS[name]})[\\s\\u3000]*[：:][\\s\\u3000]*([^；;。，,]*)`).exec(tail);
    const value = m?.[1]?.trim();
    if (value) fields[name] = value;
  }
  return { text: text.slice(0, start.index), fields };
}
