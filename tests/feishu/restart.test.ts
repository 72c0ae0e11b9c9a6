import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxEvents } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, tempDir } from '../helpers/harness.js';
import { feishuProcessEnv, freePort, useServiceProcesses } from '../helpers/node-process.js';
import { messageEvent, signedRequest } from '../helpers/payloads.js';

describe('restart between persist and process', () => {
  let fake: FakeFeishu;
  beforeEach(async () => {
    fake = await startFakeFeishu();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('processes events stored before a crash exactly once after restart', async () => {
    const dir = tempDir();
    const databasePath = join(dir.path, 'duban.sqlite');
    // First life: events are stored and acknowledged, then the process "dies" before any work.
    const first = await startTestService({ fake, databasePath, defer: () => {} });
    const event = messageEvent({ text: '/help', messageId: 'om_before_crash' });
    expect((await first.post(event)).status).toBe(200);
    expect((await first.post(event)).status).toBe(200);
    await first.close(false);
    expect(fake.sent()).toHaveLength(0);

    const second = await startTestService({ fake, databasePath });
    await second.sweep();
    await second.settle();
    expect(fake.sent('reply').map((m) => m.target)).toEqual(['om_before_crash']);
    // A late redelivery from Feishu after the restart changes nothing.
    expect((await second.post(event)).status).toBe(200);
    await second.sweep();
    await second.settle();
    expect(fake.sent('reply')).toHaveLength(1);
    await second.close(false);
    dir.remove();
  });
});

describe('the real process, killed after the ack', () => {
  const processes = useServiceProcesses();

  it('delivers the reply exactly once after kill -9 and restart', async () => {
    const fake = processes.fake();
    const dir = tempDir();
    const port = await freePort();
    const env = feishuProcessEnv(fake, join(dir.path, 'duban.sqlite'));
    // Feishu hangs on the first token request, so the reply is in flight when the process dies.
    fake.failNext({ match: /tenant_access_token/, status: 200, body: {}, delayMs: 'hang' });
    const first = await processes.start(env, port);
    const req = await signedRequest(messageEvent({ text: '/help', messageId: 'om_killed' }));
    const res = await fetch(`http://127.0.0.1:${port}/feishu/events`, { method: 'POST', body: req.body, headers: req.headers });
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.requests.some((r) => r.path.includes('tenant_access_token')), 10_000, 'the token request');
    first.child.kill('SIGKILL');
    await first.exited();
    expect(fake.sent()).toHaveLength(0);

    const second = await processes.start(env, port);
    await fake.waitFor(() => fake.sent('reply').length > 0, 15_000, 'the reply after restart');
    // Feishu redelivers the same event; a second reply must not appear.
    expect((await fetch(`http://127.0.0.1:${port}/feishu/events`, { method: 'POST', body: req.body, headers: req.headers })).status).toBe(200);
    // SIGTERM lets the process finish the work it accepted, then exit: once it has, all is said.
    second.child.kill('SIGTERM');
    await second.exited();
    expect(fake.sent('reply').map((m) => m.target)).toEqual(['om_killed']);
    dir.remove();
  });
});

describe('inbox retention', () => {
  it('deletes processed events after a week, keeps recent and failed ones', async () => {
    const clock = createFixedClock('2026-03-10T00:00:00Z');
    const svc = await startTestService({ clock });
    try {
      const row = (eventId: string, status: 'done' | 'failed', receivedAt: string) => ({
        eventId,
        eventType: 'im.message.receive_v1',
        payload: '{}',
        status,
        receivedAt,
      });
      await svc.deps.db
        .insert(inboxEvents)
        .values([
          row('old_done', 'done', '2026-03-01T00:00:00Z'),
          row('old_failed', 'failed', '2026-03-01T00:00:00Z'),
          row('recent_done', 'done', '2026-03-08T00:00:00Z'),
        ]);
      await svc.sweep();
      const left = (await svc.deps.db.select({ id: inboxEvents.eventId }).from(inboxEvents)).map((r) => r.id).sort();
      expect(left).toEqual(['old_failed', 'recent_done']);
    } finally {
      await svc.close();
    }
  });
});
