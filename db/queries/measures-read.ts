import { and, asc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../database.js';
import { campaigns, departments, measures, people, progressReports } from '../schema.js';

/** Read models of the ledger for lists, statistics and scheduled jobs. */

const owner = alias(people, 'owner');
const leader = alias(people, 'leader');

export interface LedgerMeasureRow {
  id: number;
  campaignId: number;
  code: string;
  text: string;
  status: (typeof measures.$inferSelect)['status'];
  percent: number;
  deadlineKind: (typeof measures.$inferSelect)['deadlineKind'];
  deadlineText: string | null;
  dueDate: string | null;
  originalDueDate: string | null;
  departmentId: number | null;
  departmentName: string | null;
  ownerPersonId: number | null;
  ownerName: string | null;
  ownerOpenId: string | null;
  leaderPersonId: number | null;
  leaderName: string | null;
  leaderOpenId: string | null;
  verifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** ISO instant of the latest progress report */
  lastReportAt: string | null;
}

/** Every measure of a campaign still in the source ledger, in code order, with the names views need. */
export async function listLedgerMeasures(db: Db, params: { campaignId: number }): Promise<LedgerMeasureRow[]> {
  const rows = await db
    .select({
      id: measures.id,
      campaignId: measures.campaignId,
      code: measures.code,
      text: measures.text,
      status: measures.status,
      percent: measures.percent,
      deadlineKind: measures.deadlineKind,
      deadlineText: measures.deadlineText,
      dueDate: measures.dueDate,
      originalDueDate: measures.originalDueDate,
      departmentId: measures.leadDepartmentId,
      departmentName: departments.name,
      ownerPersonId: measures.ownerPersonId,
      ownerPersonName: owner.name,
      ownerSourceName: measures.ownerName,
      ownerOpenId: owner.openId,
      leaderPersonId: measures.leaderPersonId,
      leaderPersonName: leader.name,
      leaderSourceName: measures.leaderName,
      leaderOpenId: leader.openId,
      verifiedAt: measures.verifiedAt,
      createdAt: measures.createdAt,
      updatedAt: measures.updatedAt,
      lastReportAt: sql<string | null>`(select max(${progressReports.createdAt}) from ${progressReports} where ${progressReports.measureId} = ${measures.id})`,
    })
    .from(measures)
    .leftJoin(departments, eq(departments.id, measures.leadDepartmentId))
    .leftJoin(owner, eq(owner.id, measures.ownerPersonId))
    .leftJoin(leader, eq(leader.id, measures.leaderPersonId))
    .where(and(eq(measures.campaignId, params.campaignId), eq(measures.missingFromSource, false)))
    .orderBy(asc(measures.id));
  return rows
    .map(({ ownerPersonName, ownerSourceName, leaderPersonName, leaderSourceName, ...r }) => ({
      ...r,
      ownerName: ownerPersonName ?? ownerSourceName,
      leaderName: leaderPersonName ?? leaderSourceName,
    }))
    .sort((a, b) => compareCodes(a.code, b.code));
}

/** 2.1.10 after 2.1.9: codes compare part by part as numbers. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.localeCompare(b);
}

export type CampaignRow = typeof campaigns.$inferSelect;

export async function listActiveCampaigns(db: Db): Promise<CampaignRow[]> {
  return db.select().from(campaigns).where(eq(campaigns.active, true)).orderBy(asc(campaigns.id));
}

export async function getCampaign(db: Db, params: { campaignId: number }): Promise<CampaignRow | undefined> {
  const rows = await db.select().from(campaigns).where(eq(campaigns.id, params.campaignId)).limit(1);
  return rows[0];
}
