import { and, asc, eq, inArray, lt, lte, min, or, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { outbox } from '../schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = Omit<typeof outbox.$inferInsert, 'id' | 'status' | 'attempts' | 'claimedAt' | 'lastError' | 'messageId' | 'sentAt'>;

/** Adds a message unless one with the same uuid exists; true when new. */
export async function enqueueOutbox(db: Db, row: NewOutboxRow): Promise<boolean> {
  const rows = await db.insert(outbox).values({ ...row, status: 'pending' }).onConflictDoNothing().returning({ id: outbox.id });
  return rows.length > 0;
}

const due = (now: string, staleBefore: string) =>
  or(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)), and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, staleBefore)));

/** Atomically takes up to `limit` due messages (one statement, so it is atomic on D1 too). */
export async function claimDueOutbox(db: Db, now: string, staleBefore: string, limit: number): Promise<OutboxRow[]> {
  const ids = db.select({ id: outbox.id }).from(outbox).where(due(now, staleBefore)).orderBy(asc(outbox.id)).limit(limit);
  const rows = await db
    .update(outbox)
    .set({ status: 'sending', claimedAt: now, attempts: sql`${outbox.attempts} + 1` })
    .where(and(inArray(outbox.id, ids), due(now, staleBefore)))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

export async function markOutboxSent(db: Db, id: number, messageId: string | undefined, now: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', messageId: messageId ?? null, sentAt: now, lastError: null })
    .where(eq(outbox.id, id));
}

export async function rescheduleOutbox(db: Db, id: number, nextAttemptAt: string, error: string): Promise<void> {
  await db.update(outbox).set({ status: 'pending', nextAttemptAt, lastError: error.slice(0, 500), claimedAt: null }).where(eq(outbox.id, id));
}

export async function failOutbox(db: Db, id: number, error: string, status: 'failed' | 'skipped' = 'failed'): Promise<void> {
  await db.update(outbox).set({ status, lastError: error.slice(0, 500), claimedAt: null }).where(eq(outbox.id, id));
}

/** When the next pending message becomes due, if any (in-flight ones are another worker's). */
export async function nextOutboxAttemptAt(db: Db): Promise<string | undefined> {
  const rows = await db.select({ at: min(outbox.nextAttemptAt) }).from(outbox).where(eq(outbox.status, 'pending'));
  return rows[0]?.at ?? undefined;
}

