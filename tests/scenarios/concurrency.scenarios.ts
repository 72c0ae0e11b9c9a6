/**
 * Many people acting on one measure at the same moment: every change is stored exactly once or
 * refused, and every reply says what was stored. Runs on Node (SQLite) and under wrangler dev (D1).
 */
import { expect } from 'vitest';
import { readable } from '../helpers/chat.js';
import { callbackValues } from '../helpers/card-query.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { freshId, postEvent, repliesTo, type Scenario, type ScenarioTarget } from './target.js';

const CODE = '2.1.1';

interface Sent {
  kind: 'report' | 'done' | 'verify' | 'return';
  messageId: string;
  percent?: number;
}

/** Posts every command at once; each must be acknowledged. */
async function burst(target: ScenarioTarget, commands: Array<{ openId: string; text: string } & Omit<Sent, 'messageId'>>): Promise<Sent[]> {
  const sent = commands.map((c) => ({ ...c, messageId: freshId('om_race_') }));
  const acks = await Promise.all(sent.map((c) => postEvent(target, messageEvent({ text: c.text, openId: c.openId, messageId: c.messageId }))));
  expect(acks.map((r) => r.status)).toEqual(sent.map(() => 200));
  return sent;
}

/**
 * Waits until `done` holds, keeping one settle() in flight: on Workers, replies held back by the
 * chat's 5/s limit wait for a cron sweep, and a sweep that drains forty of them takes a while.
 */
async function until(target: ScenarioTarget, done: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let settling: Promise<void> | undefined;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // A failed sweep shows as the missing replies it would have delivered.
    settling ??= target
      .settle()
      .catch(() => undefined)
      .finally(() => (settling = undefined));
    await Promise.race([settling, new Promise((r) => setTimeout(r, 200))]);
  }
  await settling;
}

/** The text reply to each message (the confirmation or the refusal; a card may follow it). */
async function answersTo(target: ScenarioTarget, sent: Sent[]): Promise<Map<Sent, string>> {
  const answer = (s: Sent) => repliesTo(target.fake, s.messageId).find((m) => m.msgType === 'text');
  await until(target, () => sent.every((s) => answer(s) !== undefined), 'an answer to every message');
  return new Map(sent.map((s) => [s, readable(answer(s)!)]));
}

/** The measure's record as the history button sends it, read back as text. */
async function history(target: ScenarioTarget, openId: string): Promise<string> {
  const show = messageEvent({ text: `/show ${CODE}`, openId, messageId: freshId('om_show_') });
  expect((await postEvent(target, show)).status).toBe(200);
  const showId = show.event.message.message_id;
  await until(target, () => repliesTo(target.fake, showId).some((m) => m.msgType === 'interactive'), 'the measure card');
  const card = repliesTo(target.fake, showId).find((m) => m.msgType === 'interactive')!;
  const value = callbackValues(card.content).find((v) => (v as { action?: string }).action === 'measure.history');
  expect(value).toBeDefined();
  const before = target.fake.sent('create').length;
  const click = cardActionEvent({ openId, value: value as Record<string, unknown>, messageId: card.messageId, chatId: show.event.message.chat_id });
  expect((await postEvent(target, click)).status).toBe(200);
  const isRecord = () =>
    target.fake
      .sent('create')
      .slice(before)
      .find((m) => m.msgType === 'interactive' && readable(m).includes(`整改记录 ${CODE}`));
  await until(target, () => isRecord() !== undefined, 'the history card');
  return readable(isRecord()!).replace(/<[^>]+>/g, '');
}

const count = (haystack: string, needle: RegExp) => (haystack.match(new RegExp(needle.source, 'g')) ?? []).length;

export const concurrencyScenarios: Scenario[] = [
  {
    timeoutMs: 150_000,
    name: '20 reports and status changes on one measure at once: each is stored or refused, and the replies say which',
    async run(target) {
      const zhao = target.ledger.people.zhao!.openId!;
      const secretary = target.ledger.people.secretary!.openId!;
      const leader = target.ledger.people.leader!.openId!;
      // Closure needs evidence: a link in a report, stored before the burst.
      const [link] = await burst(target, [{ kind: 'report', openId: zhao, text: `/report ${CODE} 佐证材料见 https://www.example.gov.cn/cw/211.html` }]);
      expect((await answersTo(target, [link!])).get(link!)).toContain('记录佐证链接 1 个');
      const reports = Array.from({ length: 14 }, (_, i) => ({
        kind: 'report' as const,
        openId: i < 12 ? zhao : secretary,
        percent: 5 + i * 5,
        text: `/report ${CODE} 第${i + 1}次进展 ${5 + i * 5}%`,
      }));
      const sent = await burst(target, [
        ...reports,
        { kind: 'done', openId: zhao, text: `/done ${CODE} 已完成` },
        { kind: 'done', openId: zhao, text: `/done ${CODE} 确已完成` },
        { kind: 'verify', openId: leader, text: `/verify ${CODE}` },
        { kind: 'verify', openId: secretary, text: `/verify ${CODE}` },
        { kind: 'return', openId: leader, text: `/return ${CODE} 材料不全` },
        { kind: 'return', openId: secretary, text: `/return ${CODE} 请补充佐证` },
      ]);
      const answers = await answersTo(target, sent);

      // A report is either confirmed with its own percentage or refused saying nothing was recorded.
      const recorded: number[] = [];
      for (const s of sent.filter((x) => x.kind === 'report')) {
        const a = answers.get(s)!;
        if (a.startsWith(`已记录措施 ${CODE} 的进展`)) {
          expect(a).toContain(`完成 ${s.percent}%`);
          recorded.push(s.percent!);
        } else expect(a).toMatch(/已销号.*(没有记录|无需再汇报)/);
      }
      const claimed = (kind: Sent['kind'], pattern: RegExp) => sent.filter((s) => s.kind === kind && pattern.test(answers.get(s)!)).length;
      const submitted = claimed('done', /^已提交措施 .* 的销号申请/);
      const verified = claimed('verify', /^措施 .* 已销号，已通知/);
      const returned = claimed('return', /^已退回措施/);
      expect(verified).toBeLessThanOrEqual(1);
      // Nothing claimed that the record does not hold, and nothing held that nobody was told.
      const record = await history(target, secretary);
      const stored = [...record.matchAll(/进展汇报[^\n]*?(\d+)%/g)].map((m) => Number(m[1]));
      expect(stored.sort((a, b) => a - b)).toEqual(recorded.sort((a, b) => a - b));
      expect(count(record, /→ 待销号/)).toBe(submitted);
      expect(count(record, /→ 已销号/)).toBe(verified);
      expect(count(record, /→ 已退回/)).toBe(returned);
      // Every refusal is a Chinese sentence, never a raw error.
      for (const a of answers.values()) expect(a).not.toMatch(/SQLITE|Error|undefined/);
    },
  },
];
