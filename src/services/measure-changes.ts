import { and, eq, sql } from 'drizzle-orm';
import { runAtomically } from '../../db/atomic.js';
import { getMeasure, measureChangeStatements, measureStillAt, type MeasureChange, type MeasureRow } from '../../db/queries/measures-write.js';
import { listPeopleWithRole, type Actor } from '../../db/queries/people.js';
import { extensionRequests, people, progressReports } from '../../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';
import { deadlineRangeProblem } from './calendar-date.js';
import { reportTextProblem } from './report-rules.js';
import { canDecideExtension, canReport, canRequestExtension, canSubmit, canVerify } from './measure-access.js';
import { STATUS_LABELS } from './measure-labels.js';
import type { Notice } from './notice.js';

/**
 * Every change to a measure: progress reports, submission for verification, verification,
 * return, and extensions. Each change is one atomic batch guarded by the measure's version,
 * writes the audit log, and is idempotent for a given key (a redelivered event or a double
 * click changes nothing the second time).
 */

export interface ChangeResult {
  measure: MeasureRow;
  notices: Notice[];
  /** false when the same request had already been applied */
  applied: boolean;
}

const actorLabel = (a: Actor) => a.person?.name ?? a.openId;

async function alreadyReported(deps: ServiceDeps, key: string): Promise<boolean> {
  const rows = await deps.db.select({ id: progressReports.id }).from(progressReports).where(eq(progressReports.idempotencyKey, key)).limit(1);
  return rows.length > 0;
}

/** Runs guarded statements and tells whether they took effect (the version moved on by one). */
async function commit(deps: ServiceDeps, measure: MeasureRow, statements: ReturnType<typeof sql>[]): Promise<MeasureRow | undefined> {
  await runAtomically(deps.db, statements);
  const after = await getMeasure(deps.db, measure.id);
  return after && after.version === measure.version + 1 ? after : undefined;
}

function change(deps: ServiceDeps, measure: MeasureRow, actor: Actor, action: string, set: MeasureChange, note?: string) {
  return measureChangeStatements(deps.db, { measure, set, actor: actor.openId, action, note, at: deps.clock.now().toISOString() });
}

const STALE = '该措施刚刚被其他人更新，请发送 /show 查看最新情况后再试。';

async function verifiers(deps: ServiceDeps, measure: MeasureRow): Promise<string[]> {
  const secretaries = await listPeopleWithRole(deps.db, ['secretary']);
  const leaderIds = new Set<string>();
  if (measure.leaderPersonId) {
    const rows = await deps.db.select({ openId: people.openId }).from(people).where(eq(people.id, measure.leaderPersonId));
    for (const r of rows) if (r.openId) leaderIds.add(r.openId);
  }
  if (leaderIds.size === 0) for (const l of await listPeopleWithRole(deps.db, ['leader'])) if (l.openId) leaderIds.add(l.openId);
  return [...new Set([...secretaries.map((s) => s.openId).filter((x): x is string => !!x), ...leaderIds])];
}

async function ownerOpenIds(deps: ServiceDeps, measure: MeasureRow): Promise<string[]> {
  if (!measure.ownerPersonId) return [];
  const rows = await deps.db.select({ openId: people.openId }).from(people).where(eq(people.id, measure.ownerPersonId));
  return rows.map((r) => r.openId).filter((x): x is string => !!x);
}

const noticesTo = (ids: string[], except: string, text: string, key: string, measureId: number, card?: Notice['card']): Notice[] =>
  ids.filter((id) => id !== except).map((toOpenId) => ({ toOpenId, text, key: `${key}:${toOpenId}`, measureId, card }));

export async function recordProgress(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; text: string; percent?: number; source: 'command' | 'card'; key: string },
): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canReport(actor, measure)) throw new UserError(`您不是措施 ${measure.code} 的责任人，不能汇报它的进展。如有疑问请联系整改办。`);
  if (measure.status === 'closed') throw new UserError(`措施 ${measure.code} 已销号，无需再汇报进展。`);
  const tooLong = reportTextProblem(p.text);
  if (tooLong) throw new UserError(tooLong);
  if (await alreadyReported(deps, p.key)) return { measure, notices: [], applied: false };
  const now = deps.clock.now().toISOString();
  const status = measure.status === 'not_started' || measure.status === 'returned' ? 'in_progress' : measure.status;
  const set: MeasureChange = {};
  if (status !== measure.status) set.status = status;
  if (p.percent !== undefined && p.percent !== measure.percent) set.percent = p.percent;
  const insertReport = sql`insert into ${progressReports} (measure_id, author_person_id, author_name, text, percent, source, idempotency_key, created_at)
    select ${measure.id}, ${actor.person?.id ?? null}, ${actor.person?.name ?? null}, ${p.text}, ${p.percent ?? null}, ${p.source}, ${p.key}, ${now}
    where ${measureStillAt(measure.id, measure.version)}`;
  const updated = await commit(deps, measure, [insertReport, ...change(deps, measure, actor, 'report', set, p.text.slice(0, 200))]);
  if (!updated) {
    if (await alreadyReported(deps, p.key)) return { measure: (await getMeasure(deps.db, measure.id))!, notices: [], applied: false };
    throw new UserError(STALE);
  }
  return { measure: updated, notices: [], applied: true };
}

