import { boundedLines, fitCard, percentText } from './bounded-list.js';
import { escapeCardMarkdown, escapeTextMessage, excerpt } from './escape.js';
import { DEADLINE_KIND_LABELS, STATUS_LABELS } from '../src/domain/labels.js';

/** The leading group's weekly summary of one campaign, as a card and as plain text. */

export interface WeeklySummaryRow {
  code: string;
  text: string;
  department: string | null;
  ownerName: string | null;
  ownerOpenId: string | null;
  countdown: string;
  daysOverdue: number;
  /** 10月15日 */
  dueLabel: string | null;
}

export interface WeeklySummaryDepartmentRow {
  department: string;
  total: number;
  closed: number;
  submitted: number;
  inProgress: number;
  overdue: number;
  rate: number;
}

export interface WeeklySummaryView {
  campaignName: string;
  /** 2025年第42周 */
  weekLabel: string;
  /** 10月6日—10月12日 */
  windowLabel: string;
  /** 10月13日 */
  asOfLabel: string;
  total: number;
  closed: number;
  submitted: number;
  inProgress: number;
  overdueCount: number;
  /** open measures whose deadline is still to be set (时限待定); none when absent */
  unsetCount?: number;
  /** 回头看: re-checks sent and not yet answered; none when absent */
  recheckAwaiting?: number;
  /** measures a re-check found rebounded (reopened) in the window; none when absent */
  reopenedThisWeek?: number;
  completionRate: number;
  previousRate: number | null;
  closedThisWeek: WeeklySummaryRow[];
  submittedList: WeeklySummaryRow[];
  newlyOverdue: WeeklySummaryRow[];
  overdue: WeeklySummaryRow[];
  dueNextWeek: WeeklySummaryRow[];
  /**
   * how many rows each list has when the lists above hold only their first rows (at least
   * WEEKLY_SUMMARY_MAX_ROWS of them); a list not named here is whole
   */
  listTotals?: Partial<Record<ListKey, number>>;
  departments: WeeklySummaryDepartmentRow[];
  trend: Array<{ label: string; rate: number }>;
  /** @-mention owners in the overdue list (off by default: a group is not the place to name people) */
  mentionOwners: boolean;
}

const TEXT_LEN = 30;
/** The most rows of one list either form shows: the card (fitCard's largest limit) and the text. */
const CARD_MAX_ROWS = 30;
const TEXT_MAX_ROWS = 40;
export const WEEKLY_SUMMARY_MAX_ROWS = Math.max(CARD_MAX_ROWS, TEXT_MAX_ROWS);
const MAX_DEPARTMENT_ROWS = 60;
const OPEN_ID = /^ou_[0-9A-Za-z_-]+$/;

export function rateChangeText(rate: number, previous: number | null): string {
  if (previous === null) return '';
  const points = Math.round((rate - previous) * 1000) / 10;
  if (points === 0) return '（与上周持平）';
  return `（较上周${points > 0 ? '提高' : '下降'} ${Math.abs(points).toFixed(1)} 个百分点）`;
}

function overviewLines(v: WeeklySummaryView): string[] {
  return [
    `整改措施共 ${v.total} 项：已销号 ${v.closed} 项，待审核销号 ${v.submitted} 项，推进中 ${v.inProgress} 项，其中逾期 ${v.overdueCount} 项。`,
    `完成率 ${percentText(v.completionRate)}${rateChangeText(v.completionRate, v.previousRate)}`,
    `本周（${v.windowLabel}）销号 ${listTotal(v, 'closedThisWeek')} 项，新增逾期 ${listTotal(v, 'newlyOverdue')} 项；未来 7 天到期 ${listTotal(v, 'dueNextWeek')} 项。`,
    ...(v.unsetCount ? [`${DEADLINE_KIND_LABELS.unset} ${v.unsetCount} 项，请整改办设定整改时限（发送 /status ${DEADLINE_KIND_LABELS.unset} 查看）。`] : []),
    ...(v.recheckAwaiting || v.reopenedThisWeek
      ? [`回头看：待确认整改成效 ${v.recheckAwaiting ?? 0} 项；本周出现反弹、恢复整改 ${v.reopenedThisWeek ?? 0} 项。`]
      : []),
  ];
}

type ListKey = 'closedThisWeek' | 'submittedList' | 'newlyOverdue' | 'overdue' | 'dueNextWeek';
const listTotal = (v: WeeklySummaryView, key: ListKey) => v.listTotals?.[key] ?? v[key].length;
const LISTS: Array<{ key: ListKey; title: string; detail: (r: WeeklySummaryRow) => string }> = [
  { key: 'overdue', title: '逾期清单', detail: (r) => `逾期 ${r.daysOverdue} 天` },
  { key: 'newlyOverdue', title: '本周新增逾期', detail: (r) => `逾期 ${r.daysOverdue} 天` },
  { key: 'closedThisWeek', title: '本周销号', detail: () => STATUS_LABELS.closed },
  { key: 'submittedList', title: '待审核销号', detail: (r) => (r.dueLabel ? `原定 ${r.dueLabel}到期` : '待审核') },
  {
    key: 'dueNextWeek',
    title: '未来 7 天到期',
    detail: (r) => (r.dueLabel && r.countdown !== '今日到期' ? `${r.dueLabel}到期 · ${r.countdown}` : r.countdown),
  },
];

