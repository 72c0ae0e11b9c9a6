import { eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { extensionRequests, people } from '../schema.js';

export type ExtensionRequestRow = typeof extensionRequests.$inferSelect;

export async function getExtensionRequest(db: Db, requestId: number): Promise<ExtensionRequestRow | undefined> {
  const [row] = await db.select().from(extensionRequests).where(eq(extensionRequests.id, requestId)).limit(1);
  return row;
}

export async function personNameById(db: Db, personId: number): Promise<string | null> {
  const [row] = await db.select({ name: people.name }).from(people).where(eq(people.id, personId)).limit(1);
  return row?.name ?? null;
}
