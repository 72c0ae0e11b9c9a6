import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { extensionRequests } from '../schema.js';

export type ExtensionRequestRow = typeof extensionRequests.$inferSelect;

export async function getExtensionRequest(db: Db, requestId: number): Promise<ExtensionRequestRow | undefined> {
  const [row] = await db.select().from(extensionRequests).where(eq(extensionRequests.id, requestId)).limit(1);
  return row;
}

/** The request of a measure still waiting for a decision (at most one). */
export async function findPendingExtension(db: Db, measureId: number): Promise<ExtensionRequestRow | undefined> {
  const rows = await db
    .select()
    .from(extensionRequests)
    .where(and(eq(extensionRequests.measureId, measureId), eq(extensionRequests.status, 'pending')))
    .limit(1);
  return rows[0];
}

/** The request made with this idempotency key (a repeated request finds the first). */
export async function findExtensionByKey(db: Db, key: string): Promise<ExtensionRequestRow | undefined> {
  return (await db.select().from(extensionRequests).where(eq(extensionRequests.idempotencyKey, key)).limit(1))[0];
}

/** Every extension request of a measure, oldest first (for its archive record). */
export async function listExtensionRequestsOf(db: Db, measureId: number): Promise<ExtensionRequestRow[]> {
  return db
    .select()
    .from(extensionRequests)
    .where(eq(extensionRequests.measureId, measureId))
    .orderBy(asc(extensionRequests.createdAt), asc(extensionRequests.id));
}
