import { hasReportWithKey } from '../../db/queries/change-records.js';
import {
  findExtensionByKey,
  findPendingExtension,
  getExtensionRequest,
  type ExtensionRequestRow as ExtensionRow,
} from '../../db/queries/extension-requests.js';
import {
  applyDeadline,
  applyExtensionDecision,
  applyProgressReport,
  applyReturn,
  applySubmission,
  applyVerification,
  insertPendingExtension,
  type ChangeBy,
  type ChangeScope,
} from '../../db/queries/measure-changes.js';
import { getMeasure, type MeasureRow } from '../../db/queries/measures-write.js';
import { findPersonById, listPeopleWithRole, type Actor } from '../../db/queries/people.js';
import type { ServiceDeps } from '../deps.js';
import { UserError } from '../services/errors.js';
import { deadlineRangeProblem } from '../domain/dates.js';
import { reportTextProblem } from './report-rules.js';
import { canDecideExtension, canReport, canRequestExtension, canSubmit, canVerify, isManager, ownedScopeOf } from './measure-access.js';
import { DEADLINE_KIND_LABELS, EXTENSION_STATUS_LABELS, STATUS_LABELS } from '../domain/labels.js';
import type { Notice } from './notice.js';
import { evidenceOf, lacksEvidence, NEEDS_EVIDENCE } from './evidence.service.js';

/**
 * Every change to a measure: progress reports, submission for verification, verification,
 * return, and extensions. Each change is one transaction (a batch on D1) whose statements are
 * guarded by conditions on the rows as they are inside it, so concurrent changes to one measure
 * each either apply or are refused, never lost; each writes the audit log and is idempotent
 * for a given key (a redelivered event or a double click changes nothing the second time).
 * Permission is checked on the earlier read for a clear message, and again inside the
 * transaction where a concurrent reassignment could change it.
 */

export interface ChangeResult {
  measure: MeasureRow;
  notices: Notice[];
  /** false when the same request had already been applied */
  applied: boolean;
}

const actorLabel = (a: Actor) => a.person?.name ?? a.openId;

const alreadyReported = (deps: ServiceDeps, key: string): Promise<boolean> => hasReportWithKey(deps.db, key);

/** This actor changing this measure now (the changes in db/queries/measure-changes.ts are guarded and atomic). */
function by(deps: ServiceDeps, measure: MeasureRow, actor: Actor): ChangeBy {
  return { measureId: measure.id, actor: actor.openId, at: deps.clock.now().toISOString() };
}

/** The measures this actor may change as an owner (managers may change any). */
function ownerScope(actor: Actor): ChangeScope {
  return isManager(actor) ? 'any' : ownedScopeOf(actor);
}

/** The measure as it is now; a change whose condition failed explains itself from it. */
async function current(deps: ServiceDeps, measure: MeasureRow): Promise<MeasureRow> {
  const now = await getMeasure(deps.db, measure.id);
  if (!now) throw new UserError(`措施 ${measure.code} 已不存在。`);
  return now;
}

/** A change that lost to another writer in a way the caller did not foresee: nothing was stored. */
const notStored = (measure: MeasureRow) =>
  new UserError(`措施 ${measure.code} 刚刚被其他人更新，本次操作没有生效，请发送 /show ${measure.code} 查看最新情况后再试。`);

async function verifiers(deps: ServiceDeps, measure: MeasureRow): Promise<string[]> {
  const secretaries = await listPeopleWithRole(deps.db, ['secretary']);
  const leaderIds = new Set<string>();
  if (measure.leaderPersonId) {
    const leader = await findPersonById(deps.db, measure.leaderPersonId);
    if (leader?.openId) leaderIds.add(leader.openId);
  }
  if (leaderIds.size === 0) for (const l of await listPeopleWithRole(deps.db, ['leader'])) if (l.openId) leaderIds.add(l.openId);
  return [...new Set([...secretaries.map((s) => s.openId).filter((x): x is string => !!x), ...leaderIds])];
}

