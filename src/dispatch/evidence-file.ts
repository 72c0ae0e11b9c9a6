/**
 * Files and images sent to the bot in a private chat. With a pending evidence session (/佐证 or
 * 上传佐证 in the last 10 minutes) they are evidence of its measure; without one, a ledger file
 * from the secretary goes to the import as before, and anything else gets a card asking which of
 * the sender's measures it belongs to. The file stays in its Feishu message until then: the card
 * remembers which message and file_key it is about (card_messages, on the server).
 */
import { z } from 'zod';
import { getMeasure } from '../../db/queries/measures-write.js';
import { loadActor, type Actor } from '../../db/queries/people.js';
import { imageExtensionOf } from '../domain/evidence-files.js';
import { calendarDate } from '../domain/dates.js';
import type { Deps } from '../deps.js';
import { formatOfFileName } from '../ledger-io/parse.js';
import { describeError } from '../logger.js';
import { ResourceTooLargeError } from '../port/feishu-client.js';
import { resolveCampaign } from '../services/campaign-context.js';
import { UserError } from '../services/errors.js';
import {
  evidenceMaxBytes,
  evidenceTooLarge,
  evidenceTypeProblem,
  measuresForEvidence,
  recordEvidenceFile,
  sessionMeasure,
  type EvidenceSource,
} from '../services/evidence.service.js';
import { isManager } from '../services/measure-access.js';
import type { MeasureRow } from '../services/records.js';
import { EVIDENCE_PICK_OPTIONS } from '../../cards/evidence-pick.card.js';
import { evidencePickReply } from '../views/evidence.view.js';
import { text, type CommandOutcome, type Reply } from '../views/reply.js';
import { NOT_A_SECRETARY_REPLY, receiveLedgerFile } from './ledger-file.js';

const FileContentSchema = z.object({ file_key: z.string().min(1), file_name: z.string().min(1) });
const ImageContentSchema = z.object({ image_key: z.string().min(1) });

/** A file or image message's resource: what to download and what it is called. */
export interface MessageFile {
  messageId: string;
  fileKey: string;
  kind: 'file' | 'image';
  /** the file's name; images are sent without one (named after their format once downloaded) */
  name?: string;
}

export const REFERENCE_ONLY_NOTE = '文件保存在飞书中，本系统只记录引用。';

/** The file a message carries, or undefined when it is neither a file nor an image. */
export function messageFileOf(message: { messageId: string; type: string; content: string }): MessageFile | undefined {
  try {
    const content = JSON.parse(message.content) as unknown;
    if (message.type === 'file') {
      const f = FileContentSchema.parse(content);
      return { messageId: message.messageId, fileKey: f.file_key, kind: 'file', name: f.file_name };
    }
    if (message.type === 'image') return { messageId: message.messageId, fileKey: ImageContentSchema.parse(content).image_key, kind: 'image' };
  } catch {
    return undefined;
  }
  return undefined;
}

/** An image's name: 图片 plus the day and time it arrived, with the extension its bytes show. */
function imageName(deps: Deps, bytes: Uint8Array): string {
  const now = deps.clock.now();
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: deps.config.timezone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
    .format(now)
    .replaceAll(':', '');
  return `图片-${calendarDate(now, deps.config.timezone)}-${time}.${imageExtensionOf(bytes)}`;
}

/**
 * Downloads a message's file within the evidence limit and keeps it as evidence of the measure.
 * Returns the reply that says what was stored (or why nothing was) and the measure changed.
 */
