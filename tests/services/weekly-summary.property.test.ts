/**
 * The weekly summary counted and listed in SQL equals the summary as it was computed before, from
 * every measure dated in JavaScript (kept below as the reference), on random ledgers: every
 * deadline kind (立行立改, 长期坚持, 时限待定 included), every status, due dates around the 2025
 * National Day and 2026 Spring Festival holidays and their make-up working days, across week and
 * year boundaries, in two time zones, with closings and arrivals on the edges of the week.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCampaign, listLedgerMeasures } from '../../db/queries/measures-read.js';
import { WEEKLY_SUMMARY_MAX_ROWS, weeklySummaryCard, weeklySummaryText } from '../../cards/weekly-summary.card.js';
import { createFixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { weeklySummaryView } from '../../src/jobs/weekly-summary.job.js';
import { silentLogger } from '../../src/logger.js';
import { workCalendarFor } from '../../src/services/calendar.js';
import { formatChineseDate } from '../../src/services/deadline-state.js';
import { deadlineRulesOf, ratio, summarizeLedger, withDeadlines, type LedgerMeasure } from '../../src/services/ledger-stats.js';
import { buildWeeklySummary, TREND_WEEKS, type SummaryItem, type WeeklySummaryData } from '../../src/services/weekly-summary.js';
import type { ServiceDeps } from '../../src/deps.js';
import { tempDir } from '../helpers/harness.js';
import { scenarioArb, seedRandomLedger, WEEK_MS } from '../helpers/random-ledger.js';

// ---- The reference: the summary as computed before, from every measure of the ledger. ----

const toItem = (m: LedgerMeasure): SummaryItem => ({
  measureId: m.id,
  code: m.code,
  text: m.text,
  department: m.departmentName,
  ownerName: m.ownerName,
  ownerOpenId: m.ownerOpenId,
  dueDate: m.dueDate,
  countdown: m.deadline.countdown,
  daysOverdue: m.deadline.daysOverdue,
});

const closedAt = (m: LedgerMeasure) => (m.status === 'closed' ? (m.verifiedAt ?? m.createdAt) : undefined);

function rateAsOf(all: LedgerMeasure[], instant: string): number | null {
  const present = all.filter((m) => m.createdAt <= instant);
  if (present.length === 0) return null;
  return ratio(present.filter((m) => (closedAt(m) ?? '\uffff') <= instant).length, present.length);
}

type ReferenceSummary = Omit<WeeklySummaryData, 'counts'>;

async function referenceWeeklySummary(deps: ServiceDeps, p: { campaignId: number; at: Date }): Promise<ReferenceSummary> {
  const calendar = workCalendarFor(deps);
  const today = calendar.toDate(p.at);
  const campaign = await getCampaign(deps.db, { campaignId: p.campaignId });
  const rows = await listLedgerMeasures(deps.db, { campaignId: p.campaignId });
  const all = withDeadlines(rows, today, calendar, deadlineRulesOf(deps.config));
  const stats = summarizeLedger(p.campaignId, today, all, calendar);

  const nowIso = p.at.toISOString();
  const weekAgoIso = new Date(p.at.getTime() - WEEK_MS).toISOString();
  const windowStart = calendar.addDays(today, -7);
  const closedThisWeek = all
    .filter((m) => {
      const at = closedAt(m);
      return at !== undefined && at > weekAgoIso && at <= nowIso;
    })
    .sort((a, b) => closedAt(a)!.localeCompare(closedAt(b)!));
  const newlyOverdue = stats.lists.overdue.filter((m) => m.dueDate !== null && m.dueDate >= windowStart);

  const trend: ReferenceSummary['trend'] = [];
  for (let k = TREND_WEEKS - 1; k >= 0; k--) {
    const instant = new Date(p.at.getTime() - k * WEEK_MS);
    const rate = rateAsOf(all, instant.toISOString());
    const date = calendar.toDate(instant);
    if (rate !== null) trend.push({ label: formatChineseDate(date, today), date, rate });
  }

  return {
    campaignId: p.campaignId,
    campaignName: campaign?.name ?? '',
    weekKey: calendar.isoWeekKey(today),
    today,
    windowStart,
    windowEnd: calendar.addDays(today, -1),
    total: stats.total,
    byStatus: stats.byStatus,
    closed: stats.closed,
    completionRate: stats.completionRate,
    previousRate: rateAsOf(all, weekAgoIso),
    closedThisWeek: closedThisWeek.map(toItem),
    submitted: stats.lists.submitted.map(toItem),
    newlyOverdue: newlyOverdue.map(toItem),
    overdue: stats.lists.overdue.map(toItem),
    dueNextWeek: stats.lists.dueNext7Days.map(toItem),
    unsetCount: stats.unsetCount,
    departments: stats.departments,
    trend,
    // Random ledgers hold no re-checks (tests/jobs/rechecks.test.ts counts them).
    rechecks: { awaiting: 0, reopened: 0 },
  };
}

describe('weekly summary computed in SQL', () => {
  const dir = tempDir();
  const database = openNodeDatabase(join(dir.path, 'duban.sqlite'));
  const at = new Date('2025-10-13T01:00:00Z');
  const depsFor = {
    shanghai: { db: database.db, clock: createFixedClock(at), log: silentLogger, config: parseConfig({}) },
    auckland: { db: database.db, clock: createFixedClock(at), log: silentLogger, config: parseConfig({ TIMEZONE: 'Pacific/Auckland' }) },
  };
  afterAll(() => {
    database.close();
    dir.remove();
  });

  it('equals the summary computed from every measure, lists cut to the limit asked for, and renders the same card', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const deps = s.auckland ? depsFor.auckland : depsFor.shanghai;
        const campaignId = await seedRandomLedger(database.db, s);
        const p = { campaignId, at: new Date(s.at) };

        const expected = await referenceWeeklySummary(deps, p);
        const { counts, ...whole } = await buildWeeklySummary(deps, p);
        expect(whole).toEqual(expected);
        expect(counts).toEqual({
          closedThisWeek: expected.closedThisWeek.length,
          submitted: expected.submitted.length,
          newlyOverdue: expected.newlyOverdue.length,
          overdue: expected.overdue.length,
          dueNextWeek: expected.dueNextWeek.length,
        });

        const cut = await buildWeeklySummary(deps, { ...p, listLimit: s.listLimit });
        for (const key of ['closedThisWeek', 'submitted', 'newlyOverdue', 'overdue', 'dueNextWeek'] as const) {
          expect(cut[key]).toEqual(expected[key].slice(0, s.listLimit));
        }
        expect(cut.counts).toEqual(counts);

        // The card and the text as the job builds them, from lists cut to what they show.
        const shown = await buildWeeklySummary(deps, { ...p, listLimit: WEEKLY_SUMMARY_MAX_ROWS });
        const { listTotals: _, ...before } = weeklySummaryView({ ...expected, counts }, true);
        const after = weeklySummaryView(shown, true);
        expect(weeklySummaryCard(after)).toEqual(weeklySummaryCard(before));
        expect(weeklySummaryText(after)).toEqual(weeklySummaryText(before));
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
