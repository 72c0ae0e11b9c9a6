import { and, asc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { inboxEvents } from '../schema.js';

export type InboxEvent = typeof inboxEvents.$inferSelect;

function prepareInsert(db: Db) {
  return db
    .insert(inboxEvents)
    .values({
      eventId: sql.placeholder('eventId'),
      messageId: sql.placeholder('messageId'),
      eventType: sql.placeholder('eventType'),
      payload: sql.placeholder('payload'),
      receivedAt: sql.placeholder('receivedAt'),
      status: 'pending',
    })
    .onConflictDoNothing()
    .returning({ eventId: inboxEvents.eventId })
    .prepare();
}

// The insert sits on the webhook's hot path: prepare it once per database.
const preparedInserts = new WeakMap<Db, ReturnType<typeof prepareInsert>>();

/** Stores an event unless its event_id (or message_id) was seen before; true when new. */
export async function insertInboxEvent(
  db: Db,
  e: { eventId: string; messageId?: string; eventType: string; payload: string; receivedAt: string },
): Promise<boolean> {
  let insert = preparedInserts.get(db);
  if (!insert) preparedInserts.set(db, (insert = prepareInsert(db)));
  const rows = await insert.all({ ...e, messageId: e.messageId ?? null });
  return rows.length > 0;
}

const claimable = (staleBefore: string) =>
  or(eq(inboxEvents.status, 'pending'), and(eq(inboxEvents.status, 'processing'), lt(inboxEvents.claimedAt, staleBefore)));

/** Takes an event for processing; undefined when another worker holds it or it is finished. */
export async function claimInboxEvent(db: Db, eventId: string, now: string, staleBefore: string): Promise<InboxEvent | undefined> {
  const rows = await db
    .update(inboxEvents)
    .set({ status: 'processing', claimedAt: now, attempts: sql`${inboxEvents.attempts} + 1` })
    .where(and(eq(inboxEvents.eventId, eventId), claimable(staleBefore)))
    .returning();
  return rows[0];
}

export async function completeInboxEvent(db: Db, eventId: string, now: string): Promise<void> {
  await db.update(inboxEvents).set({ status: 'done', processedAt: now, lastError: null }).where(eq(inboxEvents.eventId, eventId));
}

/** A failed attempt goes back to pending until maxAttempts, then stays failed (and visible). */
export async function failInboxEvent(db: Db, eventId: string, error: string, now: string, maxAttempts: number): Promise<void> {
  await db
    .update(inboxEvents)
    .set({
      status: sql`CASE WHEN ${inboxEvents.attempts} >= ${maxAttempts} THEN 'failed' ELSE 'pending' END`,
      lastError: error.slice(0, 1000),
      processedAt: now,
    })
    .where(eq(inboxEvents.eventId, eventId));
}

/** Events that were accepted but never finished (crash, kill -9, a lost isolate). */
export async function listUnfinishedInboxEvents(db: Db, staleBefore: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ eventId: inboxEvents.eventId })
    .from(inboxEvents)
    .where(claimable(staleBefore))
    .orderBy(asc(inboxEvents.receivedAt))
    .limit(limit);
  return rows.map((r) => r.eventId);
}

export async function getInboxEvent(db: Db, eventId: string): Promise<InboxEvent | undefined> {
  const rows = await db.select().from(inboxEvents).where(eq(inboxEvents.eventId, eventId)).limit(1);
  return rows[0];
}
