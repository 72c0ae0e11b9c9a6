import type { DeadlineKind, LedgerLayout } from '../domain/enums.js';

/**
 * The ledger as read from a file, before it meets the database: categories -> problems ->
 * measures, with where each came from and what was wrong. Every parser produces this shape.
 */

/** Where something was found: a spreadsheet or Word table row (and cell) or a document paragraph. */
export interface SourceRef {
  kind: 'row' | 'paragraph';
  /** 1-based row or paragraph number */
  index: number;
  /** the cell, e.g. J12, when one cell is at fault (in a Word table: its column's header, e.g. 完成时限) */
  cell?: string;
  /** 1-based table of a Word document the row is in */
  table?: number;
}

export interface ParsedDeadline {
  kind: DeadlineKind;
  /** YYYY-MM-DD, for dated deadlines */
  dueDate?: string;
  /** the deadline as written */
  text: string;
}

export interface ParsedMeasure {
  code: string;
  text: string;
  leaderName?: string;
  department?: string;
  /** the department was suggested from the measure text, not given in a column */
  departmentSuggested?: boolean;
  coDepartments?: string;
  ownerName?: string;
  ownerContact?: string;
  deadline: ParsedDeadline;
  completionStandard?: string;
  /** a progress word the document writes before the measure (已完成 / 正在推进); parsed, not stored */
  statusNote?: string;
  ref: SourceRef;
}

export interface ParsedProblem {
  ordinal: number;
  title: string;
  measures: ParsedMeasure[];
}

export interface ParsedCategory {
  ordinal: number;
  title: string;
  problems: ParsedProblem[];
}

/** A finding about the file, in Chinese, ready to show. */
export interface LedgerIssue {
  ref?: SourceRef;
  message: string;
}

export type LedgerFormat = 'xlsx' | 'xls' | 'csv' | 'docx' | 'doc' | 'pdf' | 'txt' | 'md';

export interface ParsedLedger {
  format: LedgerFormat;
  /** the layout recognised; a spreadsheet without it is a table */
  layout?: LedgerLayout;
  fileName: string;
  categories: ParsedCategory[];
  warnings: LedgerIssue[];
  errors: LedgerIssue[];
  /** counts the document states about itself (e.g. 5项43个问题, 43条整改措施) */
  declared?: { categories?: number; problems?: number; measures?: number };
}

export function allMeasures(ledger: Pick<ParsedLedger, 'categories'>): ParsedMeasure[] {
  return ledger.categories.flatMap((c) => c.problems.flatMap((p) => p.measures));
}

/**
 * A file above IMPORT_MAX_ROWS. `found` is the number of measures when the whole file was
 * read; without it, reading stopped once the rows passed the limit.
 */
export function rowLimitIssue(maxRows: number, found?: number): LedgerIssue {
  const what = found === undefined ? `文件的数据行超过${maxRows}行，已停止读取` : `文件中有${found}条整改措施`;
  return { message: `${what}，超出一次最多导入${maxRows}条整改措施的上限，本次未导入任何内容。请把台账拆分为几个文件分批导入。` };
}

/** A ledger that is only a refusal: nothing of the file is kept. */
export function refusedLedger(format: LedgerFormat, fileName: string, issue: LedgerIssue): ParsedLedger {
  return { format, fileName, categories: [], warnings: [], errors: [issue] };
}

/** "第12行（J12）" / "第3段": how a reference reads in a message. */
export function describeRef(ref: SourceRef): string {
  if (ref.kind === 'paragraph') return `第${ref.index}段`;
  if (ref.table !== undefined) return `第${ref.table}个表格第${ref.index}行${ref.cell ? `（${ref.cell}列）` : ''}`;
  return ref.cell ? `第${ref.index}行（${ref.cell}单元格）` : `第${ref.index}行`;
}

export function formatIssue(issue: LedgerIssue): string {
  return issue.ref ? `${describeRef(issue.ref)}：${issue.message}` : issue.message;
}
