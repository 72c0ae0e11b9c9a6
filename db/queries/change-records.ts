import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { progressReports } from '../schema.js';

/**
 * The rows that accompany a change to a measure (a progress report, an extension request or its
 * decision), as statements for one atomic run (`runAtomically`). Each is guarded inside the
 * transaction, so a concurrent writer or a repeated request makes it insert or update nothing,
 * and its RETURNING rows say whether it applied.
 */

/** True while no progress report carries this idempotency key. */
export const reportKeyUnused = (key: string): SQL => sql`not exists (select 1 from progress_reports where idempotency_key = ${key})`;

/** The report, written only if the statement just before it changed a row (the measure update). */
export function insertReportAfterChange(r: {
  measureId: number;
  authorPersonId: number | null;
  authorName: string | null;
  text: string;
  percent: number | null;
  source: 'command' | 'card';
  key: string;
  at: string;
}): SQL {
  return sql`insert into progress_reports (measure_id, author_person_id, author_name, text, percent, source, idempotency_key, created_at)
    select ${r.measureId}, ${r.authorPersonId}, ${r.authorName}, ${r.text}, ${r.percent}, ${r.source}, ${r.key}, ${r.at} where changes() > 0
    returning id`;
}

/**
 * A pending extension request, inserted only while the measure may still be extended (the
 * condition `eligible` over its row) and no other request for it is pending.
 */
export function insertExtensionRequest(r: {
  measureId: number;
  eligible: SQL;
  requestedBy: number | null;
  newDueDate: string;
  reason: string;
  key: string;
  at: string;
}): SQL {
  return sql`insert into extension_requests (measure_id, requested_by, old_due_date, new_due_date, reason, status, idempotency_key, created_at)
    select id, ${r.requestedBy}, due_date, ${r.newDueDate}, ${r.reason}, 'pending', ${r.key}, ${r.at} from measures
    where id = ${r.measureId} and (${r.eligible})
      and not exists (select 1 from extension_requests where measure_id = ${r.measureId} and status = 'pending')
    on conflict do nothing
    returning *`;
}

/** The audit row of a new extension request, written only if the insert just before it applied. */
export function auditExtensionRequestAfterInsert(r: { measureId: number; actor: string; newDueDate: string; reason: string; at: string }): SQL {
  return sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at)
    select id, campaign_id, ${r.actor}, 'extension_requested', json_object('dueDate', due_date), json_object('dueDate', ${r.newDueDate}), ${r.reason}, ${r.at}
    from measures where id = ${r.measureId} and changes() > 0`;
}

/** Decides a request that is still pending; returns it when this statement decided it. */
export function decideExtensionRequest(r: { requestId: number; approve: boolean; decidedBy: number | null; note: string | null; at: string }): SQL {
  return sql`update extension_requests set status = ${r.approve ? 'approved' : 'rejected'}, decided_by = ${r.decidedBy},
      decision_note = ${r.note}, decided_at = ${r.at}
    where id = ${r.requestId} and status = 'pending'
    returning *`;
}

/** A guard for statements that must apply only if the statement just before them changed a row. */
export const previousApplied: SQL = sql`changes() > 0`;

/** Whether a progress report carries this idempotency key (the request was already recorded). */
export async function hasReportWithKey(db: Db, key: string): Promise<boolean> {
  const rows = await db.select({ id: progressReports.id }).from(progressReports).where(eq(progressReports.idempotencyKey, key)).limit(1);
  return rows.length > 0;
}
