import { and, asc, count, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { rowOf, runAtomically } from '../atomic.js';
import type { Db } from '../database.js';
import { campaigns, departments, measures, people, rechecks } from '../schema.js';
import { measureEditStatements, measureIs, type MeasureRow } from './measures-write.js';

/**
 * 回头看 rows: opened by the daily job for a closure whose re-check has fallen due, answered
 * once. An answer is one guarded statement (with its audit row, and for a rebound the measure's
 * reopening, in the same transaction): whichever answer comes first applies, and its RETURNING
 * row says so; a second finds the outcome already set and changes nothing.
 */

export type RecheckRow = typeof rechecks.$inferSelect;

const owner = alias(people, 'recheck_owner');

/** A closed measure that may be due for its re-check, with the people it concerns. */
export interface RecheckCandidate {
  measureId: number;
  campaignId: number;
  code: string;
  text: string;
  departmentName: string | null;
  ownerName: string | null;
  ownerOpenId: string | null;
  /** the closure: measures.verified_at */
  closedAt: string;
  /** the open_id that verified this closure (its 'verify' audit row), when one did */
  verifierOpenId: string | null;
}

/**
 * Closed measures of active campaigns (still in the ledger) whose current closure has no re-check
 * sent before `day`: never opened, or opened but not yet notified, or notified on `day` itself
 * (a re-run of the same day sends the same messages again, which the outbox deduplicates).
 * Whether each is due yet is the caller's arithmetic (calendar months and working days).
 */
export async function listRecheckCandidates(db: Db, p: { day: string }): Promise<RecheckCandidate[]> {
  const verifier = sql<string | null>`(select a.actor from audit_log a where a.measure_id = ${measures.id} and a.action = 'verify'
    and a.at = ${measures.verifiedAt} order by a.id desc limit 1)`;
  const rows = await db
    .select({
      measureId: measures.id,
      campaignId: measures.campaignId,
      code: measures.code,
      text: measures.text,
      departmentName: departments.name,
      ownerName: sql<string | null>`coalesce(${owner.name}, ${measures.ownerName})`,
      ownerOpenId: owner.openId,
      closedAt: measures.verifiedAt,
      verifierOpenId: verifier,
    })
    .from(measures)
    .innerJoin(campaigns, eq(campaigns.id, measures.campaignId))
    .leftJoin(departments, eq(departments.id, measures.leadDepartmentId))
    .leftJoin(owner, eq(owner.id, measures.ownerPersonId))
    .leftJoin(rechecks, and(eq(rechecks.measureId, measures.id), eq(rechecks.closedAt, measures.verifiedAt)))
    .where(
      and(
        eq(measures.status, 'closed'),
        sql`${measures.verifiedAt} is not null`,
        eq(measures.missingFromSource, false),
        eq(campaigns.active, true),
        or(isNull(rechecks.id), isNull(rechecks.notifiedOn), eq(rechecks.notifiedOn, p.day)),
      ),
    )
    .orderBy(asc(measures.campaignId), asc(measures.id));
  return rows.map((r) => ({ ...r, closedAt: r.closedAt! }));
}

/**
 * Opens the re-check of a closure as notified on `day` (the first day it is sent); the row of an
 * earlier attempt is returned as it is, so its notified day never moves.
 */
export async function openRecheck(
  db: Db,
  p: { measureId: number; closedAt: string; dueDate: string; verifierOpenId: string | null; day: string; now: string },
): Promise<RecheckRow> {
  const [row] = await db
    .insert(rechecks)
    .values({ measureId: p.measureId, closedAt: p.closedAt, dueDate: p.dueDate, verifierOpenId: p.verifierOpenId, notifiedOn: p.day, createdAt: p.now })
    .onConflictDoUpdate({ target: [rechecks.measureId, rechecks.closedAt], set: { notifiedOn: sql`coalesce(${rechecks.notifiedOn}, excluded.notified_on)` } })
    .returning();
  return row!;
}

export async function getRecheck(db: Db, id: number): Promise<RecheckRow | undefined> {
  return (await db.select().from(rechecks).where(eq(rechecks.id, id)).limit(1))[0];
}

interface Answer {
  recheckId: number;
  /** open_id, for the audit log and the row */
  actor: string;
  actorName: string | null;
  at: string;
}

const answerRecheck = (a: Answer, outcome: RecheckRow['outcome'], reason: string | null, guard = sql`1`) =>
  sql`update rechecks set outcome = ${outcome}, answered_by = ${a.actor}, answered_by_name = ${a.actorName}, answered_at = ${a.at}, reason = ${reason}
    where id = ${a.recheckId} and outcome is null and (${guard}) returning *`;

/** 成效巩固: the re-check is answered as held, with an audit row on the measure. Undefined if already answered. */
export async function recordRecheckHeld(db: Db, a: Answer): Promise<RecheckRow | undefined> {
  const [updated] = await runAtomically(db, [
    answerRecheck(a, 'held', null),
    sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at)
      select m.id, m.campaign_id, ${a.actor}, 'recheck_held', null, null, null, ${a.at}
      from measures m join rechecks r on r.measure_id = m.id where r.id = ${a.recheckId} and changes() > 0`,
  ]);
  const row = updated?.[0];
  return row ? rowOf(rechecks, row) : undefined;
}

/**
 * 出现反弹: the measure goes back to 整改中 (its closure cleared) and the re-check is answered,
 * together or not at all: only while the re-check is unanswered and the measure is still closed
 * by the closure it re-checks. Returns both rows when it applied.
 */
export async function recordRecheckRebound(
  db: Db,
  a: Answer & { measureId: number; closedAt: string; reason: string; note: string },
): Promise<{ recheck: RecheckRow; measure: MeasureRow } | undefined> {
  const { statements, updateIndex } = measureEditStatements({
    target: measureIs(a.measureId),
    when: sql`status = 'closed' and verified_at = ${a.closedAt} and exists (select 1 from rechecks where id = ${a.recheckId} and outcome is null)`,
    set: { status: 'in_progress', verifiedBy: null, verifiedAt: null },
    actor: a.actor,
    action: 'recheck_rebound',
    note: a.note,
    at: a.at,
  });
  const results = await runAtomically(db, [...statements, answerRecheck(a, 'rebounded', a.reason, sql`changes() > 0`)]);
  const measure = results[updateIndex]?.[0];
  const recheck = results[statements.length]?.[0];
  return measure && recheck ? { measure: rowOf(measures, measure), recheck: rowOf(rechecks, recheck) } : undefined;
}

/**
 * For the weekly summary: re-checks sent and not yet answered (their measure still closed by the
 * closure re-checked), and measures reopened by a re-check within (after, upTo].
 */
export async function countRechecks(db: Db, p: { campaignId: number; after: string; upTo: string }): Promise<{ awaiting: number; reopened: number }> {
  const [awaiting] = await db
    .select({ n: count() })
    .from(rechecks)
    .innerJoin(measures, eq(measures.id, rechecks.measureId))
    .where(and(eq(measures.campaignId, p.campaignId), isNull(rechecks.outcome), eq(measures.status, 'closed'), eq(measures.verifiedAt, rechecks.closedAt)));
  const [reopened] = await db
    .select({ n: count() })
    .from(rechecks)
    .innerJoin(measures, eq(measures.id, rechecks.measureId))
    .where(and(eq(measures.campaignId, p.campaignId), eq(rechecks.outcome, 'rebounded'), gt(rechecks.answeredAt, p.after), lte(rechecks.answeredAt, p.upTo)));
  return { awaiting: awaiting?.n ?? 0, reopened: reopened?.n ?? 0 };
}

/** Every re-check of a measure, oldest first (for its record and the archive). */
export async function listRechecksOf(db: Db, measureId: number): Promise<RecheckRow[]> {
  return db.select().from(rechecks).where(eq(rechecks.measureId, measureId)).orderBy(asc(rechecks.createdAt), asc(rechecks.id));
}
