import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxEvents } from '../../db/schema.js';
import { parseConfig } from '../../src/config.js';
import { FeishuCipher, feishuSignature } from '../../src/feishu/crypto.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../../src/feishu/json-depth.js';
import { FEISHU_REDELIVERY_SPAN_MS, inboxRetentionMs, MAX_FUTURE_SKEW_MS } from '../../src/feishu/replay-window.js';
import type { CardActionHandlerFn } from '../../src/dispatch/card-actions.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { cardActionEvent, messageEvent, signedRequest, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/payloads.js';

const HOUR_S = 3600;
/** Events the service stored: a refused request must add none. */
const inboxSize = async (svc: TestService) => (await svc.deps.db.select({ eventId: inboxEvents.eventId }).from(inboxEvents)).length;
const nowS = () => Math.floor(Date.now() / 1000);

describe('signed requests outside the replay window', () => {
  let svc: TestService;
  let cardRuns = 0;
  const count: CardActionHandlerFn = async () => {
    cardRuns += 1;
    return { toast: { type: 'success', content: '已记录' } };
  };
  beforeAll(async () => {
    svc = await startTestService({ app: { cardActions: { count } } });
  });
  afterAll(async () => {
    await svc.close();
  });

  const send = (req: { body: string; headers: Record<string, string> }) =>
    svc.app.request('/feishu/events', { method: 'POST', body: req.body, headers: req.headers });
  const signedAt = async (seconds: number) => send(await signedRequest(messageEvent({ text: '/help' }), { timestamp: String(seconds) }));

  it('refuses a validly signed and encrypted request stamped in 2017 or in 2100 with 401, naming why, and stores nothing', async () => {
    const stored = await inboxSize(svc);
    const past = await signedAt(1_500_000_000); // 2017-07-14
    const future = await signedAt(4_102_444_800); // 2100-01-01
    expect(past.status).toBe(401);
    expect(future.status).toBe(401);
    expect(((await past.json()) as { error: string }).error).toContain('refused as a replay');
    expect(((await future.json()) as { error: string }).error).toContain('in the future');
    expect(await inboxSize(svc)).toBe(stored);
  });

  it('accepts one just inside the window, and one a little ahead of this clock', async () => {
    expect((await signedAt(nowS() - HOUR_S + 60)).status).toBe(200);
    expect((await signedAt(nowS() - HOUR_S - 60)).status).toBe(401);
    expect((await signedAt(nowS() + 240)).status).toBe(200);
    expect((await signedAt(nowS() + 360)).status).toBe(401);
  });

  it('applies a card callback replayed inside the window once', async () => {
    const req = await signedRequest(cardActionEvent({ openId: 'ou_someone', value: { action: 'count' } }));
    const first = await send(req);
    expect(await first.json()).toEqual({ toast: { type: 'success', content: '已记录' } });
    const replayed = await send(req);
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({});
    await svc.settle();
    expect(cardRuns).toBe(1);
  });

  it('reads the window from FEISHU_REPLAY_WINDOW_SECONDS, within 300 to 86400 seconds', () => {
    expect(parseConfig({}).feishu.replayWindowMs).toBe(3_600_000);
    expect(parseConfig({ FEISHU_REPLAY_WINDOW_SECONDS: '28800' }).feishu.replayWindowMs).toBe(28_800_000);
    expect(() => parseConfig({ FEISHU_REPLAY_WINDOW_SECONDS: '60' })).toThrow(/FEISHU_REPLAY_WINDOW_SECONDS: expected at least 300 seconds/);
    expect(() => parseConfig({ FEISHU_REPLAY_WINDOW_SECONDS: '1h' })).toThrow(/FEISHU_REPLAY_WINDOW_SECONDS/);
  });

  it('keeps processed events at least as long as a replay could still be accepted', () => {
    for (const windowS of [300, 3600, 28_800, 86_400]) {
      const windowMs = windowS * 1000;
      expect(inboxRetentionMs(windowMs)).toBeGreaterThanOrEqual(windowMs + FEISHU_REDELIVERY_SPAN_MS + MAX_FUTURE_SKEW_MS);
    }
  });
});

describe('a wider window', () => {
  it('accepts a request signed two hours ago when FEISHU_REPLAY_WINDOW_SECONDS allows eight', async () => {
    const svc = await startTestService({ env: { FEISHU_REPLAY_WINDOW_SECONDS: '28800' } });
    const req = await signedRequest(messageEvent({ text: '/help' }), { timestamp: String(nowS() - 2 * HOUR_S) });
    expect((await svc.app.request('/feishu/events', { method: 'POST', body: req.body, headers: req.headers })).status).toBe(200);
    await svc.close();
  });
});

describe('unsigned requests (no Encrypt Key)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ env: { FEISHU_ENCRYPT_KEY: '' } });
  });
  afterAll(async () => {
    await svc.close();
  });

  const post = (payload: unknown) =>
    svc.app.request('/feishu/events', { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  const createdAt = (ms: number) => {
    const e = messageEvent({ text: '/help' });
    e.header.create_time = String(ms);
    return e;
  };

  it('refuses an event whose create_time lies beyond the window plus Feishu retry schedule, or in the future', async () => {
    expect((await post(createdAt(Date.UTC(2017, 6, 14)))).status).toBe(401);
    expect((await post(createdAt(Date.UTC(2100, 0, 1)))).status).toBe(401);
  });

  it('answers a 50k-deep event with 400, not a stack overflow', async () => {
    const e = messageEvent({ text: '/help' }) as unknown as { event: Record<string, unknown> };
    const body = JSON.stringify(e).replace('"event":{', `"event":{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},`);
    const res = await svc.app.request('/feishu/events', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400); // an unhandled error would answer 500
  });

  it('accepts a Feishu retry of an event that happened 7 hours ago', async () => {
    expect((await post(createdAt(Date.now() - 7 * HOUR_S * 1000))).status).toBe(200);
    expect((await post(createdAt(Date.now()))).status).toBe(200);
  });
});

describe('JSON nesting', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(async () => {
    await svc.close();
  });

  const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  it('counts depth outside strings only', () => {
    expect(jsonDepthWithin(deep(MAX_JSON_DEPTH))).toBe(true);
    expect(jsonDepthWithin(deep(MAX_JSON_DEPTH + 1))).toBe(false);
    expect(jsonDepthWithin(JSON.stringify({ text: '{'.repeat(1000) + '"\\"[[[' }))).toBe(true);
  });

  it('answers a 50k-deep plain body with 400, not a stack overflow', async () => {
    const res = await svc.app.request('/feishu/events', { method: 'POST', body: deep(50_000), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(`nested deeper than ${MAX_JSON_DEPTH}`);
  });

  it('answers a 50k-deep body inside a validly signed, encrypted request with 400', async () => {
    const stored = await inboxSize(svc);
    const inner = `{"schema":"2.0","header":{"event_id":"ev_deep","event_type":"im.message.receive_v1","token":"${TEST_VERIFICATION_TOKEN}"},"event":${deep(50_000)}}`;
    const body = JSON.stringify({ encrypt: await new FeishuCipher(TEST_ENCRYPT_KEY).encrypt(inner) });
    const ts = String(nowS());
    const headers = { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n', 'x-lark-signature': await feishuSignature(ts, 'n', TEST_ENCRYPT_KEY, body) };
    const res = await svc.app.request('/feishu/events', { method: 'POST', body, headers });
    expect(res.status).toBe(400); // an unhandled error would answer 500
    expect(((await res.json()) as { error: string }).error).toContain('decrypted body: JSON nested deeper');
    expect(await inboxSize(svc)).toBe(stored);
  });
});