export async function submitForVerification(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; note?: string; key: string },
): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canSubmit(actor, measure)) throw new UserError(`您不是措施 ${measure.code} 的责任人，不能申请销号。`);
  if (measure.status === 'submitted') return { measure, notices: [], applied: false };
  if (measure.status === 'closed') throw new UserError(`措施 ${measure.code} 已销号。`);
  const updated = await commit(deps, measure, change(deps, measure, actor, 'submit', { status: 'submitted' }, p.note));
  if (!updated) throw new UserError(STALE);
  const text = `${actorLabel(actor)} 申请为措施 ${measure.code} 销号${p.note ? `，说明：${p.note}` : ''}。请审核：/verify ${measure.code} 通过，或 /return ${measure.code} <原因> 退回。`;
  return { measure: updated, notices: noticesTo(await verifiers(deps, measure), actor.openId, text, `submit:${measure.id}:${updated.version}`, measure.id, { kind: 'measure' }), applied: true };
}

export async function verifyMeasure(deps: ServiceDeps, p: { actor: Actor; measure: MeasureRow; key: string }): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canVerify(actor)) throw new UserError('只有领导或整改办可以审核销号。');
  if (measure.status === 'closed') return { measure, notices: [], applied: false };
  if (measure.status !== 'submitted') throw new UserError(`措施 ${measure.code} 目前是“${STATUS_LABELS[measure.status]}”，责任人申请销号后才能审核。`);
  const now = deps.clock.now().toISOString();
  const updated = await commit(deps, measure, change(deps, measure, actor, 'verify', { status: 'closed', percent: 100, verifiedBy: actorLabel(actor), verifiedAt: now }));
  if (!updated) throw new UserError(STALE);
  const text = `措施 ${measure.code} 已通过审核，正式销号。感谢您的辛苦工作！`;
  return { measure: updated, notices: noticesTo(await ownerOpenIds(deps, measure), actor.openId, text, `verify:${measure.id}:${updated.version}`, measure.id), applied: true };
}

export async function returnMeasure(deps: ServiceDeps, p: { actor: Actor; measure: MeasureRow; reason: string; key: string }): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canVerify(actor)) throw new UserError('只有领导或整改办可以退回销号申请。');
  if (measure.status !== 'submitted') throw new UserError(`措施 ${measure.code} 目前是“${STATUS_LABELS[measure.status]}”，只有待销号的措施可以退回。`);
  const updated = await commit(deps, measure, change(deps, measure, actor, 'return', { status: 'returned' }, p.reason));
  if (!updated) throw new UserError(STALE);
  const text = `措施 ${measure.code} 的销号申请被退回，原因：${p.reason}。请继续整改后再次申请。`;
  return { measure: updated, notices: noticesTo(await ownerOpenIds(deps, measure), actor.openId, text, `return:${measure.id}:${updated.version}`, measure.id), applied: true };
}

export type ExtensionRow = typeof extensionRequests.$inferSelect;

export async function pendingExtension(deps: ServiceDeps, measureId: number): Promise<ExtensionRow | undefined> {
  const rows = await deps.db
    .select()
    .from(extensionRequests)
    .where(and(eq(extensionRequests.measureId, measureId), eq(extensionRequests.status, 'pending')))
    .limit(1);
  return rows[0];
}

