import { describe, expect, it } from 'vitest';
import { LIST_PAGE } from '../../cards/actions.js';
import { statusCard } from '../../cards/status.card.js';
import { sampleStatus } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';
import { buttons, findAll } from '../helpers/card-query.js';

describe('status card', () => {
  snapshotCardSamples('status');

  it('shows the completion rate, overdue and due-soon counts', () => {
    const card = collectCard('status', statusCard(sampleStatus()));
    const text = JSON.stringify(card);
    expect(text).toContain("**完成率** <font color='blue'>31%</font>（已销号 15 / 共 48 项）");
    expect(text).toContain("**已逾期**\\n<font color='red'>5</font>");
    expect(text).toContain("**7 日内到期**\\n<font color='orange'>7</font>");
    expect(card.header.template).toBe('red');
  });

  it('has a per-department table of plain text and numbers', () => {
    const card = collectCard('table', statusCard(sampleStatus()));
    const [table] = findAll(card, 'table');
    expect((table!.columns as Array<{ data_type: string }>).map((c) => c.data_type)).toEqual(['text', 'number', 'number', 'number', 'number', 'text']);
    expect((table!.rows as unknown[])[1]).toEqual({ department: '组织部', total: 6, closed: 1, submitted: 1, overdue: 1, rate: '17%' });
  });

  it('links to the overdue and due-soon lists only when there are some', () => {
    const busy = collectCard('busy', statusCard(sampleStatus()));
    expect(buttons(busy).map((b) => b.value)).toEqual([
      { action: LIST_PAGE, command: 'overdue', page: 1 },
      { action: LIST_PAGE, command: 'due', page: 1 },
    ]);
    const calm = collectCard('calm', statusCard(sampleStatus({ overdue: 0, dueSoon: 0 })));
    expect(buttons(calm)).toEqual([]);
    expect(calm.header.template).toBe('blue');
  });

  it('caps the department table and says how many were left out', () => {
    const departments = Array.from({ length: 130 }, (_, i) => ({ department: `部门${i}`, total: 1, closed: 0, submitted: 0, overdue: 0, completionRate: 0 }));
    const card = collectCard('many', statusCard(sampleStatus({ departments })));
    expect((findAll(card, 'table')[0]!.rows as unknown[]).length).toBe(100);
    expect(JSON.stringify(card)).toContain('另有 30 个部门未列出');
  });
});

checkCollectedCards();