export async function attachMessageFile(
  deps: Deps,
  p: { actor: Actor; measure: MeasureRow; file: MessageFile; source: EvidenceSource },
): Promise<CommandOutcome> {
  const { file, measure } = p;
  const only = (t: string): CommandOutcome => ({ replies: [text(t)], notices: [] });
  if (file.name) {
    const badType = evidenceTypeProblem(file.name);
    if (badType) return only(badType);
  }
  let bytes: Uint8Array;
  try {
    bytes = await deps.feishu.downloadMessageResource(file.messageId, file.fileKey, { maxBytes: evidenceMaxBytes(deps), type: file.kind });
  } catch (e) {
    if (e instanceof ResourceTooLargeError) return only(evidenceTooLarge(deps, file.name ?? '这张图片', e.statedBytes));
    deps.log.warn('evidence file download failed', { messageId: file.messageId, error: describeError(e) });
    return only(`“${file.name ?? '图片'}”下载失败，没有保存，请稍后重新发送。`);
  }
  const name = file.name ?? imageName(deps, bytes);
  try {
    const r = await recordEvidenceFile(deps, {
      actor: p.actor,
      measure,
      file: { name, bytes, messageId: file.messageId, fileKey: file.fileKey },
      source: p.source,
    });
    const where = r.row.storage === 'feishu_ref' ? REFERENCE_ONLY_NOTE : '';
    if (!r.inserted) return only(`措施 ${measure.code} 已有同样的佐证材料“${r.row.name}”（内容相同），本次没有重复记录。`);
    return { replies: [text(`已作为 ${measure.code} 的佐证材料：${name}${where ? `\n${where}` : ''}`)], notices: [], changed: [measure.id] };
  } catch (e) {
    if (e instanceof UserError) return only(e.message);
    throw e;
  }
}

/** A file or image in a private chat: evidence for the open session, a ledger to import, or a question. */
export async function receiveFileMessage(
  deps: Deps,
  message: { openId: string; chatId: string; messageId: string; type: string; content: string },
): Promise<CommandOutcome> {
  const file = messageFileOf(message);
  if (!file) {
    deps.log.warn('file message without its key', { messageId: message.messageId });
    return { replies: [text('没能读取这个文件，请重新发送。')], notices: [] };
  }
  const actor = await loadActor(deps.db, message.openId);
  // The session wins: a secretary who sent /佐证 first means the .docx as evidence, not a ledger.
  const session = await sessionMeasure(deps, actor.openId);
  if (session) return attachMessageFile(deps, { actor, measure: session, file, source: 'session' });
  const ledgerLike = file.kind === 'file' && !!file.name && !!formatOfFileName(file.name);
  if (ledgerLike && isManager(actor)) return { replies: await receiveLedgerFile(deps, message), notices: [] };
  const badType = file.name ? evidenceTypeProblem(file.name) : undefined;
  if (badType && !ledgerLike) return { replies: [text(badType)], notices: [] };
  return { replies: [await askWhichMeasure(deps, actor, message.chatId, file, ledgerLike)], notices: [] };
}

async function askWhichMeasure(deps: Deps, actor: Actor, chatId: string, file: MessageFile, ledgerLike: boolean): Promise<Reply> {
  const campaign = await resolveCampaign(deps, chatId).catch(() => undefined);
  const options = campaign ? await measuresForEvidence(deps, actor, campaign.id, EVIDENCE_PICK_OPTIONS + 1) : [];
  if (!campaign || options.length === 0) {
    // Not a person with measures: a ledger file gets the import's answer (who may import), anything else this.
    if (ledgerLike) return text(NOT_A_SECRETARY_REPLY);
    return text('收到文件，但您目前没有可以上传佐证材料的整改措施。如需为某项措施上传，请先发送 /佐证 <编号>，再发送文件。');
  }
  return evidencePickReply(
    {
      fileName: file.name ?? '图片',
      kind: file.kind,
      options: options.slice(0, EVIDENCE_PICK_OPTIONS).map((m) => ({ id: m.id, code: m.code, text: m.text })),
      more: Math.max(0, options.length - EVIDENCE_PICK_OPTIONS),
      state: { kind: 'pending' },
    },
    { viewer: actor.openId, messageId: file.messageId, fileKey: file.fileKey, fileName: file.name ?? '', kind: file.kind, campaignId: campaign.id },
  );
}

/** The measure chosen on the card, if it is in the card's campaign. */
export async function pickedMeasure(deps: Deps, measureId: number, campaignId: number): Promise<MeasureRow | undefined> {
  const m = Number.isInteger(measureId) ? await getMeasure(deps.db, measureId) : undefined;
  return m && m.campaignId === campaignId ? m : undefined;
}