export async function requestExtension(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; newDate: string; reason: string; today: string; key: string },
): Promise<ChangeResult & { request?: ExtensionRow }> {
  const { actor, measure } = p;
  if (!canRequestExtension(actor, measure)) throw new UserError(`只有措施 ${measure.code} 的责任人可以申请延期。`);
  if (measure.status === 'closed' || measure.status === 'submitted') throw new UserError(`措施 ${measure.code} 目前是“${STATUS_LABELS[measure.status]}”，不能申请延期。`);
  if (measure.deadlineKind !== 'dated') throw new UserError(`措施 ${measure.code} 没有具体完成日期（立行立改或长期坚持），无需申请延期。`);
  if (p.newDate <= p.today) throw new UserError(`新的完成日期 ${p.newDate} 应晚于今天。`);
  const tooFar = deadlineRangeProblem(p.newDate, p.today);
  if (tooFar) throw new UserError(tooFar);
  if (measure.dueDate && p.newDate <= measure.dueDate) throw new UserError(`新的完成日期 ${p.newDate} 应晚于原定的 ${measure.dueDate}。`);
  const existing = await deps.db.select().from(extensionRequests).where(eq(extensionRequests.idempotencyKey, p.key)).limit(1);
  if (existing[0]) return { measure, notices: [], applied: false, request: existing[0] };
  if (await pendingExtension(deps, measure.id)) throw new UserError(`措施 ${measure.code} 已有一个待审批的延期申请，请等待整改办处理。`);
  const now = deps.clock.now().toISOString();
  // The request and its audit row land together or not at all.
  await runAtomically(deps.db, [
    sql`insert into ${extensionRequests} (measure_id, requested_by, old_due_date, new_due_date, reason, status, idempotency_key, created_at)
      values (${measure.id}, ${actor.person?.id ?? null}, ${measure.dueDate}, ${p.newDate}, ${p.reason}, 'pending', ${p.key}, ${now})
      on conflict do nothing`,
    sql`insert into audit_log (measure_id, campaign_id, actor, action, before, after, note, at)
      select ${measure.id}, ${measure.campaignId}, ${actor.openId}, 'extension_requested', ${JSON.stringify({ dueDate: measure.dueDate })}, ${JSON.stringify({ dueDate: p.newDate })}, ${p.reason}, ${now}
      where changes() > 0`,
  ]);
  const request = (await deps.db.select().from(extensionRequests).where(eq(extensionRequests.idempotencyKey, p.key)).limit(1))[0];
  if (!request) throw new UserError(STALE);
  const secretaries = (await listPeopleWithRole(deps.db, ['secretary'])).map((s) => s.openId).filter((x): x is string => !!x);
  const text = `${actorLabel(actor)} 申请将措施 ${measure.code} 的完成时限由 ${measure.dueDate ?? '未定'} 延至 ${p.newDate}，理由：${p.reason}。同意请发送 /approve-extension ${measure.code}，驳回请发送 /reject-extension ${measure.code} <原因>。`;
  return { measure, notices: noticesTo(secretaries, actor.openId, text, `ext:${request.id}`, measure.id, { kind: 'extension', requestId: request.id }), applied: true, request };
}

export async function decideExtension(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; approve: boolean; reason?: string; key: string },
): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canDecideExtension(actor)) throw new UserError('只有整改办可以审批延期申请。');
  const request = await pendingExtension(deps, measure.id);
  if (!request) throw new UserError(`措施 ${measure.code} 没有待审批的延期申请。`);
  const now = deps.clock.now().toISOString();
  const decide = sql`update ${extensionRequests} set status = ${p.approve ? 'approved' : 'rejected'}, decided_by = ${actor.person?.id ?? null},
    decision_note = ${p.reason ?? null}, decided_at = ${now} where id = ${request.id} and status = 'pending' and ${measureStillAt(measure.id, measure.version)}`;
  const set: MeasureChange = p.approve ? { dueDate: request.newDueDate, originalDueDate: measure.originalDueDate ?? measure.dueDate } : {};
  const updated = await commit(deps, measure, [decide, ...change(deps, measure, actor, p.approve ? 'extension_approved' : 'extension_rejected', set, p.reason)]);
  if (!updated) throw new UserError(STALE);
  const requester = request.requestedBy
    ? (await deps.db.select({ openId: people.openId }).from(people).where(eq(people.id, request.requestedBy))).map((r) => r.openId).filter((x): x is string => !!x)
    : [];
  const text = p.approve
    ? `您为措施 ${measure.code} 申请的延期已获同意，新的完成时限为 ${request.newDueDate}（原定 ${request.oldDueDate ?? '未定'}）。`
    : `您为措施 ${measure.code} 申请的延期未获同意，原因：${p.reason}。完成时限仍为 ${measure.dueDate ?? '未定'}。`;
  return { measure: updated, notices: noticesTo(requester, actor.openId, text, `extd:${request.id}`, measure.id), applied: true };
}
