/** A ledger file's import preview as a card: what it holds, what it changes, 确认导入 / 取消导入. */
import { importPreviewCard } from '../../cards/import-preview.card.js';
import type { ImportPreviewView } from '../../cards/views.js';
import { LAYOUT_LABELS } from '../domain/labels.js';
import type { ImportSummary } from '../services/import.service.js';
import type { Reply } from './reply.js';

/** The import preview card's view: counts, the first warnings and errors, and whether it can be confirmed. */
export function importPreviewViewOf(summary: ImportSummary, importId: number, status: ImportPreviewView['status']): ImportPreviewView {
  const issues = (list: string[]) => list.slice(0, 10).map((message) => ({ row: null, message }));
  const first = !summary.campaignIsNew;
  return {
    importId,
    fileName: summary.fileName,
    campaignName: summary.campaign,
    layout: summary.layout ? LAYOUT_LABELS[summary.layout] : undefined,
    status,
    counts: {
      categories: summary.categories,
      problems: summary.problems,
      measures: summary.measures,
      departments: summary.departments,
      ...(first
        ? {
            created: summary.changes.added.length,
            updated: summary.changes.updated.length,
            unchanged: summary.changes.unchanged,
            missing: summary.changes.missing.length,
          }
        : {}),
    },
    warnings: issues(summary.warnings),
    errors: issues(summary.errors),
    warningCount: summary.warnings.length,
    errorCount: summary.errors.length,
    canConfirm: summary.errors.length === 0,
  };
}

export function importPreviewReply(summary: ImportSummary, importId: number, status: ImportPreviewView['status'], viewer: string): Reply {
  return {
    kind: 'card',
    card: importPreviewCard(importPreviewViewOf(summary, importId, status)),
    cardRef: { kind: 'import', context: { importId, viewer } },
  };
}
