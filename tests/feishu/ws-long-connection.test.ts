/**
 * The long connection end to end in this process: the real SDK WSClient against a fake
 * long-connection server on loopback, the real service on a real SQLite file.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measureFieldNames } from '../../cards/actions.js';
import { inboxEvents, measures, progressReports } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startFakeLongConnectionServer, waitUntil, type FakeLongConnectionServer } from '../helpers/fake-ws-server.js';
import { startTestService, type TestService, type TestServiceOptions } from '../helpers/harness.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

/** Timings shortened so a test takes seconds: Feishu's own are a 120 s ping and 120 s reconnect interval. */
const QUICK = { pingTimeoutSeconds: 1, checkEveryMs: 50, restartDelayMs: 200, silenceGraceMs: 500, handshakeTimeoutMs: 2_000 };
const NOW = '2025-10-09T02:00:00.000Z';

interface Health {
  status: string;
  eventMode: string;
  connection: {
    state: string;
    healthy: boolean;
    connectedSince?: string;
    lastFrameAt?: string;
    lastEventAt?: string;
    reconnects: number;
    reconnectAttempts: number;
  };
}

describe('long connection (FEISHU_EVENT_MODE=websocket)', () => {
  let fake: FakeFeishu;
  let ws: FakeLongConnectionServer;
  let svc: TestService;
  const others: TestService[] = [];

  /** A service in websocket mode against the fake long-connection server. */
  function startWsService(o: TestServiceOptions = {}) {
    return startTestService({
      fake,
      clock: createFixedClock(NOW),
      ...o,
      env: { FEISHU_EVENT_MODE: 'websocket', FEISHU_BASE_URL: ws.url, FEISHU_WS_UNHEALTHY_AFTER_SECONDS: '2', ...o.env },
      longConnection: { ...QUICK, ...o.longConnection },
    });
  }

  const inboxRows = (s: TestService, messageId: string) =>
    s.deps.db.select({ status: inboxEvents.status, attempts: inboxEvents.attempts }).from(inboxEvents).where(eq(inboxEvents.messageId, messageId));
  /** Reply sends that reached Feishu, a repeated uuid included (the platform shows those once). */
  const replyRequests = () => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reply')).length;
  const logCount = (s: TestService, msg: string) => s.logEntries.filter((e) => e.msg === msg).length;
  /** Timers that keep the process alive (unref'd ones are not listed): a leak across reconnects shows here. */
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  async function health(s = svc): Promise<{ code: number; body: Health }> {
    const res = await s.app.request('/healthz');
    return { code: res.status, body: (await res.json()) as Health };
  }

  beforeEach(async () => {
    fake = await startFakeFeishu();
    ws = await startFakeLongConnectionServer({ appId: fake.appId, appSecret: fake.appSecret }, fake.url);
    ws.clientConfig = { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };
    svc = await startWsService();
    await ws.waitForConnections(1);
  });
  afterEach(async () => {
    for (const s of others.splice(0)) await s.close(false);
    await svc.close();
    await ws.stop();
    await fake.stop();
  });

  it('answers a p2p /help pushed over the connection, once', async () => {
    const answer = await ws.push(messageEvent({ text: '/help', messageId: 'om_ws_help' }));
    expect(answer.code).toBe(200);
    expect(answer.data).toEqual({});
    // Stored before the answer went back: a crash now loses nothing.
    expect(await inboxRows(svc, 'om_ws_help')).toHaveLength(1);
    await svc.settle();
    const replies = fake.sent('reply');
    expect(replies.map((m) => m.target)).toEqual(['om_ws_help']);
    expect(replies[0]!.content.text).toContain('/help');
    expect(ws.endpointCalls[0]).toMatchObject({ AppID: fake.appId, AppSecret: fake.appSecret });
  });

  it('answers code 500 when the event cannot be stored, so Feishu delivers it again', async () => {
    const sqlite = (svc.deps.db as unknown as { $client: { exec(sql: string): void } }).$client;
    sqlite.exec('ALTER TABLE inbox_events RENAME TO inbox_events_away');
    const answer = await ws.push(messageEvent({ text: '/help', messageId: 'om_ws_not_stored' }));
    expect(answer.code).toBe(500);
    expect(svc.logEntries.some((e) => e.msg === 'long connection event not stored, Feishu will deliver it again')).toBe(true);
    sqlite.exec('ALTER TABLE inbox_events_away RENAME TO inbox_events');
    const again = await ws.push(messageEvent({ text: '/help', messageId: 'om_ws_not_stored' }));
    expect(again.code).toBe(200);
    await svc.settle();
    expect(fake.sent('reply').map((m) => m.target)).toEqual(['om_ws_not_stored']);
  });

  it('has no webhook door, and /healthz shows the connection', async () => {
    const res = await svc.post(messageEvent({ text: '/help' }));
    expect(res.status).toBe(404);
    await waitUntil(() => svc.longConnection?.status().state === 'connected', 5_000, 'the first pong');
    const { code, body } = await health();
    expect(code).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      eventMode: 'websocket',
      connection: { state: 'connected', healthy: true, reconnects: 0, reconnectAttempts: 0 },
    });
    expect(body.connection.connectedSince).toBeDefined();
    expect(body.connection.lastFrameAt).toBeDefined();
  });

  it('merges a payload split across frames (sum/seq)', async () => {
    const answer = await ws.push(messageEvent({ text: '/help', messageId: 'om_ws_split' }), { parts: 3 });
    expect(answer.code).toBe(200);
    await svc.settle();
    expect(fake.sent('reply').map((m) => m.target)).toEqual(['om_ws_split']);
  });

  it('answers a card button press in the response frame, within the time limit, and once', async () => {
    const ledger = await seedLedger(svc.deps.db, nationalDayLedger());
    const [m] = await svc.deps.db.select().from(measures).where(eq(measures.id, ledger.measures['1.2.1']!));
    // The card comes over the connection too: /show, then a press on the card it sent.
    await ws.push(messageEvent({ text: '/show 1.2.1', openId: 'ou_wang', messageId: 'om_ws_show' }));
    await svc.settle();
    const card = fake.sent('reply').find((r) => r.target === 'om_ws_show' && r.msgType === 'interactive')!;
    const names = measureFieldNames(m!.id);
    const press = cardActionEvent({
      openId: 'ou_wang',
      messageId: card.messageId,
      eventId: 'ev_ws_press',
      value: { action: 'measure.report', measureId: m!.id, version: m!.version },
      formValue: { [names.reportText]: '长连接汇报' },
    });
    const answer = await ws.push(press);
    expect(answer.code).toBe(200);
    expect(answer.ms).toBeLessThan(3000);
    expect(answer.data.toast).toEqual({ type: 'success', content: '进展已记录' });
    expect(JSON.stringify(answer.data.card.data)).toContain('长连接汇报');
    // The same callback delivered again (no answer reached Feishu, say): nothing more happens.
    const again = await ws.push(press);
    expect(again.code).toBe(200);
    expect(again.data).toEqual({});
    await svc.settle();
    const reports = await svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, m!.id));
    expect(reports.map((r) => r.text)).toEqual(['长连接汇报']);
  });

  it('answers a slow card handler as pending within the budget, then updates the card', async () => {
    const slow = await startWsService({
      app: {
        cardAnswerBudgetMs: 200,
        cardActions: {
          slow: async () => {
            await new Promise((r) => setTimeout(r, 600));
            const card = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '好了' }] } };
            return { toast: { type: 'success', content: '好了' }, card: { type: 'raw', data: card } };
          },
        },
      },
    });
    others.push(slow);
    const [, conn] = await ws.waitForConnections(2);
    const answer = await ws.push(cardActionEvent({ openId: 'ou_wang', value: { action: 'slow' }, cardToken: 'c-slow-1' }), { to: conn });
    expect(answer.data).toEqual({ toast: { type: 'info', content: '正在处理，请稍候查看' } });
    expect(answer.ms).toBeLessThan(600);
    await waitUntil(() => fake.sent('card_update').length === 1, 5_000, 'the delayed card update');
    await slow.settle();
    expect(fake.sent('card_update')[0]!.target).toBe('c-slow-1');
  });

  it('reconnects after the connection drops and keeps working; a redelivery after it has no second effect', async () => {
    const event = messageEvent({ text: '/help', messageId: 'om_ws_before_drop' });
    await ws.push(event);
    ws.dropAll();
    await ws.waitForConnections(1);
    await waitUntil(() => svc.logEntries.some((e) => e.msg === 'feishu long connection reconnected'), 5_000, 'the reconnect');
    // Feishu pushes again what it saw no answer to: the same event, now on the new connection.
    const redelivered = await ws.push(event);
    expect(redelivered.code).toBe(200);
    expect(redelivered.data).toEqual({});
    await ws.push(messageEvent({ text: '/help', messageId: 'om_ws_after_drop' }));
    await svc.settle();
    expect(
      fake
        .sent('reply')
        .map((m) => m.target)
        .sort(),
    ).toEqual(['om_ws_after_drop', 'om_ws_before_drop']);
    // Stored once, run once; one send each, not one Feishu folded into the first by its uuid.
    expect(await inboxRows(svc, 'om_ws_before_drop')).toEqual([{ status: 'done', attempts: 1 }]);
    expect(replyRequests()).toBe(2);
    const lines = svc.logEntries.filter((e) => e.msg.startsWith('feishu long connection')).map((e) => e.msg);
    expect(lines).toEqual(['feishu long connection open', 'feishu long connection lost, reconnecting', 'feishu long connection reconnected']);
    const { code, body } = await health();
    expect(code).toBe(200);
    expect(body.connection).toMatchObject({ state: 'connected', reconnects: 1, reconnectAttempts: 0 });
  });

  it('finds a server that stops answering pings, reports 503 within the threshold, and recovers', async () => {
    await waitUntil(() => ws.connections[0]!.pings > 0, 5_000, 'a ping');
    const silentFrom = Date.now();
    ws.answerPings = false;
    // Ping every 1 s, 1 s to answer, 2 s unhealthy threshold: 503 in about 4 s.
    let h = await health();
    while (h.code === 200 && Date.now() - silentFrom < 8_000) {
      await new Promise((r) => setTimeout(r, 100));
      h = await health();
    }
    expect(h.code).toBe(503);
    expect(h.body.status).toBe('degraded');
    expect(h.body.connection.healthy).toBe(false);
    expect(Date.now() - silentFrom).toBeLessThan(8_000);
    expect(svc.logEntries.some((e) => e.msg === 'feishu long connection lost, reconnecting')).toBe(true);

    ws.answerPings = true;
    await waitUntil(() => svc.logEntries.some((e) => e.msg === 'feishu long connection reconnected'), 8_000, 'the reconnect');
    expect((await health()).code).toBe(200);
  });

  it('starts a new client after the SDK gives up reconnecting', async () => {
    // The server lowers the reconnect count in its next pong (the SDK takes ClientConfig from each pong).
    ws.clientConfig = { ...ws.clientConfig, ReconnectCount: 1 };
    const pings = ws.connections[0]!.pings;
    await waitUntil(() => ws.connections[0]!.pings > pings, 5_000, 'a ping answered with the new ClientConfig');
    await new Promise((r) => setTimeout(r, 100));
    ws.endpointFailure = { code: 1000040343, msg: 'system busy' };
    ws.dropAll();
    await waitUntil(() => svc.logEntries.some((e) => e.msg.startsWith('feishu long connection gave up')), 8_000, 'the SDK to give up');
    ws.endpointFailure = undefined;
    await ws.waitForConnections(1);
    await waitUntil(() => svc.logEntries.some((e) => e.msg === 'feishu long connection reconnected'), 8_000, 'the reconnect');
    await ws.push(messageEvent({ text: '/help', messageId: 'om_ws_after_restart' }));
    await svc.settle();
    expect(fake.sent('reply').map((m) => m.target)).toEqual(['om_ws_after_restart']);
  });

  it('with a wrong App Secret says why, reports 503 after the threshold, and keeps trying', async () => {
    const wrong = await startWsService({ env: { FEISHU_APP_SECRET: 'not-the-secret' } });
    others.push(wrong);
    await waitUntil(() => logCount(wrong, 'feishu long connection gave up; starting a new client') >= 2, 5_000, 'two give-ups');
    const said = wrong.logEntries.filter((e) => e.msg === 'feishu long connection not established yet, retrying');
    expect(said).toHaveLength(1);
    expect(String(said[0]!.fields.detail)).toContain('auth failed');
    let h = await health(wrong);
    const until = Date.now() + 5_000;
    while (h.code === 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      h = await health(wrong);
    }
    expect(h.code).toBe(503);
    expect(h.body.connection.state).not.toBe('connected');
  });

  it('has one effect per event across two instances on one database', async () => {
    const second = await startWsService({ databasePath: svc.databasePath });
    others.push(second);
    const [a, b] = await ws.waitForConnections(2);
    // Feishu sends each event to one client; one it saw no answer from goes again, maybe to the other.
    const event = messageEvent({ text: '/help', messageId: 'om_ws_twice' });
    const answers = await Promise.all([ws.push(event, { to: a }), ws.push(event, { to: b })]);
    expect(answers.map((x) => x.code)).toEqual([200, 200]);
    const ledger = await seedLedger(svc.deps.db, nationalDayLedger());
    const [m] = await svc.deps.db.select().from(measures).where(eq(measures.id, ledger.measures['1.2.1']!));
    await ws.push(messageEvent({ text: '/show 1.2.1', openId: 'ou_wang', messageId: 'om_ws_show_two' }), { to: b });
    await second.settle();
    const card = fake.sent('reply').find((r) => r.target === 'om_ws_show_two' && r.msgType === 'interactive')!;
    const press = cardActionEvent({
      openId: 'ou_wang',
      messageId: card.messageId,
      eventId: 'ev_ws_two',
      value: { action: 'measure.report', measureId: m!.id, version: m!.version },
      formValue: { [measureFieldNames(m!.id).reportText]: '两个实例' },
    });
    const pressed = await Promise.all([ws.push(press, { to: a }), ws.push(press, { to: b })]);
    expect(pressed.map((p) => p.code)).toEqual([200, 200]);
    expect(pressed.filter((p) => p.data?.toast?.content === '进展已记录')).toHaveLength(1);
    expect(pressed.filter((p) => JSON.stringify(p.data) === '{}')).toHaveLength(1);
    await svc.settle();
    await second.settle();
    expect(fake.sent('reply').filter((r) => r.target === 'om_ws_twice')).toHaveLength(1);
    // Stored once and run once. (Sends may repeat their uuid here: two services in one test
    // process share a pid, so each takes the other's claims for a restarted container's; Feishu
    // shows a repeated uuid once, as fake.sent does.)
    expect(await inboxRows(svc, 'om_ws_twice')).toEqual([{ status: 'done', attempts: 1 }]);
    const reports = await svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, m!.id));
    expect(reports.map((r) => r.text)).toEqual(['两个实例']);
  });

  it('keeps one connection and no extra timers across reconnects', async () => {
    await svc.settle();
    const before = timers();
    for (let i = 1; i <= 5; i++) {
      ws.dropAll();
      await waitUntil(() => logCount(svc, 'feishu long connection reconnected') === i, 5_000, `reconnect ${i}`);
    }
    await svc.settle();
    expect(ws.connections).toHaveLength(1);
    expect(timers()).toBeLessThanOrEqual(before + 1);
  });

  it('drops a half-dead connection the SDK does not notice, and restarts leave nothing behind', async () => {
    // The SDK's own pong watchdog off (pingTimeout 0, its default): only ours can find the silence.
    const lone = await startWsService({ longConnection: { pingTimeoutSeconds: 0 } });
    others.push(lone);
    await svc.close();
    svc = await startWsService({ longConnection: { pingTimeoutSeconds: 30 } });
    await ws.waitForConnections(2);
    await lone.settle();
    const before = timers();
    ws.answerPings = false;
    // Ping every 1 s, silent for over 1 s + 0.5 s grace: restarted, again and again while silent.
    await waitUntil(() => logCount(lone, 'feishu long connection silent, reconnecting') >= 3, 10_000, 'three restarts');
    expect(logCount(lone, 'feishu long connection lost, reconnecting')).toBe(0);
    const h = await health(lone);
    expect(h.code).toBe(503);
    expect(h.body.connection.reconnectAttempts).toBeGreaterThanOrEqual(2);
    ws.answerPings = true;
    await waitUntil(() => logCount(lone, 'feishu long connection reconnected') === 1, 8_000, 'the reconnect');
    expect((await health(lone)).code).toBe(200);
    // Each restart closed the client it replaced: its socket and its ping timer went with it.
    expect(ws.connections).toHaveLength(2);
    expect(timers()).toBeLessThanOrEqual(before + 1);
  });
});
