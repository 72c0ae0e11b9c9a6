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

type InboxRow = { eventId: string; messageId: string | null; eventType: string; payload: string; receivedAt: string };
type Insert = (row: InboxRow) => Promise<boolean>;

/**
 * On a synchronous driver (better-sqlite3), inserts that arrive together share one commit:
 * each request still waits for its own row to be durable before it is acknowledged, but
 * twenty concurrent requests pay for one WAL commit instead of twenty.
 */
function groupCommit(db: Db, insert: ReturnType<typeof prepareInsert>): Insert {
  const sync = db as unknown as { transaction<T>(fn: () => T): T };
  const inserted = (row: InboxRow) => (insert.all(row) as unknown as unknown[]).length > 0;
  let queue: Array<{ row: InboxRow; resolve(v: boolean): void; reject(e: unknown): void }> = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      const results = sync.transaction(() => batch.map((p) => inserted(p.row)));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch {
      // One failing row must not fail its neighbours: fall back to one commit each.
      for (const p of batch) {
        try {
          p.resolve(inserted(p.row));
        } catch (e) {
          p.reject(e);
        }
      }
    }
  };
  return (row) =>
    new Promise<boolean>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      if (queue.length === 1) setImmediate(flush);
    });
}

// The insert sits on the webhook's hot path: prepared once per database.
const inserts = new WeakMap<Db, Insert>();

function inboxInsert(db: Db): Insert {
  let insert = inserts.get(db);
  if (!insert) {
    const prepared = prepareInsert(db);
    // D1 (and any driver with batch) is asynchronous: one statement per request, one request per isolate.
    const isSync = typeof (db as unknown as { batch?: unknown }).batch !== 'function' && typeof setImmediate === 'function';
    insert = isSync ? groupCommit(db, prepared) : async (row) => (await prepared.all(row)).length > 0;
    inserts.set(db, insert);
  }
  return insert;
}

/** Stores an event unless its event_id (or message_id) was seen before; true when new. */
export function insertInboxEvent(
  db: Db,
  e: { eventId: string; messageId?: string; eventType: string; payload: string; receivedAt: string },
): Promise<boolean> {
  return inboxInsert(db)({ ...e, messageId: e.messageId ?? null });
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

/** Deletes processed events received before `before`; failed ones stay visible. */
export async function deleteProcessedEvents(db: Db, before: string): Promise<number> {
  const rows = await db
    .delete(inboxEvents)
    .where(and(eq(inboxEvents.status, 'done'), lt(inboxEvents.receivedAt, before)))
    .returning({ eventId: inboxEvents.eventId });
  return rows.length;
}
