/** A measure's record (reports, status changes, other changes) as a card, in plain Chinese. */
import { historyCard } from '../../cards/history.card.js';
import type { HistoryEntry } from '../../cards/views.js';
import type { MeasureDetail } from '../services/measure-views.js';
import type { MeasureStatus } from '../services/records.js';
import type { Reply } from './reply.js';

const localDate = (iso: string) => iso.slice(0, 10);

const ACTION_WORDS: Record<string, string> = {
  assign: '指派责任人',
  extension_requested: '申请延期',
  extension_approved: '同意延期',
  extension_rejected: '驳回延期',
  deadline_set: '设定整改时限',
  import: '台账导入',
  import_update: '台账更新',
  'import.add': '导入台账：新增措施',
  'import.update': '导入台账：更新措施',
  'import.missing': '导入台账：新台账中已没有这条措施',
};

/** Who acted, for people: a name (resolved before), or what a system actor stands for. */
const SYSTEM_ACTORS: Record<string, string> = { import: '命令行导入' };
const actorLabel = (actor: string) => SYSTEM_ACTORS[actor] ?? actor;

function historyEntriesOf(detail: MeasureDetail): HistoryEntry[] {
  const entries: HistoryEntry[] = detail.reports.map((r) => ({ kind: 'report', date: localDate(r.at), author: r.author ?? '', text: r.text, percent: r.percent }));
  for (const h of detail.history) {
    const before = (h.before ?? {}) as { status?: MeasureStatus; dueDate?: string };
    const after = (h.after ?? {}) as { status?: MeasureStatus; dueDate?: string };
    if (after.status && after.status !== before.status) {
      entries.push({ kind: 'status', date: localDate(h.at), actor: actorLabel(h.actor), from: before.status ?? null, to: after.status, note: h.note });
    } else if (h.action !== 'report') {
      const dates = before.dueDate !== undefined || after.dueDate !== undefined ? `：${before.dueDate ?? '未定'} → ${after.dueDate ?? '未定'}` : '';
      entries.push({ kind: 'change', date: localDate(h.at), actor: actorLabel(h.actor), summary: `${ACTION_WORDS[h.action] ?? h.action}${dates}${h.note ? `（${h.note}）` : ''}` });
    }
  }
  return entries.sort((a, b) => b.date.localeCompare(a.date));
}

export function historyReply(detail: MeasureDetail): Reply {
  const entries = historyEntriesOf(detail);
  return {
    kind: 'card',
    card: historyCard({ measureId: detail.measure.id, code: detail.measure.code, text: detail.measure.text, entries, omitted: 0 }),
    cardRef: { kind: 'history', measureId: detail.measure.id },
  };
}
