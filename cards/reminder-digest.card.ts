import { boundedLines, fitCard } from './bounded-list.js';
import { escapeCardMarkdown, escapeTextMessage, excerpt } from './escape.js';

/**
 * The daily reminder: one message per person with everything that needs them today —
 * measures due today, overdue, coming due within the lead times, ongoing measures asking for
 * their periodic report, and (for leaders and the secretary) measures escalated as long overdue.
 */

export interface ReminderDigestRow {
  code: string;
  text: string;
  department: string | null;
  ownerName: string | null;
  /** 还剩 3 个工作日 / 今日到期 / 已逾期 5 天 / 长期坚持 · 下次汇报 10月31日前 */
  countdown: string;
}

export interface ReminderDigestView {
  /** 10月9日 */
  dateLabel: string;
  recipientName: string | null;
  dueToday: ReminderDigestRow[];
  overdue: ReminderDigestRow[];
  dueSoon: ReminderDigestRow[];
  checkins: ReminderDigestRow[];
  escalations: ReminderDigestRow[];
}

interface Section {
  key: keyof Omit<ReminderDigestView, 'dateLabel' | 'recipientName'>;
  title: string;
  withOwner: boolean;
}

const SECTIONS: Section[] = [
  { key: 'escalations', title: '逾期督办 · 请督促责任人', withOwner: true },
  { key: 'overdue', title: '已逾期', withOwner: false },
  { key: 'dueToday', title: '今日到期', withOwner: false },
  { key: 'dueSoon', title: '即将到期', withOwner: false },
  { key: 'checkins', title: '长期坚持 · 请汇报本期进展', withOwner: false },
];

const TEXT_LEN = 40;

function headerTemplate(v: ReminderDigestView): string {
  if (v.escalations.length > 0 || v.overdue.length > 0) return 'red';
  if (v.dueToday.length > 0) return 'orange';
  return 'blue';
}

function countOf(v: ReminderDigestView): number {
  return SECTIONS.reduce((n, s) => n + v[s.key].length, 0);
}

function cardRow(r: ReminderDigestRow, withOwner: boolean): string {
  const who = [r.department, withOwner ? r.ownerName : null]
    .filter(Boolean)
    .map((x) => escapeCardMarkdown(x!))
    .join(' · ');
  return `- **${escapeCardMarkdown(r.code)}** ${escapeCardMarkdown(excerpt(r.text, TEXT_LEN))}\n  ${who ? `${who} · ` : ''}**${escapeCardMarkdown(r.countdown)}**`;
}

export function reminderDigestCard(v: ReminderDigestView): Record<string, unknown> {
  return fitCard((maxRows) => {
    const elements: Record<string, unknown>[] = [];
    const greeting = v.recipientName ? `${escapeCardMarkdown(v.recipientName)}，您好！` : '您好！';
    elements.push({ tag: 'markdown', content: `${greeting}以下 ${countOf(v)} 项整改事项需要您关注：` });
    for (const s of SECTIONS) {
      const rows = v[s.key];
      if (rows.length === 0) continue;
      const lines = boundedLines(
        rows,
        maxRows,
        (r) => cardRow(r, s.withOwner),
        (n) => `- 另有 ${n} 项，回复“逾期”或“我的”查看`,
      );
      elements.push({ tag: 'markdown', content: `**${s.title}（${rows.length} 项）**\n${lines.join('\n')}` });
    }
    elements.push({
      tag: 'markdown',
      content: '回复“我的”查看全部事项；回复“汇报 编号 进展内容”报送进展；完成后回复“完成 编号”申请销号。',
    });
    return {
      schema: '2.0',
      config: { update_multi: true },
      header: {
        title: { tag: 'plain_text', content: `整改事项提醒 · ${v.dateLabel}` },
        template: headerTemplate(v),
      },
      body: { elements },
    };
  });
}

/** The same reminder as a plain text message, for when a card cannot be shown. */
export function reminderDigestText(v: ReminderDigestView): string {
  const out = [
    `【整改事项提醒 · ${v.dateLabel}】`,
    `${v.recipientName ? `${escapeTextMessage(v.recipientName)}，` : ''}您好！以下 ${countOf(v)} 项整改事项需要您关注：`,
  ];
  for (const s of SECTIONS) {
    const rows = v[s.key];
    if (rows.length === 0) continue;
    out.push('', `${s.title}（${rows.length} 项）`);
    out.push(
      ...boundedLines(rows, 50, (r) => {
        const who = [r.department, s.withOwner ? r.ownerName : null].filter(Boolean).join(' · ');
        return escapeTextMessage(`· ${r.code} ${excerpt(r.text, TEXT_LEN)}（${who ? `${who} · ` : ''}${r.countdown}）`);
      }),
    );
  }
  out.push('', '回复“我的”查看全部事项；回复“汇报 编号 进展内容”报送进展。');
  return out.join('\n');
}
