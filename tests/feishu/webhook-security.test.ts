import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxEvents } from '../../db/schema.js';
import { FeishuCipher, feishuSignature } from '../../src/feishu/crypto.js';
import { parseCreateTime } from '../../src/feishu/envelope.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { challengeBody, messageEvent, signedRequest, TEST_ENCRYPT_KEY } from '../helpers/payloads.js';

describe('Feishu request security', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(async () => {
    await svc.close();
  });

  const send = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    svc.app.request('/feishu/events', { method: 'POST', body, headers });

  it('decrypts the official test vector', async () => {
    expect(await new FeishuCipher('test key').decrypt('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('round-trips Chinese text through encrypt and decrypt', async () => {
    const c = new FeishuCipher(TEST_ENCRYPT_KEY);
    expect(await c.decrypt(await c.encrypt('整改措施 2.1.3 已完成'))).toBe('整改措施 2.1.3 已完成');
  });

  it('answers an encrypted challenge without signature headers', async () => {
    const req = await signedRequest(challengeBody('enc-challenge'), { sign: false });
    const res = await send(req.body, { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'enc-challenge' });
  });

  it('answers a plain challenge', async () => {
    const res = await send(JSON.stringify(challengeBody('plain-challenge')));
    expect(await res.json()).toEqual({ challenge: 'plain-challenge' });
  });

  it('refuses a challenge carrying the wrong verification token', async () => {
    const res = await send(JSON.stringify(challengeBody('x', 'not-the-token')));
    expect(res.status).toBe(401);
  });

  it('accepts a correct signature over a raw body with non-compact whitespace', async () => {
    const req = await signedRequest(messageEvent({ text: '/help' }), { bodyTransform: (s) => s.replace('{', '{\n  ').replace(':', ' : ') });
    expect(req.body).toContain('\n');
    const res = await send(req.body, req.headers);
    expect(res.status).toBe(200);
  });

  it('rejects an altered body, timestamp or nonce, and a missing signature, with 401', async () => {
    const req = await signedRequest(messageEvent({ text: '/help' }));
    const parsed = JSON.parse(req.body) as { encrypt: string };
    const flipped = parsed.encrypt.slice(0, 10) + (parsed.encrypt[10] === 'A' ? 'B' : 'A') + parsed.encrypt.slice(11);
    expect((await send(JSON.stringify({ encrypt: flipped }), req.headers)).status).toBe(401);
    expect((await send(req.body, { ...req.headers, 'x-lark-request-timestamp': '1' })).status).toBe(401);
    expect((await send(req.body, { ...req.headers, 'x-lark-request-nonce': 'other' })).status).toBe(401);
    const { ['x-lark-signature']: _dropped, ...unsigned } = req.headers;
    expect((await send(req.body, unsigned)).status).toBe(401);
  });

  it('rejects an event carrying the wrong verification token even when correctly signed', async () => {
    const req = await signedRequest(messageEvent({ text: '/help', token: 'forged-token' }));
    expect((await send(req.body, req.headers)).status).toBe(401);
  });

  it('rejects ciphertext made with another key without a 5xx', async () => {
    const req = await signedRequest(messageEvent({ text: '/help' }), { encryptKey: 'another key' });
    // Signed with the other key too: fails the signature before decryption.
    expect((await send(req.body, req.headers)).status).toBe(401);
    const garbage = JSON.stringify({ encrypt: 'bm90IGNpcGhlcnRleHQ=' });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = await feishuSignature(ts, 'n', TEST_ENCRYPT_KEY, garbage);
    const res = await send(garbage, { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n', 'x-lark-signature': sig });
    expect(res.status).toBe(401);
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    expect((await send('{not json')).status).toBe(400);
    const big = JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 10) });
    expect((await send(big, { 'content-type': 'application/json', 'content-length': String(big.length) })).status).toBe(413);
  });

  it('counts the bytes of a body sent without Content-Length, and refuses it past 1 MiB', async () => {
    const chunk = new TextEncoder().encode('A'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await svc.app.request('/feishu/events', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(20);
  });

  it('verifies the signature over a body streamed without Content-Length, once counted under the limit', async () => {
    const req = await signedRequest(messageEvent({ text: '/help' }), { bodyTransform: (s) => s.replace('{', '{\n  ') });
    const bytes = new TextEncoder().encode(req.body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // In two pieces, split inside the body, as a chunked upload would arrive.
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const res = await svc.app.request('/feishu/events', { method: 'POST', body: stream, headers: req.headers, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(200);
  });

  it('acknowledges unknown event types with 200, and neither stores nor runs them', async () => {
    const res = await svc.post({
      schema: '2.0',
      header: { event_id: 'ev_unknown_type', event_type: 'contact.user.updated_v3', token: 'duban-test-verification-token' },
      event: {},
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await svc.deps.db.select().from(inboxEvents).where(eq(inboxEvents.eventId, 'ev_unknown_type'))).toEqual([]);
  });

  it('accepts the legacy 1.0 envelope', async () => {
    const res = await svc.post({
      uuid: 'legacy-uuid-1',
      token: 'duban-test-verification-token',
      ts: '1700000000.1',
      type: 'event_callback',
      event: { type: 'p2p_chat_create', chat_id: 'oc_legacy' },
    });
    expect(res.status).toBe(200);
  });

  it('reads create_time in milliseconds and in microseconds', () => {
    expect(parseCreateTime('1608725989000')?.toISOString()).toBe('2020-12-23T12:19:49.000Z');
    expect(parseCreateTime('1603977298000000')?.toISOString()).toBe('2020-10-29T13:14:58.000Z');
    expect(parseCreateTime('abc')).toBeUndefined();
  });
});
