/**
 * Lists of measures (/mine, /overdue, /due, /status <department>): one compact row per
 * measure with its countdown, at most LIST_PAGE_SIZE rows a card, with 上一页 / 下一页,
 * so a card stays far below the platform limits however large the ledger.
 */
import { LIST_PAGE } from './actions.js';
import { bold, button, buttonRow, card, colored, markdown, md, note, STATE_COLORS, type Card, type CardElement } from './elements.js';
import { excerpt } from './escape.js';
import { STATUS_LABELS } from '../src/domain/labels.js';
import type { MeasureListRow, MeasureListView } from './views.js';

export const LIST_PAGE_SIZE = 10;
const ROW_TEXT_CHARS = 40;

/** The page shown of `total` rows (page is clamped to the existing pages) and where its rows start. */
export function pageWindow(total: number, page: number, pageSize = LIST_PAGE_SIZE) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  return { page: current, pageCount, total, offset: (current - 1) * pageSize, limit: pageSize };
}

/** Cuts one page out of all rows (page is clamped to the existing pages). */
export function paginateList<T>(rows: T[], page: number, pageSize = LIST_PAGE_SIZE) {
  const { offset, limit, ...window } = pageWindow(rows.length, page, pageSize);
  return { rows: rows.slice(offset, offset + limit), ...window };
}

export function measureListCard(view: MeasureListView): Card {
  const rows = view.rows.slice(0, LIST_PAGE_SIZE);
  const elements: CardElement[] = rows.length === 0 ? [note(view.emptyText ?? '暂无符合条件的措施')] : rows.map((row) => markdown(listRow(row)));
  elements.push(...pager(view));
  const subtitle = [view.subtitle, `共 ${view.total} 项`].filter(Boolean).join(' · ');
  return card({ title: view.title, subtitle, template: 'blue', elements });
}

function listRow(row: MeasureListRow) {
  const who = [row.department, row.ownerName].filter((s): s is string => Boolean(s)).join(' · ');
  const countdown = colored(row.countdownLabel, STATE_COLORS[row.deadlineState]);
  return md`${bold(row.code)} ${excerpt(row.text, ROW_TEXT_CHARS)}\n${who || '未指定责任人'} · ${countdown} · ${STATUS_LABELS[row.status]}`;
}

function pager(view: MeasureListView): CardElement[] {
  if (view.pageCount <= 1) return [];
  const value = (page: number) => ({ action: LIST_PAGE, command: view.query.command, filter: view.query.filter, page });
  const buttons: CardElement[] = [];
  if (view.page > 1) buttons.push(button({ label: '上一页', value: value(view.page - 1) }));
  if (view.page < view.pageCount) buttons.push(button({ label: '下一页', value: value(view.page + 1), type: 'primary' }));
  return [note(`第 ${view.page} / ${view.pageCount} 页`), buttonRow(buttons)];
}
