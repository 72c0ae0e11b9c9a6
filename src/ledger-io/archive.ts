/**
 * The evidence archive (整改档案, 一事一档) as a list of entries: at the top the 台账 workbook and the
 * public notice, then one folder per measure, `<编号> <措施前20字>/`, with its evidence files under
 * their original names and `措施情况.md`, the measure's whole record. Pure: the bytes of stored
 * evidence are not read here; an entry names the stored file, and the zip writer streams it.
 */
import type { MeasureStatus } from '../domain/enums.js';
import { STATUS_LABELS } from '../domain/labels.js';

export interface ArchiveEvidence {
  name: string;
  kind: 'file' | 'image' | 'link';
  size: number | null;
  sha256: string | null;
  url: string | null;
  /** where the file is: a folder (local), R2, or only a reference to the Feishu message */
  storage: 'local' | 'r2' | 'feishu_ref' | null;
  storageKey: string | null;
  messageId: string | null;
  fileKey: string | null;
  addedBy: string;
  /** 2025-10-09 10:30 */
  addedAt: string;
}

export interface ArchiveMeasure {
  code: string;
  text: string;
  category: string;
  problem: string;
  department?: string;
  ownerName?: string;
  leaderName?: string;
  deadlineText: string;
  dueDate?: string;
  originalDueDate?: string;
  completionStandard?: string;
  status: MeasureStatus;
  percent: number;
  /** oldest first */
  reports: Array<{ at: string; author: string; percent: number | null; text: string }>;
  /** submissions, verifications, returns, reopenings, in order */
  decisions: Array<{ at: string; actor: string; what: string }>;
  extensions: Array<{ at: string; from: string; to: string; reason: string; status: string; decision?: string }>;
  rechecks: Array<{ dueDate: string; sentOn: string | null; outcome: string; by?: string; at?: string; reason?: string | null }>;
  waiver?: { by: string; at: string; reason: string };
  evidence: ArchiveEvidence[];
}

/**
 * Zips entries in memory for a chat file, up to `maxBytes`; undefined when the archive is larger
 * (the Node entry provides it: src/runtime/archive-zip.node.ts; Workers have none).
 */
export type ArchiveZipper = (entries: ArchiveEntry[], maxBytes: number) => Promise<Uint8Array | undefined>;

/** A file of the archive: bytes made here, or a stored evidence file the writer reads as a stream. */
export type ArchiveEntry = { path: string } & (
  | { bytes: Uint8Array }
  | { stored: { storage: 'local' | 'r2'; key: string; size: number | null; sha256: string | null } }
);

const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;
/** Names Windows reserves for devices, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
/** Characters of the measure text in its folder's name. */
export const FOLDER_TEXT_CHARS = 20;
const NAME_MAX_CHARS = 120;

/** A file or folder name every zip tool and Windows accept: no / \ : * ? " < > |, no control characters, no trailing dot or space. */
export function safeName(name: string): string {
  let s = name.replace(UNSAFE, '_').replace(/\s+/g, ' ').trim();
  s = [...s].slice(0, NAME_MAX_CHARS).join('');
  s = s.replace(/[. ]+$/, '');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (RESERVED.test(s)) s = `_${s}`;
  return s;
}

export function measureFolderName(code: string, text: string): string {
  return safeName(`${code} ${[...text.trim()].slice(0, FOLDER_TEXT_CHARS).join('')}`);
}

/** Gives each name once within a folder (case-insensitively, as Windows compares): 纪要.pdf, 纪要 (2).pdf, ... */
export function uniqueNamer(taken: Iterable<string> = []): (name: string) => string {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  return (name) => {
    const safe = safeName(name);
    if (!used.has(safe.toLowerCase())) {
      used.add(safe.toLowerCase());
      return safe;
    }
    const dot = safe.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ''];
    for (let i = 2; ; i++) {
      const candidate = `${stem} (${i})${ext}`;
      if (!used.has(candidate.toLowerCase())) {
        used.add(candidate.toLowerCase());
        return candidate;
      }
    }
  };
}

export const RECORD_FILE = '措施情况.md';

const sizeText = (n: number | null) =>
  n === null ? '' : n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
/** One line of user text in a table cell or a list item: no line breaks, no pipes. */
const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '｜');
const KIND_WORDS: Record<ArchiveEvidence['kind'], string> = { file: '文件', image: '图片', link: '链接' };

/** Whether the archive holds the evidence's file, and if not, why. */
export function evidenceIncluded(e: ArchiveEvidence): boolean {
  return e.kind !== 'link' && (e.storage === 'local' || e.storage === 'r2') && !!e.storageKey;
}

