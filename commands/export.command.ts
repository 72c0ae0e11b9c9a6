import { z } from 'zod';
import { escapeTextMessage } from '../cards/escape.js';
import { UserError } from '../src/services/errors.js';
import { buildLedgerWorkbook } from '../src/ledger-io/export-xlsx.js';
import { prepareArchive } from '../src/services/archive.service.js';
import { loadLedgerView } from '../src/services/ledger-export.service.js';
import type { Command, CommandContext, CommandResult } from './types.js';
import { MANAGERS } from '../src/services/measure-access.js';

/**
 * The largest file a chat message can carry: 上传文件 (https://open.feishu.cn/document/server-docs/im-v1/file/create),
 * 使用限制: 文件大小不得超过 30 MB，且不允许上传空文件.
 */
export const CHAT_FILE_MAX_BYTES = 30 * 1024 * 1024;

const ARCHIVE_WORDS = new Set(['archive', '档案', '整改档案']);

/** What to do with the rest of the archive command's text: the campaign's name, if any. */
const campaignArg = z.string().transform((s) => s.trim() || undefined);

/** 导出档案: the evidence archive (整改档案.zip) as a chat file, when it fits one. */
async function sendArchive(ctx: CommandContext, campaignName: string | undefined): Promise<CommandResult> {
  const onServer = `请在服务器上运行 npm run export -- --archive 整改档案.zip${campaignName ? ` --campaign "${campaignName}"` : ''} 生成档案。`;
  if (!ctx.zipArchive) return { kind: 'text', text: `整改档案（含全部佐证材料文件）只能在 Node 服务器上生成，${onServer}` };
  if (!ctx.upload) throw new UserError('这里无法发送文件，请在与我的私聊中使用 /export archive。');
  const prepared = await prepareArchive(ctx.deps, { campaignName, chatId: ctx.chat.id });
  const bytes = await ctx.zipArchive(prepared.entries, CHAT_FILE_MAX_BYTES);
  if (!bytes) {
    return { kind: 'text', text: `“${escapeTextMessage(prepared.campaign)}”的整改档案超过 30 MB，超出飞书聊天文件的上限，无法在聊天中发送。${onServer}` };
  }
  const fileKey = await ctx.upload({ fileName: prepared.fileName, bytes, fileType: 'stream' });
  const refs = prepared.referenceOnly ? `；另有 ${prepared.referenceOnly} 份佐证仅存引用（文件仍在飞书中），已在各措施的“措施情况.md”中列出` : '';
  return [
    {
      kind: 'text',
      text: `“${escapeTextMessage(prepared.campaign)}”整改档案（截至${prepared.asOf}，共${prepared.measures}条措施、${prepared.files}份佐证文件${refs}）：`,
    },
    { kind: 'file', fileKey },
  ];
}

/** /export [任务名称] — 导出: the full 台账 as an Excel file in the chat; /export archive — the evidence archive. */
export const exportCommand: Command<{ archive: boolean; campaign: string | undefined }> = {
  name: 'export',
  aliases: ['导出', '导出台账'],
  summary: '导出整改台账（Excel 文件）；/export archive 导出整改档案（含佐证材料）',
  usage: '/export [整改任务名称]，或 /export archive [整改任务名称]',
  roles: MANAGERS,
  args: z.string().transform((s) => {
    const [first = '', ...rest] = s.trim().split(/\s+/);
    return ARCHIVE_WORDS.has(first.toLowerCase())
      ? { archive: true, campaign: rest.join(' ') || undefined }
      : { archive: false, campaign: s.trim() || undefined };
  }),
  async run(ctx, { archive, campaign: campaignName }) {
    if (archive) return sendArchive(ctx, campaignName);
    if (!ctx.upload) throw new UserError('这里无法发送文件，请在与我的私聊中使用 /export。');
    const view = await loadLedgerView(ctx.deps, campaignName, ctx.chat.id);
    const bytes = await buildLedgerWorkbook(view);
    const fileName = `${view.campaign}-整改台账-${view.asOf}.xlsx`.replace(/[\\/:*?"<>|]/g, '_');
    // 上传文件 (https://open.feishu.cn/document/server-docs/im-v1/file/create): `xls` is the XLS
    // format; any other type, .xlsx included, is uploaded as `stream`.
    const fileKey = await ctx.upload({ fileName, bytes, fileType: 'stream' });
    const count = view.categories.reduce((n, c) => n + c.problems.reduce((k, p) => k + p.measures.length, 0), 0);
    return [
      { kind: 'text', text: `“${escapeTextMessage(view.campaign)}”整改台账（截至${view.asOf}，共${count}条措施）：` },
      { kind: 'file', fileKey },
    ];
  },
};

/** 导出档案 [任务名称]: the same as /export archive. */
export const exportArchiveCommand: Command<string | undefined> = {
  name: 'export-archive',
  aliases: ['导出档案', '整改档案'],
  summary: '导出整改档案（台账、进展情况和每条措施的佐证材料，zip 文件）',
  usage: '/export archive [整改任务名称]',
  roles: MANAGERS,
  args: campaignArg,
  run: (ctx, campaignName) => sendArchive(ctx, campaignName),
};
