import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../database.js';
import { categories, departments, measures, problems } from '../schema.js';

/** A measure with the names of what it hangs on, as an import compares it with a file. */
export interface StoredMeasure {
  id: number;
  code: string;
  text: string;
  categoryOrdinal: number;
  categoryTitle: string;
  problemOrdinal: number;
  problemTitle: string;
  department: string | null;
  coDepartments: string | null;
  leaderName: string | null;
  ownerName: string | null;
  ownerContact: string | null;
  ownerPersonId: number | null;
  deadlineKind: string;
  deadlineText: string | null;
  originalDueDate: string | null;
  dueDate: string | null;
  completionStandard: string | null;
  missingFromSource: boolean;
}

export async function listStoredMeasures(db: Db, campaignId: number): Promise<StoredMeasure[]> {
  const dept = alias(departments, 'lead_department');
  return db
    .select({
      id: measures.id,
      code: measures.code,
      text: measures.text,
      categoryOrdinal: categories.ordinal,
      categoryTitle: categories.title,
      problemOrdinal: problems.ordinal,
      problemTitle: problems.title,
      department: dept.name,
      coDepartments: measures.coDepartments,
      leaderName: measures.leaderName,
      ownerName: measures.ownerName,
      ownerContact: measures.ownerContact,
      ownerPersonId: measures.ownerPersonId,
      deadlineKind: measures.deadlineKind,
      deadlineText: measures.deadlineText,
      originalDueDate: measures.originalDueDate,
      dueDate: measures.dueDate,
      completionStandard: measures.completionStandard,
      missingFromSource: measures.missingFromSource,
    })
    .from(measures)
    .innerJoin(problems, eq(problems.id, measures.problemId))
    .innerJoin(categories, eq(categories.id, problems.categoryId))
    .leftJoin(dept, eq(dept.id, measures.leadDepartmentId))
    .where(eq(measures.campaignId, campaignId));
}

export async function listCampaignStructure(db: Db, campaignId: number) {
  const cats = await db.select().from(categories).where(eq(categories.campaignId, campaignId));
  const probs = await db
    .select({ categoryOrdinal: categories.ordinal, ordinal: problems.ordinal, title: problems.title })
    .from(problems)
    .innerJoin(categories, and(eq(categories.id, problems.categoryId)))
    .where(eq(problems.campaignId, campaignId));
  return { categories: cats, problems: probs };
}
