import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { auditLog, categories, departments, measures, problems, progressReports } from '../schema.js';

/** What one measure's detail view reads besides the measure: where it hangs, its reports, its history. */

/** The titles of the category and problem a measure belongs to, and its lead department's name. */
export async function findMeasurePlace(db: Db, measureId: number): Promise<{ category: string; problem: string; department: string | null } | undefined> {
  const [place] = await db
    .select({ category: categories.title, problem: problems.title, department: departments.name })
    .from(measures)
    .innerJoin(problems, eq(problems.id, measures.problemId))
    .innerJoin(categories, eq(categories.id, problems.categoryId))
    .leftJoin(departments, eq(departments.id, measures.leadDepartmentId))
    .where(eq(measures.id, measureId));
  return place;
}

export interface ReportEntry {
  text: string;
  percent: number | null;
  author: string | null;
  at: string;
  source: string;
}

/** A measure's progress reports, newest first. */
export async function listReportsOfMeasure(db: Db, measureId: number): Promise<ReportEntry[]> {
  return db
    .select({
      text: progressReports.text,
      percent: progressReports.percent,
      author: progressReports.authorName,
      at: progressReports.createdAt,
      source: progressReports.source,
    })
    .from(progressReports)
    .where(eq(progressReports.measureId, measureId))
    .orderBy(desc(progressReports.createdAt), desc(progressReports.id));
}

export interface HistoryEntry {
  actor: string;
  action: string;
  before: unknown;
  after: unknown;
  note: string | null;
  at: string;
}

/** A measure's audit log, oldest first. */
export async function listHistoryOfMeasure(db: Db, measureId: number): Promise<HistoryEntry[]> {
  return db
    .select({ actor: auditLog.actor, action: auditLog.action, before: auditLog.before, after: auditLog.after, note: auditLog.note, at: auditLog.at })
    .from(auditLog)
    .where(eq(auditLog.measureId, measureId))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}
