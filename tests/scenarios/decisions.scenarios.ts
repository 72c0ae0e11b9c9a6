/** Changes that need two people: an extension and its approval, a submission and its verification. */
import { expect } from 'vitest';
import { readable } from '../helpers/chat.js';
import { messageEvent } from '../helpers/payloads.js';
import { freshId, postEvent, repliesTo, type Scenario, type ScenarioTarget } from './target.js';

/** Sends a command as this person and returns the readable replies once they arrived. */
export async function command(target: ScenarioTarget, openId: string, text: string, replies = 1): Promise<string[]> {
  const event = messageEvent({ text, openId, messageId: freshId('om_cmd_') });
  expect((await postEvent(target, event)).status).toBe(200);
  const id = event.event.message.message_id;
  await target.fake.waitFor(() => repliesTo(target.fake, id).length >= replies, 15_000, `the answer to ${text}`);
  return repliesTo(target.fake, id).map(readable);
}

export const decisionScenarios: Scenario[] = [
  {
    name: 'an owner asks for more time and the secretary approves; both dates are kept',
    async run(target) {
      const sun = target.ledger.people.sun!.openId!;
      const secretary = target.ledger.people.secretary!.openId!;
      // A year from the target's today: later than the current 2025-12-31, within the 5 years a deadline may be set.
      const newDate = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
      const [asked] = await command(target, sun, `/extend 3.1.2 ${newDate} 需要协调上级部门`);
      expect(asked).toContain(`已提交措施 3.1.2 的延期申请（2025-12-31 → ${newDate}）`);
      const [approved] = await command(target, secretary, '同意延期 3.1.2', 2);
      expect(approved).toContain(`新的完成时限为 ${newDate}`);
      const [card, history] = await command(target, secretary, '/show 3.1.2', 2);
      expect(card).toContain(`截止 ${newDate}`); // the card header follows the extension
      expect(history).toContain(newDate);
    },
  },
  {
    name: 'an owner submits a measure for closure and a leader verifies it',
    async run(target) {
      const sun = target.ledger.people.sun!.openId!;
      const leader = target.ledger.people.leader!.openId!;
      const [evidence] = await command(target, sun, '/report 3.1.2 制度已印发 https://www.example.gov.cn/rs/312.html', 2);
      expect(evidence).toContain('记录佐证链接 1 个');
      const [submitted] = await command(target, sun, '/done 3.1.2 已全部完成', 2);
      expect(submitted).toContain('已提交措施 3.1.2 的销号申请');
      const [verified] = await command(target, leader, '销号 3.1.2', 2);
      expect(verified).toContain('措施 3.1.2 已销号');
    },
  },
];
