/**
 * The reminders planned from the measures the database selects equal the reminders planned from
 * every measure of the ledger dated in JavaScript (the reference, as the job did before), on
 * random ledgers (tests/helpers/random-ledger.ts) with random lead times and report periods.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listLedgerMeasures } from '../../db/queries/measures-read.js';
import { createFixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import type { ServiceDeps } from '../../src/deps.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { silentLogger } from '../../src/logger.js';
import { workCalendarFor } from '../../src/services/calendar.js';
import { deadlineRulesOf, withDeadlines } from '../../src/services/ledger-stats.js';
import { listReminderMeasures } from '../../src/services/reminder-measures.js';
import { planReminderItems, type ReminderItem, type ReminderRules } from '../../src/services/reminder-plan.js';
import { tempDir } from '../helpers/harness.js';
import { scenarioArb, seedRandomLedger } from '../helpers/random-ledger.js';

/** The reference: every measure of the campaign read and dated, then planned. */
async function referenceReminderItems(deps: ServiceDeps, campaignId: number, day: string, rules: ReminderRules): Promise<ReminderItem[]> {
  const calendar = workCalendarFor(deps);
  const all = withDeadlines(await listLedgerMeasures(deps.db, { campaignId }), day, calendar, deadlineRulesOf(deps.config));
  return planReminderItems(all, day, rules, calendar);
}

describe('reminders from the measures selected in SQL', () => {
  const dir = tempDir();
  const database = openNodeDatabase(join(dir.path, 'duban.sqlite'));
  afterAll(() => {
    database.close();
    dir.remove();
  });

  it('are the reminders planned from every measure, for every lead time and report period', async () => {
    const settings = fc.record({
      REMINDER_LEAD_DAYS: fc.constantFrom('7,3,1', '10,5', '1', '2'),
      ESCALATE_AFTER_DAYS: fc.constantFrom('1', '3'),
      ONGOING_REPORT_PERIOD: fc.constantFrom('weekly', 'monthly', 'quarterly'),
    });
    await fc.assert(
      fc.asyncProperty(scenarioArb, settings, async (s, env) => {
        const config = parseConfig({ ...env, TIMEZONE: s.auckland ? 'Pacific/Auckland' : 'Asia/Shanghai' });
        const deps = { db: database.db, clock: createFixedClock(new Date(s.at)), log: silentLogger, config };
        const campaignId = await seedRandomLedger(database.db, s);
        const day = workCalendarFor(deps).toDate(new Date(s.at));
        const rules = { leadDays: config.scheduler.reminderLeadDays, escalateAfterDays: config.scheduler.escalateAfterDays };
        const planned = planReminderItems(await listReminderMeasures(deps, { campaignId, day, rules }), day, rules, workCalendarFor(deps));
        expect(planned).toEqual(await referenceReminderItems(deps, campaignId, day, rules));
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