function cardRow(r: WeeklySummaryRow, detail: string, mention: boolean): string {
  const at = mention && r.ownerOpenId && OPEN_ID.test(r.ownerOpenId) ? ` <at id=${r.ownerOpenId}></at>` : '';
  const dept = r.department ? `${escapeCardMarkdown(r.department)} · ` : '';
  return `- **${escapeCardMarkdown(r.code)}** ${escapeCardMarkdown(excerpt(r.text, TEXT_LEN))}（${dept}${escapeCardMarkdown(detail)}）${at}`;
}

function trendChart(trend: WeeklySummaryView['trend']): Record<string, unknown> {
  return {
    tag: 'chart',
    aspect_ratio: '2:1',
    chart_spec: {
      type: 'line',
      title: { text: '完成率走势（%）' },
      data: { values: trend.map((t) => ({ week: t.label, rate: Math.round(t.rate * 1000) / 10 })) },
      xField: 'week',
      yField: 'rate',
      point: { visible: true },
      label: { visible: true },
      axes: [{ orient: 'left', min: 0, max: 100 }],
    },
  };
}

function departmentTable(rows: WeeklySummaryDepartmentRow[]): Record<string, unknown> {
  const column = (name: string, display: string, dataType: 'lark_md' | 'text' | 'number') => ({ name, display_name: display, data_type: dataType });
  return {
    tag: 'table',
    page_size: 10,
    columns: [
      column('department', '部门', 'lark_md'),
      column('total', '总数', 'number'),
      column('closed', STATUS_LABELS.closed, 'number'),
      column('in_progress', '推进中', 'number'),
      column('overdue', '逾期', 'number'),
      column('rate', '完成率', 'text'),
    ],
    rows: rows.slice(0, MAX_DEPARTMENT_ROWS).map((d) => ({
      department: escapeCardMarkdown(d.department),
      total: d.total,
      closed: d.closed,
      in_progress: d.inProgress + d.submitted,
      overdue: d.overdue,
      rate: percentText(d.rate),
    })),
  };
}

export function weeklySummaryCard(v: WeeklySummaryView): Record<string, unknown> {
  return fitCard((limit) => {
    const maxRows = Math.min(limit, CARD_MAX_ROWS);
    const elements: Record<string, unknown>[] = [{ tag: 'markdown', content: overviewLines(v).join('\n') }];
    if (v.trend.length >= 2) elements.push(trendChart(v.trend));
    for (const list of LISTS) {
      const rows = v[list.key];
      const total = listTotal(v, list.key);
      if (total === 0) continue;
      const mention = v.mentionOwners && (list.key === 'overdue' || list.key === 'newlyOverdue');
      const lines = boundedLines(
        rows,
        maxRows,
        (r) => cardRow(r, list.detail(r), mention),
        (n) => `- 另有 ${n} 项未列出`,
        total,
      );
      elements.push({ tag: 'markdown', content: `**${list.title}（${total} 项）**\n${lines.join('\n')}` });
    }
    if (v.departments.length > 0) {
      elements.push({ tag: 'markdown', content: '**各部门进度**' });
      elements.push(departmentTable(v.departments));
      if (v.departments.length > MAX_DEPARTMENT_ROWS) {
        elements.push({ tag: 'markdown', content: `另有 ${v.departments.length - MAX_DEPARTMENT_ROWS} 个部门未列出` });
      }
    }
    return {
      schema: '2.0',
      config: { update_multi: true },
      header: {
        title: { tag: 'plain_text', content: `整改工作周报 · ${v.weekLabel}` },
        subtitle: { tag: 'plain_text', content: `${v.campaignName} · 截至 ${v.asOfLabel}` },
        template: v.overdueCount > 0 ? 'orange' : v.total > 0 && v.closed === v.total ? 'green' : 'blue',
      },
      body: { elements },
    };
  });
}

/** The same summary as a plain text message (sent when the card is refused). */
export function weeklySummaryText(v: WeeklySummaryView): string {
  const out = [`【整改工作周报 · ${v.weekLabel}】`, `${v.campaignName} · 截至 ${v.asOfLabel}`, '', ...overviewLines(v)];
  if (v.trend.length >= 2) out.push(`完成率走势：${v.trend.map((t) => `${t.label} ${percentText(t.rate)}`).join(' → ')}`);
  for (const list of LISTS) {
    const rows = v[list.key];
    const total = listTotal(v, list.key);
    if (total === 0) continue;
    out.push('', `${list.title}（${total} 项）`);
    out.push(
      ...boundedLines(
        rows,
        TEXT_MAX_ROWS,
        (r) => `· ${r.code} ${excerpt(r.text, TEXT_LEN)}（${r.department ? `${r.department} · ` : ''}${list.detail(r)}）`,
        undefined,
        total,
      ),
    );
  }
  if (v.departments.length > 0) {
    out.push('', '各部门进度（总数 / 已销号 / 推进中 / 逾期 / 完成率）');
    out.push(
      ...boundedLines(
        v.departments,
        MAX_DEPARTMENT_ROWS,
        (d) => `· ${d.department}：${d.total} / ${d.closed} / ${d.inProgress + d.submitted} / ${d.overdue} / ${percentText(d.rate)}`,
        (n) => `另有 ${n} 个部门未列出`,
      ),
    );
  }
  return escapeTextMessage(out.join('\n'));
}
