import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getJobRun } from '../../db/queries/job-runs.js';
import { createFixedClock } from '../../src/clock.js';
import { startNodeScheduler } from '../../src/jobs/scheduler.node.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';
import { startSchedulerService } from './job-fixtures.js';

describe('in-process scheduler', () => {
  let fake: FakeFeishu;
  let svc: Awaited<ReturnType<typeof startSchedulerService>>;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startSchedulerService({ fake });
    svc.clock.set('2025-10-13T11:00:00+08:00'); // Monday, after both 09:00 runs were missed
    await seedLedger(svc.deps.db, nationalDayLedger());
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('catches up the missed day and week at start, once, even with a second process', async () => {
    const scheduler = startNodeScheduler(svc.deps);
    await scheduler.ready;
    scheduler.stop();
    await svc.settle();
    const titles = () =>
      fake
        .sent('create')
        .map((m) => `${m.content.header.title.content} → ${m.target}`)
        .sort();
    expect(titles()).toEqual([
      '整改事项提醒 · 10月13日 → ou_leader',
      '整改事项提醒 · 10月13日 → ou_secretary',
      '整改事项提醒 · 10月13日 → ou_wang',
      '整改事项提醒 · 10月13日 → ou_zhao',
      '整改工作周报 · 2025年第42周 → oc_leading_group',
    ]);

    const run = await getJobRun(svc.deps.db, 'weekly-summary:2025-W42');
    const recipients = (run!.summary as { recipients: Array<{ to: string; messageId: string; as: string }> }).recipients;
    const posted = fake.sent('create').find((m) => m.target === 'oc_leading_group')!;
    expect(recipients).toEqual([expect.objectContaining({ to: 'oc_leading_group', messageId: posted.messageId, as: 'card' })]);

    const other = await startTestService({ fake, databasePath: svc.databasePath, clock: createFixedClock('2025-10-13T11:05:00+08:00') });
    const second = startNodeScheduler(other.deps);
    await second.ready;
    second.stop();
    await other.settle();
    await other.close(false);
    expect(fake.sent('create')).toHaveLength(5);
  });

  it('does not send a missed day of reminders late: started before 09:00 on Tuesday, it waits for Tuesday', async () => {
    svc.clock.set('2025-10-14T08:00:00+08:00'); // Monday's 09:00 run was missed; Tuesday's is still ahead
    const scheduler = startNodeScheduler(svc.deps);
    await scheduler.ready;
    scheduler.stop();
    await svc.settle();
    const titles = fake.sent('create').map((m) => String(m.content.header.title.content));
    expect(titles.filter((t) => t.startsWith('整改事项提醒'))).toEqual([]);
    // The week's summary was missed on Monday and is still caught up, once.
    expect(titles).toEqual(['整改工作周报 · 2025年第42周']);
  });
});