/** `措施情况.md`: the measure and its whole record, in Chinese. `fileNames` are the evidence files' names in the folder. */
export function measureRecordMarkdown(m: ArchiveMeasure, fileNames: Map<ArchiveEvidence, string>): string {
  const out: string[] = [`# ${m.code} 整改措施情况`, ''];
  const field = (label: string, value: string | undefined) => out.push(`- **${label}**：${value ? cell(value) : '（无）'}`);
  field('问题类别', m.category);
  field('问题', m.problem);
  field('整改措施', m.text);
  field('责任领导', m.leaderName);
  field('责任部门', m.department);
  field('责任人', m.ownerName);
  field('整改时限', m.deadlineText);
  field('截止日期', m.dueDate === m.originalDueDate || !m.originalDueDate ? m.dueDate : `${m.dueDate}（原定 ${m.originalDueDate}）`);
  field('完成标准', m.completionStandard);
  field('状态', `${STATUS_LABELS[m.status]}，完成进度 ${m.percent}%`);

  out.push('', '## 进展汇报', '');
  if (m.reports.length === 0) out.push('（无）');
  for (const r of m.reports) out.push(`- ${r.at} ${cell(r.author)}${r.percent === null ? '' : `（${r.percent}%）`}：${cell(r.text)}`);

  out.push('', '## 销号审核', '');
  if (m.decisions.length === 0) out.push('（无）');
  for (const d of m.decisions) out.push(`- ${d.at} ${cell(d.actor)}：${cell(d.what)}`);

  out.push('', '## 延期申请', '');
  if (m.extensions.length === 0) out.push('（无）');
  for (const x of m.extensions) {
    out.push(`- ${x.at} 申请由 ${x.from} 延至 ${x.to}，理由：${cell(x.reason)}；${x.status}${x.decision ? `（${cell(x.decision)}）` : ''}`);
  }

  out.push('', '## 回头看', '');
  if (m.rechecks.length === 0) out.push('（无）');
  for (const r of m.rechecks) {
    const answer = r.by ? `${r.outcome}（${cell(r.by)}，${r.at}）${r.reason ? `：${cell(r.reason)}` : ''}` : r.outcome;
    out.push(`- ${r.dueDate} 到期${r.sentOn ? `，${r.sentOn} 发出` : ''}：${answer}`);
  }

  out.push('', '## 免于佐证', '');
  out.push(m.waiver ? `- ${m.waiver.at} ${cell(m.waiver.by)}：${cell(m.waiver.reason)}` : '（无）');

  out.push('', '## 佐证材料', '');
  if (m.evidence.length === 0) out.push('（无）');
  else {
    out.push('| 序号 | 名称 | 类型 | 大小 | 提交人 | 提交时间 | SHA-256 | 档案中的文件 / 链接 |', '|---|---|---|---|---|---|---|---|');
    m.evidence.forEach((e, i) => {
      const where =
        e.kind === 'link'
          ? cell(e.url ?? '')
          : evidenceIncluded(e)
            ? cell(fileNames.get(e) ?? '')
            : `未包含：仅存引用，文件仍在飞书中（消息 ${e.messageId ?? '未知'}，文件 ${e.fileKey ?? '未知'}）`;
      out.push(
        `| ${i + 1} | ${cell(e.name)} | ${KIND_WORDS[e.kind]} | ${sizeText(e.size)} | ${cell(e.addedBy)} | ${e.addedAt} | ${e.sha256 ?? ''} | ${where} |`,
      );
    });
  }
  out.push('');
  return out.join('\n');
}

/** Every entry of the archive, in order: the top files, then each measure's folder. */
export function archiveEntries(top: Array<{ name: string; bytes: Uint8Array }>, measures: ArchiveMeasure[]): ArchiveEntry[] {
  const entries: ArchiveEntry[] = top.map((t) => ({ path: safeName(t.name), bytes: t.bytes }));
  const folders = uniqueNamer(top.map((t) => safeName(t.name)));
  const encoder = new TextEncoder();
  for (const m of measures) {
    const folder = folders(measureFolderName(m.code, m.text));
    const names = uniqueNamer([RECORD_FILE]);
    const fileNames = new Map<ArchiveEvidence, string>();
    const files: ArchiveEntry[] = [];
    for (const e of m.evidence) {
      if (!evidenceIncluded(e)) continue;
      const name = names(e.name);
      fileNames.set(e, name);
      files.push({ path: `${folder}/${name}`, stored: { storage: e.storage as 'local' | 'r2', key: e.storageKey!, size: e.size, sha256: e.sha256 } });
    }
    entries.push({ path: `${folder}/${RECORD_FILE}`, bytes: encoder.encode(measureRecordMarkdown(m, fileNames)) }, ...files);
  }
  return entries;
}
