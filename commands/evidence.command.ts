import { codeAndText, codeOnly } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { extensionOf } from '../src/domain/evidence-files.js';
import type { ServiceDeps } from '../src/deps.js';
import { describeError } from '../src/logger.js';
import {
  EVIDENCE_SESSION_MINUTES,
  evidenceOf,
  mayAttachEvidence,
  startEvidenceSession,
  storedBytes,
  waiveEvidence,
  type EvidenceRow,
} from '../src/services/evidence.service.js';
import { ANY_ROLE, MANAGERS } from '../src/services/measure-access.js';
import { evidenceListText } from '../src/views/evidence.view.js';
import { text, type Reply } from '../src/views/reply.js';
import type { Command, FileUpload, MessageFileDownload } from './types.js';

/** Files one request sends back; more are listed and can be fetched a few at a time from the card. */
export const EVIDENCE_FILES_PER_REQUEST = 10;

/** Feishu's upload type for a file name (xls covers .xlsx, doc covers .docx; anything else is a stream). */
function uploadTypeOf(name: string): 'xls' | 'doc' | 'pdf' | 'ppt' | 'stream' {
  const ext = extensionOf(name);
  if (ext === 'pdf') return 'pdf';
  if (ext === 'doc' || ext === 'docx') return 'doc';
  if (ext === 'xls' || ext === 'xlsx') return 'xls';
  if (ext === 'ppt' || ext === 'pptx') return 'ppt';
  return 'stream';
}

/**
 * The stored files of a measure as file messages: read from the store, or (kept by reference
 * only) downloaded again from the message that carried them, then uploaded for sending. A file
 * that cannot be read is named in a closing line instead of failing the whole answer.
 */
export async function evidenceFileReplies(
  deps: ServiceDeps,
  rows: EvidenceRow[],
  io: { upload?: FileUpload; download?: MessageFileDownload },
): Promise<Reply[]> {
  const files = rows.filter((r) => r.kind !== 'link');
  if (files.length === 0 || !io.upload) return [];
  const replies: Reply[] = [];
  const failed: string[] = [];
  for (const row of files.slice(0, EVIDENCE_FILES_PER_REQUEST)) {
    try {
      let bytes = await storedBytes(deps, row);
      if (!bytes && row.storage === 'feishu_ref' && row.messageId && row.fileKey && io.download) {
        bytes = await io.download({ messageId: row.messageId, fileKey: row.fileKey, kind: row.kind === 'image' ? 'image' : 'file' });
      }
      if (!bytes) {
        failed.push(row.name);
        continue;
      }
      replies.push({ kind: 'file', fileKey: await io.upload({ fileName: row.name, bytes, fileType: uploadTypeOf(row.name) }) });
    } catch (e) {
      deps.log.warn('evidence file could not be sent back', { evidenceId: row.id, error: describeError(e) });
      failed.push(row.name);
    }
  }
  const more = files.length - Math.min(files.length, EVIDENCE_FILES_PER_REQUEST);
  const notes: string[] = [];
  if (failed.length > 0) notes.push(`以下文件暂时无法取回：${failed.join('、')}。请稍后重试或联系整改办。`);
  if (more > 0) notes.push(`另有 ${more} 个文件未发送（每次最多 ${EVIDENCE_FILES_PER_REQUEST} 个），请到服务器的佐证材料目录或整改档案中查看。`);
  if (notes.length > 0) replies.push(text(notes.join('\n')));
  return replies;
}

export const evidenceCommand: Command<{ code: string; rest: string }> = {
  name: 'evidence',
  aliases: ['佐证', '佐证材料'],
  summary: `上传或查看措施的佐证材料：发送后 ${EVIDENCE_SESSION_MINUTES} 分钟内在单聊中发来的文件、图片都作为该措施的佐证`,
  usage: '/evidence <编号>',
  roles: ANY_ROLE,
  args: codeOnly,
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const evidence = await evidenceOf(ctx.deps, measure.id);
    const replies: Reply[] = [];
    if (mayAttachEvidence(ctx.actor, measure)) {
      const { expiresAt } = await startEvidenceSession(ctx.deps, ctx.actor, measure);
      const until = new Intl.DateTimeFormat('zh-CN', { timeZone: ctx.deps.config.timezone, hour: '2-digit', minute: '2-digit', hour12: false }).format(
        expiresAt,
      );
      const where = ctx.chat.type === 'p2p' ? '在这里' : '在与我的单聊中';
      replies.push(text(`请在 ${EVIDENCE_SESSION_MINUTES} 分钟内（${until} 前）${where}发送文件或图片，每个都将作为措施 ${measure.code} 的佐证材料。`));
    }
    replies.push(text(evidenceListText(measure.code, evidence, ctx.deps.config.timezone)));
    if (evidence.items.some((e) => e.kind !== 'link')) {
      // In a group chat the files would reach everyone in it, not only those who may see the measure.
      if (ctx.chat.type === 'p2p') replies.push(...(await evidenceFileReplies(ctx.deps, evidence.items, ctx)));
      else replies.push(text(`如需取回文件，请在与我的单聊中发送 /佐证 ${measure.code}，或在措施卡片上点「获取佐证文件」。`));
    }
    return replies;
  },
};

export const waiveEvidenceCommand: Command<{ code: string; text: string }> = {
  name: 'waive',
  aliases: ['免于佐证', '免佐证'],
  summary: '同意某项措施无需佐证材料即可申请销号（须写明原因）',
  usage: '/waive <编号> <原因>',
  roles: MANAGERS,
  args: codeAndText('请写明免于佐证的原因。'),
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code);
    const updated = await waiveEvidence(ctx.deps, { actor: ctx.actor, measure, reason: a.text });
    return changeOutcome(ctx, `已记录：措施 ${measure.code} 免于佐证，原因：${a.text.trim()}。责任人现在可以直接申请销号。`, updated, []);
  },
};
