import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import type { FeishuClient, OutgoingMessage } from '../../src/port/feishu-client.js';
import { createOutboxDelivery } from '../../src/feishu/outbox.js';
import { enqueueMessage } from '../../src/outbox/outbound-message.js';
import { silentLogger } from '../../src/logger.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { createManualClock } from '../helpers/manual-clock.js';

const textTo = (chat: string, uuid: string, text = '测试消息') => ({
  kind: 'create' as const,
  receiveIdType: 'chat_id' as const,
  receiveId: chat,
  msgType: 'text' as const,
  content: JSON.stringify({ text }),
  uuid,
});

/** Deferred work a test can wait for: the positive signal that the outbox has settled. */
function deferredTasks() {
  const running: Promise<unknown>[] = [];
  return {
    defer: (task: () => Promise<unknown>) => void running.push(task()),
    async settled() {
      while (running.length > 0) await running.shift();
    },
  };
}

// Backoff waits run on the service's fixed clock, which a drain's sleep moves at once: retries
// are driven by the clock, not waited for in real time.
describe('outbox delivery through the SDK', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let clock: ReturnType<typeof createFixedClock>;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    clock = createFixedClock('2026-03-02T01:00:00Z');
    svc = await startTestService({ fake, clock });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  const rowOf = async (uuid: string) => (await svc.deps.db.select().from(outbox).where(eq(outbox.uuid, uuid)))[0]!;
  const attemptsAt = (path: RegExp) => fake.requests.filter((r) => path.test(r.path));

  it('retries 429 twice, honouring the reset header, then posts exactly once with the same uuid', async () => {
    fake.failNext({
      match: /POST \/open-apis\/im\/v1\/messages$/,
      times: 2,
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '5' },
    });
    const start = clock.now().getTime();
    await enqueueMessage(svc.deps.db, textTo('oc_chat_a', 'weekly:oc_chat_a:2026-W48'), clock.now());
    await svc.settle(20_000);
    const posts = attemptsAt(/^\/open-apis\/im\/v1\/messages$/);
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => p.body.uuid))).toEqual(new Set(['weekly:oc_chat_a:2026-W48']));
    expect(fake.sent('create')).toHaveLength(1);
    const row = await rowOf('weekly:oc_chat_a:2026-W48');
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    expect(row.messageId).toBe(fake.sent('create')[0]!.messageId);
    // Two 5 s resets honoured (the plain backoff would have retried after 0.5 s and 1.5 s).
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(10_000);
  });

  it('retries 500, 230020 and 11232 and then delivers', async () => {
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages$/, status: 500, body: { code: 1, msg: 'internal' } });
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages$/, status: 400, body: { code: 230020, msg: 'frequency limit' } });
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages$/, status: 200, body: { code: 11232, msg: 'create message service trigger rate limit' } });
    await enqueueMessage(svc.deps.db, textTo('oc_chat_b', 'retry-mix'), svc.deps.clock.now());
    await svc.settle(20_000);
    expect(fake.sent('create')).toHaveLength(1);
    expect((await rowOf('retry-mix')).status).toBe('sent');
  });

  it('records a permanent failure (bot not in chat) once, without retrying', async () => {
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages$/, status: 400, body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' } });
    await enqueueMessage(svc.deps.db, textTo('oc_gone', 'perm-1'), svc.deps.clock.now());
    await svc.settle();
    expect(attemptsAt(/^\/open-apis\/im\/v1\/messages$/)).toHaveLength(1);
    const row = await rowOf('perm-1');
    expect(row.status).toBe('failed');
    expect(row.lastError).toContain('230002');
  });

  it('treats HTTP 200 with a non-zero code as a failure', async () => {
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages$/, status: 200, body: { code: 230013, msg: 'user not in availability' } });
    await enqueueMessage(svc.deps.db, textTo('oc_x', 'code-nonzero'), svc.deps.clock.now());
    await svc.settle();
    const row = await rowOf('code-nonzero');
    expect(row.status).toBe('failed');
    expect(row.lastError).toContain('230013');
    expect(fake.sent()).toHaveLength(0);
  });

  it('fetches the tenant token once for many messages, and again once after it is revoked', async () => {
    for (let i = 0; i < 4; i++) await enqueueMessage(svc.deps.db, textTo(`oc_many_${i}`, `many-${i}`), svc.deps.clock.now());
    await svc.settle();
    expect(fake.tokenRequests).toBe(1);
    fake.revokeTokens();
    await enqueueMessage(svc.deps.db, textTo('oc_after_revoke', 'after-revoke'), svc.deps.clock.now());
    await svc.settle();
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent('create')).toHaveLength(5);
    expect((await rowOf('after-revoke')).status).toBe('sent');
  });

  it('ignores a second message with the same uuid', async () => {
    expect(await enqueueMessage(svc.deps.db, textTo('oc_same', 'same-uuid'), svc.deps.clock.now())).toBe(true);
    expect(await enqueueMessage(svc.deps.db, textTo('oc_same', 'same-uuid', '另一条'), svc.deps.clock.now())).toBe(false);
    await svc.settle();
    expect(fake.sent('create')).toHaveLength(1);
  });

  it('wakes for a retry at its due time, with no kick, no sweep and no waiting drain', async () => {
    fake.failNext({
      match: /POST \/open-apis\/im\/v1\/messages$/,
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '1' },
    });
    const work = deferredTasks();
    const delivery = createOutboxDelivery({
      db: svc.deps.db,
      feishu: svc.deps.feishu,
      clock,
      log: silentLogger,
      leaseMs: 30_000,
      defer: work.defer,
      wakeAtDue: true,
      random: () => 0,
    });
    try {
      await enqueueMessage(svc.deps.db, textTo('oc_later', 'due-later'), clock.now());
      delivery.kick(); // this drain does not wait: it ends after the first, failed attempt
      await work.settled();
      const posts = () => attemptsAt(/^\/open-apis\/im\/v1\/messages$/);
      expect(posts()).toHaveLength(1);
      expect((await rowOf('due-later')).status).toBe('pending');
      clock.advance(999); // not before the reset
      await work.settled();
      expect(posts()).toHaveLength(1);
      clock.advance(1);
      await work.settled();
      expect(posts()).toHaveLength(2);
      expect(fake.sent('create')).toHaveLength(1);
      expect((await rowOf('due-later')).status).toBe('sent');
    } finally {
      delivery.stop();
    }
  });

  it('keeps undeliverable messages visible after the last attempt', async () => {
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages$/, times: 100, status: 503, body: { code: 1, msg: 'unavailable' } });
    const clock = createFixedClock('2026-03-02T01:00:00Z');
    const delivery = createOutboxDelivery({ db: svc.deps.db, feishu: svc.deps.feishu, clock, log: silentLogger, leaseMs: 1000, defer: () => {} });
    await enqueueMessage(svc.deps.db, textTo('oc_down', 'never'), clock.now());
    // The fixed clock's sleep advances time at once, so every backoff elapses instantly.
    await delivery.drain({ maxWaitMs: 24 * 3600_000 });
    const row = await rowOf('never');
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(8);
    expect(row.lastError).toContain('503');
  });
});

