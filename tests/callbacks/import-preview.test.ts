import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCardLimits } from '../../cards/limits.js';
import { grantRole, upsertPersonByOpenId } from '../../db/queries/people.js';
import { measures, pendingImports } from '../../db/schema.js';
import { readable } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { fixture } from '../ledger-io/fixtures.js';

const SECRETARY = 'ou_secretary_import';

describe('the import preview card', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
    for (const [openId, role] of [
      [SECRETARY, 'secretary'],
      ['ou_other_secretary', 'secretary'],
    ] as const) {
      const p = await upsertPersonByOpenId(svc.deps.db, openId, '2024-10-01T00:00:00Z', openId);
      await grantRole(svc.deps.db, p.id, role, 'test', '2024-10-01T00:00:00Z');
    }
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  async function sendLedger(): Promise<{ messageId: string; card: any; importId: number }> {
    fake.resources.set('om_file_1/file_key_1', Buffer.from(fixture('hulin-union-ledger.csv')));
    await svc.post(
      messageEvent({
        text: '',
        openId: SECRETARY,
        messageId: 'om_file_1',
        messageType: 'file',
        content: JSON.stringify({ file_key: 'file_key_1', file_name: 'hulin-union-ledger.csv' }),
      }),
    );
    await svc.settle();
    const card = fake.sent('reply').find((m) => m.target === 'om_file_1' && m.msgType === 'interactive')!;
    const importId = Number(/"importId":(\d+)/.exec(JSON.stringify(card.content))![1]);
    return { messageId: card.messageId, card: card.content, importId };
  }

  async function click(openId: string, messageId: string, value: Record<string, unknown>) {
    const res = await svc.post(cardActionEvent({ openId, messageId, value }));
    return (await res.json()) as { toast?: { type: string; content: string }; card?: { data: unknown } };
  }

  it('shows the counts and imports when the sender presses 确认导入', async () => {
    const { messageId, card, importId } = await sendLedger();
    expect(checkCardLimits(card)).toEqual([]);
    expect(readable({ msgType: 'interactive', content: card } as never)).toContain('43');
    // the sample's 43 measures are led by 7 departments
    expect(JSON.stringify(card)).toMatch(/责任部门\*\*\\n7\b|责任部门[^0-9]{0,12}7[^0-9]/);
    expect((await svc.deps.db.select().from(measures)).length).toBe(0);

    const stranger = await click('ou_other_secretary', messageId, { action: 'import.confirm', importId });
    expect(stranger.toast?.type).toBe('error');
    expect((await svc.deps.db.select().from(measures)).length).toBe(0);

    const done = await click(SECRETARY, messageId, { action: 'import.confirm', importId });
    expect(done.toast).toEqual({ type: 'success', content: '已导入 43 项整改措施。' });
    expect(checkCardLimits(done.card!.data)).toEqual([]);
    expect((await svc.deps.db.select().from(measures)).length).toBe(43);
    const again = await click(SECRETARY, messageId, { action: 'import.confirm', importId });
    expect(again.toast?.content).toBe('该文件已导入。');
  });

  it('cancels with 取消 and writes nothing', async () => {
    const { messageId, importId } = await sendLedger();
    const r = await click(SECRETARY, messageId, { action: 'import.cancel', importId });
    expect(r.toast?.content).toContain('已取消导入');
    expect((await svc.deps.db.select().from(pendingImports))[0]!.status).toBe('cancelled');
    expect((await svc.deps.db.select().from(measures)).length).toBe(0);
  });

  it('a confirmed re-import updates the cards already sent for the measures it changed', async () => {
    const first = await sendLedger();
    await click(SECRETARY, first.messageId, { action: 'import.confirm', importId: first.importId });
    await svc.post(messageEvent({ text: '/show 1.1.1', openId: SECRETARY, messageId: 'om_show_111' }));
    await svc.settle();
    const shown = fake.sent('reply').find((m) => m.target === 'om_show_111' && m.msgType === 'interactive')!;

    const revised = Buffer.from(fixture('hulin-union-ledger.csv')).toString('utf8').replace('建立健全“第一议题”制度', '修订后：建立健全“第一议题”制度');
    fake.resources.set('om_file_2/file_key_2', Buffer.from(revised, 'utf8'));
    await svc.post(
      messageEvent({
        text: '',
        openId: SECRETARY,
        messageId: 'om_file_2',
        messageType: 'file',
        content: JSON.stringify({ file_key: 'file_key_2', file_name: 'hulin-union-ledger.csv' }),
      }),
    );
    await svc.settle();
    await svc.post(messageEvent({ text: '确认导入', openId: SECRETARY, messageId: 'om_confirm_2' }));
    await svc.settle();
    const patches = fake.sent('patch').filter((p) => p.target === shown.messageId);
    expect(patches).toHaveLength(1);
    expect(JSON.stringify(patches[0]!.content)).toContain('修订后');
  });
});
