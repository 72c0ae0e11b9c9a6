import { describe, expect, it } from 'vitest';
import { RECHECK_HOLD, RECHECK_REBOUND, recheckFieldNames } from '../../cards/actions.js';
import { recheckCard, recheckText } from '../../cards/recheck.card.js';
import { sampleRecheck } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';
import { buttons, findAll } from '../helpers/card-query.js';

describe('回头看 card', () => {
  snapshotCardSamples('recheck');

  it('asks whether the result has held, N months after closure', () => {
    const card = collectCard('due', recheckCard(sampleRecheck()));
    expect(card.header.title.content).toBe('措施 1.2.4 销号已满 6 个月，请确认整改成效是否巩固');
    expect(JSON.stringify(card)).toContain('2025年4月5日');
  });

  it('offers 成效巩固 (with confirmation) and 出现反弹 with a required reason', () => {
    const card = collectCard('buttons', recheckCard(sampleRecheck()));
    const [hold, rebound] = buttons(card);
    expect(hold).toMatchObject({ label: '成效巩固', value: { action: RECHECK_HOLD, recheckId: 3, measureId: 7 } });
    expect(hold!.confirm).toBeDefined();
    expect(rebound).toMatchObject({ label: '出现反弹', value: { action: RECHECK_REBOUND, recheckId: 3, measureId: 7 } });
    const names = recheckFieldNames(3);
    expect(findAll(card, 'input')[0]).toMatchObject({ name: names.reboundReason, required: true, max_length: 500 });
  });

  it('shows the answer, and no buttons, once answered', () => {
    const held = collectCard('held', recheckCard(sampleRecheck({ answer: { outcome: 'held', by: '王芳', onLabel: '10月9日', reason: null } })));
    expect(buttons(held)).toEqual([]);
    expect(JSON.stringify(held)).toContain('已确认整改成效巩固（王芳，10月9日）');
    const rebounded = collectCard(
      'rebounded',
      recheckCard(sampleRecheck({ answer: { outcome: 'rebounded', by: '张书记', onLabel: '10月9日', reason: '又出现' } })),
    );
    expect(buttons(rebounded)).toEqual([]);
    expect(rebounded.header.template).toBe('red');
    expect(JSON.stringify(rebounded)).toContain('又出现');
  });

  it('has a text version without markup that pings', () => {
    expect(recheckText(sampleRecheck({ measureText: '<at id=all></at>' }))).not.toContain('<at id=all>');
  });
});

checkCollectedCards();
