/** A 回头看 (re-check) as a card: the measure, its closure, and the two answers or the answer given. */
import { recheckCard, recheckText, type RecheckView } from '../../cards/recheck.card.js';
import type { ServiceDeps } from '../deps.js';
import { workCalendarFor } from '../services/calendar.js';
import { formatChineseDate } from '../services/deadline-state.js';
import { measureDetail } from '../services/measure-views.js';
import { REBOUND_REASON_MAX, recheckDetail, verifierNameOf, type DueRecheck, type RecheckDetail } from '../services/rechecks.js';
import type { CardRef } from '../services/records.js';

export async function recheckViewOf(deps: ServiceDeps, found: RecheckDetail): Promise<RecheckView> {
  const { recheck, measure } = found;
  const calendar = workCalendarFor(deps);
  const today = calendar.toDate(deps.clock.now());
  const dayLabel = (iso: string) => formatChineseDate(calendar.toDate(new Date(iso)), today);
  const detail = await measureDetail(deps, measure);
  return {
    recheckId: recheck.id,
    measureId: measure.id,
    code: measure.code,
    measureText: measure.text,
    department: detail.departmentName,
    ownerName: detail.ownerName,
    months: deps.config.scheduler.recheckAfterMonths,
    closedOnLabel: dayLabel(recheck.closedAt),
    verifierName: found.verifierName,
    answer: recheck.outcome
      ? {
          outcome: recheck.outcome,
          by: recheck.answeredByName ?? recheck.answeredBy ?? '',
          onLabel: recheck.answeredAt ? dayLabel(recheck.answeredAt) : '',
          reason: recheck.reason,
        }
      : null,
    reasonMax: REBOUND_REASON_MAX,
  };
}

/** What a re-check card is remembered as once sent, so its buttons can be checked and its copies updated. */
const recheckCardRef = (found: RecheckDetail): CardRef => ({ kind: 'recheck', measureId: found.measure.id, context: { recheckId: found.recheck.id } });

/** The card and its text version for a re-check, or undefined when it no longer exists. */
export async function recheckMessage(
  deps: ServiceDeps,
  recheckId: number,
): Promise<{ card: Record<string, unknown>; text: string; cardRef: CardRef } | undefined> {
  const found = await recheckDetail(deps, recheckId);
  if (!found) return undefined;
  const view = await recheckViewOf(deps, found);
  return { card: recheckCard(view), text: recheckText(view), cardRef: recheckCardRef(found) };
}

/** The card of a re-check the daily job is about to send (in a dry run, not yet opened: id 0). */
export async function dueRecheckMessage(deps: ServiceDeps, due: DueRecheck): Promise<{ card: Record<string, unknown>; text: string; cardRef: CardRef }> {
  const c = due.candidate;
  const calendar = workCalendarFor(deps);
  const recheckId = due.recheck?.id ?? 0;
  const view: RecheckView = {
    recheckId,
    measureId: c.measureId,
    code: c.code,
    measureText: c.text,
    department: c.departmentName,
    ownerName: c.ownerName,
    months: deps.config.scheduler.recheckAfterMonths,
    closedOnLabel: formatChineseDate(calendar.toDate(new Date(c.closedAt)), calendar.toDate(deps.clock.now())),
    verifierName: await verifierNameOf(deps, due.recheck?.verifierOpenId ?? c.verifierOpenId),
    answer: null,
    reasonMax: REBOUND_REASON_MAX,
  };
  return { card: recheckCard(view), text: recheckText(view), cardRef: { kind: 'recheck', measureId: c.measureId, context: { recheckId } } };
}
