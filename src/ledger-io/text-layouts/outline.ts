import { declaredCounts, declaredCountWarnings } from '../declared-counts.js';
import { isNoDeadlineStated, NO_DEADLINE_STATED, parseDeadline } from '../deadline.js';
import type { LedgerFormat, LedgerIssue, ParsedLedger, ParsedMeasure } from '../ledger.js';
import { type CategoryDraft, measureWarnings, numberedCategories, type ProblemDraft } from './drafts.js';
import type { ParseContext } from '../parse-context.js';
import { markerOf, type Marker, type Rank } from './markers.js';
import {
  deadlineContext,
  deadlineInText,
  INLINE_MEASURE_LABEL,
  isFieldsParagraph,
  labelledFields,
  leadingStatus,
  MEASURE_LABEL,
  PROBLEM_LABEL,
  splitArabicEnumeration,
  splitEnumeration,
  suggestedDepartment,
} from './measure-text.js';
import { closesStructure, isCategoryTitle, sectionKind } from './sections.js';

/**
 * Plans and notices read as an outline: whatever numbering the document uses (一、 （一） 1. （1）),
 * the outermost level that names categories is the category, the next the problem, the next
 * the measure, and deeper levels continue a measure. Measures may also come from labelled
 * paragraphs (整改情况：…), 一是…二是… lists, 问题：/整改： pairs and 'problem。what was done'
 * paragraphs. Organisational sections and closing paragraphs give nothing.
 */

export const NOTHING_TO_IMPORT =
  '没有找到可以导入的整改问题和措施：文件中应有问题类别（如“一、政治建设方面”）、问题（如“（一）…”或“1.…”）和整改措施（编号的措施、“一是…二是…”或“整改情况：…”）。组织整改情况、下一步工作打算等段落不会导入。';
export const PLAN_LEVELS_WARNING = '按“一、类别 （一）问题 1.措施”的层级识别，请核对分类是否正确';
const IMPLICIT_CATEGORY = '反馈问题';
const QUOTE_MAX = 40;

interface Paragraph {
  /** 1-based, as the preview names it */
  index: number;
  text: string;
  marker: Marker;
  /** inside an organisational section, a closing paragraph, or before the first heading */
  skipped: boolean;
}

/**
 * Marks what is not ledger content: the preamble before the first heading, organisational
 * sections (their outermost heading says so) and closing paragraphs up to the next heading of
 * that outermost level. Wrapper sections (二、反馈问题整改落实情况) only group the content.
 */
function classify(paragraphs: string[]): Paragraph[] {
  const markers = paragraphs.map(markerOf);
  const ranks = markers.flatMap((m) => (m.kind === 'numbered' ? [m.rank] : []));
  const top = ranks.length ? (Math.min(...ranks) as Rank) : undefined;
  let skipping = top !== undefined; // the preamble, up to the first outermost heading
  return paragraphs.map((text, i): Paragraph => {
    const marker = markers[i]!;
    if (marker.kind === 'numbered' && marker.rank === top) skipping = sectionKind(marker.rest) === 'organisational';
    else if (marker.kind === 'plain' && closesStructure(marker.rest)) skipping = true;
    return { index: i + 1, text, marker, skipped: skipping };
  });
}

interface Levels {
  category?: Rank;
  problem?: Rank;
  measure?: Rank;
}

/** Which numbering is category, problem and measure, from the headings of the content. */
function levelsOf(items: Paragraph[]): Levels {
  const content = items.filter((p) => !p.skipped && p.marker.kind === 'numbered') as Array<Paragraph & { marker: Extract<Marker, { kind: 'numbered' }> }>;
  const titlesByRank = new Map<Rank, string[]>();
  for (const p of content) {
    if (sectionKind(p.marker.rest) === 'wrapper') continue;
    titlesByRank.set(p.marker.rank, [...(titlesByRank.get(p.marker.rank) ?? []), p.marker.rest]);
  }
  const ranks = [...titlesByRank.keys()].sort((a, b) => a - b);
  if (ranks.length === 0) return {};
  const outer = titlesByRank.get(ranks[0]!)!;
  const outerIsCategory = ranks.length >= 3 || outer.filter(isCategoryTitle).length * 2 > outer.length;
  const [category, problem, measure] = outerIsCategory ? ranks : [undefined, ...ranks];
  return { category, problem, measure };
}

type Draft = CategoryDraft & { heading: number };

