import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createFixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { silentLogger } from '../../src/logger.js';
import { computeLedgerStats } from '../../src/services/ledger-stats.js';
import { tempDir } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

async function seeded() {
  const dir = tempDir();
  const database = openNodeDatabase(join(dir.path, 'duban.sqlite'));
  cleanups.push(() => (database.close(), dir.remove()));
  const ledger = await seedLedger(database.db, nationalDayLedger());
  const deps = { db: database.db, clock: createFixedClock('2025-10-09T01:00:00Z'), log: silentLogger, config: parseConfig({}) };
  return { deps, ledger };
}

describe('ledger statistics', () => {
  it('counts a known ledger on 2025-10-09', async () => {
    const { deps, ledger } = await seeded();
    const stats = await computeLedgerStats(deps, ledger.campaignId);
    expect(stats.today).toBe('2025-10-09');
    expect(stats.total).toBe(12);
    expect(stats.byStatus).toEqual({ not_started: 0, in_progress: 8, submitted: 1, closed: 3, returned: 0 });
    expect(stats.completionRate).toBe(0.25);
    expect(stats.overdueCount).toBe(2);
    expect(stats.lists.overdue.map((m) => [m.code, m.deadline.daysOverdue])).toEqual([
      ['2.1.1', 13],
      ['1.1.2', 9],
    ]);
    expect(stats.dueThisWeekCount).toBe(1);
    expect(stats.lists.dueNext7Days.map((m) => m.code)).toEqual(['1.1.1', '3.2.1']);
    expect(stats.lists.submitted.map((m) => m.code)).toEqual(['2.1.2']);
    expect(stats.lists.ongoingWithoutReport.map((m) => m.code)).toEqual(['2.2.1']);
    expect(stats.departments).toEqual([
      { departmentId: ledger.departments['办公室'], department: '办公室', total: 4, closed: 1, submitted: 0, inProgress: 3, overdue: 1, rate: 0.25 },
      { departmentId: ledger.departments['财务科'], department: '财务科', total: 4, closed: 1, submitted: 1, inProgress: 2, overdue: 1, rate: 0.25 },
      { departmentId: ledger.departments['人事科'], department: '人事科', total: 4, closed: 1, submitted: 0, inProgress: 3, overdue: 0, rate: 0.25 },
    ]);
    const m = stats.measures.find((x) => x.code === '1.1.1')!;
    expect(m).toMatchObject({ ownerName: '王芳', ownerOpenId: 'ou_wang', leaderName: '张书记', departmentName: '办公室' });
    expect(m.deadline.countdown).toBe('还剩 1 个工作日');
    expect(stats.measures.find((x) => x.code === '3.2.2')!.lastReportDate).toBe('2025-10-02');
  });

  it('takes an explicit day and leaves out measures no longer in the source ledger', async () => {
    const { deps, ledger } = await seeded();
    await seedLedger(deps.db, { campaign: { name: '另一轮整改' }, measures: [{ code: '1.1.1', due: '2025-01-01', missingFromSource: true }] });
    const stats = await computeLedgerStats(deps, ledger.campaignId, '2025-09-26');
    expect(stats.overdueCount).toBe(0);
    expect(stats.lists.dueThisWeek.map((m) => m.code)).toEqual(['2.1.1']);
    const other = await computeLedgerStats(deps, ledger.campaignId + 1, '2025-09-26');
    expect(other.total).toBe(0);
    expect(other.completionRate).toBe(0);
  });
});
