import { and, eq, gte } from 'drizzle-orm';
import type { Db } from '../database.js';
import { cardMessages } from '../schema.js';

export type CardMessage = typeof cardMessages.$inferSelect;

export async function recordCardMessage(
  db: Db,
  m: { messageId: string; measureId?: number | null; kind: string; context?: Record<string, unknown> | null; chatId?: string | null; sentAt: string },
): Promise<void> {
  await db
    .insert(cardMessages)
    .values({ messageId: m.messageId, measureId: m.measureId ?? null, kind: m.kind, context: m.context ?? null, chatId: m.chatId ?? null, sentAt: m.sentAt })
    .onConflictDoNothing();
}

export async function getCardMessage(db: Db, messageId: string): Promise<CardMessage | undefined> {
  const rows = await db.select().from(cardMessages).where(eq(cardMessages.messageId, messageId)).limit(1);
  return rows[0];
}

/** Cards of a measure (by default the measure card itself) sent since `since` (older ones can no longer be updated). */
export async function listMeasureCards(db: Db, measureId: number, since: string, kind = 'measure'): Promise<CardMessage[]> {
  return db
    .select()
    .from(cardMessages)
    .where(and(eq(cardMessages.measureId, measureId), eq(cardMessages.kind, kind), gte(cardMessages.sentAt, since)));
}
