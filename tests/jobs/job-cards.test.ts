import { describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, cardBytes } from '../../cards/bounded-list.js';
import { reminderDigestCard, reminderDigestText, type ReminderDigestRow } from '../../cards/reminder-digest.card.js';
import { weeklySummaryCard, weeklySummaryText, type WeeklySummaryRow, type WeeklySummaryView } from '../../cards/weekly-summary.card.js';
import { countElements } from './job-fixtures.js';

const HOSTILE = '<at id=all></at> [点我](https://evil.example) **加粗** <font color=red>';
const longText = `${HOSTILE}${'整改措施内容很长'.repeat(40)}`;

const digestRow = (i: number): ReminderDigestRow => ({
  code: `${i}.1.1`,
  text: longText,
  department: `部门${HOSTILE}`,
  ownerName: `责任人${HOSTILE}`,
  countdown: '已逾期 5 天',
});
const summaryRow = (i: number): WeeklySummaryRow => ({
  code: `${i}.2.3`,
  text: longText,
  department: `部门${i}${HOSTILE}`,
  ownerName: `责任人${i}`,
  ownerOpenId: i % 2 ? `ou_owner${i}` : 'ou_x></at><at id=all',
  countdown: '已逾期 5 天',
  daysOverdue: 5,
  dueLabel: '10月8日',
});

function bigSummary(n: number, mentionOwners = false): WeeklySummaryView {
  const rows = Array.from({ length: n }, (_, i) => summaryRow(i + 1));
  return {
    campaignName: `市委巡察整改${HOSTILE}`,
    weekLabel: '2025年第42周',
    windowLabel: '10月6日—10月12日',
    asOfLabel: '10月13日',
    total: n * 5,
    closed: n,
    submitted: n,
    inProgress: n * 3,
    overdueCount: n,
    completionRate: 0.2,
    previousRate: 0.25,
    closedThisWeek: rows,
    submittedList: rows,
    newlyOverdue: rows,
    overdue: rows,
    dueNextWeek: rows,
    departments: rows.map((r, i) => ({ department: r.department!, total: 10, closed: 2, submitted: 1, inProgress: 7, overdue: i % 3, rate: 0.2 })),
    trend: Array.from({ length: 8 }, (_, i) => ({ label: `${i + 1}月1日`, rate: i / 10 })),
    mentionOwners,
  };
}

describe('job cards stay within the platform limits and show user text as text', () => {
  it('keeps a reminder digest of 500 measures under 30 KB and 200 elements, with "另有 N 项"', () => {
    const rows = Array.from({ length: 500 }, (_, i) => digestRow(i));
    const card = reminderDigestCard({
      dateLabel: '10月9日',
      recipientName: HOSTILE,
      dueToday: rows,
      overdue: rows,
      dueSoon: rows,
      checkins: rows,
      escalations: rows,
    });
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    expect(countElements(card)).toBeLessThan(200);
    const json = JSON.stringify(card);
    expect(json).toMatch(/另有 \d+ 项/);
    expect(json).not.toContain('<at id=all>');
    expect(json).not.toContain('](https://evil.example)');
    expect(json).toContain('&#60;at id=all&#62;');
    const text = reminderDigestText({ dateLabel: '10月9日', recipientName: HOSTILE, dueToday: rows, overdue: [], dueSoon: [], checkins: [], escalations: [] });
    expect(text).not.toContain('<at');
    expect(new TextEncoder().encode(text).length).toBeLessThan(150 * 1024);
  });

  it('keeps a weekly summary of a 1000-measure ledger under 30 KB and 200 elements', () => {
    for (const mention of [false, true]) {
      const card = weeklySummaryCard(bigSummary(1000, mention));
      expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
      expect(countElements(card)).toBeLessThan(200);
      const json = JSON.stringify((card as any).body);
      expect(json).toMatch(/另有 \d+ 项未列出/);
      expect(json).not.toContain('<at id=all>');
      expect((card as any).header.subtitle.tag).toBe('plain_text');
      expect((card as any).config).toEqual({ update_multi: true });
      expect((card as any).schema).toBe('2.0');
    }
    const text = weeklySummaryText(bigSummary(1000));
    expect(text).not.toContain('<at');
    expect(new TextEncoder().encode(text).length).toBeLessThan(150 * 1024);
  });

  it('mentions only well-formed open_ids', () => {
    const json = JSON.stringify(weeklySummaryCard(bigSummary(3, true)));
    expect(json).toContain('<at id=ou_owner1></at>');
    expect(json).not.toContain('ou_x></at>');
  });
});
