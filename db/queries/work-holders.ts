import { and, eq, isNull, lt, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { workHolders } from '../schema.js';

export type WorkHolder = typeof workHolders.$inferSelect;

/**
 * When claimed work may be taken over, in ISO times: `staleBefore` bounds any single attempt
 * (a hung call, or a lease-only claim on Workers), `aliveAfter` is the oldest heartbeat that
 * still counts as alive. `holder` is who claims now (null: a lease-only claim).
 */
export interface ClaimWindow {
  now: string;
  staleBefore: string;
  aliveAfter: string;
  holder: string | null;
}

/** A window of placeholders, for statements prepared once and run with a ClaimWindow's values. */
export function windowPlaceholders(): ClaimWindow {
  const p = (name: keyof ClaimWindow) => sql.placeholder(name) as unknown as string;
  return { now: p('now'), staleBefore: p('staleBefore'), aliveAfter: p('aliveAfter'), holder: p('holder') };
}

/**
 * Claimed work that its claimant has abandoned: the attempt outlived the lease, or the holder
 * that claimed it has stopped, vanished or not beaten its heartbeat since `aliveAfter`.
 */
export function abandonedClaim(claimedAt: AnyColumn, claimedBy: AnyColumn, w: ClaimWindow): SQL {
  return sql`(${claimedAt} < ${w.staleBefore} OR (${claimedBy} IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM ${workHolders} WHERE ${workHolders.id} = ${claimedBy} AND ${workHolders.stoppedAt} IS NULL AND ${workHolders.heartbeatAt} >= ${w.aliveAfter})))`;
}

export async function registerWorkHolder(db: Db, h: { id: string; host: string; pid: number; now: string }): Promise<void> {
  await db.insert(workHolders).values({ id: h.id, host: h.host, pid: h.pid, startedAt: h.now, heartbeatAt: h.now });
}

/** False when the holder was marked stopped (by a process that found it dead): its claims may be gone. */
export async function beatHeartbeat(db: Db, id: string, now: string): Promise<boolean> {
  const rows = await db
    .update(workHolders)
    .set({ heartbeatAt: now })
    .where(and(eq(workHolders.id, id), isNull(workHolders.stoppedAt)))
    .returning({ id: workHolders.id });
  return rows.length > 0;
}

export async function stopWorkHolder(db: Db, id: string, now: string): Promise<void> {
  await db
    .update(workHolders)
    .set({ stoppedAt: now })
    .where(and(eq(workHolders.id, id), isNull(workHolders.stoppedAt)));
}

/** Holders on `host` that have not been marked stopped, for a liveness check by process id. */
export async function listRunningHoldersOn(db: Db, host: string): Promise<WorkHolder[]> {
  return db
    .select()
    .from(workHolders)
    .where(and(eq(workHolders.host, host), isNull(workHolders.stoppedAt)));
}

/** Deletes holders stopped or silent since `before`; a claim naming a deleted holder counts as abandoned. */
export async function pruneWorkHolders(db: Db, before: string): Promise<number> {
  const rows = await db
    .delete(workHolders)
    .where(or(lt(workHolders.stoppedAt, before), lt(workHolders.heartbeatAt, before)))
    .returning({ id: workHolders.id });
  return rows.length;
}
