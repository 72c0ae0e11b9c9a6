import { and, asc, desc, eq, like, or } from 'drizzle-orm';
import { listLedgerMeasures } from '../../db/queries/measures-read.js';
import type { MeasureRow } from '../../db/queries/measures-write.js';
import type { Actor } from '../../db/queries/people.js';
import { auditLog, categories, departments, measures, people, problems, progressReports } from '../../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';
import { workCalendarFor } from './calendar.js';
import { computeDeadlineState } from './deadline-state.js';
import { deadlineRulesOf, summarizeLedger, withDeadlines, type LedgerMeasure, type LedgerStats } from './ledger-stats.js';
import { canSee, ownsMeasure } from './measure-access.js';
import { chineseNumber } from './number-words.js';

/** Read side of the commands: the measures a person may see, filtered and with deadline states. */

export function today(deps: ServiceDeps): string {
  return workCalendarFor(deps).toDate(deps.clock.now());
}

const scope = (m: LedgerMeasure) => ({ ownerPersonId: m.ownerPersonId, leadDepartmentId: m.departmentId });

async function ledger(deps: ServiceDeps, campaignId: number): Promise<LedgerMeasure[]> {
  const calendar = workCalendarFor(deps);
  return withDeadlines(await listLedgerMeasures(deps.db, { campaignId }), today(deps), calendar, deadlineRulesOf(deps.config));
}

export async function visibleMeasures(deps: ServiceDeps, actor: Actor, campaignId: number): Promise<LedgerMeasure[]> {
  return (await ledger(deps, campaignId)).filter((m) => canSee(actor, scope(m)));
}

export async function myMeasures(deps: ServiceDeps, actor: Actor, campaignId: number): Promise<LedgerMeasure[]> {
  return (await ledger(deps, campaignId)).filter((m) => ownsMeasure(actor, scope(m)));
}

const isOpen = (m: LedgerMeasure) => m.status !== 'closed' && m.status !== 'submitted';

/** Open measures past due, worst first. */
export async function overdueMeasures(deps: ServiceDeps, actor: Actor, campaignId: number): Promise<LedgerMeasure[]> {
  return (await visibleMeasures(deps, actor, campaignId))
    .filter((m) => isOpen(m) && m.deadline.timing === 'overdue')
    .sort((a, b) => b.deadline.daysOverdue - a.deadline.daysOverdue || (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
}

/** Open dated measures due from today to today + days (calendar days), soonest first. */
export async function measuresDueWithin(deps: ServiceDeps, actor: Actor, campaignId: number, days: number, onlyMine: boolean): Promise<LedgerMeasure[]> {
  const day = today(deps);
  const until = workCalendarFor(deps).addDays(day, days);
  const pool = onlyMine ? await myMeasures(deps, actor, campaignId) : await visibleMeasures(deps, actor, campaignId);
  return pool
    .filter((m) => isOpen(m) && m.deadline.timing !== 'ongoing' && m.dueDate !== null && m.dueDate >= day && m.dueDate <= until)
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
}

export async function campaignStats(deps: ServiceDeps, campaignId: number): Promise<LedgerStats> {
  return summarizeLedger(campaignId, today(deps), await ledger(deps, campaignId), workCalendarFor(deps));
}

/** The measures of a department (by name) or a category (by number or part of its title). */
export async function measuresOfGroup(deps: ServiceDeps, campaignId: number, query: string): Promise<{ title: string; measures: LedgerMeasure[] }> {
  const all = await ledger(deps, campaignId);
  const dept = all.filter((m) => m.departmentName === query);
  if (dept.length) return { title: query, measures: dept };
  const deptPartial = [...new Set(all.map((m) => m.departmentName).filter((n): n is string => !!n && n.includes(query)))];
  if (deptPartial.length === 1) return { title: deptPartial[0]!, measures: all.filter((m) => m.departmentName === deptPartial[0]) };
  const ordinal = Number(query.normalize('NFKC').replace(/[()（）第类]/g, '')) || chineseOrdinal(query);
  const cats = await deps.db
    .select()
    .from(categories)
    .where(and(eq(categories.campaignId, campaignId), ordinal ? eq(categories.ordinal, ordinal) : like(categories.title, `%${query}%`)));
  if (cats.length === 1) {
    const ids = await deps.db
      .select({ id: measures.id })
      .from(measures)
      .innerJoin(problems, eq(problems.id, measures.problemId))
      .where(eq(problems.categoryId, cats[0]!.id));
    const set = new Set(ids.map((r) => r.id));
    return { title: cats[0]!.title, measures: all.filter((m) => set.has(m.id)) };
  }
  const names = [...new Set(all.map((m) => m.departmentName).filter(Boolean))].join('、');
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
  reports: Array<{ text: string; percent: number | null; author: string | null; at: string; source: string }>;
  history: Array<{ actor: string; action: string; before: unknown; after: unknown; note: string | null; at: string }>;
}

export async function measureDetail(deps: ServiceDeps, measure: MeasureRow): Promise<MeasureDetail> {
  const [context] = await deps.db
    .select({ category: categories.title, problem: problems.title, department: departments.name })
    .from(measures)
    .innerJoin(problems, eq(problems.id, measures.problemId))
    .innerJoin(categories, eq(categories.id, problems.categoryId))
    .leftJoin(departments, eq(departments.id, measures.leadDepartmentId))
    .where(eq(measures.id, measure.id));
  const personName = async (id: number | null) =>
    id ? ((await deps.db.select({ name: people.name, openId: people.openId }).from(people).where(eq(people.id, id)))[0]?.name ?? null) : null;
  const reports = await deps.db
    .select({ text: progressReports.text, percent: progressReports.percent, author: progressReports.authorName, at: progressReports.createdAt, source: progressReports.source })
    .from(progressReports)
    .where(eq(progressReports.measureId, measure.id))
    .orderBy(desc(progressReports.createdAt), desc(progressReports.id));
  const history = await deps.db
    .select({ actor: auditLog.actor, action: auditLog.action, before: auditLog.before, after: auditLog.after, note: auditLog.note, at: auditLog.at })
    .from(auditLog)
    .where(eq(auditLog.measureId, measure.id))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const actorNames = new Map<string, string>();
  for (const h of history) {
    if (!actorNames.has(h.actor) && h.actor.startsWith('ou_')) {
      const n = (await deps.db.select({ name: people.name }).from(people).where(or(eq(people.openId, h.actor))))[0]?.name;
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
