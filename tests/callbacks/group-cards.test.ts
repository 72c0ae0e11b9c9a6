/**
 * A card in a group chat is one view shared by everyone in it (card JSON 2.0): it is drawn for
 * nobody in particular, and a form is opened in the presser's private chat, never on it.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { measureFieldNames } from '../../cards/actions.js';
import { progressReports } from '../../db/schema.js';
import { readable, say } from '../helpers/chat.js';
import { findAll } from '../helpers/card-query.js';
import { cardActionEvent } from '../helpers/payloads.js';
import { useSeededService } from '../helpers/seeded-service.js';

const NOW = '2025-10-09T02:00:00.000Z';
const GROUP = 'oc_group000000000000000000000001';

describe('cards in a group chat', () => {
  const t = useSeededService({ now: NOW });
  const measure = t.measure;

  /** Someone @-mentions the bot in the group; returns the card reply and its message id. */
  async function inGroup(openId: string, command: string) {
    const c = await say(t.svc, t.fake, openId, `@_user_1 ${command}`, {
      chatType: 'group',
      chatId: GROUP,
      mentions: [{ key: '@_user_1', openId: t.fake.botOpenId, type: 'bot' }],
    });
    const sent = t.fake.sent('reply').find((m) => m.target === c.messageId && m.msgType === 'interactive')!;
    return { card: sent.content as any, messageId: sent.messageId };
  }

  async function click(openId: string, messageId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
    const res = await t.svc.post(cardActionEvent({ openId, messageId, value, formValue, chatId: GROUP }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { type: string; data: any } };
    await t.svc.settle();
    return body;
  }

  const labels = (card: unknown) => findAll(card, 'button').map((b) => (b.text as { content: string }).content);
  const privateCards = (openId: string) => t.fake.sent('create').filter((m) => m.target === openId && m.msgType === 'interactive');

  it('draws the same card whoever asks: the actions the state allows, no open form', async () => {
    const bySecretary = await inGroup('ou_secretary', '/show 1.2.1');
    const byOwner = await inGroup('ou_wang', '/show 1.2.1');
    // The secretary may not report on 1.2.1 and the owner may; the shared card does not depend on it.
    expect(labels(bySecretary.card)).toEqual(['汇报进展', '申请销号', '申请延期', '上传佐证', '查看记录']);
    expect(byOwner.card).toEqual(bySecretary.card);
    expect(findAll(byOwner.card, 'form')).toEqual([]);
  });

  it("opens a form in the presser's private chat, only for someone who may use it", async () => {
    const m = await measure('1.2.1');
    const { messageId } = await inGroup('ou_secretary', '/show 1.2.1');
    const value = { action: 'measure.form', measureId: m.id, version: m.version, form: 'report' };

    const refused = await click('ou_zhao', messageId, value);
    expect(refused.toast?.type).toBe('error');
    expect(privateCards('ou_zhao')).toEqual([]);

    const opened = await click('ou_wang', messageId, value);
    expect(opened.toast).toEqual({ type: 'info', content: '已在您与整改督办助手的单聊中打开“汇报进展”，请在那里填写。' });
    // the group card is left as it is: no form appears there for everyone
    expect(opened.card).toBeUndefined();
    const [privateCard] = privateCards('ou_wang');
    const names = measureFieldNames(m.id);
    expect(findAll(privateCard!.content, 'form').map((f) => f.name)).toEqual([names.reportForm]);

    // The form is filled in private; the group card is then updated, still for nobody in particular.
    const done = await t.svc.post(
      cardActionEvent({
        openId: 'ou_wang',
        messageId: privateCard!.messageId,
        value: { action: 'measure.report', measureId: m.id, version: m.version },
        formValue: { [names.reportText]: '已完成台账梳理', [names.reportPercent]: '50' },
      }),
    );
    expect(((await done.json()) as { toast?: { content: string } }).toast?.content).toBe('进展已记录');
    await t.svc.settle();
    expect(await t.svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, m.id))).toHaveLength(1);
    const patch = t.fake.sent('patch').find((p) => p.target === messageId)!;
    expect(readable({ ...patch, msgType: 'interactive' })).toContain('已完成台账梳理');
    expect(labels(patch.content)).toEqual(['汇报进展', '申请销号', '申请延期', '上传佐证', '查看记录']);
    expect(findAll(patch.content, 'form')).toEqual([]);
  });

  it('sends the record asked for on a group card to the asker alone', async () => {
    const m = await measure('1.2.1');
    const { messageId } = await inGroup('ou_secretary', '/show 1.2.1');
    const before = t.fake.sent().length;
    const answer = await click('ou_wang', messageId, { action: 'measure.history', measureId: m.id, version: m.version });
    expect(answer.toast?.content).toBe('整改记录已发送到您与整改督办助手的单聊');
    const sent = t.fake.sent().slice(before);
    expect(sent.map((s) => [s.kind, s.target])).toEqual([['create', 'ou_wang']]);
  });

  it('lets anyone entitled verify from the group card, after the dialog, and nobody else', async () => {
    await say(t.svc, t.fake, 'ou_wang', '/report 1.1.1 制度已印发 https://www.example.gov.cn/zd/1.html');
    await say(t.svc, t.fake, 'ou_wang', '/done 1.1.1');
    const m = await measure('1.1.1');
    const { card, messageId } = await inGroup('ou_wang', '/show 1.1.1');
    const verify = findAll(card, 'button').find((b) => (b.text as { content: string }).content === '通过销号')!;
    expect(verify.form_action_type).toBe('submit');
    expect(verify.confirm).toBeDefined();
    const value = { action: 'measure.verify', measureId: m.id, version: m.version };

    const byOwner = await click('ou_wang', messageId, value);
    expect(byOwner.toast?.type).toBe('error');
    expect((await measure('1.1.1')).status).toBe('submitted');

    const byLeader = await click('ou_leader', messageId, value);
    expect(byLeader.toast?.content).toBe('已销号');
    expect((await measure('1.1.1')).status).toBe('closed');
    expect(labels(byLeader.card!.data)).toEqual(['查看记录']);
  });

  it('pages a shared list as it was asked for; others page it only if they may see everything', async () => {
    const { card, messageId } = await inGroup('ou_wang', '/mine');
    const next = { action: 'list.page', command: 'mine', page: 1 };
    const byOther = await click('ou_zhao', messageId, next);
    expect(byOther.toast).toEqual({ type: 'error', content: '这是其他同志查询的列表，您可以自己发送命令查看。' });
    expect(byOther.card).toBeUndefined();
    // The secretary pages Wang's list, not her own (she has no measures of her own).
    const bySecretary = await click('ou_secretary', messageId, next);
    expect(readable({ msgType: 'interactive', content: bySecretary.card!.data } as never)).toBe(readable({ msgType: 'interactive', content: card } as never));
  });
});
