import { describe, expect, it } from 'vitest';
import { parseDeadline } from '../../src/ledger-io/deadline.js';

const ctx = { year: 2024 };

function due(text: string, context: Parameters<typeof parseDeadline>[1] = ctx) {
  const r = parseDeadline(text, context);
  if (!r.ok) throw new Error(r.error);
  return r.deadline;
}

describe('parseDeadline', () => {
  it.each([
    ['2024-12-31', '2024-12-31'],
    ['2024/12/31', '2024-12-31'],
    ['2024.12.31', '2024-12-31'],
    ['２０２４．１２．３１', '2024-12-31'],
    ['2024年12月31日', '2024-12-31'],
    ['2024年12月31日前', '2024-12-31'],
    ['2024年 12 月 31 日前完成', '2024-12-31'],
    ['2024年12月底前', '2024-12-31'],
    ['2025年2月底前', '2025-02-28'],
    ['2024年2月底', '2024-02-29'],
    ['12月底', '2024-12-31'],
    ['3月底前', '2024-03-31'],
    ['2025年6月', '2025-06-30'],
    ['2025年上半年', '2025-06-30'],
    ['2025年下半年', '2025-12-31'],
    ['2025年第一季度', '2025-03-31'],
    ['年底前', '2024-12-31'],
    ['2025年底前', '2025-12-31'],
    ['于2025年3月31日前完成', '2025-03-31'],
  ])('reads %s as %s', (text, date) => {
    expect(due(text)).toEqual({ kind: 'dated', dueDate: date, text: text.replace(/\s+/g, ' ').trim() });
  });

  it.each([
    ['立行立改', 'immediate'],
    ['长期坚持', 'ongoing'],
    ['立行立改、长期坚持', 'immediate_ongoing'],
    ['立行立改，长期坚持', 'immediate_ongoing'],
    ['立行立改 长期坚持', 'immediate_ongoing'],
    ['立行立改并长期坚持', 'immediate_ongoing'],
    ['立行立改/长期坚持', 'immediate_ongoing'],
  ])('reads %s as %s', (text, kind) => {
    const d = due(text);
    expect(d.kind).toBe(kind);
    expect(d.dueDate).toBeUndefined();
  });

  it('keeps a date joined to 长期坚持 as a dated deadline', () => {
    expect(due('2024年12月底前完成并长期坚持')).toMatchObject({ kind: 'dated', dueDate: '2024-12-31' });
  });

  it('takes the following year when a guessed year would put the date before the campaign', () => {
    expect(due('3月底前', { year: 2024, notBefore: '2024-09-14' }).dueDate).toBe('2025-03-31');
    expect(due('12月底', { year: 2024, notBefore: '2024-09-14' }).dueDate).toBe('2024-12-31');
    // A year written in the cell is never moved.
    expect(due('2024年3月底', { year: 2024, notBefore: '2024-09-14' }).dueDate).toBe('2024-03-31');
  });

  it.each(['尽快', '下个月', '2024-13-01', '2024年2月30日', 'TBD', '  '])('refuses %j with a message quoting it', (text) => {
    const r = parseDeadline(text, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok && text.trim()) expect(r.error).toContain(`“${text.trim()}”`);
  });
});
