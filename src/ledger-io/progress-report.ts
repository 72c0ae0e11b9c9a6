import { DEADLINE_KIND_LABELS } from '../domain/labels.js';
import type { LedgerView, MeasureView } from './ledger-view.js';

/**
 * The public progress notice (整改进展情况) in the shape organisations publish: the counts first,
 * then category -> problem -> measures with their latest progress. It is published, so contact
 * details and Feishu ids never appear in it, even inside progress texts.
 */

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export function chineseOrdinal(n: number): string {
  if (n <= 10) return CN[n]!;
  if (n < 20) return `十${CN[n - 10]}`;
  return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
}

const PRIVATE_PATTERNS = [
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, // emails
  /\b(?:ou|on|oc|om)_[0-9A-Za-z_-]{6,}\b/g, // Feishu ids
  /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g, // mobiles
  /(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)/g, // landlines
];

/** Removes contact details and ids from text that will be published. */
export function redactPrivate(text: string): string {
  return PRIVATE_PATTERNS.reduce((t, re) => t.replace(re, ''), text).replace(/[（(]\s*[)）]/g, '');
}

/** How much of the latest report the notice quotes. */
export const NOTICE_PROGRESS_MAX = 200;

const MENTION = /<at\b[^>]*>[\s\S]*?<\/at>|<at\b[^>]*\/?>/gi;
const HTML_TAG = /<\/?[a-z][^<>]*>/gi;
const MARKDOWN_LINK = /!?\[([^\]]*)\]\([^)]*\)/g;
// C0/C1 controls (newlines are handled before), zero-width and bidirectional controls, BOM.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const MARKDOWN_MARKS = /[*_`~#|\\]/g;

/**
 * Chat text made fit to publish: mentions (<at …>) and HTML tags removed, markdown links reduced
 * to their words, emphasis and heading marks dropped, control characters gone, lines joined
 * into one paragraph; what is left of < > [ ] is shown in full width, so no reader of the
 * Markdown or Word file sees markup come alive.
 */
export function publishableText(text: string): string {
  return text
    .replace(MENTION, '')
    .replace(HTML_TAG, '')
    .replace(MARKDOWN_LINK, '$1')
    .replace(/([。！？；，、：!?;,:])[^\S\n]*\n\s*/g, '$1')
    .replace(/\s*\n\s*/g, '；')
    .replace(CONTROL, '')
    .replace(MARKDOWN_MARKS, '')
    .replace(/[<>[\]]/g, (c) => ({ '<': '＜', '>': '＞', '[': '［', ']': '］' })[c]!)
    .replace(/\s+/g, ' ')
    .replace(/ ?([，。；：！？、]) ?/g, '$1')
    .trim();
}

/** At most `max` characters, cut after the last sentence end when one falls in the latter two thirds, else with …. */
export function noticeExcerpt(text: string, max = NOTICE_PROGRESS_MAX): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max);
  for (let i = head.length - 1; i >= max / 3; i--) if ('。！？；!?;'.includes(head[i]!)) return head.slice(0, i + 1).join('');
  return `${head.slice(0, max - 1).join('')}…`;
}

export interface ReportCounts {
  problems: number;
  measures: number;
  completed: number;
  /** 长期坚持 measures closed for this stage: 取得阶段性成果，需长期坚持 */
  ongoingAchieved: number;
  notCompleted: number;
  /** percent, one decimal */
  completionRate: number;
}

const isOngoing = (m: MeasureView) => m.deadlineKind === 'ongoing' || m.deadlineKind === 'immediate_ongoing';

export function reportCounts(view: LedgerView): ReportCounts {
  const measures = view.categories.flatMap((c) => c.problems.flatMap((p) => p.measures)).filter((m) => !m.missingFromSource);
  const completed = measures.filter((m) => m.status === 'closed' && !isOngoing(m)).length;
  const ongoingAchieved = measures.filter((m) => m.status === 'closed' && isOngoing(m)).length;
  const done = completed + ongoingAchieved;
  return {
    problems: view.categories.reduce((n, c) => n + c.problems.length, 0),
    measures: measures.length,
    completed,
    ongoingAchieved,
    notCompleted: measures.length - done,
    completionRate: measures.length ? Math.round((done / measures.length) * 1000) / 10 : 0,
  };
}

interface Block {
  kind: 'title' | 'heading' | 'subheading' | 'text';
  text: string;
}

function problemHeading(n: number, title: string): string {
  return /^[“"]/.test(title) ? `${n}、关于${title}方面` : `${n}、关于“${title}”方面`;
}

function measureText(m: MeasureView, i: number): string {
  // An open measure whose deadline is still to be set says so: readers should not take it as 长期坚持.
  const state =
    m.status === 'closed'
      ? isOngoing(m)
        ? '已取得阶段性成果，长期坚持'
        : '已完成'
      : m.deadlineKind === 'unset'
        ? `正在推进，${DEADLINE_KIND_LABELS.unset}`
        : '正在推进';
  // The latest report, quoted in brief and without chat markup; without one, the state alone.
  const progress = m.latestProgress ? noticeExcerpt(publishableText(redactPrivate(m.latestProgress.text))).replace(/[。；;，,、\s]+$/, '') : '';
  const body = publishableText(redactPrivate(m.text)).replace(/[。；;，,\s]+$/, '');
  return `${chineseOrdinal(i + 1)}是${body}。${progress ? `${progress}。` : ''}（${state}）`;
}

function blocks(view: LedgerView): Block[] {
  const c = reportCounts(view);
  const out: Block[] = [
    { kind: 'title', text: `${view.campaign}巡察整改进展情况` },
    {
      kind: 'text',
      text:
        `截至${formatDate(view.asOf)}，针对巡察反馈的${view.categories.length}个方面${c.problems}个问题，共制定${c.measures}条整改措施，` +
        `已完成整改${c.completed}条，取得阶段性成果并需长期坚持${c.ongoingAchieved}条，尚未完成${c.notCompleted}条，整改完成率${c.completionRate}%。现将整改进展情况公布如下。`,
    },
  ];
  for (const cat of view.categories) {
    out.push({ kind: 'heading', text: `（${chineseOrdinal(cat.ordinal)}）${cat.title.replace(/[。.]$/, '')}` });
    cat.problems.forEach((p, pi) => {
      out.push({ kind: 'subheading', text: problemHeading(pi + 1, p.title) });
      p.measures.filter((m) => !m.missingFromSource).forEach((m, i) => out.push({ kind: 'text', text: measureText(m, i) }));
    });
  }
  out.push({ kind: 'text', text: '欢迎广大干部群众对巡察整改落实情况进行监督。' });
  return out;
}

function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function buildProgressReportMarkdown(view: LedgerView): string {
  return (
    blocks(view)
      .map((b) => (b.kind === 'title' ? `# ${b.text}` : b.kind === 'heading' ? `## ${b.text}` : b.kind === 'subheading' ? `### ${b.text}` : b.text))
      .join('\n\n') + '\n'
  );
}

export async function buildProgressReportDocx(view: LedgerView): Promise<Uint8Array> {
  // Loaded on first use, like the other document libraries.
  const { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } = await import('docx');
  const children = blocks(view).map((b) => {
    if (b.kind === 'title')
      return new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: b.text, bold: true })] });
    if (b.kind === 'heading') return new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: b.text, bold: true })] });
    if (b.kind === 'subheading') return new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun({ text: b.text })] });
    return new Paragraph({ indent: { firstLine: 480 }, children: [new TextRun(b.text)] });
  });
  const doc = new Document({ sections: [{ children }] });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
}