describe('outbox pacing', () => {
  it('sends at most 5 messages per second to one chat and keeps their order', async () => {
    const clock = createFixedClock('2026-03-02T01:00:00Z');
    const sends: Array<{ at: number; msg: OutgoingMessage }> = [];
    const feishu: FeishuClient = {
      mode: 'feishu',
      async send(msg) {
        sends.push({ at: clock.now().getTime(), msg });
        return { ok: true, messageId: `om_${sends.length}` };
      },
      async botOpenId() {
        return undefined;
      },
      lookupUserIds: async () => new Map(),
      downloadMessageResource: async () => new Uint8Array(),
      uploadFile: async () => 'file_unused',
    };
    const svc = await startTestService();
    try {
      const delivery = createOutboxDelivery({ db: svc.deps.db, feishu, clock, log: silentLogger, leaseMs: 1000, defer: () => {} });
      for (let i = 0; i < 12; i++) await enqueueMessage(svc.deps.db, textTo('oc_busy', `busy-${i}`, `第${i}条`), clock.now());
      await delivery.drain();
      expect(sends).toHaveLength(12);
      expect(sends.map((s) => (s.msg.kind === 'create' ? s.msg.uuid : ''))).toEqual(Array.from({ length: 12 }, (_, i) => `busy-${i}`));
      for (const s of sends) {
        const inWindow = sends.filter((o) => o.at > s.at - 1000 && o.at <= s.at);
        expect(inWindow.length).toBeLessThanOrEqual(5);
      }

      // Replies to different messages of one group count against that group.
      sends.length = 0;
      for (let i = 0; i < 8; i++) {
        const reply = {
          kind: 'reply' as const,
          replyTo: `om_q${i}`,
          chatId: 'oc_busy_group',
          msgType: 'text' as const,
          content: JSON.stringify({ text: `答复${i}` }),
          uuid: `re-busy-${i}`,
        };
        await enqueueMessage(svc.deps.db, reply, clock.now());
      }
      await delivery.drain();
      expect(sends).toHaveLength(8);
      const first = sends[0]!.at;
      expect(sends.filter((x) => x.at < first + 1000)).toHaveLength(5);
    } finally {
      await svc.close();
    }
  });
});

describe('a message waiting to be retried', () => {
  it('does not hold up a new message to someone else', async () => {
    const fake = await startFakeFeishu();
    const clock = createManualClock('2026-03-02T01:00:00Z');
    const svc = await startTestService({ fake });
    const work = deferredTasks();
    const delivery = createOutboxDelivery({
      db: svc.deps.db,
      feishu: svc.deps.feishu,
      clock,
      log: silentLogger,
      leaseMs: 30_000,
      defer: work.defer,
      kickMaxWaitMs: 60_000,
      random: () => 0,
    });
    try {
      fake.failNext({
        match: /POST \/open-apis\/im\/v1\/messages$/,
        status: 429,
        body: { code: 99991400, msg: 'limit' },
        headers: { 'x-ogw-ratelimit-reset': '20' },
      });
      await enqueueMessage(svc.deps.db, textTo('oc_throttled', 'slow-1'), clock.now());
      delivery.kick();
      await clock.untilSleeping(); // the drain is now waiting 20 s (of the clock) for the retry
      expect(fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages')).toHaveLength(1);
      await enqueueMessage(svc.deps.db, textTo('oc_other', 'fast-1'), clock.now());
      delivery.kick();
      await fake.waitFor(() => fake.sent('create').some((m) => m.uuid === 'fast-1'), 5000, 'the new message');
      expect(fake.sent('create').map((m) => m.uuid)).toEqual(['fast-1']);
      // The clock has not moved: the throttled message still waits for its time, then goes.
      await clock.untilSleeping();
      await clock.advance(20_000);
      await work.settled();
      expect(fake.sent('create').map((m) => m.uuid)).toEqual(['fast-1', 'slow-1']);
    } finally {
      delivery.stop();
      await svc.close();
      await fake.stop();
    }
  });
});
