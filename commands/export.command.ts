import { z } from 'zod';
import { escapeTextMessage } from '../cards/escape.js';
import { UserError } from '../src/services/errors.js';
import { buildLedgerWorkbook } from '../src/ledger-io/export-xlsx.js';
import { loadLedgerView } from '../src/services/ledger-export.service.js';
import type { Command } from './types.js';
import { MANAGERS } from '../src/services/measure-access.js';

/** /export [任务名称] — 导出: the full 台账 as an Excel file in the chat. */
export const exportCommand: Command<string | undefined> = {
  name: 'export',
  aliases: ['导出', '导出台账'],
  summary: '导出整改台账（Excel 文件）',
  usage: '/export [整改任务名称]',
  roles: MANAGERS,
  args: z.string().transform((s) => s.trim() || undefined),
  async run(ctx, campaignName) {
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
