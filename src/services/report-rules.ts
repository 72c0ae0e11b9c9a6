/**
 * Bounds on what a person may write into a progress report, in one place for every door
 * (chat command, card form). A report is kept in full, so its length is bounded here rather
 * than cut where it is shown.
 */

export const REPORT_TEXT_MAX = 2000;

/** Characters as people count them (an emoji or a rare character is one). */
export function charCount(text: string): number {
  return [...text].length;
}

/** The Chinese refusal for a report that is too long, or undefined when it fits. */
export function reportTextProblem(text: string): string | undefined {
  const n = charCount(text);
  return n > REPORT_TEXT_MAX ? `进展内容最多 ${REPORT_TEXT_MAX} 字，本次 ${n} 字，请精简后再发送（可分几次汇报）。` : undefined;
}
