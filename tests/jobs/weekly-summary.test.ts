import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getJobRun } from '../../db/queries/job-runs.js';
import { jobRuns, measures } from '../../db/schema.js';
import { weeklySummaryText } from '../../cards/weekly-summary.card.js';
import { weeklySummaryView } from '../../src/jobs/weekly-summary.job.js';
import { createFixedClock } from '../../src/clock.js';
import { enqueueCardFallbacks, runDueJobs, runJob } from '../../src/jobs/index.js';
import { buildWeeklySummary } from '../../src/services/weekly-summary.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, tempDir } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';
import { cardText, nineAm, startSchedulerService } from './job-fixtures.js';

type Svc = Awaited<ReturnType<typeof startSchedulerService>>;
const MONDAY = '2025-10-13';

describe('weekly summary to the leading group', () => {
  let fake: FakeFeishu;
  let svc: Svc;
  let ledger: SeededLedger;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startSchedulerService({ fake, at: MONDAY });
    ledger = await seedLedger(svc.deps.db, { ...nationalDayLedger(), leadingGroupChats: ['oc_leading_group', 'oc_second_group'] });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('counts the open measures whose deadline is still to be set (时限待定) and says so', async () => {
    const before = await buildWeeklySummary(svc.deps, { campaignId: ledger.campaignId, at: nineAm(MONDAY) });
    expect(before.unsetCount).toBe(0);
    expect(weeklySummaryText(weeklySummaryView(before, false))).not.toContain('时限待定');
    await svc.deps.db
      .update(measures)
      .set({ deadlineKind: 'unset', deadlineText: null, dueDate: null, originalDueDate: null })
      .where(eq(measures.id, ledger.measures['3.1.2']!));
    const s = await buildWeeklySummary(svc.deps, { campaignId: ledger.campaignId, at: nineAm(MONDAY) });
    expect(s.unsetCount).toBe(1);
    expect(weeklySummaryText(weeklySummaryView(s, false))).toContain('时限待定 1 项，请整改办设定整改时限（发送 /status 时限待定 查看）');
  });

  it('computes the week from a ledger with known numbers', async () => {
    const s = await buildWeeklySummary(svc.deps, { campaignId: ledger.campaignId, at: nineAm(MONDAY) });
    expect(s).toMatchObject({
      weekKey: '2025-W42',
      today: MONDAY,
      windowStart: '2025-10-06',
      windowEnd: '2025-10-12',
      total: 12,
      closed: 3,
      completionRate: 0.25,
    });
    expect(s.byStatus).toEqual({ not_started: 0, in_progress: 8, submitted: 1, closed: 3, returned: 0 });
    expect(s.previousRate).toBeCloseTo(2 / 12);
    expect(s.closedThisWeek.map((m) => m.code)).toEqual(['2.1.3']);
    expect(s.submitted.map((m) => m.code)).toEqual(['2.1.2']);
    expect(s.overdue.map((m) => [m.code, m.daysOverdue])).toEqual([
      ['2.1.1', 17],
      ['1.1.2', 13],
      ['1.1.1', 3],
    ]);
    expect(s.newlyOverdue.map((m) => m.code)).toEqual(['1.1.1']);
    expect(s.dueNextWeek.map((m) => m.code)).toEqual(['3.2.1']);
    expect(s.departments.map((d) => [d.department, d.total, d.closed, d.submitted, d.inProgress, d.overdue])).toEqual([
      ['办公室', 4, 1, 0, 3, 2],
      ['财务科', 4, 1, 1, 2, 1],
      ['人事科', 4, 1, 0, 3, 0],
    ]);
    // Sep 1 (ledger created) to Oct 13: closures on Sep 10, Sep 20 and Oct 9.
    expect(s.trend.map((t) => [t.date, Math.round(t.rate * 1000) / 10])).toEqual([
      ['2025-09-01', 0],
      ['2025-09-08', 0],
      ['2025-09-15', 8.3],
      ['2025-09-22', 16.7],
      ['2025-09-29', 16.7],
      ['2025-10-06', 16.7],
      ['2025-10-13', 25],
    ]);
  });

  it('posts one card to every bound chat with the numbers, lists, table and trend chart', async () => {
    const outcome = await runJob(svc.deps, 'weekly-summary');
    expect(outcome.status).toBe('done');
    await svc.settle();
    const cards = fake.sent('create');
    expect(cards.map((m) => m.target).sort()).toEqual(['oc_leading_group', 'oc_second_group']);
    const card = cards[0]!.content;
    expect(card.schema).toBe('2.0');
    expect(card.config).toEqual({ update_multi: true });
    expect(card.header.title.content).toBe('整改工作周报 · 2025年第42周');
    const text = cardText(cards[0]!);
    expect(text).toContain('整改措施共 12 项：已销号 3 项，待审核销号 1 项，推进中 8 项，其中逾期 3 项。');
    expect(text).toContain('完成率 25.0%（较上周提高 8.3 个百分点）');
    expect(text).toContain('**逾期清单（3 项）**');
    expect(text).toContain('**本周新增逾期（1 项）**');
    expect(text).toContain('**本周销号（1 项）**');
    expect(text).toContain('**待审核销号（1 项）**');
    expect(text).toContain('**未来 7 天到期（1 项）**');
    const chart = card.body.elements.find((e: any) => e.tag === 'chart');
    expect(chart.chart_spec.data.values.at(-1)).toEqual({ week: '10月13日', rate: 25 });
    const table = card.body.elements.find((e: any) => e.tag === 'table');
    expect(table.rows[0]).toEqual({ department: '办公室', total: 4, closed: 1, in_progress: 3, overdue: 2, rate: '25.0%' });
    expect(text).not.toContain('<at');

    const run = await getJobRun(svc.deps.db, 'weekly-summary:2025-W42');
    expect(run?.status).toBe('done');
    expect((run!.summary as { recipients: Array<{ to: string; uuid: string }> }).recipients.map((r) => r.to)).toEqual(['oc_leading_group', 'oc_second_group']);
  });

  it('sends the text version to a chat that refuses the card', async () => {
    fake.failNext({ match: /POST \/open-apis\/im\/v1\/messages/, status: 400, body: { code: 230099, msg: 'Failed to create card content' } });
    await runJob(svc.deps, 'weekly-summary');
    await svc.settle();
    expect(await enqueueCardFallbacks(svc.deps)).toBe(1);
    expect(await enqueueCardFallbacks(svc.deps)).toBe(0);
    await svc.settle();
    const texts = fake.sent('create').filter((m) => m.msgType === 'text');
    expect(texts).toHaveLength(1);
    const cards = fake.sent('create').filter((m) => m.msgType === 'interactive');
    expect(cards).toHaveLength(1);
    expect(texts[0]!.target).not.toBe(cards[0]!.target);
    expect(texts[0]!.content.text).toContain('【整改工作周报 · 2025年第42周】');
    expect(texts[0]!.content.text).toContain('完成率 25.0%（较上周提高 8.3 个百分点）');
    expect(texts[0]!.content.text).toContain('办公室：4 / 1 / 3 / 2 / 25.0%');
  });

  it('posts exactly once per week and chat across a restart, a double trigger and a catch-up', async () => {
    // Double trigger: two services (as two processes) over the same database file, at once.
    const second = await startTestService({ fake, databasePath: svc.databasePath, clock: createFixedClock(nineAm(MONDAY)) });
    const outcomes = await Promise.all([runJob(svc.deps, 'weekly-summary'), runJob(second.deps, 'weekly-summary')]);
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'busy' || o.status === 'already_done')).toHaveLength(1);
    await svc.settle();
    await second.settle();
    await second.close(false);
    expect(fake.sent('create')).toHaveLength(2);

    // Restart later the same week: a new service over the same file; the catch-up and a cron fire find the week done.
    const laterClock = createFixedClock('2025-10-15T10:00:00+08:00');
    const restarted = await startTestService({ fake, databasePath: svc.databasePath, clock: laterClock });
    await runDueJobs(restarted.deps);
    expect((await runJob(restarted.deps, 'weekly-summary')).status).toBe('already_done');
    await restarted.settle();
    const weeklyCards = () => fake.sent('create').filter((m) => m.msgType === 'interactive' && m.content.header.title.content.startsWith('整改工作周报'));
    expect(weeklyCards()).toHaveLength(2);

    // The service was down on Monday 09:00 of the next week: started at 11:00, the catch-up posts that week once.
    laterClock.set('2025-10-20T11:00:00+08:00');
    const caughtUp = await runDueJobs(restarted.deps);
    expect(caughtUp['weekly-summary']?.status).toBe('done');
    expect(caughtUp['weekly-summary']?.periodKey).toBe('weekly-summary:2025-W43');
    expect((await runDueJobs(restarted.deps))['weekly-summary']?.status).toBe('already_done');
    await restarted.settle();
    expect(
      weeklyCards()
        .map((m) => `${m.content.header.title.content} → ${m.target}`)
        .sort(),
    ).toEqual([
      '整改工作周报 · 2025年第42周 → oc_leading_group',
      '整改工作周报 · 2025年第42周 → oc_second_group',
      '整改工作周报 · 2025年第43周 → oc_leading_group',
      '整改工作周报 · 2025年第43周 → oc_second_group',
    ]);
    await restarted.close(false);
  });

  it('re-runs a period whose holder died mid-run without sending anything twice', async () => {
    const first = await runJob(svc.deps, 'weekly-summary');
    await svc.settle();
    // Simulate a crash after enqueueing: the period is still 'running' when another process starts.
    await svc.deps.db.update(jobRuns).set({ status: 'running', finishedAt: null }).where(eq(jobRuns.periodKey, first.periodKey));
    expect((await runJob(svc.deps, 'weekly-summary')).status).toBe('busy');
    svc.clock.advance(11 * 60_000); // past the lease
    expect((await runJob(svc.deps, 'weekly-summary')).status).toBe('done');
    await svc.settle();
    expect(fake.sent('create')).toHaveLength(2);
  });

  it('mentions owners of overdue measures only when the setting is on', async () => {
    const dir = tempDir();
    const on = await startTestService({
      fake,
      env: { SUMMARY_MENTION_OWNERS: 'true', DATABASE_PATH: `${dir.path}/m.sqlite` },
      clock: createFixedClock(nineAm(MONDAY)),
    });
    try {
      await seedLedger(on.deps.db, nationalDayLedger());
      await runJob(on.deps, 'weekly-summary');
      await on.settle();
      const text = cardText(fake.sent('create').at(-1)!);
      expect(text).toContain('<at id=ou_wang></at>');
      expect(text).toContain('<at id=ou_zhao></at>');
    } finally {
      await on.close();
      dir.remove();
    }
  });
});
