import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCardLimits } from '../../cards/limits.js';
import { createFixedClock } from '../../src/clock.js';
import { readable, say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { cardActionEvent } from '../helpers/payloads.js';
import { seedLedger } from '../helpers/seed-ledger.js';

describe('paginated lists', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock('2025-10-09T02:00:00.000Z') });
    await seedLedger(svc.deps.db, {
      people: [
        { key: 'wang', name: '王芳', department: '办公室', roles: ['owner'] },
        { key: 'secretary', name: '整改办', roles: ['secretary'] },
      ],
      measures: Array.from({ length: 250 }, (_, i) => ({
        code: `${Math.floor(i / 50) + 1}.${Math.floor((i % 50) / 10) + 1}.${(i % 10) + 1}`,
        text: `第${i + 1}条整改措施：${'完善制度并严格落实，'.repeat(6)}`,
        department: '办公室',
        owner: 'wang',
        due: '2025-12-31',
      })),
    });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('pages /mine ten rows at a time with 上一页 / 下一页, every page within the limits', async () => {
    const c = await say(svc, fake, 'ou_wang', '/mine');
    const first = c.cards[0];
    expect(checkCardLimits(first)).toEqual([]);
    expect(readable({ msgType: 'interactive', content: first } as never)).toContain('第 1 / 25 页');
    const messageId = fake.sent('reply').find((m) => m.target === c.messageId && m.msgType === 'interactive')!.messageId;
    const res = await svc.post(cardActionEvent({ openId: 'ou_wang', messageId, value: { action: 'list.page', command: 'mine', page: 25 } }));
    const body = (await res.json()) as { card: { data: unknown } };
    const last = readable({ msgType: 'interactive', content: body.card.data } as never);
    expect(last).toContain('第 25 / 25 页');
    expect(last).toContain('5.5.10');
    expect(last).toContain('[上一页]');
    expect(last).not.toContain('[下一页]');
    expect(checkCardLimits(body.card.data)).toEqual([]);
  });

  it('refuses to page a leaders-only list for an owner', async () => {
    const res = await svc.post(cardActionEvent({ openId: 'ou_wang', value: { action: 'list.page', command: 'overdue', page: 2 } }));
    expect(((await res.json()) as { toast: { type: string } }).toast.type).toBe('error');
  });
});
