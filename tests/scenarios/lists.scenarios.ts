/**
 * The lists and /status, counted and paged by SQL, the same on SQLite and on D1. Runs first, on
 * the untouched ledger, with the real clock: expectations are computed from the seed for today.
 */
import { expect } from 'vitest';
import { readable } from '../helpers/chat.js';
import { messageEvent } from '../helpers/payloads.js';
import { freshId, postEvent, repliesTo, scenarioLedger, type Scenario, type ScenarioTarget } from './target.js';

async function ask(target: ScenarioTarget, openId: string, text: string): Promise<string> {
  const event = messageEvent({ text, openId, messageId: freshId('om_list_') });
  await postEvent(target, event);
  const card = () => repliesTo(target.fake, event.event.message.message_id).find((m) => m.msgType === 'interactive');
  await target.fake.waitFor(() => card() !== undefined, 15_000, `the answer to ${text}`);
  return readable(card()!);
}

const listed = (card: string) => [...card.matchAll(/^\*\*([\d.]+)\*\*/gm)].map((m) => m[1]);

export const listScenarios: Scenario[] = [
  {
    name: '/status, /overdue, /mine and /status <部门> count and list the ledger',
    async run(target) {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const spec = scenarioLedger();
      const overdue = spec.measures
        .filter((m) => m.status !== 'closed' && m.status !== 'submitted' && (m.kind ?? 'dated') === 'dated' && m.due && m.due < today)
        .sort((a, b) => a.due!.localeCompare(b.due!) || a.code.localeCompare(b.code))
        .map((m) => m.code);
      const leader = target.ledger.people.leader!.openId!;

      const status = await ask(target, leader, '/status');
      expect(status).toContain('已销号 3 / 共 12 项');
      expect(status).toContain(`<font color='${overdue.length > 0 ? 'red' : 'green'}'>${overdue.length}</font>`);
      expect(status).toMatch(/财务科 \| 4 \| 1 \| 1 \|/);

      expect(listed(await ask(target, leader, '/overdue'))).toEqual(overdue);
      expect(listed(await ask(target, target.ledger.people.wang!.openId!, '/mine'))).toEqual(['1.1.1', '1.1.2', '1.2.1', '1.2.2']);
      expect(listed(await ask(target, leader, '/status 财务'))).toEqual(['2.1.1', '2.1.2', '2.1.3', '2.2.1']);
    },
  },
];