async function ownerOpenIds(deps: ServiceDeps, measure: MeasureRow): Promise<string[]> {
  if (!measure.ownerPersonId) return [];
  const owner = await findPersonById(deps.db, measure.ownerPersonId);
  return owner?.openId ? [owner.openId] : [];
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
  const updated = await applyProgressReport(deps.db, {
    ...by(deps, measure, actor),
    scope: ownerScope(actor),
    percent: p.percent,
    note: p.text.slice(0, 200),
    report: { authorPersonId: actor.person?.id ?? null, authorName: actor.person?.name ?? null, text: p.text, source: p.source, key: p.key },
  });
  if (updated) return { measure: updated, notices: [], applied: true };
  const now = await current(deps, measure);
  if (await alreadyReported(deps, p.key)) return { measure: now, notices: [], applied: false };
  if (now.status === 'closed') throw new UserError(`措施 ${measure.code} 刚刚已销号，本次进展没有记录。`);
  if (!canReport(actor, now)) throw new UserError(`措施 ${measure.code} 刚刚已改由他人负责，本次进展没有记录。如有疑问请联系整改办。`);
  throw notStored(measure);
}

export async function submitForVerification(deps: ServiceDeps, p: { actor: Actor; measure: MeasureRow; note?: string; key: string }): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canSubmit(actor, measure)) throw new UserError(`您不是措施 ${measure.code} 的责任人，不能申请销号。`);
  if (measure.status === 'submitted') return { measure, notices: [], applied: false };
  if (measure.status === 'closed') throw new UserError(`措施 ${measure.code} 已销号。`);
  const requireEvidence = deps.config.evidence.required;
  if (requireEvidence && (await lacksEvidence(deps, measure.id))) throw new UserError(NEEDS_EVIDENCE(measure.code));
  const updated = await applySubmission(deps.db, { ...by(deps, measure, actor), scope: ownerScope(actor), note: p.note, requireEvidence });
  if (!updated) {
    const now = await current(deps, measure);
    if (now.status === 'submitted') return { measure: now, notices: [], applied: false };
    if (now.status === 'closed') throw new UserError(`措施 ${measure.code} 刚刚已销号。`);
    if (!canSubmit(actor, now)) throw new UserError(`措施 ${measure.code} 刚刚已改由他人负责，销号申请没有提交。`);
    if (requireEvidence && (await lacksEvidence(deps, measure.id))) throw new UserError(NEEDS_EVIDENCE(measure.code));
    throw notStored(measure);
  }
  const text = `${actorLabel(actor)} 申请为措施 ${measure.code} 销号${p.note ? `，说明：${p.note}` : ''}。请审核：/verify ${measure.code} 通过，或 /return ${measure.code} <原因> 退回。`;
  return {
    measure: updated,
    notices: noticesTo(await verifiers(deps, measure), actor.openId, text, `submit:${measure.id}:${updated.version}`, measure.id, { kind: 'measure' }),
    applied: true,
  };
}

/** Why a verification or a return did not apply: the measure is no longer waiting for it. */
function notWaiting(measure: MeasureRow, now: MeasureRow, what: string): UserError {
  return new UserError(`措施 ${measure.code} 目前是“${STATUS_LABELS[now.status]}”，${what}`);
}

export async function verifyMeasure(deps: ServiceDeps, p: { actor: Actor; measure: MeasureRow; key: string }): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canVerify(actor)) throw new UserError('只有领导或整改办可以审核销号。');
  if (measure.status === 'closed') return { measure, notices: [], applied: false };
  if (measure.status !== 'submitted') throw notWaiting(measure, measure, '责任人申请销号后才能审核。');
  const updated = await applyVerification(deps.db, { ...by(deps, measure, actor), verifiedBy: actorLabel(actor) });
  if (!updated) {
    const now = await current(deps, measure);
    if (now.status === 'closed') return { measure: now, notices: [], applied: false };
    throw notWaiting(measure, now, '销号申请已被处理，本次审核没有生效。');
  }
  const text = `措施 ${measure.code} 已通过审核，正式销号。感谢您的辛苦工作！`;
  return {
    measure: updated,
    notices: noticesTo(await ownerOpenIds(deps, measure), actor.openId, text, `verify:${measure.id}:${updated.version}`, measure.id),
    applied: true,
  };
}

