import { z } from 'zod';
import { escapeTextMessage } from '../cards/escape.js';
import { formatImportSummary } from '../src/services/import.service.js';
import { confirmPendingImport, pendingImportOf } from '../src/services/pending-imports.js';
import type { Command } from './types.js';

export const NO_PENDING_IMPORT = '目前没有待确认的导入。请先在与我的私聊中发送整改台账文件（.xlsx、.xls、.csv、.docx、.doc、.pdf、.txt 或 .md）。';

/** /confirm-import [任务名称] — 确认导入: writes the file previewed last, optionally into another campaign. */
export const importConfirmCommand: Command<string | undefined> = {
  name: 'confirm-import',
  aliases: ['确认导入'],
  summary: '确认导入刚才发送的整改台账文件',
  usage: '/confirm-import [整改任务名称]',
  roles: ['secretary', 'admin'],
  args: z.string().transform((s) => s.trim() || undefined),
  async run(ctx, campaignName) {
    const pending = await pendingImportOf(ctx.deps, ctx.actor.openId);
    if (!pending) return { kind: 'text', text: NO_PENDING_IMPORT };
    const summary = await confirmPendingImport(ctx.deps, pending, ctx.actor.openId, campaignName);
    const reply = { kind: 'text' as const, text: escapeTextMessage(formatImportSummary(summary, summary.applied ? 'applied' : 'preview')) };
    return { replies: [reply], notices: [], changed: summary.changedMeasureIds };
  },
};
