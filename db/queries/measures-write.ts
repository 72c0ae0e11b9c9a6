import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { auditLog, measures } from '../schema.js';

export type MeasureRow = typeof measures.$inferSelect;
export type MeasureChange = Partial<
  Pick<
    MeasureRow,
    | 'status'
    | 'percent'
    | 'ownerPersonId'
    | 'dueDate'
    | 'originalDueDate'
    | 'deadlineKind'
    | 'deadlineText'
    | 'verifiedBy'
    | 'verifiedAt'
    | 'leadDepartmentId'
  >
>;

export async function getMeasure(db: Db, id: number): Promise<MeasureRow | undefined> {
  const rows = await db.select().from(measures).where(eq(measures.id, id)).limit(1);
  return rows[0];
}

/** True while the measure still has the version the change was based on. */
export function measureStillAt(id: number, version: number): SQL {
  return sql`exists (select 1 from ${measures} where ${measures.id} = ${id} and ${measures.version} = ${version})`;
}

/**
 * The statements of one change to a measure, guarded by its version so a concurrent or
 * repeated change applies nothing: the audit row first (conditioned on the version), then
 * the update that bumps it. Callers add their own guarded statements before these.
 */
export function measureChangeStatements(
  db: Db,
  p: { measure: MeasureRow; set: MeasureChange; actor: string; action: string; note?: string; at: string },
): SQL[] {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p.set)) {
    before[k] = p.measure[k as keyof MeasureRow];
    after[k] = v;
  }
  const guard = measureStillAt(p.measure.id, p.measure.version);
  const audit = sql`insert into ${auditLog} (measure_id, campaign_id, actor, action, before, after, note, at)
    select ${p.measure.id}, ${p.measure.campaignId}, ${p.actor}, ${p.action}, ${JSON.stringify(before)}, ${JSON.stringify(after)}, ${p.note ?? null}, ${p.at}
    where ${guard}`;
  const update = db
    .update(measures)
    .set({ ...p.set, version: p.measure.version + 1, updatedAt: p.at })
    .where(and(eq(measures.id, p.measure.id), eq(measures.version, p.measure.version)))
    .getSQL();
  return [audit, update];
}
