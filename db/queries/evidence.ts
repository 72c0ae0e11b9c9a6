import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { rowOf, runAtomically } from '../atomic.js';
import type { Db } from '../database.js';
import { evidence, evidenceSessions, evidenceWaivers, measures } from '../schema.js';
import type { MeasureRow } from './measures-write.js';

/** Evidence (佐证材料) of measures, the pending evidence sessions and the waivers (0007_evidence). */

export type EvidenceRow = typeof evidence.$inferSelect;
export type NewEvidence = Omit<typeof evidence.$inferInsert, 'id'>;
export type EvidenceWaiverRow = typeof evidenceWaivers.$inferSelect;
export type EvidenceSessionRow = typeof evidenceSessions.$inferSelect;

/** Bumps the measure's version (its cards are redrawn) only if the statement just before it applied. */
const touchMeasureAfterChange = (measureId: number, at: string) =>
  sql`update measures set version = version + 1, updated_at = ${at} where id = ${measureId} and changes() > 0 returning *`;

/**
 * Records one piece of evidence unless the measure already has the same file (sha256) or link
 * (url): the unique indexes decide, so two deliveries at once give one row. The measure's
 * version moves in the same transaction when it was inserted. Returns the row and whether
 * this call inserted it; a duplicate returns the row stored first.
 */
export async function insertEvidence(db: Db, row: NewEvidence): Promise<{ row: EvidenceRow; inserted: boolean; measure?: MeasureRow }> {
  const insert = db.insert(evidence).values(row).onConflictDoNothing().returning().getSQL();
  const [inserted, touched] = await runAtomically(db, [insert, touchMeasureAfterChange(row.measureId, row.addedAt)]);
  if (inserted?.[0]) return { row: rowOf(evidence, inserted[0]), inserted: true, measure: touched?.[0] ? rowOf(measures, touched[0]) : undefined };
  const match = row.sha256 ? eq(evidence.sha256, row.sha256) : eq(evidence.url, row.url ?? '');
  const [existing] = await db
    .select()
    .from(evidence)
    .where(and(eq(evidence.measureId, row.measureId), match))
    .limit(1);
  if (!existing) throw new Error(`evidence insert for measure ${row.measureId} neither applied nor found a duplicate`);
  return { row: existing, inserted: false };
}

/**
 * The secretary's waiver of evidence for a measure, with its audit row and a new version, in one
 * transaction. A second waiver replaces the reason (and is audited too). Returns the measure.
 */
export async function upsertEvidenceWaiver(
  db: Db,
  w: { measureId: number; waivedBy: string; waivedByName: string | null; reason: string; at: string },
): Promise<MeasureRow | undefined> {
  const upsert = db
    .insert(evidenceWaivers)
    .values({ measureId: w.measureId, waivedBy: w.waivedBy, waivedByName: w.waivedByName, reason: w.reason, waivedAt: w.at })
    .onConflictDoUpdate({ target: evidenceWaivers.measureId, set: { waivedBy: w.waivedBy, waivedByName: w.waivedByName, reason: w.reason, waivedAt: w.at } })
    .getSQL();
  const audit = sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at)
    select id, campaign_id, ${w.waivedBy}, 'evidence_waived', null, null, ${w.reason}, ${w.at} from measures where id = ${w.measureId}`;
  const results = await runAtomically(db, [upsert, audit, touchMeasureAfterChange(w.measureId, w.at)]);
  const row = results[2]?.[0];
  return row ? rowOf(measures, row) : undefined;
}

/** The evidence of a measure, oldest first. */
export async function listEvidenceOfMeasure(db: Db, measureId: number): Promise<EvidenceRow[]> {
  return db.select().from(evidence).where(eq(evidence.measureId, measureId)).orderBy(asc(evidence.addedAt), asc(evidence.id));
}

/** The evidence of every measure of a campaign, by measure then oldest first (export, archive). */
export async function listEvidenceOfCampaign(db: Db, campaignId: number): Promise<EvidenceRow[]> {
  return db.select().from(evidence).where(eq(evidence.campaignId, campaignId)).orderBy(asc(evidence.measureId), asc(evidence.addedAt), asc(evidence.id));
}

/** How many pieces of evidence each of these measures has (measures with none are absent). */
export async function countEvidenceOfMeasures(db: Db, measureIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < measureIds.length; i += 500) {
    const rows = await db
      .select({ measureId: evidence.measureId, n: sql<number>`count(*)` })
      .from(evidence)
      .where(inArray(evidence.measureId, measureIds.slice(i, i + 500)))
      .groupBy(evidence.measureId);
    for (const r of rows) out.set(r.measureId, Number(r.n));
  }
  return out;
}

export async function getEvidence(db: Db, id: number): Promise<EvidenceRow | undefined> {
  return (await db.select().from(evidence).where(eq(evidence.id, id)).limit(1))[0];
}

/** Opens (or replaces) a person's evidence session for a measure. */
export async function openEvidenceSession(db: Db, p: { openId: string; measureId: number; expiresAt: string; now: string }): Promise<void> {
  await db
    .insert(evidenceSessions)
    .values({ openId: p.openId, measureId: p.measureId, expiresAt: p.expiresAt, createdAt: p.now })
    .onConflictDoUpdate({ target: evidenceSessions.openId, set: { measureId: p.measureId, expiresAt: p.expiresAt, createdAt: p.now } });
}

/** The person's session still open at `now`, with the measure it is for. */
export async function findEvidenceSession(db: Db, openId: string, now: string): Promise<EvidenceSessionRow | undefined> {
  return (
    await db
      .select()
      .from(evidenceSessions)
      .where(and(eq(evidenceSessions.openId, openId), gt(evidenceSessions.expiresAt, now)))
      .limit(1)
  )[0];
}

export async function findEvidenceWaiver(db: Db, measureId: number): Promise<EvidenceWaiverRow | undefined> {
  return (await db.select().from(evidenceWaivers).where(eq(evidenceWaivers.measureId, measureId)).limit(1))[0];
}

/**
 * SQL true when the measure may be closed on evidence: it has some, or the secretary waived it.
 * Used inside the guarded submission so that the rule holds at the moment of the write.
 */
export function hasEvidenceOrWaiver(measureId: number): SQL {
  return sql`(exists (select 1 from evidence where evidence.measure_id = ${measureId}) or exists (select 1 from evidence_waivers where evidence_waivers.measure_id = ${measureId}))`;
}
