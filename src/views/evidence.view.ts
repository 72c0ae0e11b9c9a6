/** Evidence as people read it: the measure card's section, the /佐证 list, the "which measure" card. */
import { evidencePickCard } from '../../cards/evidence-pick.card.js';
import type { EvidenceItemView, EvidencePickView, MeasureEvidenceView } from '../../cards/views.js';
import { calendarDate } from '../domain/dates.js';
import { sizeText } from '../domain/evidence-files.js';
import type { ServiceDeps } from '../deps.js';
import { evidenceOf, type EvidenceRow, type MeasureEvidence } from '../services/evidence.service.js';
import type { Reply } from './reply.js';

export function evidenceItemOf(row: EvidenceRow, timeZone: string): EvidenceItemView {
  return {
    kind: row.kind,
    name: row.name,
    size: row.size === null ? null : sizeText(row.size),
    by: row.addedByName ?? '',
    date: calendarDate(new Date(row.addedAt), timeZone),
    url: row.url ?? undefined,
  };
}

export function evidenceSectionOf(deps: ServiceDeps, e: MeasureEvidence): MeasureEvidenceView {
  return {
    items: e.items.map((row) => evidenceItemOf(row, deps.config.timezone)),
    total: e.items.length,
    waived: e.waiver ? { by: e.waiver.waivedByName ?? '整改办', reason: e.waiver.reason } : null,
    required: deps.config.evidence.required,
  };
}

export async function measureEvidenceView(deps: ServiceDeps, measureId: number): Promise<{ view: MeasureEvidenceView; evidence: MeasureEvidence }> {
  const evidence = await evidenceOf(deps, measureId);
  return { view: evidenceSectionOf(deps, evidence), evidence };
}

/** The /佐证 list: every piece, numbered, with size, who and when; the waiver when there is one. */
export function evidenceListText(code: string, e: MeasureEvidence, timeZone: string): string {
  const lines: string[] = [];
  if (e.items.length === 0) lines.push(`措施 ${code} 还没有佐证材料。`);
  else {
    lines.push(`措施 ${code} 的佐证材料（${e.items.length} 件）：`);
    e.items.forEach((row, i) => {
      const item = evidenceItemOf(row, timeZone);
      const about = [item.size, item.by, item.date].filter(Boolean).join('，');
      const label = item.kind === 'link' ? `链接 ${item.url}` : item.kind === 'image' ? `图片 ${item.name}` : item.name;
      lines.push(`${i + 1}. ${label}（${about}）`);
    });
  }
  if (e.waiver) lines.push(`整改办已同意免于佐证：${e.waiver.reason}（${e.waiver.waivedByName ?? '整改办'}）`);
  return lines.join('\n');
}

/** What the "which measure" card remembers of the file it is about (card_messages.context, on the server). */
export interface EvidencePickContext {
  viewer: string;
  messageId: string;
  fileKey: string;
  fileName: string;
  kind: 'file' | 'image';
  campaignId: number;
}

export function evidencePickReply(view: EvidencePickView, context: EvidencePickContext): Reply {
  return { kind: 'card', card: evidencePickCard(view), cardRef: { kind: 'evidence_pick', context: { ...context } } };
}
