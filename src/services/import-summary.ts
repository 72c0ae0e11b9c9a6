import { DEADLINE_KINDS } from '../domain/enums.js';
import { DEADLINE_KIND_LABELS, FIELD_LABELS, LAYOUT_LABELS } from '../domain/labels.js';
import type { ImportSummary } from './import-plan.js';

/** An import's summary as text, for the command line and the chat (Chinese, one fact a line). */

const MAX_LISTED = 10;

function listed(items: string[], max = MAX_LISTED): string[] {
  const shown = items.slice(0, max).map((i) => `  · ${i}`);
  if (items.length > max) shown.push(`  ……另有${items.length - max}条`);
  return shown;
}

/** The summary as the command line prints it and the chat replies it. */
export function formatImportSummary(s: ImportSummary, mode: 'preview' | 'dry-run' | 'applied'): string {
  const lines: string[] = [];
  lines.push(`整改任务：${s.campaign}${s.campaignIsNew ? '（新建）' : ''}`);
  lines.push(`文件：${s.fileName}`);
  if (s.layout) lines.push(`识别版式：${LAYOUT_LABELS[s.layout]}`);
  // A file refused as a whole (too large, unreadable) has no counts worth showing.
  const refusedWhole = s.measures === 0 && s.errors.length > 0;
  if (!refusedWhole) {
    lines.push(`识别结果：${s.categories}类问题，${s.problems}个问题，${s.measures}条整改措施`);
    const kinds = DEADLINE_KINDS.filter((k) => s.deadlines[k] > 0);
    lines.push(`整改时限：${kinds.map((k) => `${DEADLINE_KIND_LABELS[k]}${s.deadlines[k]}条`).join('，')}`);
  }
  if (s.declared) {
    const d = s.declared;
    const parts = [
      d.categories !== undefined ? `${d.categories}类问题` : undefined,
      d.problems !== undefined ? `${d.problems}个问题` : undefined,
      d.measures !== undefined ? `${d.measures}条整改措施` : undefined,
    ].filter(Boolean);
    lines.push(`文件中写明：${parts.join('，')}（识别出：${s.categories}类问题，${s.problems}个问题，${s.measures}条整改措施）`);
  }
  if (s.errors.length) {
    lines.push(`错误${s.errors.length}处，本次未导入任何内容，请修改文件后重新发送：`);
    lines.push(...listed(s.errors));
  } else {
    const c = s.changes;
    lines.push(`变更：新增${c.added.length}条，更新${c.updated.length}条，未变${c.unchanged}条，文件中已没有${c.missing.length}条`);
    if (c.updated.length) lines.push(...listed(c.updated.map((u) => `${u.code} 更新了${u.fields.map((f) => FIELD_LABELS[f] ?? f).join('、')}`)));
    if (c.missing.length) lines.push(`以下措施在文件中已没有，将标记为“来源中缺失”（不会删除）：${c.missing.join('、')}`);
  }
  if (s.unresolvedPeople.length) lines.push(`未匹配到飞书账号的责任人${s.unresolvedPeople.length}人（可稍后在聊天中指派）：${s.unresolvedPeople.join('、')}`);
  if (s.warnings.length) {
    lines.push(`提醒${s.warnings.length}条：`);
    lines.push(...listed(s.warnings));
  }
  if (!s.errors.length) {
    if (mode === 'applied') lines.push('已导入。');
    else if (mode === 'dry-run') lines.push('试运行（--dry-run）：没有写入任何内容。');
  }
  return lines.join('\n');
}