export function parseOutline(paragraphs: string[], meta: { fileName: string; format: LedgerFormat }, ctx: ParseContext): ParsedLedger {
  const items = classify(paragraphs);
  const levels = levelsOf(items);
  const warnings: LedgerIssue[] = [];
  const errors: LedgerIssue[] = [];
  const unplaced: Paragraph[] = [];
  const drafts: Draft[] = [];
  let category: Draft | undefined;
  let problem: ProblemDraft | undefined;
  let numberedMeasures = 0;

  const ensureCategory = (index: number): Draft => {
    if (!category) {
      category = { title: IMPLICIT_CATEGORY, heading: index, problems: [] };
      drafts.push(category);
    }
    return category;
  };
  const openProblem = (title: string, index: number) => {
    problem = { title: problemTitleOf(title), heading: index, measures: [] };
    ensureCategory(index).problems.push(problem);
  };
  const addMeasure = (raw: string, index: number) => {
    const m = measureOf(raw, index, ctx);
    if (m.error) errors.push({ ref: { kind: 'paragraph', index }, message: m.error });
    if (m.measure.text) problem!.measures.push(m.measure);
  };
  const addItems = (text: string, index: number) => {
    const status = leadingStatus(text);
    const first = markerOf(status.text);
    const parts =
      first.kind === 'shi'
        ? splitEnumeration(first.n, first.rest)
        : first.kind === 'numbered' && first.rank === 3
          ? splitArabicEnumeration(first.n, first.rest)
          : [status.text];
    // A status written before the enumeration is the status of each of its items.
    for (const part of parts) addMeasure(status.status ? `${status.status}。${part}` : part, index);
  };

  for (const p of items) {
    if (p.skipped) continue;
    const { marker, index } = p;
    if (marker.kind === 'numbered') {
      if (sectionKind(marker.rest) === 'wrapper' && marker.rank < (levels.category ?? levels.problem ?? 6)) continue;
      if (marker.rank === levels.category) {
        category = { title: categoryTitleOf(marker.rest), heading: index, problems: [] };
        drafts.push(category);
        problem = undefined;
      } else if (marker.rank === levels.problem) {
        // A heading sentence followed on the same line by 一是…二是… or 整改情况：…: the sentence is the problem.
        const items = /^(.+?[。；;])[\s\u3000]*(一是.*)$/s.exec(marker.rest);
        const label = items ? undefined : INLINE_MEASURE_LABEL.exec(marker.rest);
        openProblem(items ? items[1]! : label ? marker.rest.slice(0, label.index) : marker.rest, index);
        if (items) addItems(items[2]!, index);
        else if (label) addItems(marker.rest.slice(label.index + label[0].length), index);
      } else if (marker.rank === levels.measure && problem) {
        numberedMeasures++;
        addMeasure(marker.rest, index);
      } else if (problem && problem.measures.length > 0 && marker.rank > (levels.measure ?? levels.problem ?? 0)) {
        continueMeasure(problem.measures.at(-1)!, p.text, index, ctx, errors);
      } else unplaced.push(p);
      continue;
    }
    if (marker.kind === 'shi') {
      if (problem) addItems(p.text, index);
      continue; // an enumeration outside a problem says what the organisation did, not a measure
    }
    const text = marker.rest;
    // Under numbered problems, 问题：… only describes the problem; without them it opens one.
    if (PROBLEM_LABEL.test(text) && levels.problem === undefined) {
      const body = text.replace(PROBLEM_LABEL, '');
      const split = INLINE_MEASURE_LABEL.exec(body);
      openProblem(split ? body.slice(0, split.index) : body, index);
      if (split) addItems(body.slice(split.index + split[0].length), index);
    } else if (MEASURE_LABEL.test(text)) {
      if (problem) addItems(text.replace(MEASURE_LABEL, ''), index);
      else unplaced.push(p);
    } else if (isFieldsParagraph(text)) {
      if (problem && problem.measures.length > 0) applyFields(problem.measures.at(-1)!, text, index, ctx, errors);
    } else if (category && levels.problem === undefined) {
      // 'problem sentence。what was done': the first sentence is the problem, the rest its measure.
      const m = /^(.+?[。；;！!？?])(.+)$/s.exec(text);
      if (m) {
        openProblem(m[1]!, index);
        addMeasure(m[2]!, index);
      } else unplaced.push(p);
    }
  }

  const categories = numberedCategories(drafts, warnings);
  for (const p of unplaced) warnings.push({ ref: { kind: 'paragraph', index: p.index }, message: `未能归入任何问题，未导入：“${quote(p.text)}”` });

  const measures = categories.flatMap((c) => c.problems.flatMap((p) => p.measures));
  if (measures.length === 0) return { format: meta.format, fileName: meta.fileName, categories: [], warnings, errors: [{ message: NOTHING_TO_IMPORT }] };
  if (levels.category === 1 && levels.problem === 2 && levels.measure === 3) warnings.unshift({ message: PLAN_LEVELS_WARNING });
  if (drafts.some((d) => d.title === IMPLICIT_CATEGORY && d.heading === d.problems[0]?.heading)) {
    warnings.push({ message: `文件中没有问题类别，全部问题归入“${IMPLICIT_CATEGORY}”一类` });
  }
  warnings.push(...measureWarnings(measures, measures.filter((m) => isNoDeadlineStated(m.deadline)).length));

  const declared = declaredCounts(paragraphs.join('\n'));
  warnings.push(...declaredCountWarnings(declared, { categories }));
  return { format: meta.format, fileName: meta.fileName, layout: numberedMeasures > 0 ? 'numbered' : 'notice', categories, warnings, errors, declared };
}

