import { and, asc, desc, eq, gte, inArray, lt, lte, min, or, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { outbox } from '../schema.js';
import { interruptedReason } from './work-attempts.js';
import { preparedOnce } from './prepared.js';
import { abandonedClaim, type ClaimWindow } from './work-holders.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = Omit<typeof outbox.$inferInsert, 'id' | 'status' | 'attempts' | 'claimedAt' | 'lastError' | 'messageId' | 'sentAt' | 'failedAt'>;

/** Adds a message unless one with the same uuid exists; true when new. */
export async function enqueueOutbox(db: Db, row: NewOutboxRow): Promise<boolean> {
  // Nearly every event writes one: prepared once.
  const insert = preparedOnce(db, 'outbox.enqueue', () => {
    const p = <K extends string>(name: K) => sql.placeholder(name);
    return db
      .insert(outbox)
      .values({
        uuid: p('uuid'),
        kind: p('kind'),
        receiveIdType: p('receiveIdType'),
        receiveId: p('receiveId'),
        msgType: p('msgType'),
        content: p('content'),
        preview: p('preview'),
        topic: p('topic'),
        cardRef: p('cardRef'),
        rateKey: p('rateKey'),
        nextAttemptAt: p('nextAttemptAt'),
        createdAt: p('createdAt'),
        status: 'pending',
      })
      .onConflictDoNothing()
      .returning({ id: outbox.id })
      .prepare();
  });
  const rows = await insert.all({ topic: null, rateKey: null, ...row, cardRef: row.cardRef ?? null });
  return rows.length > 0;
}

/** Due, or abandoned mid-send by whoever claimed it (it crashed, was killed, or hung past the lease). */
const unfinished = (w: ClaimWindow) =>
  or(
    and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, w.now)),
    and(eq(outbox.status, 'sending'), abandonedClaim(outbox.claimedAt, outbox.claimedBy, w)),
  );

/** Unfinished with attempts left: only these may be claimed. */
const due = (w: ClaimWindow, maxAttempts: number) => and(unfinished(w), lt(outbox.attempts, maxAttempts));

/**
 * Atomically takes up to `limit` due messages with attempts left, counting the attempt (one
 * statement, so it is atomic on D1 too).
 */
export async function claimDueOutbox(db: Db, w: ClaimWindow, limit: number, maxAttempts: number): Promise<OutboxRow[]> {
  const ids = db.select({ id: outbox.id }).from(outbox).where(due(w, maxAttempts)).orderBy(asc(outbox.id)).limit(limit);
  const rows = await db
    .update(outbox)
    .set({ status: 'sending', claimedAt: w.now, claimedBy: w.holder, attempts: sql`${outbox.attempts} + 1` })
    .where(and(inArray(outbox.id, ids), due(w, maxAttempts)))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Parks unfinished messages that have used all their attempts, as failed; those abandoned
 * mid-send get the reason that they were interrupted that many times. One statement.
 */
export async function parkExhaustedOutbox(db: Db, w: ClaimWindow, maxAttempts: number): Promise<OutboxRow[]> {
  const now = w.now;
  return db
    .update(outbox)
    .set({
      status: 'failed',
      lastError: sql`CASE WHEN ${outbox.status} = 'sending' THEN ${interruptedReason(outbox.attempts)} ELSE ${outbox.lastError} END`,
      claimedAt: null,
      failedAt: now,
    })
    .where(and(unfinished(w), gte(outbox.attempts, maxAttempts)))
    .returning();
}

export async function markOutboxSent(db: Db, id: number, messageId: string | undefined, now: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', messageId: messageId ?? null, sentAt: now, lastError: null })
    .where(eq(outbox.id, id));
}

/** Back to pending until nextAttemptAt; `notSent` gives back the attempt counted at claim. */
export async function rescheduleOutbox(db: Db, id: number, nextAttemptAt: string, error: string, notSent = false): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: 'pending',
      nextAttemptAt,
      lastError: error.slice(0, 500),
      claimedAt: null,
      ...(notSent ? { attempts: sql`max(${outbox.attempts} - 1, 0)` } : {}),
    })
    .where(eq(outbox.id, id));
}

export async function failOutbox(db: Db, id: number, error: string, now: string, status: 'failed' | 'skipped' = 'failed'): Promise<void> {
  await db
    .update(outbox)
    .set({ status, lastError: error.slice(0, 500), claimedAt: null, failedAt: now })
    .where(eq(outbox.id, id));
}

/** Messages given up as failed since `since`: how many, and the most recent. */
export async function listFailedOutbox(db: Db, since: string, limit: number): Promise<{ total: number; latest: OutboxRow[] }> {
  const failedAt = sql<string>`coalesce(${outbox.failedAt}, ${outbox.createdAt})`;
  const where = and(eq(outbox.status, 'failed'), gte(failedAt, since));
  const [count] = await db.select({ n: sql<number>`count(*)` }).from(outbox).where(where);
  const latest = await db.select().from(outbox).where(where).orderBy(desc(failedAt), desc(outbox.id)).limit(limit);
  return { total: Number(count?.n ?? 0), latest };
}

/** When the next pending message becomes due, if any (in-flight ones are another worker's). */
export async function nextOutboxAttemptAt(db: Db): Promise<string | undefined> {
  const rows = await db
    .select({ at: min(outbox.nextAttemptAt) })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  return rows[0]?.at ?? undefined;
}
