import { z } from 'zod';
import { escapeTextMessage } from '../cards/escape.js';
import { cancelPendingImport, pendingImportOf } from '../src/services/pending-imports.js';
import { NO_PENDING_IMPORT } from './import-confirm.command.js';
import type { Command } from './types.js';

/** /cancel-import — 取消导入: drops the file previewed last; nothing was written. */
export const importCancelCommand: Command<void> = {
  name: 'cancel-import',
  aliases: ['取消导入'],
  summary: '放弃刚才发送的整改台账文件',
  usage: '/cancel-import',
  roles: ['secretary', 'admin'],
  args: z.string().transform(() => undefined),
  async run(ctx) {
    const pending = await pendingImportOf(ctx.deps, ctx.actor.openId);
    if (!pending) return { kind: 'text', text: NO_PENDING_IMPORT };
    await cancelPendingImport(ctx.deps, pending);
    return { kind: 'text', text: `已取消导入“${escapeTextMessage(pending.fileName)}”，台账没有任何改动。` };
  },
};
