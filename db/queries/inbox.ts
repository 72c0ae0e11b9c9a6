import { and, asc, desc, eq, gte, lt, or, sql, type Placeholder } from 'drizzle-orm';
import type { Db } from '../database.js';
import { inboxEvents } from '../schema.js';
import { interruptedReason } from './work-attempts.js';
import { preparedOnce } from './prepared.js';
import { abandonedClaim, windowPlaceholders, type ClaimWindow } from './work-holders.js';

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
 * twenty concurrent requests pay for one WAL commit instead of twenty. `schedule` runs the
 * commit once the I/O already waiting (more requests) has been handled.
 */
function groupCommit(db: Db, insert: ReturnType<typeof prepareInsert>, schedule: (flush: () => void) => void): Insert {
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
      if (queue.length === 1) schedule(flush);
    });
}

// The insert sits on the webhook's hot path: prepared once per database.
const inserts = new WeakMap<Db, Insert>();

function inboxInsert(db: Db): Insert {
  let insert = inserts.get(db);
  if (!insert) {
    const prepared = prepareInsert(db);
    // Without group commit (D1: asynchronous, one request per isolate) each request commits its own row.
    const driver = db.capabilities;
    const schedule = driver.atomic === 'transaction' ? driver.groupCommit : undefined;
    insert = schedule ? groupCommit(db, prepared, schedule) : async (row) => (await prepared.all(row)).length > 0;
    inserts.set(db, insert);
  }
  return insert;
}

/** Stores an event unless its event_id (or message_id) was seen before; true when new. */
export function insertInboxEvent(db: Db, e: { eventId: string; messageId?: string; eventType: string; payload: string; receivedAt: string }): Promise<boolean> {
  return inboxInsert(db)({ ...e, messageId: e.messageId ?? null });
}

/** Waiting, or abandoned by whoever claimed it (it crashed, was killed, or hung past the lease). */
const unfinished = (w: ClaimWindow) =>
  or(eq(inboxEvents.status, 'pending'), and(eq(inboxEvents.status, 'processing'), abandonedClaim(inboxEvents.claimedAt, inboxEvents.claimedBy, w)));

/** Unfinished with attempts left: only these may be claimed. */
const claimable = (w: ClaimWindow, maxAttempts: number | Placeholder) => and(unfinished(w), lt(inboxEvents.attempts, maxAttempts));

/**
 * Takes an event for processing and counts the attempt; undefined when another worker holds
 * it, it is finished, or it has no attempts left (see parkExhaustedInboxEvents).
 */
export async function claimInboxEvent(db: Db, eventId: string, w: ClaimWindow, maxAttempts: number): Promise<InboxEvent | undefined> {
  const claim = preparedOnce(db, 'inbox.claim', () => {
    const p = windowPlaceholders();
    return db
      .update(inboxEvents)
      .set({ status: 'processing', claimedAt: p.now, claimedBy: p.holder, attempts: sql`${inboxEvents.attempts} + 1` })
      .where(and(eq(inboxEvents.eventId, sql.placeholder('eventId')), claimable(p, sql.placeholder('maxAttempts'))))
      .returning()
      .prepare();
  });
  const rows = await claim.all({ ...w, eventId, maxAttempts });
  return rows[0];
}

/**
 * Parks unfinished events that have used all their attempts: status 'failed', with the reason
 * that they were interrupted that many times when they were left in processing. One statement,
 * so on D1 too each parked row is returned to exactly one caller (who tells the sender).
 */
export async function parkExhaustedInboxEvents(db: Db, w: ClaimWindow, maxAttempts: number): Promise<InboxEvent[]> {
  const now = w.now;
  return db
    .update(inboxEvents)
    .set({
      status: 'failed',
      lastError: sql`CASE WHEN ${inboxEvents.status} = 'processing' THEN ${interruptedReason(inboxEvents.attempts)} ELSE ${inboxEvents.lastError} END`,
      failedAt: now,
      processedAt: now,
    })
    .where(and(unfinished(w), gte(inboxEvents.attempts, maxAttempts)))
    .returning();
}

export async function completeInboxEvent(db: Db, eventId: string, now: string): Promise<void> {
  const complete = preparedOnce(db, 'inbox.complete', () =>
    db
      .update(inboxEvents)
      .set({ status: 'done', processedAt: sql`${sql.placeholder('now')}`, lastError: null })
      .where(eq(inboxEvents.eventId, sql.placeholder('eventId')))
      .prepare(),
  );
  await complete.run({ eventId, now });
}

/**
 * A failed attempt goes back to pending until maxAttempts, then is parked as failed (and
 * visible). True when this call parked it.
 */
export async function failInboxEvent(db: Db, eventId: string, error: string, now: string, maxAttempts: number): Promise<boolean> {
  const exhausted = sql`${inboxEvents.attempts} >= ${maxAttempts}`;
  const rows = await db
    .update(inboxEvents)
    .set({
      status: sql`CASE WHEN ${exhausted} THEN 'failed' ELSE 'pending' END`,
      failedAt: sql`CASE WHEN ${exhausted} THEN ${now} ELSE NULL END`,
      lastError: error.slice(0, 1000),
      processedAt: now,
    })
    .where(and(eq(inboxEvents.eventId, eventId), eq(inboxEvents.status, 'processing')))
    .returning({ status: inboxEvents.status });
  return rows[0]?.status === 'failed';
}

/** Events that were accepted but never finished (crash, kill -9, a lost isolate) and may run again. */
export async function listUnfinishedInboxEvents(db: Db, w: ClaimWindow, maxAttempts: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ eventId: inboxEvents.eventId })
    .from(inboxEvents)
    .where(claimable(w, maxAttempts))
    .orderBy(asc(inboxEvents.receivedAt))
    .limit(limit);
  return rows.map((r) => r.eventId);
}

/** Events parked since `since`: how many, and the most recently parked. */
export async function listFailedInboxEvents(db: Db, since: string, limit: number): Promise<{ total: number; latest: InboxEvent[] }> {
  const parkedAt = sql<string>`coalesce(${inboxEvents.failedAt}, ${inboxEvents.processedAt}, ${inboxEvents.receivedAt})`;
  const where = and(eq(inboxEvents.status, 'failed'), gte(parkedAt, since));
  const [count] = await db.select({ n: sql<number>`count(*)` }).from(inboxEvents).where(where);
  const latest = await db.select().from(inboxEvents).where(where).orderBy(desc(parkedAt)).limit(limit);
  return { total: Number(count?.n ?? 0), latest };
}

/** Deletes processed events received before `before`; failed ones stay visible. */
export async function deleteProcessedEvents(db: Db, before: string): Promise<number> {
  const rows = await db
    .delete(inboxEvents)
    .where(and(eq(inboxEvents.status, 'done'), lt(inboxEvents.receivedAt, before)))
    .returning({ eventId: inboxEvents.eventId });
  return rows.length;
}
