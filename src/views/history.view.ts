/** A measure's record (reports, status changes, other changes) as a card, in plain Chinese. */
import { historyCard } from '../../cards/history.card.js';
import type { HistoryEntry } from '../../cards/views.js';
import type { MeasureDetail } from '../services/measure-views.js';
import { calendarDate } from '../domain/dates.js';
import type { MeasureStatus } from '../domain/enums.js';
import { ACTION_WORDS, SYSTEM_ACTORS } from '../domain/labels.js';
import type { Reply } from './reply.js';

/** The day something happened, in the campaign's time zone (stored times are UTC). */
const dayOf = (iso: string, timeZone: string) => calendarDate(new Date(iso), timeZone);

/** Who acted, for people: a name (resolved before), or what a system actor stands for. */
const actorLabel = (actor: string) => SYSTEM_ACTORS[actor] ?? actor;

function historyEntriesOf(detail: MeasureDetail, timeZone: string): HistoryEntry[] {
  const entries: HistoryEntry[] = detail.reports.map((r) => ({
    kind: 'report',
    date: dayOf(r.at, timeZone),
    author: r.author ?? '',
    text: r.text,
    percent: r.percent,
  }));
  for (const h of detail.history) {
    const before = (h.before ?? {}) as { status?: MeasureStatus; dueDate?: string };
    const after = (h.after ?? {}) as { status?: MeasureStatus; dueDate?: string };
    if (after.status && after.status !== before.status) {
      entries.push({ kind: 'status', date: dayOf(h.at, timeZone), actor: actorLabel(h.actor), from: before.status ?? null, to: after.status, note: h.note });
    } else if (h.action !== 'report') {
      const dates = before.dueDate !== undefined || after.dueDate !== undefined ? `：${before.dueDate ?? '未定'} → ${after.dueDate ?? '未定'}` : '';
      entries.push({
        kind: 'change',
        date: dayOf(h.at, timeZone),
        actor: actorLabel(h.actor),
        summary: `${ACTION_WORDS[h.action] ?? h.action}${dates}${h.note ? `（${h.note}）` : ''}`,
      });
    }
  }
  return entries.sort((a, b) => b.date.localeCompare(a.date));
}

export function historyReply(detail: MeasureDetail, timeZone: string): Reply {
  const entries = historyEntriesOf(detail, timeZone);
  return {
    kind: 'card',
    card: historyCard({ measureId: detail.measure.id, code: detail.measure.code, text: detail.measure.text, entries, omitted: 0 }),
    cardRef: { kind: 'history', measureId: detail.measure.id },
  };
}
