import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { messageEvent } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';
import { startSchedulerService } from './job-fixtures.js';

describe('/summary (周报)', () => {
  let fake: FakeFeishu;
  let svc: Awaited<ReturnType<typeof startSchedulerService>>;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startSchedulerService({ fake, at: '2025-10-15' });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('lets the secretary post the summary to the bound chats now, once per command', async () => {
    await seedLedger(svc.deps.db, nationalDayLedger());
    const event = messageEvent({ text: '周报', openId: 'ou_secretary', messageId: 'om_summary_1' });
    await svc.post(event);
    await svc.post(event); // a redelivery has one effect
    await svc.settle();
    const cards = fake.sent('create').filter((m) => m.msgType === 'interactive');
    expect(cards.map((m) => m.target)).toEqual(['oc_leading_group']);
    expect(cards[0]!.content.header.title.content).toBe('整改工作周报 · 2025年第42周');
    expect(fake.sent('reply').map((m) => m.content.text)).toEqual(['周报已发送到 1 个领导小组群。']);
    // A second /summary is a new request and posts again; the weekly job is unaffected.
    await svc.post(messageEvent({ text: '/summary', openId: 'ou_secretary', messageId: 'om_summary_2' }));
    await svc.settle();
    expect(fake.sent('create').filter((m) => m.msgType === 'interactive')).toHaveLength(2);
  });

  it('explains how to bind a group when none is bound', async () => {
    await seedLedger(svc.deps.db, { ...nationalDayLedger(), leadingGroupChats: [] });
    await svc.post(messageEvent({ text: '/summary', openId: 'ou_secretary', messageId: 'om_summary_3' }));
    await svc.settle();
    expect(fake.sent('create')).toHaveLength(0);
    expect(fake.sent('reply')[0]!.content.text).toContain('还没有绑定领导小组群');
  });

  it('is refused to an owner', async () => {
    await seedLedger(svc.deps.db, nationalDayLedger());
    await svc.post(messageEvent({ text: '/summary', openId: 'ou_wang', messageId: 'om_summary_4' }));
    await svc.settle();
    expect(fake.sent('create')).toHaveLength(0);
    expect(fake.sent('reply')).toHaveLength(1);
    expect(fake.sent('reply')[0]!.content.text).not.toContain('周报已发送');
  });
});
