import { sql, type SQL } from 'drizzle-orm';
import { rowOf, runAtomically } from '../atomic.js';
import type { Db } from '../database.js';
import type { MeasureStatus } from '../../src/domain/enums.js';
import { extensionRequests, measures } from '../schema.js';
import {
  auditExtensionRequestAfterInsert,
  decideExtensionRequest,
  insertExtensionRequest,
  insertReportAfterChange,
  previousApplied,
  reportKeyUnused,
} from './change-records.js';
import { hasEvidenceOrWaiver } from './evidence.js';
import type { ExtensionRequestRow } from './extension-requests.js';
import { always, measureEditStatements, measureIs, ownedBy, type MeasureEdit, type MeasureEditSet, type MeasureRow } from './measures-write.js';

/**
 * Every change to a measure as one transaction (a batch on D1) whose statements are guarded by
 * conditions on the rows as they are inside it: each returns the measure as the change stored
 * it, or undefined when its condition did not hold (another writer got there first). The
 * update's own RETURNING row says so, not a read-back. Who may do what is decided by the
 * caller (src/services/measure-access.ts); these functions only repeat it inside the
 * transaction, where a concurrent reassignment could change it.
 */

/** The measures an owner may change (see ownedScopeOf), or 'any' for a manager. */
export type ChangeScope = { personId: number | null; departmentId: number | null } | 'any';

/** Who changes one measure, when, and the note the audit log keeps. */
export interface ChangeBy {
  measureId: number;
  /** the actor's open_id, as the audit log names them */
  actor: string;
  at: string;
}

const scopeSql = (scope: ChangeScope): SQL => (scope === 'any' ? always : ownedBy(scope));

const statusIs = (...statuses: MeasureStatus[]): SQL =>
  sql`status in (${sql.join(
    statuses.map((s) => sql`${s}`),
    sql`, `,
  )})`;

function edit(by: ChangeBy, action: string, when: SQL, set: MeasureEditSet, note?: string | null): MeasureEdit {
  return { target: measureIs(by.measureId), when, set, actor: by.actor, action, note, at: by.at };
}

/** Runs one change to a measure atomically, with the statements that go with it. */
async function commit(db: Db, change: MeasureEdit, around: { before?: SQL[]; after?: SQL[] } = {}): Promise<MeasureRow | undefined> {
  const { statements, updateIndex } = measureEditStatements(change);
  const before = around.before ?? [];
  const results = await runAtomically(db, [...before, ...statements, ...(around.after ?? [])]);
  const row = results[before.length + updateIndex]?.[0];
  return row ? rowOf(measures, row) : undefined;
}

/**
 * A progress report: a new or returned measure goes in progress, the percent is set when given,
 * and the report row is written with it, unless the measure is closed, out of the scope, or a
 * report with this key exists.
 */
export function applyProgressReport(
  db: Db,
  p: ChangeBy & {
    scope: ChangeScope;
    percent?: number;
    note: string;
    report: { authorPersonId: number | null; authorName: string | null; text: string; source: 'command' | 'card'; key: string };
  },
): Promise<MeasureRow | undefined> {
  const set: MeasureEditSet = { status: sql`case when status in ('not_started', 'returned') then 'in_progress' else status end` };
  if (p.percent !== undefined) set.percent = p.percent;
  const when = sql`status != 'closed' and ${scopeSql(p.scope)} and ${reportKeyUnused(p.report.key)}`;
  const report = insertReportAfterChange({ measureId: p.measureId, ...p.report, percent: p.percent ?? null, at: p.at });
  return commit(db, edit(p, 'report', when, set, p.note), { after: [report] });
}

/**
 * Submission for verification, from an open status, within the scope; with `requireEvidence`,
 * only while the measure has evidence or a waiver (checked in the same transaction).
 */
export function applySubmission(db: Db, p: ChangeBy & { scope: ChangeScope; note?: string; requireEvidence?: boolean }): Promise<MeasureRow | undefined> {
  const evidenceRule = p.requireEvidence ? sql` and ${hasEvidenceOrWaiver(p.measureId)}` : sql``;
  const when = sql`${statusIs('not_started', 'in_progress', 'returned')} and ${scopeSql(p.scope)}${evidenceRule}`;
  return commit(db, edit(p, 'submit', when, { status: 'submitted' }, p.note));
}

