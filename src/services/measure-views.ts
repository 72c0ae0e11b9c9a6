import { findMeasurePlace, listHistoryOfMeasure, listReportsOfMeasure, type HistoryEntry, type ReportEntry } from '../../db/queries/measure-detail.js';
import {
  countLedgerMeasures,
  listLedgerCategories,
  listLedgerDepartments,
  pageLedgerMeasures,
  type LedgerOrder,
  type LedgerSelection,
} from '../../db/queries/measures-read.js';
import type { MeasureRow } from '../../db/queries/measures-write.js';
import { findPersonByOpenId, personNameById, type Actor } from '../../db/queries/people.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';
import { workCalendarFor, type WorkCalendar } from './calendar.js';
import { computeDeadlineState } from './deadline-state.js';
import { countLedger, deadlineRulesOf, withDeadlines, type LedgerCounts, type LedgerMeasure } from './ledger-stats.js';
import { mayViewAll, ownedScopeOf } from './measure-access.js';
import { todayIn } from '../domain/dates.js';
import { DEADLINE_KIND_LABELS } from '../domain/labels.js';
import { chineseNumber } from '../domain/number-words.js';

const UNSET_LIST = DEADLINE_KIND_LABELS.unset;

/** Read side of the commands: the measures a person may see, filtered and with deadline states. */

/** Today in the configured time zone. */
export const today = (deps: ServiceDeps): string => todayIn(deps.clock, deps.config.timezone);

/**
 * A list of measures as a selection and an order: the database counts it and cuts the page,
 * and only the rows shown get their deadline state.
 */
export interface MeasureList {
  selection: LedgerSelection;
  order: LedgerOrder;
  /** the local date the list is for: its bounds and its rows' deadline states */
  today: string;
}

/** Managers and leaders see every measure; anyone else what they own. */
const visibleTo = (actor: Actor): Pick<LedgerSelection, 'ownedBy'> => (mayViewAll(actor) ? {} : { ownedBy: ownedScopeOf(actor) });

export function myMeasures(deps: ServiceDeps, actor: Actor, campaignId: number): MeasureList {
  return { selection: { campaignId, ownedBy: ownedScopeOf(actor) }, order: 'code', today: today(deps) };
}

/** Open dated measures due before `day`, from `since` on when given: a list's rows and counts (order 'due'). */
export function overdueOn(calendar: WorkCalendar, day: string, since?: string): Pick<LedgerSelection, 'openOnly' | 'due'> {
  return { openOnly: true, due: { from: since, to: calendar.addDays(day, -1) } };
}

/** Open dated measures due from `day` to `day` + days (calendar days). */
export function dueWithinOn(calendar: WorkCalendar, day: string, days: number): Pick<LedgerSelection, 'openOnly' | 'due'> {
  return { openOnly: true, due: { from: day, to: calendar.addDays(day, days) } };
}

/** Open measures past due, worst (most days overdue) first. */
export function overdueMeasures(deps: ServiceDeps, actor: Actor, campaignId: number): MeasureList {
  const day = today(deps);
  return { selection: { campaignId, ...visibleTo(actor), ...overdueOn(workCalendarFor(deps), day) }, order: 'due', today: day };
}

/** Open dated measures due from today to today + days (calendar days), soonest first. */
export function measuresDueWithin(deps: ServiceDeps, actor: Actor, campaignId: number, days: number, onlyMine: boolean): MeasureList {
  const day = today(deps);
  const scope = onlyMine ? { ownedBy: ownedScopeOf(actor) } : visibleTo(actor);
  return { selection: { campaignId, ...scope, ...dueWithinOn(workCalendarFor(deps), day, days) }, order: 'due', today: day };
}

export async function countMeasures(deps: ServiceDeps, list: MeasureList): Promise<number> {
  return countLedgerMeasures(deps.db, list.selection);
}

