import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry as defaultRegistry } from '../../commands/index.js';
import { createRegistry } from '../../commands/registry.js';
import type { Command } from '../../commands/types.js';
import { claimDueOutbox } from '../../db/queries/outbox.js';
import { inboxEvents, outbox } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { claimWindow } from '../../src/feishu/claim-window.js';
import { MAX_EVENT_ATTEMPTS, processInboxEvent } from '../../src/feishu/inbox.js';
import { MAX_SEND_ATTEMPTS } from '../../src/feishu/outbox.js';
import { enqueueMessage } from '../../src/outbox/outbound-message.js';
import { errorReference } from '../../src/services/errors.js';
import { listParkedWork } from '../../src/services/parked-work.js';
import { readable } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, tempDir, type TestService } from '../helpers/harness.js';
import { feishuProcessEnv, freePort, postToProcess, useServiceProcesses } from '../helpers/node-process.js';
import { messageEvent } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

const ADMIN = 'ou_admin00000000000000000000000001';
const SENDER = 'ou_sender0000000000000000000000001';

/** A command whose handler never returns: the process "dies" while it runs. */
function hangingRegistry() {
  const calls = { n: 0 };
  const hang: Command<string> = {
    name: 'hang',
    aliases: [],
    summary: 'test: never finishes',
    usage: '/hang',
    roles: 'anyone',
    args: z.string(),
    run: () => {
      calls.n += 1;
      return new Promise(() => {});
    },
  };
  return { registry: createRegistry([...defaultRegistry.commands, hang]), calls };
}

async function inboxRow(svc: TestService, eventId: string) {
  return (await svc.deps.db.select().from(inboxEvents).where(eq(inboxEvents.eventId, eventId)))[0]!;
}

const replyTexts = (fake: FakeFeishu, messageId: string) =>
  fake
    .sent('reply')
    .filter((m) => m.target === messageId)
    .map(readable);

