import { describe, expect, it } from 'vitest';
import { historyReply } from '../../src/views/history.view.js';
import type { MeasureDetail } from '../../src/services/measure-views.js';

/** What a history card says about imports: plain Chinese, never the identifiers stored in the audit log. */
describe('the history of an imported measure', () => {
  it('names the import and what it did in words', () => {
    const at = '2026-11-30T02:00:00.000Z';
    const detail = {
      measure: { id: 7, code: '1.1.1', text: '建立台账' },
      reports: [],
      history: [
        { actor: 'import', action: 'import.add', before: null, after: { text: '建立台账' }, note: '台账.xlsx', at },
        { actor: '李秘书', action: 'import.update', before: { text: '旧' }, after: { text: '新' }, note: '台账2.xlsx：措施内容', at },
        { actor: 'import', action: 'import.missing', before: { missingFromSource: false }, after: { missingFromSource: true }, note: null, at },
      ],
    } as unknown as MeasureDetail;
    const card = JSON.stringify(historyReply(detail, 'Asia/Shanghai'));
    for (const words of ['导入台账：新增措施', '导入台账：更新措施', '导入台账：新台账中已没有这条措施', '命令行导入', '李秘书']) expect(card).toContain(words);
    for (const identifier of ['import.add', 'import.update', 'import.missing', '"import']) expect(card).not.toContain(identifier);
    expect(card).not.toMatch(/[\s*]import[\s·]/);
  });

  it("dates each entry in the campaign's time zone, not UTC", () => {
    // 00:30 on 1 December in Beijing is still 30 November in UTC.
    const detail = {
      measure: { id: 7, code: '1.1.1', text: '建立台账' },
      reports: [{ text: '凌晨汇报', percent: 50, author: '王芳', at: '2026-11-30T16:30:00.000Z', source: 'chat' }],
      history: [
        {
          actor: '王芳',
          action: 'deadline_set',
          before: { dueDate: '2026-12-01' },
          after: { dueDate: '2026-12-31' },
          note: null,
          at: '2026-11-30T16:31:00.000Z',
        },
      ],
    } as unknown as MeasureDetail;
    const card = JSON.stringify(historyReply(detail, 'Asia/Shanghai'));
    expect(card).toContain('2026-12-01');
    expect(card).not.toContain('2026-11-30');
  });
});
