import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import type { CardActionHandlerFn, CardAnswer } from '../../src/dispatch/card-actions.js';
import { CARD_UPDATE_TOKEN_TTL_MS } from '../../src/feishu/outbox.js';
import { stableId } from '../../src/outbox/stable-id.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { cardActionEvent } from '../helpers/payloads.js';

/**
 * A card callback whose handler outlives the answer budget is answered as pending, and the card
 * the handler produces later reaches the clicked message as a delayed card update through the
 * outbox. The slow handlers below wait on a gate the test opens only after the callback was
 * answered, so the race is lost by construction, not by timing; the short budget only keeps the
 * test from waiting the production 2.5 s.
 */

const NOW = '2025-10-09T02:00:00.000Z';
const BUDGET_MS = 150;
const PENDING = { toast: { type: 'info', content: '正在处理，请稍候查看' } };

const resultCard = (text: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: '整改措施 1.2.1' }, template: 'green' },
  body: { elements: [{ tag: 'markdown', content: text }] },
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('card callbacks slower than the answer budget', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let clock: ReturnType<typeof createFixedClock>;
  let release: ReturnType<typeof gate>;
  let runs = 0;

  const slowAnswer =
    (answer: () => CardAnswer): CardActionHandlerFn =>
    async () => {
      runs += 1;
      await release.opened;
      return answer();
    };
  const cardActions: Record<string, CardActionHandlerFn> = {
    'test.slow': slowAnswer(() => ({ toast: { type: 'success', content: '进展已记录' }, card: { type: 'raw', data: resultCard('✅ 进展已记录') } })),
    'test.slow-toast': slowAnswer(() => ({ toast: { type: 'success', content: '已记录' } })),
    'test.slow-fail': async () => {
      runs += 1;
      await release.opened;
      throw new Error('database is locked');
    },
    'test.fast': async () => {
      runs += 1;
      return { toast: { type: 'success', content: '已记录' }, card: { type: 'raw', data: resultCard('⚡ 立即更新') } };
    },
  };

  const click = async (action: string, o: { eventId?: string; cardToken?: string } = {}) => {
    const payload = cardActionEvent({ openId: 'ou_wang', messageId: 'om_clicked_card', value: { action }, ...o });
    const res = await svc.post(payload);
    expect(res.status).toBe(200);
    return { payload, answer: (await res.json()) as Record<string, unknown> };
  };
  const outboxRows = () => svc.deps.db.select().from(outbox);
  const cardUpdateRequests = () => fake.requests.filter((r) => r.path === '/open-apis/interactive/v1/card/update');

  beforeEach(async () => {
    runs = 0;
    release = gate();
    clock = createFixedClock(NOW);
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock, app: { cardActions, cardAnswerBudgetMs: BUDGET_MS } });
  });
  afterEach(async () => {
    release.open();
    await svc.close();
    await fake.stop();
  });

  it('answers in time with the pending toast, then updates the clicked card once with the callback token', async () => {
    const { payload, answer } = await click('test.slow', { cardToken: 'c-late-card-token-1' });
    expect(answer).toEqual(PENDING);
    // Answered while the handler is still at work: nothing is sent before the answer.
    expect(runs).toBe(1);
    expect(await outboxRows()).toEqual([]);

    release.open();
    await svc.settle();
    const updates = fake.sent('card_update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.target).toBe('c-late-card-token-1');
    expect(updates[0]!.content).toEqual(resultCard('✅ 进展已记录'));
    expect(cardUpdateRequests()).toHaveLength(1);
    const rows = await outboxRows();
    expect(rows.map((r) => [r.kind, r.uuid, r.status])).toEqual([['card_update', stableId('late-card', payload.header.event_id), 'sent']]);
  });

  it('a handler that finishes in time answers with its card and sends no update', async () => {
    const { answer } = await click('test.fast');
    expect(answer).toEqual({ toast: { type: 'success', content: '已记录' }, card: { type: 'raw', data: resultCard('⚡ 立即更新') } });
    await svc.settle();
    expect(fake.sent('card_update')).toEqual([]);
    expect(await outboxRows()).toEqual([]);
  });

  it('the same callback delivered twice runs once and updates the card once', async () => {
    const first = await click('test.slow', { eventId: 'ev_late_twice', cardToken: 'c-late-card-token-2' });
    expect(first.answer).toEqual(PENDING);
    const again = await click('test.slow', { eventId: 'ev_late_twice', cardToken: 'c-late-card-token-2' });
    expect(again.answer).toEqual({});
    release.open();
    await svc.settle();
    const third = await click('test.slow', { eventId: 'ev_late_twice', cardToken: 'c-late-card-token-2' });
    expect(third.answer).toEqual({});
    await svc.settle();
    expect(runs).toBe(1);
    expect(fake.sent('card_update').map((u) => u.target)).toEqual(['c-late-card-token-2']);
    expect(cardUpdateRequests()).toHaveLength(1);
  });

  it('a late answer with only a toast sends nothing', async () => {
    expect((await click('test.slow-toast')).answer).toEqual(PENDING);
    release.open();
    await svc.settle();
    expect(fake.sent('card_update')).toEqual([]);
    expect(await outboxRows()).toEqual([]);
  });

  it('a handler that fails after the answer leaves the card as it was', async () => {
    expect((await click('test.slow-fail')).answer).toEqual(PENDING);
    release.open();
    await svc.settle();
    expect(runs).toBe(1);
    expect(fake.sent('card_update')).toEqual([]);
    expect(await outboxRows()).toEqual([]);
  });

  describe('the update token lives 30 minutes', () => {
    it('an expired token (300030) ends the update as skipped, without retrying', async () => {
      fake.failNext({ match: /card\/update/, status: 400, body: { code: 300030, msg: 'token expired' } });
      await click('test.slow');
      release.open();
      await svc.settle();
      expect(cardUpdateRequests()).toHaveLength(1);
      const [row] = await outboxRows();
      expect(row!.status).toBe('skipped');
      expect(row!.lastError).toContain('300030');
    });

    it('an update still undelivered 30 minutes later is skipped without calling Feishu', async () => {
      // Throttled for ten minutes: the retry falls after the window the outbox waits in.
      fake.failNext({
        match: /card\/update/,
        status: 429,
        body: { code: 99991400, msg: 'request trigger frequency limit' },
        headers: { 'x-ogw-ratelimit-reset': '600' },
      });
      await click('test.slow');
      release.open();
      await svc.settle();
      expect(cardUpdateRequests()).toHaveLength(1);
      expect((await outboxRows())[0]!.status).toBe('pending');

      clock.advance(CARD_UPDATE_TOKEN_TTL_MS + 60_000);
      await svc.deps.outbox.drain();
      expect(cardUpdateRequests()).toHaveLength(1);
      const [row] = await svc.deps.db.select().from(outbox).where(eq(outbox.kind, 'card_update'));
      expect(row!.status).toBe('skipped');
      expect(fake.sent('card_update')).toEqual([]);
    });
  });
});
