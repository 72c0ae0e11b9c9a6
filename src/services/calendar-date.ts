/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function calendarDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * How far from today a deadline may lie. A deadline is a plan for the coming years; a date
 * further out is a typo (9999-12-31) that would otherwise show as 还剩 2080077 个工作日.
 */
export const DEADLINE_RANGE_YEARS = 5;

/** The same month and day `years` later (Feb 29 becomes Feb 28 in a common year). */
function shiftYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/** The earliest and latest acceptable deadline around `today` (YYYY-MM-DD, inclusive). */
export function deadlineRange(today: string): { earliest: string; latest: string } {
  return { earliest: shiftYears(today, -DEADLINE_RANGE_YEARS), latest: shiftYears(today, DEADLINE_RANGE_YEARS) };
}

/** The Chinese refusal for a deadline too far from today, or undefined when it is within range. */
export function deadlineRangeProblem(date: string, today: string): string | undefined {
  const { earliest, latest } = deadlineRange(today);
  if (date > latest) return `日期 ${date} 太远：完成时限应在今后 ${DEADLINE_RANGE_YEARS} 年内，即不晚于 ${latest}。`;
  if (date < earliest) return `日期 ${date} 太早：完成时限应在前后 ${DEADLINE_RANGE_YEARS} 年内，即不早于 ${earliest}。`;
  return undefined;
}
