import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { messageEvent } from '../helpers/payloads.js';

describe('/help end to end', () => {
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

  it('answers a signed, encrypted /help with exactly one reply', async () => {
    const started = Date.now();
    const res = await svc.post(messageEvent({ text: '/help', messageId: 'om_help_1' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(Date.now() - started).toBeLessThan(3000);
    await svc.settle();
    const replies = fake.sent('reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.target).toBe('om_help_1');
    expect(replies[0]!.content.text).toContain('/help');
    expect(replies[0]!.uuid!.length).toBeLessThanOrEqual(50);
  });

  it('understands the Chinese name and the full-width slash', async () => {
    await svc.post(messageEvent({ text: '帮助', messageId: 'om_help_zh' }));
    await svc.post(messageEvent({ text: '／help', messageId: 'om_help_fw' }));
    await svc.settle();
    expect(
      fake
        .sent('reply')
        .map((m) => m.target)
        .sort(),
    ).toEqual(['om_help_fw', 'om_help_zh']);
    for (const m of fake.sent('reply')) expect(m.content.text).toContain('/help（帮助）');
  });

  it('replies once when the same event is delivered three times, sequentially or at once', async () => {
    const event = messageEvent({ text: '/help', messageId: 'om_dup_1' });
    for (let i = 0; i < 3; i++) expect((await svc.post(event)).status).toBe(200);
    const other = messageEvent({ text: '/help', messageId: 'om_dup_2' });
    const answers = await Promise.all([svc.post(other), svc.post(other), svc.post(other)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await svc.settle();
    expect(
      fake
        .sent('reply')
        .map((m) => m.target)
        .sort(),
    ).toEqual(['om_dup_1', 'om_dup_2']);
  });

  it('treats a redelivery with a new event_id but the same message_id as a duplicate', async () => {
    await svc.post(messageEvent({ text: '/help', messageId: 'om_same', eventId: 'ev_first' }));
    await svc.post(messageEvent({ text: '/help', messageId: 'om_same', eventId: 'ev_second' }));
    await svc.settle();
    expect(fake.sent('reply')).toHaveLength(1);
  });

  it('answers unknown commands with a pointer to /help and plain chatter with a greeting', async () => {
    await svc.post(messageEvent({ text: '/frobnicate 1 2', messageId: 'om_unknown' }));
    await svc.post(messageEvent({ text: '你好', messageId: 'om_chatter' }));
    await svc.settle();
    const byTarget = Object.fromEntries(fake.sent('reply').map((m) => [m.target, m.content.text as string]));
    expect(byTarget.om_unknown).toContain('没有“/frobnicate”这个命令');
    expect(byTarget.om_chatter).toContain('发送“帮助”或 /help');
  });

  it('ignores group messages that do not mention the bot, and messages from bots', async () => {
    await svc.post(messageEvent({ text: '/help', chatType: 'group', messageId: 'om_group_plain' }));
    await svc.post(messageEvent({ text: '/help', senderType: 'bot', messageId: 'om_from_bot' }));
    await svc.post(
      messageEvent({
        text: '@_user_1 /help',
        chatType: 'group',
        messageId: 'om_group_at',
        mentions: [{ key: '@_user_1', openId: fake.botOpenId, type: 'bot' }],
      }),
    );
    await svc.settle();
    expect(fake.sent('reply').map((m) => m.target)).toEqual(['om_group_at']);
  });
});

describe('the bot joining a group', () => {
  it('greets the group once and explains how to receive the weekly summary', async () => {
    const fake = await startFakeFeishu();
    const svc = await startTestService({ fake });
    try {
      const added = {
        schema: '2.0',
        header: { event_id: 'ev_bot_added', event_type: 'im.chat.member.bot.added_v1', token: 'duban-test-verification-token' },
        event: { chat_id: 'oc_new_group', operator_id: { open_id: 'ou_someone' }, name: '巡察整改领导小组' },
      };
      await svc.post(added);
      await svc.post(added);
      await svc.settle();
      const greetings = fake.sent('create').filter((m) => m.target === 'oc_new_group');
      expect(greetings).toHaveLength(1);
      expect(greetings[0]!.content.text).toContain('设为周报群');
    } finally {
      await svc.close();
      await fake.stop();
    }
  });
});
