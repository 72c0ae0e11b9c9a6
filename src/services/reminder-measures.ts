import { listLedgerMeasures, type LedgerSelection } from '../../db/queries/measures-read.js';
import { compareMeasureCodes } from '../domain/measure-code.js';
import type { ServiceDeps } from '../deps.js';
import { workCalendarFor } from './calendar.js';
import { reportPeriodOf } from './deadline-state.js';
import { deadlineRulesOf, withDeadlines, type LedgerMeasure } from './ledger-stats.js';
import type { ReminderRules } from './reminder-plan.js';

/**
 * The measures of a campaign that may need a reminder on `day`, selected by the database rather
 * than by dating every measure of the ledger: open dated measures due up to the last day a lead
 * time reaches (overdue and due today included), and open ongoing measures while the current
 * report period's check-in window is open (the window is the same for all of them). Only these
 * get deadline states; planReminderItems decides what each one gets, as over the whole ledger.
 */
export async function listReminderMeasures(deps: ServiceDeps, p: { campaignId: number; day: string; rules: ReminderRules }): Promise<LedgerMeasure[]> {
  const calendar = workCalendarFor(deps);
  const deadlineRules = deadlineRulesOf(deps.config);
  const within = Math.max(...p.rules.leadDays);
  // Working days left (in (day, due]) stay within the longest lead time until the next working day after it.
  const lastDue = calendar.addDays(calendar.addWorkingDays(p.day, within + 1), -1);
  const selections: LedgerSelection[] = [{ campaignId: p.campaignId, openOnly: true, due: { to: lastDue } }];
  const period = reportPeriodOf(p.day, deadlineRules.reportPeriod, calendar);
  if (calendar.workingDaysBetween(p.day, period.dueDate) <= within) {
    selections.push({ campaignId: p.campaignId, openOnly: true, deadlineKinds: ['ongoing', 'immediate_ongoing'] });
  }
  const rows = (await Promise.all(selections.map((selection) => listLedgerMeasures(deps.db, { campaignId: p.campaignId, selection })))).flat();
  rows.sort((a, b) => compareMeasureCodes(a.code, b.code));
  return withDeadlines(rows, p.day, calendar, deadlineRules);
}