export async function returnMeasure(deps: ServiceDeps, p: { actor: Actor; measure: MeasureRow; reason: string; key: string }): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canVerify(actor)) throw new UserError('只有领导或整改办可以退回销号申请。');
  if (measure.status !== 'submitted') throw notWaiting(measure, measure, '只有待销号的措施可以退回。');
  const updated = await applyReturn(deps.db, { ...by(deps, measure, actor), reason: p.reason });
  if (!updated) throw notWaiting(measure, await current(deps, measure), '销号申请已被处理，本次退回没有生效。');
  const missing =
    (await evidenceOf(deps, measure.id)).items.length === 0 ? `该措施目前没有任何佐证材料，请补充上传（发送 /佐证 ${measure.code} 后发送文件）。` : '';
  const text = `措施 ${measure.code} 的销号申请被退回，原因：${p.reason}。${missing}请继续整改后再次申请。`;
  return {
    measure: updated,
    notices: noticesTo(await ownerOpenIds(deps, measure), actor.openId, text, `return:${measure.id}:${updated.version}`, measure.id),
    applied: true,
  };
}

export type { ExtensionRow };

export async function pendingExtension(deps: ServiceDeps, measureId: number): Promise<ExtensionRow | undefined> {
  return findPendingExtension(deps.db, measureId);
}

export async function requestExtension(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; newDate: string; reason: string; today: string; key: string },
): Promise<ChangeResult & { request?: ExtensionRow }> {
  const { actor, measure } = p;
  if (!canRequestExtension(actor, measure)) throw new UserError(`只有措施 ${measure.code} 的责任人可以申请延期。`);
  if (measure.status === 'closed' || measure.status === 'submitted')
    throw new UserError(`措施 ${measure.code} 目前是“${STATUS_LABELS[measure.status]}”，不能申请延期。`);
  if (measure.deadlineKind === 'unset') throw new UserError(`措施 ${measure.code} 的整改时限待定，尚无完成日期可以延期；请联系整改办设定时限。`);
  if (measure.deadlineKind !== 'dated') throw new UserError(`措施 ${measure.code} 没有具体完成日期（立行立改或长期坚持），无需申请延期。`);
  if (p.newDate <= p.today) throw new UserError(`新的完成日期 ${p.newDate} 应晚于今天。`);
  const tooFar = deadlineRangeProblem(p.newDate, p.today);
  if (tooFar) throw new UserError(tooFar);
  if (measure.dueDate && p.newDate <= measure.dueDate) throw new UserError(`新的完成日期 ${p.newDate} 应晚于原定的 ${measure.dueDate}。`);
  const existing = await requestWithKey(deps, p.key);
  if (existing) return { measure, notices: [], applied: false, request: existing };
  if (await pendingExtension(deps, measure.id)) throw new UserError(`措施 ${measure.code} 已有一个待审批的延期申请，请等待整改办处理。`);
  // Eligibility is checked again inside the transaction: the measure may have been closed,
  // submitted, reassigned or given another pending request since it was read.
  const request = await insertPendingExtension(deps.db, {
    ...by(deps, measure, actor),
    scope: ownerScope(actor),
    requestedBy: actor.person?.id ?? null,
    newDueDate: p.newDate,
    reason: p.reason,
    key: p.key,
  });
  if (!request) {
    const again = await requestWithKey(deps, p.key);
    if (again) return { measure, notices: [], applied: false, request: again };
    if (await pendingExtension(deps, measure.id)) throw new UserError(`措施 ${measure.code} 刚刚已有人提交了延期申请，请等待整改办处理。`);
    throw notStored(measure);
  }
  const secretaries = (await listPeopleWithRole(deps.db, ['secretary'])).map((s) => s.openId).filter((x): x is string => !!x);
  const text = `${actorLabel(actor)} 申请将措施 ${measure.code} 的完成时限由 ${request.oldDueDate ?? '未定'} 延至 ${p.newDate}，理由：${p.reason}。同意请发送 /approve-extension ${measure.code}，驳回请发送 /reject-extension ${measure.code} <原因>。`;
  return {
    measure,
    notices: noticesTo(secretaries, actor.openId, text, `ext:${request.id}`, measure.id, { kind: 'extension', requestId: request.id }),
    applied: true,
    request,
  };
}

const requestWithKey = (deps: ServiceDeps, key: string): Promise<ExtensionRow | undefined> => findExtensionByKey(deps.db, key);

