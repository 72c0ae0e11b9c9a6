import { chineseNumber } from '../domain/number-words.js';
import type { LedgerIssue, ParsedLedger } from './ledger.js';

/**
 * The counts a plan or notice states about itself (3个方面5个问题, 43条整改措施), read in one place
 * for every parser, and compared with what was parsed.
 */

export type DeclaredCounts = NonNullable<ParsedLedger['declared']>;

const NUM = '(\\d+|[零一二两三四五六七八九十百]+)';
/** Words before a count that make it a part (其中…, 每一项…, 第3个), not the document's total. */
const PART_BEFORE = /(其中|每|第|剩余|其余|尚未|还有|已|完成了?|立行立改|已完成)\s*$/;
/** Words after a problem count that make it a progress figure (3个问题已完成整改). */
const PROGRESS_AFTER = /^\s*(已|正在|尚未|未|均已|全部|基本)/;

const PAIR = new RegExp(`${NUM}\\s*(?:个方面|方面|大类|个类别|个领域|项|类)\\s*(?:共)?\\s*${NUM}\\s*(?:个|项|条|类)\\s*(?:具体)?问题`, 'g');
const CATEGORIES = new RegExp(`${NUM}\\s*(?:个方面|大方面|个领域)`, 'g');
const PROBLEMS = new RegExp(`${NUM}\\s*(?:个|项|条)\\s*(?:具体)?问题`, 'g');
const PROBLEMS_AFTER = new RegExp(`问题\\s*(?:共)?\\s*${NUM}\\s*(?:个|项|条)`, 'g');
const MEASURES = new RegExp(`${NUM}\\s*(?:条|项)\\s*(?:具体)?(?:整改)?(?:措施|举措)`, 'g');
const MEASURES_AFTER = new RegExp(`(?:整改)?(?:措施|举措)\\s*(?:共)?\\s*${NUM}\\s*(?:条|项)`, 'g');

/** The first count of a pattern in a clause that is a total, not a part. */
function total(clause: string, re: RegExp, groups: number[], accept: (m: RegExpExecArray) => boolean = () => true): number[] | undefined {
  re.lastIndex = 0;
  for (let m = re.exec(clause); m; m = re.exec(clause)) {
    if (PART_BEFORE.test(clause.slice(0, m.index))) continue;
    if (!accept(m)) continue;
    const values = groups.map((g) => chineseNumber(m![g]!));
    if (values.every((v) => v !== undefined && v > 0)) return values as number[];
  }
  return undefined;
}

/** Counts one clause declares; empty when it declares none. */
function clauseCounts(clause: string): DeclaredCounts {
  const out: DeclaredCounts = {};
  const pair = total(clause, PAIR, [1, 2], (m) => !PROGRESS_AFTER.test(clause.slice(m.index + m[0].length)));
  if (pair) [out.categories, out.problems] = pair;
  out.categories ??= total(clause, CATEGORIES, [1])?.[0];
  out.problems ??=
    total(clause, PROBLEMS, [1], (m) => !PROGRESS_AFTER.test(clause.slice(m.index + m[0].length)))?.[0] ??
    // 问题16个 only as a total the inspection reported (共发现反馈各类问题16个), not 立行立改问题4个
    (/(共|反馈|发现|指出)/.test(clause) ? total(clause, PROBLEMS_AFTER, [1], (m) => !/立行立改|整改到位|已/.test(clause.slice(0, m.index)))?.[0] : undefined);
  out.measures ??= total(clause, MEASURES, [1])?.[0] ?? total(clause, MEASURES_AFTER, [1])?.[0];
  for (const k of Object.keys(out) as Array<keyof DeclaredCounts>) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Reads declared counts from the document's text, each clause (split at ，。；) alone, the first
 * statement of each count winning. Counts in brackets are a contents line's or a heading's
 * (一、政治建设方面（7个问题）), not the document's.
 */
export function declaredCounts(text: string): DeclaredCounts | undefined {
  const t = text.normalize('NFKC').replace(/\([^()\n]*\)/g, '');
  const out: DeclaredCounts = {};
  for (const clause of t.split(/[,;。!?\n]/)) {
    const found = clauseCounts(clause);
    out.categories ??= found.categories;
    out.problems ??= found.problems;
    out.measures ??= found.measures;
  }
  for (const k of Object.keys(out) as Array<keyof DeclaredCounts>) if (out[k] === undefined) delete out[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

const NAMES = { categories: '类问题', problems: '个问题', measures: '条整改措施' } as const;

/** 文件中写明43个问题，实际识别出15个问题: one warning per declared count that differs. */
export function declaredCountWarnings(declared: DeclaredCounts | undefined, ledger: Pick<ParsedLedger, 'categories'>): LedgerIssue[] {
  if (!declared) return [];
  const parsed = {
    categories: ledger.categories.length,
    problems: ledger.categories.reduce((n, c) => n + c.problems.length, 0),
    measures: ledger.categories.reduce((n, c) => n + c.problems.reduce((k, p) => k + p.measures.length, 0), 0),
  };
  return (['categories', 'problems', 'measures'] as const)
    .filter((k) => declared[k] !== undefined && declared[k] !== parsed[k])
    .map((k) => ({ message: `文件中写明${declared[k]}${NAMES[k]}，实际识别出${parsed[k]}${NAMES[k]}，请核对` }));
}
