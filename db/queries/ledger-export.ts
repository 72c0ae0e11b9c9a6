import { asc, desc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../database.js';
import { categories, departments, measures, people, problems, progressReports } from '../schema.js';
import { queryInSlices } from './bound-params.js';

/** Every measure of a campaign in ledger order, with its category, problem, department and people. */
export async function listLedgerRows(db: Db, campaignId: number) {
  const owner = alias(people, 'owner');
  const verifier = alias(people, 'verifier');
  return db
    .select({
      measure: measures,
      categoryOrdinal: categories.ordinal,
      categoryTitle: categories.title,
      problemOrdinal: problems.ordinal,
      problemTitle: problems.title,
      department: departments.name,
      ownerPersonName: owner.name,
      verifierName: verifier.name,
    })
    .from(measures)
    .innerJoin(problems, eq(problems.id, measures.problemId))
    .innerJoin(categories, eq(categories.id, problems.categoryId))
    .leftJoin(departments, eq(departments.id, measures.leadDepartmentId))
    .leftJoin(owner, eq(owner.id, measures.ownerPersonId))
    .leftJoin(verifier, eq(verifier.openId, measures.verifiedBy))
    .where(eq(measures.campaignId, campaignId))
    .orderBy(asc(categories.ordinal), asc(problems.ordinal), asc(measures.id));
}

/** The newest progress report of each measure. */
export async function latestReports(db: Db, measureIds: number[]): Promise<Map<number, { text: string; createdAt: string }>> {
  const latest = new Map<number, { text: string; createdAt: string }>();
  if (measureIds.length === 0) return latest;
  // Each slice holds all reports of its measures, so "newest first" holds per measure.
  const rows = await queryInSlices(measureIds, (slice) =>
    db
      .select({ measureId: progressReports.measureId, text: progressReports.text, createdAt: progressReports.createdAt })
      .from(progressReports)
      .where(inArray(progressReports.measureId, slice))
      .orderBy(desc(progressReports.createdAt), desc(progressReports.id)),
  );
  for (const r of rows) if (!latest.has(r.measureId)) latest.set(r.measureId, { text: r.text, createdAt: r.createdAt });
  return latest;
}
