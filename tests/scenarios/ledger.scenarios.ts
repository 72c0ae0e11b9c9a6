/** Daily use of the ledger through chat, on a seeded ledger, the same way on every runtime. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { readable } from '../helpers/chat.js';
import { messageEvent } from '../helpers/payloads.js';
import { postEvent, replyRequests, repliesTo, type Scenario } from './target.js';

const freshId = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}`;

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
      expect(readable(repliesTo(target.fake, refused.event.message.message_id)[0]!)).toContain('措施 1.2.1 不在您的职责范围内');
    },
  },
];
