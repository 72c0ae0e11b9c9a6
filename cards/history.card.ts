/** The record of a measure: progress reports and status changes, newest first. */
import { bold, card, colored, hr, markdown, md, note, text, type Card, type CardElement } from './elements.js';
import { excerpt } from './escape.js';
import { STATUS_LABELS } from '../src/domain/labels.js';
import type { HistoryEntry, HistoryView } from './views.js';

/** Each entry is two or three components; this keeps the card well under 200. */
export const HISTORY_ENTRIES_SHOWN = 30;

export function historyCard(view: HistoryView): Card {
  const entries = view.entries.slice(0, HISTORY_ENTRIES_SHOWN);
  const elements: CardElement[] = [markdown(md`${bold('措施')}：${excerpt(view.text, 120)}`), hr()];
  if (entries.length === 0) elements.push(note('暂无记录'));
  for (const entry of entries) elements.push(...historyEntry(entry));
  const omitted = (view.omitted ?? 0) + (view.entries.length - entries.length);
  if (omitted > 0) elements.push(note(`更早的 ${omitted} 条记录未显示`));
  return card({ title: `整改记录 ${view.code}`, subtitle: `共 ${view.entries.length + (view.omitted ?? 0)} 条`, template: 'indigo', elements });
}

function historyEntry(entry: HistoryEntry): CardElement[] {
  switch (entry.kind) {
    case 'report': {
      const percent = entry.percent === null ? null : md` · ${entry.percent}%`;
      return [markdown(md`${bold('进展汇报')} ${entry.author} · ${entry.date}${percent}`), text(excerpt(entry.text, 300), { lines: 5 })];
    }
    case 'status': {
      const from = entry.from ? md`${STATUS_LABELS[entry.from]} → ` : md``;
      const out = [markdown(md`${bold('状态变更')} ${entry.actor} · ${entry.date}\n${from}${colored(STATUS_LABELS[entry.to], 'blue')}`)];
      if (entry.note) out.push(text(`说明：${excerpt(entry.note, 200)}`, { lines: 3 }));
      return out;
    }
    case 'change':
      return [markdown(md`${bold('变更')} ${entry.actor} · ${entry.date}`), text(excerpt(entry.summary, 200), { lines: 3 })];
  }
}
