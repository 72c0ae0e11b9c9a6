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
import { DEADLINE_KINDS, MEASURE_STATUSES, measures, progressReports, type DeadlineKind, type MeasureStatus } from '../../db/schema.js';
import { eq } from 'drizzle-orm';
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
import { seedLedger, type SeedMeasure } from '../helpers/seed-ledger.js';

// ---- The reference: the summary as computed before, from every measure of the ledger. ----

const WEEK_MS = 7 * 86_400_000;

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
  };
}

// ---- Random ledgers ----

const DAY_MS = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Days to run the summary on: holidays, make-up working days, week and year boundaries. */
const DAYS = ['2025-09-28', '2025-09-29', '2025-10-01', '2025-10-08', '2025-10-09', '2025-10-11', '2025-10-13', '2025-12-29', '2026-01-01', '2026-01-04', '2026-02-14', '2026-02-23', '2026-02-24', '2026-03-01'];
/** Times of day, local: midnight either side, the cron's 09:00, late evening (another UTC date). */
const TIMES = ['00:00:00.000', '00:00:00.001', '07:59:59.999', '09:00:00.000', '23:59:59.999'];

/** Instants around `at`: the week's edges exactly and a millisecond either side, and some spread. */
const instantNear = (at: number) =>
  fc.oneof(
    fc.constantFrom(0, -1, 1, -WEEK_MS, -WEEK_MS + 1, -WEEK_MS - 1, -2 * WEEK_MS, -3 * DAY_MS).map((d) => at + d),
    fc.integer({ min: -70, max: 2 }).map((days) => at + days * DAY_MS),
    fc.integer({ min: -60 * 24, max: 24 }).map((hours) => at + hours * 3_600_000),
  );

const codeArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('', '', '', '.1', '.2'), fc.boolean())
  .map(([c, p, m, deeper, zero]) => `${c}.${p}.${zero && m < 10 ? '0' : ''}${m}${deeper}`);

interface MeasureSpec {
  kind: DeadlineKind;
  status: MeasureStatus;
  dueOffset: number | null;
  department: string | null;
  owner: string | null;
  createdAt: number;
  updatedAt: number;
  verifiedAt: number | null;
  reports: number[];
}

const measureArb = (at: number): fc.Arbitrary<MeasureSpec> =>
  fc.record({
    kind: fc.constantFrom(...DEADLINE_KINDS),
    status: fc.constantFrom(...MEASURE_STATUSES),
    dueOffset: fc.option(fc.integer({ min: -25, max: 25 }), { freq: 5 }),
    department: fc.constantFrom('办公室', '财务科', '人事科', null),
    owner: fc.constantFrom('wang', 'zhao', 'qian', null),
    createdAt: instantNear(at),
    updatedAt: instantNear(at),
    verifiedAt: fc.option(instantNear(at), { freq: 3 }),
    reports: fc.array(instantNear(at), { maxLength: 2 }),
  });

const scenarioArb = fc
  .tuple(fc.constantFrom(...DAYS), fc.constantFrom(...TIMES), fc.boolean(), fc.boolean())
  .chain(([day, time, auckland, big]) => {
    const at = Date.parse(`${day}T${time}${auckland ? '+13:00' : '+08:00'}`);
    const size = big ? fc.integer({ min: 40, max: 55 }) : fc.integer({ min: 0, max: 14 });
    // A big ledger crowds one list past what the card and the text show (their 另有 N 项 lines).
    const crowd: fc.Arbitrary<Partial<MeasureSpec>> = big
      ? fc.constantFrom<Partial<MeasureSpec>>(
          { status: 'submitted' },
          { status: 'closed', verifiedAt: at - DAY_MS },
          { status: 'in_progress', kind: 'dated', dueOffset: -3 },
          { status: 'returned', kind: 'dated', dueOffset: 2 },
        )
      : fc.constant({});
    const crowded = (n: number) =>
      crowd.chain((c) => fc.array(fc.tuple(measureArb(at), fc.integer({ min: 0, max: 9 })).map(([m, d]) => (d === 0 ? m : { ...m, ...c })), { minLength: n, maxLength: n }));
    return size.chain((n) =>
      fc.record({
        at: fc.constant(at),
        day: fc.constant(day),
        auckland: fc.constant(auckland),
        listLimit: fc.integer({ min: 0, max: 45 }),
        codes: fc.uniqueArray(codeArb, { minLength: n, maxLength: n }),
        specs: crowded(n),
      }),
    );
  });

describe('weekly summary computed in SQL', () => {
  const dir = tempDir();
  const database = openNodeDatabase(join(dir.path, 'duban.sqlite'));
  const at = new Date('2025-10-13T01:00:00Z');
  const depsFor = {
    shanghai: { db: database.db, clock: createFixedClock(at), log: silentLogger, config: parseConfig({}) },
    auckland: { db: database.db, clock: createFixedClock(at), log: silentLogger, config: parseConfig({ TIMEZONE: 'Pacific/Auckland' }) },
  };
  let campaigns = 0;
  const people = [
    { key: 'wang', name: '王芳', roles: ['owner' as const] },
    { key: 'zhao', name: '赵强', roles: ['owner' as const] },
    { key: 'qian', name: '钱伟', openId: null, roles: ['owner' as const] },
  ];
  afterAll(() => {
    database.close();
    dir.remove();
  });

  it('equals the summary computed from every measure, lists cut to the limit asked for, and renders the same card', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const deps = s.auckland ? depsFor.auckland : depsFor.shanghai;
        const iso = (t: number) => new Date(t).toISOString();
        const seeded: SeedMeasure[] = s.codes.map((code, i) => {
          const m = s.specs[i]!;
          // Stored as the application stores them: 时限待定 has no date; the others may have one.
          const due = m.kind === 'unset' || m.dueOffset === null ? null : addDays(s.day, m.dueOffset);
          return {
            code,
            kind: m.kind,
            due,
            status: m.status,
            department: m.department,
            owner: m.owner,
            createdAt: iso(m.createdAt),
          };
        });
        const ledger = await seedLedger(database.db, { campaign: { name: `整改${++campaigns}` }, people, measures: seeded });
        // A closed measure imported as closed has no verification time: its arrival counts.
        for (const [i, code] of s.codes.entries()) {
          const m = s.specs[i]!;
          const verifiedAt = m.status === 'closed' && m.verifiedAt !== null ? iso(m.verifiedAt) : null;
          const measureId = ledger.measures[code]!;
          await database.db.update(measures).set({ updatedAt: iso(m.updatedAt), verifiedAt }).where(eq(measures.id, measureId));
          for (const [k, r] of m.reports.entries()) {
            await database.db.insert(progressReports).values({ measureId, text: '进展', source: 'command', idempotencyKey: `p:${measureId}:${k}`, createdAt: iso(r) });
          }
        }
        const p = { campaignId: ledger.campaignId, at: new Date(s.at) };

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