/** Rows offset..offset+limit of a list, with their deadline states for today. */
export async function pageOfMeasures(deps: ServiceDeps, list: MeasureList, offset: number, limit: number): Promise<LedgerMeasure[]> {
  const rows = await pageLedgerMeasures(deps.db, { selection: list.selection, order: list.order, offset, limit });
  return withDeadlines(rows, list.today, workCalendarFor(deps), deadlineRulesOf(deps.config));
}

export async function campaignStats(deps: ServiceDeps, campaignId: number): Promise<LedgerCounts> {
  return countLedger(deps, campaignId, today(deps));
}

/** The measures of a department (by name) or a category (by number or part of its title). */
export async function measuresOfGroup(deps: ServiceDeps, campaignId: number, query: string): Promise<MeasureList & { title: string }> {
  const inGroup = (title: string, group: Pick<LedgerSelection, 'departmentId' | 'categoryId'>) => ({
    title,
    selection: { campaignId, ...group },
    order: 'code' as const,
    today: today(deps),
  });
  // 时限待定: the open measures whose deadline is still to be set, for the secretary to settle.
  if (query === UNSET_LIST) return { ...inGroup(UNSET_LIST, {}), selection: { campaignId, openOnly: true, deadlineKind: 'unset' } };
  const partial = await listLedgerDepartments(deps.db, { campaignId, nameContains: query });
  const exact = partial.find((d) => d.name === query);
  if (exact) return inGroup(exact.name, { departmentId: exact.id });
  if (partial.length === 1) return inGroup(partial[0]!.name, { departmentId: partial[0]!.id });
  const ordinal = Number(query.normalize('NFKC').replace(/[()（）第类]/g, '')) || chineseOrdinal(query);
  const cats = await listLedgerCategories(deps.db, ordinal ? { campaignId, ordinal } : { campaignId, titleContains: query });
  if (cats.length === 1) return inGroup(cats[0]!.title, { categoryId: cats[0]!.id });
  const names = (await listLedgerDepartments(deps.db, { campaignId }))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b, 'zh-CN'))
    .join('、');
  throw new UserError(`没有找到部门或问题类别“${query}”。可用的部门有：${names || '（暂无）'}；类别可以用序号，例如 /status 1。`);
}

function chineseOrdinal(s: string): number {
  return chineseNumber(s.replace(/[()（）第类]/g, '')) ?? 0;
}

export interface MeasureDetail {
  measure: MeasureRow;
  deadline: LedgerMeasure['deadline'];
  categoryTitle: string;
  problemTitle: string;
  departmentName: string | null;
  ownerName: string | null;
  leaderName: string | null;
  reports: ReportEntry[];
  history: HistoryEntry[];
}

export async function measureDetail(deps: ServiceDeps, measure: MeasureRow): Promise<MeasureDetail> {
  const context = await findMeasurePlace(deps.db, measure.id);
  const personName = async (id: number | null) => (id ? personNameById(deps.db, id) : null);
  const reports = await listReportsOfMeasure(deps.db, measure.id);
  const history = await listHistoryOfMeasure(deps.db, measure.id);
  const actorNames = new Map<string, string>();
  for (const h of history) {
    if (!actorNames.has(h.actor) && h.actor.startsWith('ou_')) {
      const n = (await findPersonByOpenId(deps.db, h.actor))?.name;
      if (n) actorNames.set(h.actor, n);
    }
  }
  const calendar = workCalendarFor(deps);
  const lastReportDate = reports[0] ? calendar.toDate(new Date(reports[0].at)) : null;
  return {
    measure,
    deadline: computeDeadlineState({ ...measure, lastReportDate }, today(deps), calendar, deadlineRulesOf(deps.config)),
    categoryTitle: context?.category ?? '',
    problemTitle: context?.problem ?? '',
    departmentName: context?.department ?? null,
    ownerName: (await personName(measure.ownerPersonId)) ?? measure.ownerName,
    leaderName: (await personName(measure.leaderPersonId)) ?? measure.leaderName,
    reports,
    history: history.map((h) => ({ ...h, actor: actorNames.get(h.actor) ?? h.actor })),
  };
}
