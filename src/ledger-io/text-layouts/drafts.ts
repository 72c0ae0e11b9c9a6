import { unsetDeadlineWarning } from '../deadline.js';
import type { LedgerIssue, ParsedCategory, ParsedMeasure } from '../ledger.js';

/** Categories and problems as a document reader collects them, before they are numbered. */
export interface ProblemDraft {
  title: string;
  /** the paragraph of its heading */
  heading: number;
  measures: ParsedMeasure[];
}
export interface CategoryDraft {
  title: string;
  problems: ProblemDraft[];
}

/**
 * Keeps what holds measures and numbers categories, problems and measures in order (1, 1.2,
 * 1.2.3); a problem without measures is named, with its paragraph, in a warning.
 */
export function numberedCategories(drafts: CategoryDraft[], warnings: LedgerIssue[]): ParsedCategory[] {
  const categories: ParsedCategory[] = [];
  for (const d of drafts) {
    const problems = d.problems.filter((p) => {
      if (p.measures.length === 0) warnings.push({ ref: { kind: 'paragraph', index: p.heading }, message: `问题“${p.title}”下没有找到整改措施，未导入` });
      return p.measures.length > 0;
    });
    if (problems.length === 0) continue;
    const ordinal = categories.length + 1;
    categories.push({
      ordinal,
      title: d.title,
      problems: problems.map((p, pi) => ({
        ordinal: pi + 1,
        title: p.title,
        measures: p.measures.map((m, mi) => ({ ...m, code: `${ordinal}.${pi + 1}.${mi + 1}` })),
      })),
    });
  }
  return categories;
}

/** What the secretary should check about the measures a document gave: deadlines and departments not stated. */
export function measureWarnings(measures: ParsedMeasure[], undated: number): LedgerIssue[] {
  const out: LedgerIssue[] = [];
  if (undated > 0 && measures.length > 0) out.push(unsetDeadlineWarning(undated));
  const withoutDepartment = measures.filter((m) => !m.department).length;
  if (withoutDepartment > 0) out.push({ message: `${withoutDepartment}条措施没有写明责任部门，导入后可再指派` });
  const suggested = measures.filter((m) => m.departmentSuggested).length;
  if (suggested > 0) out.push({ message: `${suggested}条措施的责任部门是从措施文字中推断的，请核对` });
  return out;
}
