import { describe, expect, it } from 'vitest';
import { LIST_PAGE } from '../../cards/actions.js';
import { checkCardLimits } from '../../cards/limits.js';
import { LIST_PAGE_SIZE, measureListCard, paginateList } from '../../cards/measure-list.card.js';
import { sampleListRows, sampleListView } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';
import { buttons, findAll } from '../helpers/card-query.js';

describe('measure list card', () => {
  snapshotCardSamples('measure-list');

  it('cuts pages and clamps out-of-range page numbers', () => {
    const rows = Array.from({ length: 23 }, (_, i) => i);
    expect(paginateList(rows, 1)).toEqual({ rows: rows.slice(0, 10), page: 1, pageCount: 3, total: 23 });
    expect(paginateList(rows, 3).rows).toEqual([20, 21, 22]);
    expect(paginateList(rows, 99).page).toBe(3);
    expect(paginateList(rows, 0).page).toBe(1);
    expect(paginateList(rows, Number.NaN).page).toBe(1);
    expect(paginateList([], 5)).toEqual({ rows: [], page: 1, pageCount: 1, total: 0 });
  });

  it('shows one compact row per measure with its countdown', () => {
    const card = collectCard('list', measureListCard(sampleListView(sampleListRows(3), 1)));
    const rows = findAll(card, 'markdown').map((m) => m.content as string);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('**1.1.1**');
    expect(rows[0]).toContain("<font color='red'>已逾期 5 天</font>");
  });

  it('pages with 上一页 / 下一页 carrying the list command and the target page', () => {
    const all = sampleListRows(37);
    const first = collectCard('first', measureListCard(sampleListView(all, 1, { query: { command: 'status', filter: '组织部' } })));
    expect(buttons(first).map((b) => [b.label, b.value])).toEqual([['下一页', { action: LIST_PAGE, command: 'status', filter: '组织部', page: 2 }]]);
    const middle = collectCard('middle', measureListCard(sampleListView(all, 2)));
    expect(buttons(middle).map((b) => [b.label, b.value])).toEqual([
      ['上一页', { action: LIST_PAGE, command: 'overdue', page: 1 }],
      ['下一页', { action: LIST_PAGE, command: 'overdue', page: 3 }],
    ]);
    const last = collectCard('last', measureListCard(sampleListView(all, 4)));
    expect(buttons(last).map((b) => b.label)).toEqual(['上一页']);
    const single = collectCard('single', measureListCard(sampleListView(sampleListRows(4), 1)));
    expect(buttons(single)).toEqual([]);
  });

  it('never shows more than one page of rows, even if handed more', () => {
    const all = sampleListRows(60);
    const card = collectCard('overfull', measureListCard({ ...sampleListView(all, 1), rows: all }));
    expect(findAll(card, 'markdown')).toHaveLength(LIST_PAGE_SIZE);
  });

  it('keeps every page of a 500-measure ledger within the limits', () => {
    const all = sampleListRows(500).map((row, i) => ({
      ...row,
      text: '长'.repeat(300 + (i % 50)),
      department: '部门'.repeat(20),
      ownerName: '负责人'.repeat(10),
    }));
    const first = paginateList(all, 1);
    expect(first.pageCount).toBe(50);
    for (let page = 1; page <= first.pageCount; page++) {
      const card = measureListCard(sampleListView(all, page));
      expect(checkCardLimits(card), `page ${page}`).toEqual([]);
      if (page === 1 || page === first.pageCount) collectCard(`huge page ${page}`, card);
    }
  });
});

checkCollectedCards();
