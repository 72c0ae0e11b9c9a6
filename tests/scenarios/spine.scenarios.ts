/** The spine's behaviour, checked the same way on every runtime. */
import { expect } from 'vitest';
import { challengeBody, messageEvent, signedRequest } from '../helpers/payloads.js';
import { freshId, postEvent, SWEEP_CRON, replyRequests, repliesTo, type Scenario } from './target.js';

export const spineScenarios: Scenario[] = [
  {
    name: 'answers the url_verification challenge, plain and encrypted',
    async run(target) {
      const plain = await target.request(JSON.stringify(challengeBody('plain-challenge')), { 'content-type': 'application/json' });
      expect(plain.status).toBe(200);
      expect(await plain.json()).toEqual({ challenge: 'plain-challenge' });

      const encrypted = await signedRequest(challengeBody('encrypted-challenge'), { sign: false });
      const answer = await target.request(encrypted.body, encrypted.headers);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ challenge: 'encrypted-challenge' });

      const wrongToken = await target.request(JSON.stringify(challengeBody('x', 'not-the-token')), { 'content-type': 'application/json' });
      expect(wrongToken.status).toBe(401);
    },
  },
  {
    name: 'answers a signed, encrypted /help with exactly one reply',
    async run(target) {
      const messageId = freshId('om_help_');
      const res = await postEvent(target, messageEvent({ text: '/help', messageId }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      // Delivered after the ack by the request's own deferred work, not by a sweep.
      await target.fake.waitFor(() => repliesTo(target.fake, messageId).length > 0, 15_000, `the reply to ${messageId}`);
      await target.settle();
      const replies = repliesTo(target.fake, messageId);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.content.text).toContain('/help（帮助）');
      expect(replies[0]!.uuid!.length).toBeLessThanOrEqual(50);
      expect(replyRequests(target.fake, messageId)).toHaveLength(1);
    },
  },
  {
    name: 'replies once when the same event arrives three times, one after another or at once',
    async run(target) {
      const sequential = messageEvent({ text: '/help', messageId: freshId('om_dup_') });
      for (let i = 0; i < 3; i++) expect((await postEvent(target, sequential)).status).toBe(200);
      const concurrent = messageEvent({ text: '帮助', messageId: freshId('om_dup_') });
      const answers = await Promise.all([0, 1, 2].map(() => postEvent(target, concurrent)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);

      const ids = [sequential.event.message.message_id, concurrent.event.message.message_id];
      await target.fake.waitFor(() => ids.every((id) => repliesTo(target.fake, id).length > 0), 15_000, 'both replies');
      await target.settle();
      // One reply request each: the copies were stopped before any work, so not even a send
      // that the outbox's uuid (or Feishu's) would have deduplicated was attempted.
      for (const id of ids) expect(replyRequests(target.fake, id)).toHaveLength(1);
    },
  },
  {
    name: 'rejects a bad signature with 401 and does nothing',
    async run(target) {
      const messageId = freshId('om_forged_');
      const req = await signedRequest(messageEvent({ text: '/help', messageId }));
      const forged = { ...req.headers, 'x-lark-signature': req.headers['x-lark-signature']!.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
      expect((await target.request(req.body, forged)).status).toBe(401);
      const altered = await target.request(req.body.replace('{', '{ '), req.headers);
      expect(altered.status).toBe(401);
      await target.settle();
      expect(replyRequests(target.fake, messageId)).toHaveLength(0);
    },
  },
  {
    name: 'fetches a new tenant token once when Feishu rejects the cached one',
    async run(target) {
      const warmUp = freshId('om_token_');
      await postEvent(target, messageEvent({ text: '/help', messageId: warmUp }));
      await target.fake.waitFor(() => repliesTo(target.fake, warmUp).length > 0, 15_000, 'the first reply');
      target.fake.revokeTokens();
      const tokensBefore = target.fake.tokenRequests;
      const messageId = freshId('om_token_');
      await postEvent(target, messageEvent({ text: '/help', messageId }));
      await target.fake.waitFor(() => repliesTo(target.fake, messageId).length > 0, 15_000, 'the reply after the token was revoked');
      await target.settle();
      expect(target.fake.tokenRequests - tokensBefore).toBe(1);
      expect(repliesTo(target.fake, messageId)).toHaveLength(1);
    },
  },
  {
    name: 'a reply throttled after the ack is delivered once, by the cron sweep at the latest',
    async run(target) {
      const messageId = freshId('om_throttled_');
      const replyPath = `POST /open-apis/im/v1/messages/${messageId}/reply`;
      target.fake.failNext({
        match: new RegExp(`^${replyPath}$`),
        status: 429,
        body: { code: 99991400, msg: 'request trigger frequency limit' },
        headers: { 'x-ogw-ratelimit-reset': '4' },
      });
      expect((await postEvent(target, messageEvent({ text: '/help', messageId }))).status).toBe(200);
      await target.fake.waitFor(() => replyRequests(target.fake, messageId).length > 0, 15_000, 'the throttled attempt');
      if (target.retriesWaitForSweep) expect(repliesTo(target.fake, messageId)).toHaveLength(0);
      await target.scheduled(SWEEP_CRON);
      await target.settle();
      expect(repliesTo(target.fake, messageId)).toHaveLength(1);
      expect(replyRequests(target.fake, messageId)).toHaveLength(2);
    },
  },
];
