import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getJobRun } from '../../db/queries/job-runs.js';
import { measures } from '../../db/schema.js';
import { runJob } from '../../src/jobs/index.js';
import { startFakeFeishu, type FakeFeishu, type PostedMessage } from '../helpers/fake-feishu.js';
import { seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';
import { cardText, holidayReminderLedger, nineAm, startSchedulerService } from './job-fixtures.js';

type Svc = Awaited<ReturnType<typeof startSchedulerService>>;

describe('daily reminders across the 2025 National Day holiday', () => {
  let fake: FakeFeishu;
  let svc: Svc;
  let ledger: SeededLedger;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startSchedulerService({ fake });
    ledger = await seedLedger(svc.deps.db, holidayReminderLedger());
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  /** Runs the reminders as at 09:00 of `day`; returns the digests sent, by recipient open_id. */
  async function remindOn(day: string): Promise<Map<string, PostedMessage>> {
    const before = fake.sent().length;
    svc.clock.set(nineAm(day));
    await runJob(svc.deps, 'reminders');
    await svc.settle();
    const sent = fake.sent().slice(before);
    const byRecipient = new Map<string, PostedMessage>();
    for (const m of sent) {
      expect(byRecipient.has(m.target), `one digest per person per day (${m.target} on ${day})`).toBe(false);
      byRecipient.set(m.target, m);
    }
    return byRecipient;
  }

  const codesIn = (m: PostedMessage | undefined) => [...cardText(m!).matchAll(/\*\*(\d+\.\d+\.\d+)\*\*/g)].map((x) => x[1]!);

  it('reminds on the make-up working days and never during the holiday', async () => {
    const days = [
      '2025-09-26',
      '2025-09-27',
      '2025-09-28',
      '2025-09-29',
      '2025-09-30',
      ...Array.from({ length: 8 }, (_, i) => `2025-10-0${i + 1}`),
      '2025-10-09',
      '2025-10-10',
      '2025-10-11',
      '2025-10-12',
    ];
    const recipients: Record<string, string[]> = {};
    for (const day of days) recipients[day] = [...(await remindOn(day)).keys()].sort();
    expect(recipients).toEqual({
      '2025-09-26': ['ou_wang'],
      '2025-09-27': [],
      '2025-09-28': ['ou_zhao'],
      '2025-09-29': ['ou_wang'],
      '2025-09-30': ['ou_wang', 'ou_zhao'],
      '2025-10-01': [],
      '2025-10-02': [],
      '2025-10-03': [],
      '2025-10-04': [],
      '2025-10-05': [],
      '2025-10-06': [],
      '2025-10-07': [],
      '2025-10-08': [],
      '2025-10-09': ['ou_wang', 'ou_zhao'],
      '2025-10-10': ['ou_wang', 'ou_zhao'],
      '2025-10-11': ['ou_lead', 'ou_sec', 'ou_wang', 'ou_zhao'],
      '2025-10-12': [],
    });
    const run = await getJobRun(svc.deps.db, 'reminders:2025-10-11');
    expect(run?.status).toBe('done');
    expect(await getJobRun(svc.deps.db, 'reminders:2025-10-03')).toBeUndefined();
  });

  it('counts lead times in working days: 7, 3 and 1 working days before, then due today', async () => {
    // 1.1.1 is due Fri Oct 10: 7 working days before is Wed Sep 24, 3 is Mon Sep 29, 1 is Thu Oct 9.
    const leads: Record<string, string[]> = {};
    for (const day of ['2025-09-24', '2025-09-25', '2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10']) {
      const wang = (await remindOn(day)).get('ou_wang');
      leads[day] = wang ? codesIn(wang) : [];
    }
    expect(leads['2025-09-24']).toContain('1.1.1');
    expect(leads['2025-09-25']).not.toContain('1.1.1');
    expect(leads['2025-09-29']).toContain('1.1.1');
    expect(leads['2025-09-30']).not.toContain('1.1.1');
    expect(leads['2025-10-09']).toContain('1.1.1');
    expect(leads['2025-10-10']).toContain('1.1.1');

    // 1.2.1 is due Thu Oct 9, the first working day after the holiday: on Sep 30 it is 1 working day away.
    const zhao = fake.sent().find((m) => m.target === 'ou_zhao' && m.content.header.title.content.endsWith('9月30日'))!;
    expect(codesIn(zhao)).toEqual(['1.2.1']);
    expect(cardText(zhao)).toContain('还剩 1 个工作日');
  });

  it('sends one digest per owner with every measure that needs them', async () => {
    const digests = await remindOn('2025-09-29');
    const wang = digests.get('ou_wang')!;
    expect(codesIn(wang).sort()).toEqual(['1.1.1', '1.1.2']);
    expect(wang.content.header.title.content).toBe('整改事项提醒 · 9月29日');
    expect(cardText(wang)).toContain('还剩 3 个工作日');
    expect(cardText(wang)).toContain('还剩 1 个工作日');
    expect(wang.content.config).toEqual({ update_multi: true });
    expect(wang.msgType).toBe('interactive');

    const on1009 = await remindOn('2025-10-09');
    expect(cardText(on1009.get('ou_wang')!)).toContain('已逾期 9 天');
    expect(cardText(on1009.get('ou_zhao')!)).toContain('今日到期');
    // An owner without a Feishu account is listed in the run summary instead of being lost.
    const summary = (await getJobRun(svc.deps.db, 'reminders:2025-10-09'))!.summary as { unreachable: Array<{ code: string }> };
    expect(summary.unreachable.map((u) => u.code)).toEqual(['3.1.1']);
  });

  it('escalates to the leader and the secretary once a measure is 3 working days overdue, once per due date', async () => {
    // 1.1.2 was due Sep 30: Oct 9 and 10 are 1 and 2 working days late, the make-up Saturday Oct 11 is the third.
    expect((await remindOn('2025-10-10')).has('ou_lead')).toBe(false);
    const on1011 = await remindOn('2025-10-11');
    for (const who of ['ou_lead', 'ou_sec']) {
      const text = cardText(on1011.get(who)!);
      expect(text).toContain('逾期督办');
      expect(codesIn(on1011.get(who))).toEqual(['1.1.2']);
      expect(text).toContain('王芳');
    }
    // Monday: 1.2.1 (due Oct 9) reaches 3 working days; 1.1.2 is not escalated again.
    const on1013 = await remindOn('2025-10-13');
    // (3.1.1, due the same day, escalates too: its owner has no Feishu account, the leader still hears.)
    expect(codesIn(on1013.get('ou_lead'))).toEqual(['1.2.1', '3.1.1']);
    expect(codesIn(on1013.get('ou_sec'))).toEqual(['1.2.1', '3.1.1']);
    // The owner keeps hearing about it in their own digest.
    expect(codesIn(on1013.get('ou_wang'))).toContain('1.1.2');
    // An extension moves the due date; if the new date passes too, the leader hears again.
    await svc.deps.db.update(measures).set({ dueDate: '2025-10-14' }).where(eq(measures.id, ledger.measures['1.1.2']!));
    expect(codesIn((await remindOn('2025-10-16')).get('ou_lead'))).not.toContain('1.1.2');
    expect(codesIn((await remindOn('2025-10-17')).get('ou_lead'))).toContain('1.1.2');
  });

  it('asks ongoing measures for a report once per period, only when none came in', async () => {
    // October's report is due Fri Oct 31; the check-in goes out 7 working days before (Wed Oct 22).
    expect(codesIn((await remindOn('2025-10-21')).get('ou_zhao'))).not.toContain('2.1.1');
    const on1022 = (await remindOn('2025-10-22')).get('ou_zhao')!;
    expect(codesIn(on1022)).toContain('2.1.1');
    expect(codesIn(on1022)).not.toContain('2.1.2'); // reported on Oct 15
    expect(cardText(on1022)).toContain('长期坚持 · 下次汇报 10月31日前');
    expect(codesIn((await remindOn('2025-10-23')).get('ou_zhao'))).not.toContain('2.1.1');
    // November: asked again.
    expect(codesIn((await remindOn('2025-11-19')).get('ou_zhao'))).toContain('2.1.1');
  });

  it('sends no overdue, due or check-in reminder for a measure whose deadline is still to be set (时限待定)', async () => {
    // 1.1.2 (overdue since 09-30) and 2.1.1 (ongoing, no report in October) as if their source stated no deadline.
    for (const code of ['1.1.2', '2.1.1']) {
      await svc.deps.db
        .update(measures)
        .set({ deadlineKind: 'unset', deadlineText: null, dueDate: null, originalDueDate: null })
        .where(eq(measures.id, ledger.measures[code]!));
    }
    const sent = await remindOn('2025-10-22');
    // The same owners are still reminded of their other measures: only the unset ones are left out.
    expect(codesIn(sent.get('ou_wang'))).toContain('1.1.1');
    expect(codesIn(sent.get('ou_wang'))).not.toContain('1.1.2');
    expect(codesIn(sent.get('ou_zhao'))).toContain('1.2.1');
    expect(codesIn(sent.get('ou_zhao'))).not.toContain('2.1.1');
  });

  it('runs a day once: a second run the same day sends nothing', async () => {
    await remindOn('2025-09-29');
    svc.clock.set(nineAm('2025-09-29'));
    const again = await runJob(svc.deps, 'reminders', { at: new Date('2025-09-29T15:00:00+08:00') });
    expect(again.status).toBe('already_done');
    await svc.settle();
    expect(fake.sent().filter((m) => m.target === 'ou_wang')).toHaveLength(1);
  });
});
