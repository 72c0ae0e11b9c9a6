/**
 * 回头看: months after a measure is closed, whoever verified the closure and its owner are asked
 * whether the result has held. Due N calendar months after the closure date (RECHECK_AFTER_MONTHS),
 * moved to the next working day; the daily job opens it (one row per closure) and sends the card.
 * 成效巩固 records the answer; 出现反弹 reopens the measure (back to 整改中) with the reason in its
 * history and tells the secretaries. Each closure is re-checked once, and answered once.
 */
import { getMeasure } from '../../db/queries/measures-write.js';
import { findPersonByOpenId, listPeopleWithRole } from '../../db/queries/people.js';
import {
  getRecheck,
  listRecheckCandidates,
  openRecheck,
  recordRecheckHeld,
  recordRecheckRebound,
  type RecheckCandidate,
  type RecheckRow,
} from '../../db/queries/rechecks.js';
import { addMonths } from '../domain/dates.js';
import type { RecheckOutcome } from '../domain/enums.js';
import { STATUS_LABELS } from '../domain/labels.js';
import type { ServiceDeps } from '../deps.js';
import { workCalendarFor, type WorkCalendar } from './calendar.js';
import { UserError } from './errors.js';
import { canAnswerRecheck } from './measure-access.js';
import type { Notice } from './notice.js';
import type { Actor, MeasureRow } from './records.js';
import { charCount } from './report-rules.js';

export type { RecheckRow, RecheckCandidate };

/** The most characters a rebound reason may have (the card's form says the same). */
export const REBOUND_REASON_MAX = 500;

/** The working day a closure's re-check falls due: N months after the local closure date, or the next working day. */
export function recheckDueDate(calendar: WorkCalendar, closedAt: string, months: number): string {
  return calendar.nextWorkingDayOnOrAfter(addMonths(calendar.toDate(new Date(closedAt)), months));
}

export interface DueRecheck {
  candidate: RecheckCandidate;
  dueDate: string;
  /** the opened row; absent in a dry run */
  recheck?: RecheckRow;
  /** who gets the card: the verifier and the owner, or the secretaries when neither can be reached */
  recipients: string[];
}

/**
 * The re-checks to send on `day`: closures whose re-check fell due on or before it (a day the
 * service missed is caught up) and that no earlier day sent. Unless `dryRun`, each is opened as
 * sent on `day`, so later days leave it out while a re-run of `day` sends the same messages.
 */
export async function dueRechecks(deps: ServiceDeps, p: { day: string; dryRun?: boolean }): Promise<DueRecheck[]> {
  const months = deps.config.scheduler.recheckAfterMonths;
  if (months <= 0) return [];
  const calendar = workCalendarFor(deps);
  let secretaries: string[] | undefined;
  const out: DueRecheck[] = [];
  for (const candidate of await listRecheckCandidates(deps.db, { day: p.day })) {
    const dueDate = recheckDueDate(calendar, candidate.closedAt, months);
    if (dueDate > p.day) continue;
    const recheck = p.dryRun ? undefined : await openRecheck(deps.db, { ...candidate, dueDate, day: p.day, now: deps.clock.now().toISOString() });
    if (recheck && recheck.notifiedOn !== p.day) continue;
    let recipients = [...new Set([recheck?.verifierOpenId ?? candidate.verifierOpenId, candidate.ownerOpenId].filter((x): x is string => !!x))];
    if (recipients.length === 0) {
      secretaries ??= (await listPeopleWithRole(deps.db, ['secretary'])).map((s) => s.openId).filter((x): x is string => !!x);
      recipients = secretaries;
    }
    out.push({ candidate, dueDate, recheck, recipients });
  }
  return out;
}

/** A re-check with what its card shows. */
export interface RecheckDetail {
  recheck: RecheckRow;
  measure: MeasureRow;
  verifierName: string | null;
}

export async function verifierNameOf(deps: ServiceDeps, openId: string | null): Promise<string | null> {
  return openId ? ((await findPersonByOpenId(deps.db, openId))?.name ?? null) : null;
}

