import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { createOutboxDelivery, MAX_SEND_ATTEMPTS } from '../../src/feishu/outbox.js';
import { enqueueMessage } from '../../src/outbox/outbound-message.js';
import { withSendBudget } from '../../src/feishu/send-budget.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';

describe('send budget per invocation', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  const clock = createFixedClock('2026-11-02T01:00:00Z');
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('sends up to the budget and leaves the rest for the next invocation, without using up their attempts', async () => {
    const { db, log, config } = svc.deps;
    for (let i = 1; i <= 5; i++) {
      const uuid = `budget-${i}`;
      await enqueueMessage(
        db,
        { kind: 'create', receiveIdType: 'chat_id', receiveId: `oc_budget_${i}`, msgType: 'text', content: JSON.stringify({ text: `第${i}条` }), uuid },
        clock.now(),
      );
    }
    const started = clock.now().getTime();
    const feishu = withSendBudget(svc.deps.feishu, 2, 60_000);
    const delivery = createOutboxDelivery({ db, feishu, clock, log, leaseMs: config.workLeaseMs, defer: svc.deps.defer });
    // Waiting up to 30 s for retries must not retry within this invocation: they are due in 60 s.
    const result = await delivery.drain({ maxWaitMs: 30_000 });

    expect(result).toEqual({ sent: 2, failed: 0, retried: 3 });
    expect(fake.sent('create')).toHaveLength(2);
    const rows = await db.select().from(outbox).orderBy(asc(outbox.id));
    const left = rows.filter((r) => r.status === 'pending');
    expect(left).toHaveLength(3);
    for (const r of left) {
      expect(r.attempts).toBe(0);
      expect(r.lastError).toContain('send budget');
      expect(new Date(r.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(started + 60_000);
    }

    // The next invocation has a fresh budget and delivers the rest once they are due.
    clock.advance(61_000);
    await svc.settle();
    expect(
      fake
        .sent('create')
        .map((m) => m.target)
        .sort(),
    ).toEqual(['oc_budget_1', 'oc_budget_2', 'oc_budget_3', 'oc_budget_4', 'oc_budget_5']);
  });

  it('a message put off by more invocations than it has attempts is still sent', async () => {
    const { db, log, config } = svc.deps;
    await enqueueMessage(
      db,
      { kind: 'create', receiveIdType: 'chat_id', receiveId: 'oc_backlog', msgType: 'text', content: JSON.stringify({ text: '排队' }), uuid: 'backlog-1' },
      clock.now(),
    );
    const invocation = (budget: number) =>
      createOutboxDelivery({
        db,
        feishu: withSendBudget(svc.deps.feishu, budget, 60_000),
        clock,
        log,
        leaseMs: config.workLeaseMs,
        defer: svc.deps.defer,
      }).drain();
    for (let i = 0; i < MAX_SEND_ATTEMPTS + 2; i++) {
      expect(await invocation(0)).toEqual({ sent: 0, failed: 0, retried: 1 });
      clock.advance(61_000);
    }
    expect(await invocation(5)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(fake.sent('create').map((m) => m.target)).toEqual(['oc_backlog']);
  });
});
