import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboxEvents } from '../../db/schema.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { messageEvent } from '../helpers/payloads.js';

/** What is stored before the answer, and what is answered without being stored. */
describe('messages the bot never acts on', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  const stored = async () => (await svc.deps.db.select({ messageId: inboxEvents.messageId }).from(inboxEvents)).map((r) => r.messageId).sort();

  it('are answered 200 without being stored; everything the bot may act on is stored first', async () => {
    const events = [
      messageEvent({ text: '/help', messageId: 'om_p2p' }),
      messageEvent({ text: '/help', messageId: 'om_from_bot', senderType: 'bot' }),
      messageEvent({ text: '大家好', messageId: 'om_group_chatter', chatType: 'group' }),
      messageEvent({
        text: '@_user_1 看一下',
        messageId: 'om_group_mentions_someone',
        chatType: 'group',
        mentions: [{ key: '@_user_1', openId: 'ou_someone000000000000000000000001' }],
      }),
      messageEvent({
        text: '@_user_1 /help',
        messageId: 'om_group_to_bot',
        chatType: 'group',
        mentions: [{ key: '@_user_1', openId: fake.botOpenId, type: 'bot' }],
      }),
    ];
    for (const e of events) expect((await svc.post(e)).status).toBe(200);
    expect(await stored()).toEqual(['om_group_mentions_someone', 'om_group_to_bot', 'om_p2p']);
    await svc.settle();
    expect(
      fake
        .sent('reply')
        .map((m) => m.target)
        .sort(),
    ).toEqual(['om_group_to_bot', 'om_p2p']);
  });
});