export async function recheckDetail(deps: ServiceDeps, recheckId: number): Promise<RecheckDetail | undefined> {
  const recheck = await getRecheck(deps.db, recheckId);
  if (!recheck) return undefined;
  const measure = await getMeasure(deps.db, recheck.measureId);
  if (!measure) return undefined;
  return { recheck, measure, verifierName: await verifierNameOf(deps, recheck.verifierOpenId) };
}

export interface RecheckAnswer {
  recheck: RecheckRow;
  measure: MeasureRow;
  /** false when the re-check had already been answered (by this person or another) */
  applied: boolean;
  notices: Notice[];
}

const OUTCOME_WORDS: Record<RecheckOutcome, string> = { held: '成效巩固', rebounded: '出现反弹' };

/** What an earlier answer was, in words for the person whose answer came second. */
export function earlierAnswerText(r: RecheckRow, dayOf: (iso: string) => string): string {
  const who = r.answeredByName ?? '他人';
  const when = r.answeredAt ? dayOf(r.answeredAt) : '';
  return r.outcome === 'rebounded'
    ? `该回头看已由${who}于${when}报告“出现反弹”，措施已恢复为“整改中”，本次操作没有生效。`
    : `该回头看已由${who}于${when}确认“${OUTCOME_WORDS.held}”，本次操作没有生效。`;
}

/**
 * Answers a re-check. Who may: whoever verified the closure, the measure's owner, the secretary
 * or an admin (from the database, never from the card). The answer is one guarded transaction:
 * a second answer (a double click, the other recipient at the same moment) applies nothing and
 * comes back with `applied: false` and the re-check as the first answer left it.
 */
export async function answerRecheck(
  deps: ServiceDeps,
  p: { actor: Actor; recheckId: number; outcome: RecheckOutcome; reason?: string },
): Promise<RecheckAnswer> {
  const found = await recheckDetail(deps, p.recheckId);
  if (!found) throw new UserError('该回头看记录已不存在。');
  const { recheck, measure } = found;
  if (!canAnswerRecheck(p.actor, recheck, measure)) throw new UserError(`只有措施 ${measure.code} 的销号审核人、责任人或整改办可以确认回头看。`);
  if (recheck.outcome) return { recheck, measure, applied: false, notices: [] };
  const answer = { recheckId: recheck.id, actor: p.actor.openId, actorName: p.actor.person?.name ?? null, at: deps.clock.now().toISOString() };

  if (p.outcome === 'held') {
    const held = await recordRecheckHeld(deps.db, answer);
    if (held) return { recheck: held, measure, applied: true, notices: [] };
    return { recheck: (await getRecheck(deps.db, recheck.id))!, measure, applied: false, notices: [] };
  }

  const reason = (p.reason ?? '').trim();
  if (!reason) throw new UserError('请填写反弹情况。');
  const n = charCount(reason);
  if (n > REBOUND_REASON_MAX) throw new UserError(`反弹情况最多 ${REBOUND_REASON_MAX} 字，本次 ${n} 字，请精简后再提交。`);
  const done = await recordRecheckRebound(deps.db, { ...answer, measureId: measure.id, closedAt: recheck.closedAt, reason, note: `回头看发现反弹：${reason}` });
  if (!done) {
    const now = (await getRecheck(deps.db, recheck.id))!;
    if (now.outcome) return { recheck: now, measure: (await getMeasure(deps.db, measure.id)) ?? measure, applied: false, notices: [] };
    const m = (await getMeasure(deps.db, measure.id)) ?? measure;
    throw new UserError(`措施 ${measure.code} 目前是“${STATUS_LABELS[m.status]}”，已不是本次回头看所针对的销号状态，没有记录反弹。`);
  }
  const by = p.actor.person?.name ?? p.actor.openId;
  const text = `回头看：措施 ${measure.code} 出现反弹（${by} 报告），情况：${reason}。措施已恢复为“整改中”，请督促整改后重新申请销号。`;
  const secretaries = (await listPeopleWithRole(deps.db, ['secretary'])).map((s) => s.openId).filter((x): x is string => !!x && x !== p.actor.openId);
  const notices: Notice[] = secretaries.map((toOpenId) => ({ toOpenId, text, key: `rebound:${recheck.id}:${toOpenId}`, measureId: measure.id }));
  return { recheck: done.recheck, measure: done.measure, applied: true, notices };
}
