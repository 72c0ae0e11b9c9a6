/** Daily use of the ledger through chat, on a seeded ledger, the same way on every runtime. */
import { expect } from 'vitest';
import { measureFieldNames } from '../../cards/actions.js';
import { callbackValues } from '../helpers/card-query.js';
import { readable } from '../helpers/chat.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { freshId, postEvent, replyRequests, repliesTo, type Scenario, type ScenarioTarget } from './target.js';

/** Sends `/show <code>` as this person and returns the card reply as Feishu recorded it. */
async function showCard(target: ScenarioTarget, openId: string, code: string) {
  const event = messageEvent({ text: `/show ${code}`, openId, messageId: freshId('om_show_') });
  await postEvent(target, event);
  const cardReply = () => repliesTo(target.fake, event.event.message.message_id).find((m) => m.msgType === 'interactive');
  await target.fake.waitFor(() => cardReply() !== undefined, 15_000, `the card of ${code}`);
  return cardReply()!;
}

type CardAnswer = { toast?: { type: string; content: string }; card?: { type: string; data: unknown } };

export const ledgerScenarios: Scenario[] = [
  {
    name: 'an owner reports progress with /report, and a redelivery records nothing twice',
    async run(target) {
      const wang = target.ledger.people.wang!.openId!;
      const event = messageEvent({ text: '/report 1.2.1 已制定方案\n召开了专题会议 60%', openId: wang, messageId: freshId('om_report_') });
      const messageId = event.event.message.message_id;
      expect((await postEvent(target, event)).status).toBe(200);
      await target.fake.waitFor(() => repliesTo(target.fake, messageId).length >= 2, 15_000, 'the answer to /report');
      const [confirmation, card] = repliesTo(target.fake, messageId).map(readable);
      expect(confirmation).toContain('已记录措施 1.2.1 的进展，完成 60%');
      expect(card).toContain('整改措施 1.2.1');
      expect(card).toContain('召开了专题会议');

      expect((await postEvent(target, event)).status).toBe(200);
      await target.settle();
      expect(replyRequests(target.fake, messageId)).toHaveLength(2);

      // Somebody else's owner is refused, from what the database says, not what the message claims.
      const zhao = target.ledger.people.zhao!.openId!;
      const refused = messageEvent({ text: '/report 1.2.1 代为汇报 90%', openId: zhao, messageId: freshId('om_report_') });
      await postEvent(target, refused);
      await target.fake.waitFor(() => repliesTo(target.fake, refused.event.message.message_id).length > 0, 15_000, 'the refusal');
      expect(readable(repliesTo(target.fake, refused.event.message.message_id)[0]!)).toContain('措施 1.2.1 不在您的职责范围内，不能为他人负责的措施汇报进展。');
    },
  },
  {
    name: 'an owner reports from the measure card; the callback answers at once and a redelivery changes nothing',
    async run(target) {
      const wang = target.ledger.people.wang!.openId!;
      const shown = await showCard(target, wang, '1.1.1');
      const open = callbackValues(shown.content).find((v) => (v as { form?: string } | undefined)?.form === 'report') as
        | { measureId: number; version: number }
        | undefined;
      expect(open, 'the card offers the report form').toBeDefined();
      const fields = measureFieldNames(open!.measureId);
      const click = cardActionEvent({
        openId: wang,
        messageId: shown.messageId,
        value: { action: 'measure.report', measureId: open!.measureId, version: open!.version },
        formValue: { [fields.reportText]: '完成制度修订\n已报送审核', [fields.reportPercent]: '80' },
      });
      const answer = await postEvent(target, click);
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as CardAnswer;
      expect(body.toast).toEqual({ type: 'success', content: '进展已记录' });
      expect(JSON.stringify(body.card?.data)).toContain('完成制度修订');

      const again = await postEvent(target, click);
      expect(await again.json()).toEqual({});
      await target.settle();
      // What the database now says, through a fresh card: one report, 80%.
      const after = readable(await showCard(target, wang, '1.1.1'));
      expect(after).toContain('完成制度修订');
      expect(after).toContain('80%');
      expect(after.split('完成制度修订').length - 1).toBe(1);
    },
  },
];
