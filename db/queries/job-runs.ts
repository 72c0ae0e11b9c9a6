import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { chatBindings, jobRuns, kv, outbox } from '../schema.js';
import { queryInSlices } from './bound-params.js';

export type JobRunRow = typeof jobRuns.$inferSelect;

/**
 * Takes a job period in one statement: a new period is inserted as running; a failed one, or a
 * running one whose holder stopped renewing before `staleBefore`, is taken over. True when this
 * caller now holds the period; a done period (or a live holder) leaves it untouched.
 */
export async function claimJobPeriod(db: Db, p: { periodKey: string; job: string; now: string; staleBefore: string }): Promise<boolean> {
  const rows = await db
    .insert(jobRuns)
    .values({ periodKey: p.periodKey, job: p.job, status: 'running', startedAt: p.now })
    .onConflictDoUpdate({
      target: jobRuns.periodKey,
      set: { status: 'running', startedAt: p.now, finishedAt: null },
      setWhere: or(eq(jobRuns.status, 'failed'), and(eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, p.staleBefore))),
    })
    .returning({ periodKey: jobRuns.periodKey });
  return rows.length > 0;
}

/** Records the outcome, unless another process took the period over meanwhile. */
export async function finishJobPeriod(
  db: Db,
  p: { periodKey: string; startedAt: string; status: 'done' | 'failed'; summary: unknown; now: string },
): Promise<boolean> {
  const rows = await db
    .update(jobRuns)
    .set({ status: p.status, finishedAt: p.now, summary: p.summary })
    .where(and(eq(jobRuns.periodKey, p.periodKey), eq(jobRuns.startedAt, p.startedAt), eq(jobRuns.status, 'running')))
    .returning({ periodKey: jobRuns.periodKey });
  return rows.length > 0;
}

export async function getJobRun(db: Db, periodKey: string): Promise<JobRunRow | undefined> {
  const rows = await db.select().from(jobRuns).where(eq(jobRuns.periodKey, periodKey)).limit(1);
  return rows[0];
}

export async function updateJobSummary(db: Db, periodKey: string, summary: unknown): Promise<void> {
  await db.update(jobRuns).set({ summary }).where(eq(jobRuns.periodKey, periodKey));
}

/**
 * Remembers that something happened once (a check-in for a period, an escalation of a due date):
 * the first caller's value sticks. Returns the stored value, so a re-run of the same day sees its
 * own mark and includes the item again, while later days see an older value and leave it out.
 */
export async function markOnce(db: Db, p: { key: string; value: string; now: string }): Promise<string> {
  await db.insert(kv).values({ key: p.key, value: p.value, updatedAt: p.now }).onConflictDoNothing();
  return (await readMark(db, p.key))!;
}

export async function readMark(db: Db, key: string): Promise<string | undefined> {
  const rows = await db.select({ value: kv.value }).from(kv).where(eq(kv.key, key)).limit(1);
  return rows[0]?.value;
}

export async function deleteMark(db: Db, key: string): Promise<void> {
  await db.delete(kv).where(eq(kv.key, key));
}

/** Values of marks whose keys start with a prefix (e.g. the text fallbacks waiting for a card). */
export async function listMarks(db: Db, prefix: string): Promise<Array<{ key: string; value: string }>> {
  return db.select({ key: kv.key, value: kv.value }).from(kv).where(sql`substr(${kv.key}, 1, ${prefix.length}) = ${prefix}`);
}

/** Outbox rows by uuid: status and the platform's message id once sent. */
export async function outboxStateByUuid(
  db: Db,
  uuids: string[],
): Promise<Array<{ uuid: string; status: string; messageId: string | null; msgType: string; lastError: string | null }>> {
  return queryInSlices(uuids, (slice) =>
    db
      .select({ uuid: outbox.uuid, status: outbox.status, messageId: outbox.messageId, msgType: outbox.msgType, lastError: outbox.lastError })
      .from(outbox)
      .where(inArray(outbox.uuid, slice)),
  );
}

export interface LeadingGroupChat {
  chatId: string;
  campaignId: number | null;
}

/** Chats bound as the leading group's chat (active bindings only). */
export async function listLeadingGroupChats(db: Db): Promise<LeadingGroupChat[]> {
  return db
    .select({ chatId: chatBindings.chatId, campaignId: chatBindings.campaignId })
    .from(chatBindings)
    .where(and(eq(chatBindings.purpose, 'leading_group'), eq(chatBindings.active, true)))
    .orderBy(chatBindings.createdAt, chatBindings.chatId);
}
