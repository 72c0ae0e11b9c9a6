/**
 * Keeping list cards inside the platform limits (30 KB, 200 elements) whatever the ledger size:
 * lists are cut to a number of rows with an "另有 N 项" line, and the cut tightens until the
 * rendered card fits.
 */

export { CARD_MAX_BYTES } from './card-schema.js';
/** rendered cards aim below this, leaving room for the envelope */
export const CARD_TARGET_BYTES = 28 * 1024;

export function cardBytes(card: unknown): number {
  return new TextEncoder().encode(JSON.stringify(card)).length;
}

/**
 * The first `max` rows rendered, then "另有 N 项" for the rest; `total` when `rows` holds only the
 * first rows of a longer list (as many as `max` at least).
 */
export function boundedLines<T>(
  rows: readonly T[],
  max: number,
  render: (row: T) => string,
  more = (n: number) => `另有 ${n} 项`,
  total = rows.length,
): string[] {
  const lines = rows.slice(0, max).map(render);
  if (total > lines.length) lines.push(more(total - lines.length));
  return lines;
}

/** Renders with the largest row limit whose card fits the target size. */
export function fitCard<C>(render: (maxRows: number) => C, limits: readonly number[] = [30, 20, 12, 8, 5, 3, 1, 0]): C {
  let card = render(limits[0]!);
  for (const limit of limits.slice(1)) {
    if (cardBytes(card) <= CARD_TARGET_BYTES) break;
    card = render(limit);
  }
  return card;
}

/** 25.0% */
export function percentText(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}