describe('poison events are parked after their last attempt', () => {
  let fake: FakeFeishu;
  beforeEach(async () => {
    fake = await startFakeFeishu();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('a handler that never finishes runs three times across restarts at most, then is parked and the sender told once', async () => {
    const dir = tempDir();
    const databasePath = join(dir.path, 'duban.sqlite');
    const clock = createFixedClock('2025-10-09T02:00:00.000Z');
    const { registry, calls } = hangingRegistry();
    const env = { ADMIN_OPEN_IDS: ADMIN };
    const life = () => startTestService({ fake, databasePath, clock, env, app: { registry } });

    // Work after the ack is dropped, as if the process died right after answering.
    const first = await startTestService({ fake, databasePath, clock, env, app: { registry }, defer: () => {} });
    await seedLedger(first.deps.db, nationalDayLedger());
    const event = messageEvent({ text: '/hang', openId: SENDER, messageId: 'om_poison' });
    expect((await first.post(event)).status).toBe(200);
    const eventId = event.header.event_id;
    await first.close(false);

    // Each life claims it and "crashes" inside the handler: the claim stays, never completed.
    // The next life takes the dead one's claim over at once (same process id, another holder).
    for (let attempt = 1; attempt <= MAX_EVENT_ATTEMPTS; attempt++) {
      const svc = await life();
      await svc.sweep();
      await fake.waitFor(() => calls.n === attempt, 5000, `attempt ${attempt}`);
      expect(await inboxRow(svc, eventId)).toMatchObject({ status: 'processing', attempts: attempt });
      svc.abandon();
    }

    // The next life parks it instead of running it a fourth time, and tells the sender.
    const parking = await life();
    await parking.sweep();
    await parking.settle();
    expect(calls.n).toBe(MAX_EVENT_ATTEMPTS);
    const parked = await inboxRow(parking, eventId);
    expect(parked).toMatchObject({ status: 'failed', attempts: MAX_EVENT_ATTEMPTS });
    expect(parked.lastError).toBe(`interrupted ${MAX_EVENT_ATTEMPTS} times: the process stopped while working on it`);
    const ref = errorReference(eventId);
    expect(replyTexts(fake, 'om_poison')).toEqual([
      `抱歉，您的这条消息已尝试处理 ${MAX_EVENT_ATTEMPTS} 次仍未成功，系统已停止处理并通知管理员。如需查询，请提供参考编号：${ref}`,
    ]);
    expect(
      fake
        .sent('create')
        .filter((m) => m.target === ADMIN)
        .map(readable),
    ).toEqual([expect.stringContaining(`参考编号 ${ref}`)]);
    expect(parking.logLines.some((l) => l.includes('event parked') && l.includes(eventId) && l.includes('interrupted 3 times'))).toBe(true);
    await parking.close(false);

    // Further restarts (and a late redelivery) never run it again nor tell anyone twice.
    clock.advance(60_000);
    const later = await startTestService({ fake, databasePath, clock, env, app: { registry } });
    await later.sweep();
    expect((await later.post(event)).status).toBe(200);
    await later.sweep();
    await later.settle();
    expect(calls.n).toBe(MAX_EVENT_ATTEMPTS);
    expect(replyTexts(fake, 'om_poison')).toHaveLength(1);
    expect(fake.sent('create').filter((m) => m.target === ADMIN)).toHaveLength(1);

    // /status: administrators see the parked item with its reference; a leader sees nothing of it.
    const adminStatus = messageEvent({ text: '/status', openId: ADMIN, messageId: 'om_admin_status' });
    await later.post(adminStatus);
    await later.settle();
    const forAdmin = replyTexts(fake, 'om_admin_status').join('\n');
    expect(forAdmin).toContain('【管理员】近 30 天有 1 项任务多次尝试仍未成功');
    expect(forAdmin).toMatch(new RegExp(`10月9日 10:00｜收到的消息｜尝试 3 次｜处理时程序中断 3 次｜编号 ${ref}`));
    // Not to a leader, nor to an administrator asking in a group others read.
    await later.post(messageEvent({ text: '/status', openId: 'ou_leader', messageId: 'om_leader_status' }));
    const inGroup = { chatType: 'group' as const, mentions: [{ key: '@_user_1', openId: fake.botOpenId, type: 'bot' as const }] };
    await later.post(messageEvent({ text: '@_user_1 /status', openId: ADMIN, messageId: 'om_admin_group_status', ...inGroup }));
    await later.settle();
    for (const messageId of ['om_leader_status', 'om_admin_group_status']) {
      const replies = replyTexts(fake, messageId);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.join('\n')).not.toMatch(/管理员|编号/);
    }
    await later.close(false);
    dir.remove();
  });

  it('a handler that throws is retried until its last attempt, then parked with its error', async () => {
    const clock = createFixedClock('2025-10-09T02:00:00.000Z');
    const svc = await startTestService({ fake, clock, env: { ADMIN_OPEN_IDS: ADMIN }, defer: () => {} });
    const event = messageEvent({ text: '/help', openId: SENDER, messageId: 'om_throws' });
    await svc.post(event);
    let runs = 0;
    const failing = async () => {
      runs += 1;
      throw new Error('disk I/O error');
    };
    for (let i = 0; i < MAX_EVENT_ATTEMPTS + 2; i++) await processInboxEvent(svc.deps, event.header.event_id, failing);
    expect(runs).toBe(MAX_EVENT_ATTEMPTS);
    expect(await inboxRow(svc, event.header.event_id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'disk I/O error' });
    await svc.settle();
    expect(replyTexts(fake, 'om_throws')).toEqual([expect.stringContaining(`参考编号：${errorReference(event.header.event_id)}`)]);
    await svc.close();
  });
});

describe('claiming an event', () => {
  it('refuses one left in processing with no attempts left, even when asked for it directly', async () => {
    const clock = createFixedClock('2025-10-09T02:00:00.000Z');
    const svc = await startTestService({ clock, defer: () => {} });
    const event = messageEvent({ text: '/help', messageId: 'om_exhausted' });
    await svc.post(event);
    await svc.deps.db
      .update(inboxEvents)
      .set({ status: 'processing', attempts: MAX_EVENT_ATTEMPTS, claimedAt: clock.now().toISOString() })
      .where(eq(inboxEvents.eventId, event.header.event_id));
    clock.advance(60_000);
    let runs = 0;
    await processInboxEvent(svc.deps, event.header.event_id, async () => {
      runs += 1;
    });
    expect(runs).toBe(0);
    await svc.close();
  });
});

describe('outbox messages abandoned mid-send', () => {
  let fake: FakeFeishu;
  beforeEach(async () => {
    fake = await startFakeFeishu();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('are sent on their last attempt, and parked (never sent) once every attempt was interrupted', async () => {
    const clock = createFixedClock('2025-10-09T02:00:00.000Z');
    const svc = await startTestService({ fake, clock, env: { ADMIN_OPEN_IDS: ADMIN } });
    const message = (uuid: string, receiveId: string) =>
      enqueueMessage(
        svc.deps.db,
        { kind: 'create', receiveIdType: 'open_id', receiveId, uuid, msgType: 'text', content: JSON.stringify({ text: uuid }) },
        clock.now(),
      );
    await message('poison', 'ou_two');
    await message('survivor', 'ou_one');
    const claim = async (limit: number) => {
      const rows = await claimDueOutbox(svc.deps.db, claimWindow(clock.now(), svc.config.workLeaseMs, undefined), limit, MAX_SEND_ATTEMPTS);
      clock.advance(2_000); // the claimer dies; its lease runs out
      return rows.map((r) => r.uuid);
    };
    // A process claims both and dies mid-send, again and again; the poison one a last time alone.
    for (let i = 1; i < MAX_SEND_ATTEMPTS; i++) expect(await claim(10)).toEqual(['poison', 'survivor']);
    expect(await claim(1)).toEqual(['poison']);

    const result = await svc.deps.outbox.drain();
    expect(result).toMatchObject({ sent: 1, failed: 1 });
    expect(fake.sent().map((m) => m.target)).toEqual(['ou_one']);
    const rows = await svc.deps.db.select().from(outbox);
    expect(rows.find((r) => r.uuid === 'poison')).toMatchObject({
      status: 'failed',
      attempts: MAX_SEND_ATTEMPTS,
      lastError: `interrupted ${MAX_SEND_ATTEMPTS} times: the process stopped while working on it`,
    });
    expect(await listParkedWork(svc.deps)).toMatchObject({
      total: 1,
      messages: 1,
      latest: [
        {
          source: 'outbox',
          label: '待发送的消息',
          attempts: MAX_SEND_ATTEMPTS,
          reason: `发送时程序中断 ${MAX_SEND_ATTEMPTS} 次`,
          ref: errorReference('poison'),
        },
      ],
    });
    clock.advance(60_000);
    await svc.deps.outbox.drain();
    expect(fake.sent().map((m) => m.target)).toEqual(['ou_one']);
    await svc.close();
  });
});

describe('the real process, killed inside the handler every time', () => {
  const processes = useServiceProcesses();

  it('is parked after three kills: the restart after that tells the sender once and never runs it again', async () => {
    const fake = processes.fake();
    const dir = tempDir();
    const port = await freePort();
    const databasePath = join(dir.path, 'duban.sqlite');
    const env = feishuProcessEnv(fake, databasePath, { ADMIN_OPEN_IDS: ADMIN });
    // A group message to the bot: handling it asks Feishu who the bot is, and that call hangs
    // each time, so every life is killed inside the handler.
    const botInfo = () => fake.requests.filter((r) => r.path === '/open-apis/bot/v3/info').length;
    fake.failNext({ match: /bot\/v3\/info/, status: 200, body: {}, delayMs: 'hang', times: MAX_EVENT_ATTEMPTS });
    const event = messageEvent({
      text: '@_user_1 /help',
      openId: SENDER,
      chatType: 'group',
      messageId: 'om_group_poison',
      mentions: [{ key: '@_user_1', openId: fake.botOpenId, type: 'bot' }],
    });
    for (let life = 1; life <= MAX_EVENT_ATTEMPTS; life++) {
      const p = await processes.start(env, port);
      if (life === 1) expect((await postToProcess(port, event)).status).toBe(200);
      await fake.waitFor(() => botInfo() === life, 15_000, `the handler in life ${life}`);
      p.child.kill('SIGKILL');
      await p.exited();
    }
    expect(fake.sent()).toHaveLength(0);

    const fourth = await processes.start(env, port);
    await fake.waitFor(() => fake.sent('reply').length > 0, 15_000, 'the message to the sender');
    // SIGTERM lets the process finish the work it accepted, then exit: after that nothing more can run.
    fourth.child.kill('SIGTERM');
    await fourth.exited();
    expect(botInfo()).toBe(MAX_EVENT_ATTEMPTS);

    // One more life, in process, on the same file: nothing runs or is said again.
    const fifth = await startTestService({ fake, databasePath, env: { ADMIN_OPEN_IDS: ADMIN } });
    await fifth.sweep();
    await fifth.settle();
    expect(botInfo()).toBe(MAX_EVENT_ATTEMPTS);
    expect(replyTexts(fake, 'om_group_poison')).toEqual([
      expect.stringMatching(/^抱歉，您的这条消息已尝试处理 3 次仍未成功，系统已停止处理并通知管理员。如需查询，请提供参考编号：[0-9A-Z]{6}$/),
    ]);
    expect(await inboxRow(fifth, event.header.event_id)).toMatchObject({ status: 'failed', attempts: MAX_EVENT_ATTEMPTS });
    await fifth.close(false);
    dir.remove();
  }, 120_000);
});