export async function decideExtension(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; approve: boolean; reason?: string; key: string },
): Promise<ChangeResult> {
  const { actor, measure } = p;
  if (!canDecideExtension(actor)) throw new UserError('只有整改办可以审批延期申请。');
  const request = await pendingExtension(deps, measure.id);
  if (!request) throw new UserError(`措施 ${measure.code} 没有待审批的延期申请。`);
  // The measure changes only if this decision applied (another secretary may have decided the
  // request a moment earlier).
  const updated = await applyExtensionDecision(deps.db, {
    ...by(deps, measure, actor),
    requestId: request.id,
    approve: p.approve,
    newDueDate: request.newDueDate,
    decidedBy: actor.person?.id ?? null,
    reason: p.reason,
  });
  if (!updated) {
    const decided = await getExtensionRequest(deps.db, request.id);
    throw new UserError(`措施 ${measure.code} 的延期申请刚刚已被处理（${EXTENSION_STATUS_LABELS[decided?.status ?? 'pending']}），本次审批没有生效。`);
  }
  const requesterOpenId = request.requestedBy ? (await findPersonById(deps.db, request.requestedBy))?.openId : undefined;
  const requester = requesterOpenId ? [requesterOpenId] : [];
  const text = p.approve
    ? `您为措施 ${measure.code} 申请的延期已获同意，新的完成时限为 ${updated.dueDate}（原定 ${request.oldDueDate ?? '未定'}）。`
    : `您为措施 ${measure.code} 申请的延期未获同意，原因：${p.reason}。完成时限仍为 ${updated.dueDate ?? '未定'}。`;
  return { measure: updated, notices: noticesTo(requester, actor.openId, text, `extd:${request.id}`, measure.id), applied: true };
}

/** What the secretary may set a deadline to: a date, 立行立改 or 长期坚持 (never back to 时限待定). */
export type DeadlineSetting = { kind: 'dated'; dueDate: string } | { kind: 'immediate' | 'ongoing' };

/** The deadline as written once set in chat: the date itself, or the kind's name. */
export const deadlineTextOf = (d: DeadlineSetting): string => (d.kind === 'dated' ? d.dueDate : DEADLINE_KIND_LABELS[d.kind]);

/**
 * Sets a measure's deadline (usually one the source left unset): the secretary's decision, so it
 * replaces the original due date too, as a re-import stating it would. A pending extension
 * request is decided first: setting a date under it would make its decision meaningless.
 */
export async function setDeadline(
  deps: ServiceDeps,
  p: { actor: Actor; measure: MeasureRow; deadline: DeadlineSetting; today: string },
): Promise<ChangeResult> {
  const { actor, measure, deadline } = p;
  if (!isManager(actor)) throw new UserError('只有整改办可以设定整改时限。');
  if (measure.status === 'closed') throw new UserError(`措施 ${measure.code} 已销号，不能再设定整改时限。`);
  if (deadline.kind === 'dated') {
    const outOfRange = deadlineRangeProblem(deadline.dueDate, p.today);
    if (outOfRange) throw new UserError(outOfRange);
  }
  const dueDate = deadline.kind === 'dated' ? deadline.dueDate : null;
  const deadlineText = deadlineTextOf(deadline);
  const same = (m: MeasureRow) => m.deadlineKind === deadline.kind && m.dueDate === dueDate && m.originalDueDate === dueDate && m.deadlineText === deadlineText;
  if (same(measure)) return { measure, notices: [], applied: false };
  if (await pendingExtension(deps, measure.id)) throw new UserError(`措施 ${measure.code} 有待审批的延期申请，请先同意或驳回，再设定时限。`);
  // The history shows the dates from the audit row; the note names an open kind, which has none.
  const updated = await applyDeadline(deps.db, {
    ...by(deps, measure, actor),
    kind: deadline.kind,
    deadlineText,
    dueDate,
    note: deadline.kind === 'dated' ? undefined : deadlineText,
  });
  if (updated) return { measure: updated, notices: [], applied: true };
  const now = await current(deps, measure);
  if (same(now)) return { measure: now, notices: [], applied: false };
  if (now.status === 'closed') throw new UserError(`措施 ${measure.code} 刚刚已销号，整改时限没有更改。`);
  if (await pendingExtension(deps, measure.id)) throw new UserError(`措施 ${measure.code} 刚刚有人提交了延期申请，请先同意或驳回，再设定时限。`);
  throw notStored(measure);
}
