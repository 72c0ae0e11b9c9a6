import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { pendingImports } from '../schema.js';

export type PendingImport = typeof pendingImports.$inferSelect;

/** Stores a parsed file waiting for confirmation; an earlier pending one of the same person lapses. */
export async function savePendingImport(
  db: Db,
  row: { openId: string; fileName: string; campaignName: string; payload: string; now: string },
): Promise<number> {
  await db
    .update(pendingImports)
    .set({ status: 'cancelled' })
    .where(and(eq(pendingImports.openId, row.openId), eq(pendingImports.status, 'pending')));
  const inserted = await db
    .insert(pendingImports)
    .values({ openId: row.openId, fileName: row.fileName, campaignName: row.campaignName, payload: row.payload, createdAt: row.now })
    .returning({ id: pendingImports.id });
  return inserted[0]!.id;
}

export async function findPendingImport(db: Db, openId: string): Promise<PendingImport | undefined> {
  return (
    await db
      .select()
      .from(pendingImports)
      .where(and(eq(pendingImports.openId, openId), eq(pendingImports.status, 'pending')))
      .orderBy(desc(pendingImports.id))
      .limit(1)
  )[0];
}

/** Moves a pending import to its final state once; false when it was no longer pending. */
export async function closePendingImport(db: Db, id: number, status: 'confirmed' | 'cancelled'): Promise<boolean> {
  const rows = await db
    .update(pendingImports)
    .set({ status })
    .where(and(eq(pendingImports.id, id), eq(pendingImports.status, 'pending')))
    .returning({ id: pendingImports.id });
  return rows.length > 0;
}

export async function getPendingImport(db: Db, id: number): Promise<PendingImport | undefined> {
  return (await db.select().from(pendingImports).where(eq(pendingImports.id, id)).limit(1))[0];
}