/** Verification of a submitted measure: it is closed at 100%. */
export function applyVerification(db: Db, p: ChangeBy & { verifiedBy: string }): Promise<MeasureRow | undefined> {
  const set: MeasureEditSet = { status: 'closed', percent: 100, verifiedBy: p.verifiedBy, verifiedAt: p.at };
  return commit(db, edit(p, 'verify', statusIs('submitted'), set));
}

/** A submitted measure returned to its owner. */
export function applyReturn(db: Db, p: ChangeBy & { reason: string }): Promise<MeasureRow | undefined> {
  return commit(db, edit(p, 'return', statusIs('submitted'), { status: 'returned' }, p.reason));
}

/**
 * A pending extension request with its audit row, inserted only while the measure may still be
 * extended to the new date (open, not submitted, dated, due before it, within the scope) and no
 * other request for it is pending. Returns the request when it was inserted.
 */
export async function insertPendingExtension(
  db: Db,
  p: ChangeBy & { scope: ChangeScope; requestedBy: number | null; newDueDate: string; reason: string; key: string },
): Promise<ExtensionRequestRow | undefined> {
  const eligible = sql`status not in ('closed', 'submitted') and deadline_kind = 'dated' and (due_date is null or due_date < ${p.newDueDate}) and ${scopeSql(p.scope)}`;
  const [inserted] = await runAtomically(db, [
    insertExtensionRequest({ measureId: p.measureId, eligible, requestedBy: p.requestedBy, newDueDate: p.newDueDate, reason: p.reason, key: p.key, at: p.at }),
    auditExtensionRequestAfterInsert({ measureId: p.measureId, actor: p.actor, newDueDate: p.newDueDate, reason: p.reason, at: p.at }),
  ]);
  const row = inserted?.[0];
  return row ? rowOf(extensionRequests, row) : undefined;
}

/**
 * Decides a pending extension request; the measure changes (its due date, when approved) only if
 * this statement decided the request (another secretary may have decided it a moment earlier):
 * the audit row and the update are guarded by changes().
 */
export function applyExtensionDecision(
  db: Db,
  p: ChangeBy & { requestId: number; approve: boolean; newDueDate: string; decidedBy: number | null; reason?: string },
): Promise<MeasureRow | undefined> {
  const decide = decideExtensionRequest({ requestId: p.requestId, approve: p.approve, decidedBy: p.decidedBy, note: p.reason ?? null, at: p.at });
  const set: MeasureEditSet = p.approve ? { dueDate: p.newDueDate, originalDueDate: sql`coalesce(original_due_date, due_date)` } : {};
  return commit(db, edit(p, p.approve ? 'extension_approved' : 'extension_rejected', previousApplied, set, p.reason), { before: [decide] });
}

/** A deadline set by the secretary (date and original date alike), unless closed or an extension is pending. */
export function applyDeadline(
  db: Db,
  p: ChangeBy & { kind: MeasureRow['deadlineKind']; deadlineText: string; dueDate: string | null; note?: string },
): Promise<MeasureRow | undefined> {
  const noPending = sql`not exists (select 1 from ${extensionRequests} where ${extensionRequests.measureId} = ${measures.id} and ${extensionRequests.status} = 'pending')`;
  const when = sql`status != 'closed' and ${noPending}`;
  const set: MeasureEditSet = { deadlineKind: p.kind, deadlineText: p.deadlineText, dueDate: p.dueDate, originalDueDate: p.dueDate };
  return commit(db, edit(p, 'deadline_set', when, set, p.note));
}

/**
 * Makes a person the owner of one measure or of every measure a department leads in a
 * campaign: one set-based change of every target not yet owned by them, decided inside the
 * transaction. Returns the measures it changed.
 */
export async function applyOwnerAssignment(
  db: Db,
  p: { target: { measureId: number } | { campaignId: number; departmentId: number }; personId: number; actor: string; at: string },
): Promise<MeasureRow[]> {
  const { statements, updateIndex } = measureEditStatements({
    target:
      'measureId' in p.target ? measureIs(p.target.measureId) : sql`campaign_id = ${p.target.campaignId} and lead_department_id = ${p.target.departmentId}`,
    when: sql`owner_person_id is not ${p.personId}`,
    set: { ownerPersonId: p.personId },
    actor: p.actor,
    action: 'assign',
    at: p.at,
  });
  return ((await runAtomically(db, statements))[updateIndex] ?? []).map((row) => rowOf(measures, row));
}