/**
 * True when measures are 一是… paragraphs under numbered problems, the notice layout the
 * older reader handles (and whose readings existing campaigns were imported with).
 */
export function hasNoticeMeasures(paragraphs: string[]): boolean {
  const items = classify(paragraphs);
  return items.some((p, i) => !p.skipped && p.marker.kind === 'shi' && i > 0 && items[i - 1]!.marker.kind === 'numbered' && !items[i - 1]!.skipped);
}

function quote(text: string): string {
  const chars = Array.from(text.slice(0, QUOTE_MAX * 2));
  return chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX).join('')}……` : text;
}

function categoryTitleOf(heading: string): string {
  return heading.trim().replace(/[。.;；:：,，]+$/, '');
}

/** 关于“学习…不深入”方面 -> 学习…不深入; other headings lose only their closing punctuation. */
function problemTitleOf(heading: string): string {
  const h = heading.trim().replace(/[。.;；:：,，]+$/, '');
  const m = /^关于(.+?)(?:方面|问题)$/.exec(h);
  if (!m) return h;
  const quoted = /^[“"]([^“”"]+)[”"](.{0,2})$/.exec(m[1]!);
  return quoted ? quoted[1]! + quoted[2]! : m[1]!;
}

const TRAILING = /[。；;，,、\s\u3000]+$/;

function measureOf(raw: string, index: number, ctx: ParseContext): { measure: ParsedMeasure; error?: string } {
  const { status, text: afterStatus } = leadingStatus(raw.trim());
  const { text: body, fields } = labelledFields(afterStatus);
  const measure: ParsedMeasure = { code: '', text: body.replace(TRAILING, ''), deadline: { ...NO_DEADLINE_STATED }, ref: { kind: 'paragraph', index } };
  if (status) measure.statusNote = status;
  const error = setFields(measure, fields, ctx);
  if (!fields.deadline) {
    const found = deadlineInText(measure.text, ctx);
    measure.text = found.text.replace(TRAILING, '');
    if (found.deadline) measure.deadline = found.deadline;
    if (found.error) return { measure, error: found.error };
  }
  if (!measure.department) {
    const suggested = suggestedDepartment(measure.text);
    if (suggested) Object.assign(measure, { department: suggested, departmentSuggested: true });
  }
  return { measure, error };
}

function setFields(measure: ParsedMeasure, fields: ReturnType<typeof labelledFields>['fields'], ctx: ParseContext): string | undefined {
  if (fields.leader) measure.leaderName = fields.leader;
  if (fields.department) Object.assign(measure, { department: fields.department, departmentSuggested: undefined });
  if (fields.coDepartments) measure.coDepartments = fields.coDepartments;
  if (fields.owner) measure.ownerName = fields.owner;
  if (!fields.deadline) return undefined;
  const parsed = parseDeadline(fields.deadline, deadlineContext(ctx));
  if (!parsed.ok) return parsed.error;
  measure.deadline = parsed.deadline;
  return undefined;
}

/** 责任领导：…；完成时限：… on its own line after a measure's sub-items belongs to that measure. */
function applyFields(measure: ParsedMeasure, text: string, index: number, ctx: ParseContext, errors: LedgerIssue[]) {
  const error = setFields(measure, labelledFields(text).fields, ctx);
  if (error) errors.push({ ref: { kind: 'paragraph', index }, message: error });
}

/** （1）… under a numbered measure: part of that measure; labelled fields at its end still count. */
function continueMeasure(measure: ParsedMeasure, line: string, index: number, ctx: ParseContext, errors: LedgerIssue[]) {
  const { text } = labelledFields(line);
  if (text.trim()) measure.text = `${measure.text}\n${text.trim().replace(TRAILING, '')}`;
  applyFields(measure, line, index, ctx, errors);
}
