/**
 * Measure codes (2.1.3: category, problem, measure): how a written code is normalised and how
 * codes are ordered. Import, chat and lists all use these two functions, so a code a file is
 * accepted with is found when a person types it, and every list orders codes alike.
 */

/** Separators people write between the levels: . ． 。 、 , ， - _ — – − / \ and spaces. */
const SEPARATORS = /[.．。、,，\-_—–−/\\\s]+/g;

/**
 * The stored form of a written code, or undefined when it is not a code. Full-width digits and
 * any of the separators above are accepted, as are a leading 第 and a trailing 条, 项 or 号
 * (第2.1.3条) and stray separators at either end (2.1.3.). Numbers keep their digits (2.01 stays
 * 2.01): a code is matched as written, only its punctuation is normalised.
 */
export function normalizeMeasureCode(written: string): string | undefined {
  const code = written
    .normalize('NFKC')
    .trim()
    .replace(/^第\s*/, '')
    .replace(/\s*[条项号]$/, '')
    .replace(SEPARATORS, '.')
    .replace(/^\.|\.$/g, '');
  return MEASURE_CODE.test(code) ? code : undefined;
}

/** A stored code: digits and single dots. */
export const MEASURE_CODE = /^\d+(\.\d+)*$/;

/** The example every refusal of a code gives. */
export const MEASURE_CODE_EXAMPLE = '2.1.3';

/**
 * Levels ordered as numbers; deeper levels fall back to the code's text. db/schema.ts orders
 * codes in SQL by the same rule (codeOrderOf), and an index is built on it.
 */
export const CODE_LEVELS = 6;

/** A code split once for sorting many: its first CODE_LEVELS levels as numbers (null when absent). */
export interface MeasureCodeKey {
  code: string;
  levels: (number | null)[];
}

/**
 * The levels as SQLite reads them in codeOrderOf: only a code of digits and dots has numeric
 * levels (an empty level reads as 0), anything else has none and is ordered by its text alone.
 */
export function measureCodeKey(code: string): MeasureCodeKey {
  if (!/^[0-9.]*$/.test(code)) return { code, levels: Array(CODE_LEVELS).fill(null) };
  const parts = code.split('.');
  return { code, levels: Array.from({ length: CODE_LEVELS }, (_, i) => (parts[i] === undefined ? null : Number(parts[i]))) };
}

/**
 * 2.1.10 after 2.1.9, 2.1 before 2.1.1, then by text (2.01 before 2.1), so only equal codes
 * compare equal: a total order, the one the SQL lists use (exact for levels below 2^53).
 */
export function compareMeasureCodeKeys(a: MeasureCodeKey, b: MeasureCodeKey): number {
  for (let i = 0; i < CODE_LEVELS; i++) {
    const x = a.levels[i]!;
    const y = b.levels[i]!;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

export const compareMeasureCodes = (a: string, b: string): number => compareMeasureCodeKeys(measureCodeKey(a), measureCodeKey(b));
