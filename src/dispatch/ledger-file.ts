import { z } from 'zod';
import type { Reply } from '../../commands/types.js';
import { escapeTextMessage } from '../../cards/escape.js';
import { importPreviewReply } from '../views/import-preview.view.js';
import { loadActor } from '../../db/queries/people.js';
import { savePendingImport } from '../../db/queries/pending-imports.js';
import type { Deps } from '../deps.js';
import { ResourceTooLargeError } from '../port/feishu-client.js';
import { formatOfFileName, SUPPORTED_FORMATS_TEXT } from '../ledger-io/parse.js';
import { defaultCampaignName, formatImportSummary, previewImport } from '../services/import.service.js';
import { describeError } from '../logger.js';
import { isManager } from '../services/measure-access.js';

/**
 * A file sent to the bot in a private chat: a secretary's ledger to import. It is downloaded,
 * checked and previewed; nothing is written until the secretary confirms with /confirm-import.
 */

const FileContentSchema = z.object({ file_key: z.string().min(1), file_name: z.string().min(1) });

export const NOT_A_SECRETARY_REPLY =
  '抱歉，只有整改办（管理整改台账的同志）可以通过发送文件导入整改台账。如需导入，请把文件交给整改办；如需开通权限，请联系管理员。';
export const CONFIRM_HINT =
  '确认无误请回复 /confirm-import（确认导入）；放弃请回复 /cancel-import（取消导入）。如需导入到另一个整改任务，请回复“确认导入 任务名称”。';

/** The refusal of a file above IMPORT_MAX_MB; nothing of it was kept. */
export function fileTooLargeReply(maxMb: number): string {
  return `文件超过 ${maxMb} MB 的导入上限，本次未导入任何内容。请删去多余的工作表、图片或附件后重新发送，或把台账拆分为几个文件分批导入。`;
}

const text = (t: string): Reply => ({ kind: 'text', text: t });

export async function receiveLedgerFile(deps: Deps, message: { openId: string; chatId: string; messageId: string; content: string }): Promise<Reply[]> {
  const actor = await loadActor(deps.db, message.openId);
  if (!isManager(actor)) return [text(NOT_A_SECRETARY_REPLY)];
  let content: z.infer<typeof FileContentSchema>;
  try {
    content = FileContentSchema.parse(JSON.parse(message.content));
  } catch {
    deps.log.warn('file message without file_key/file_name', { messageId: message.messageId });
    return [text('没能读取这个文件，请重新发送。')];
  }
  const fileName = content.file_name;
  if (!formatOfFileName(fileName)) {
    return [text(`暂不支持“${escapeTextMessage(fileName)}”这种文件。请发送${SUPPORTED_FORMATS_TEXT}格式的整改台账或整改方案。`)];
  }
  // The parse thread loads its readers while the file downloads.
  deps.parseLedger?.prewarm?.();
  let bytes: Uint8Array;
  try {
    bytes = await deps.feishu.downloadMessageResource(message.messageId, content.file_key, { maxBytes: deps.config.imports.maxMb * 1024 * 1024 });
  } catch (e) {
    if (e instanceof ResourceTooLargeError) {
      deps.log.info('ledger file refused: above IMPORT_MAX_MB', { messageId: message.messageId, maxMb: deps.config.imports.maxMb });
      return [text(fileTooLargeReply(deps.config.imports.maxMb))];
    }
    deps.log.warn('ledger file download failed', { messageId: message.messageId, error: describeError(e) });
    return [text('文件下载失败，请稍后重新发送。')];
  }
  const campaignName = await defaultCampaignName(deps, message.chatId, fileName);
  const lookup = deps.feishu.mode === 'feishu' ? (q: { emails: string[]; mobiles: string[] }) => deps.feishu.lookupUserIds(q) : undefined;
  const { plan, summary } = await previewImport(deps, { fileName, bytes, campaignName, lookup });
  const summaryText = escapeTextMessage(formatImportSummary(summary, 'preview'));
  if (summary.errors.length > 0) return [text(summaryText)];
  const importId = await savePendingImport(deps.db, {
    openId: message.openId,
    fileName,
    campaignName,
    // The preview travels with the plan so the card can be redrawn when it is confirmed or cancelled.
    payload: JSON.stringify({ ...plan, preview: summary }),
    now: deps.clock.now().toISOString(),
  });
  return [text(`${summaryText}\n\n${CONFIRM_HINT}`), importPreviewReply(summary, importId, 'pending', message.openId)];
}
