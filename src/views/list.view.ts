/** A page of a measure list as a card, with 上一页 / 下一页 that page the same list. */
import { measureListCard } from '../../cards/measure-list.card.js';
import type { MeasureListRow } from '../../cards/views.js';
import type { LedgerMeasure } from '../services/ledger-stats.js';
import type { Reply } from './reply.js';

export function listRowOf(m: LedgerMeasure): MeasureListRow {
  return {
    id: m.id,
    code: m.code,
    text: m.text,
    department: m.departmentName,
    ownerName: m.ownerName,
    countdownLabel: m.deadline.label,
    deadlineState: m.deadline.state,
    status: m.status,
  };
}

/** One page of a list as a card; `measures` are the rows of that page only. */
export function listReply(p: {
  title: string;
  subtitle?: string;
  measures: LedgerMeasure[];
  page: number;
  pageCount: number;
  total: number;
  command: string;
  filter?: string;
  emptyText: string;
  viewer: string;
  rowOf?: (m: LedgerMeasure) => MeasureListRow;
}): Reply {
  const { page, pageCount, total } = p;
  return {
    kind: 'card',
    card: measureListCard({
      title: p.title,
      subtitle: p.subtitle,
      rows: p.measures.map(p.rowOf ?? listRowOf),
      page,
      pageCount,
      total,
      query: { command: p.command, filter: p.filter },
      emptyText: p.emptyText,
    }),
    cardRef: { kind: 'list', context: { command: p.command, filter: p.filter, page, viewer: p.viewer } },
  };
}
