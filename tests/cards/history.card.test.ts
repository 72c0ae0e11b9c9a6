import { describe, expect, it } from 'vitest';
import { HISTORY_ENTRIES_SHOWN, historyCard } from '../../cards/history.card.js';
import { sampleHistory } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';

describe('history card', () => {
  snapshotCardSamples('history');

  it('shows reports and status changes', () => {
    const text = JSON.stringify(collectCard('few', historyCard(sampleHistory(3))));
    expect(text).toContain('**进展汇报** 组织部部长');
    expect(text).toContain('已起草补选工作指南');
    expect(text).toContain("待销号 → <font color='blue'>已退回</font>");
    expect(text).toContain('说明：佐证材料不全');
  });

  it('shows the newest entries only and counts the rest', () => {
    const card = collectCard('long', historyCard({ ...sampleHistory(50), omitted: 5 }));
    const text = JSON.stringify(card);
    expect(text).toContain(`更早的 ${50 - HISTORY_ENTRIES_SHOWN + 5} 条记录未显示`);
    expect(card.header.subtitle?.content).toBe('共 55 条');
  });
});

checkCollectedCards();
