import { registry as defaultRegistry } from '../../commands/index.js';
import type { CommandRegistry } from '../../commands/types.js';
import { loadActor } from '../../db/queries/people.js';
import { postWeeklySummaryNow } from '../jobs/weekly-summary.job.js';
import { forgetChat } from '../services/leading-groups.js';
import type { Deps } from '../deps.js';
import { BotChatEventSchema, MessageReceiveSchema, type IncomingEvent } from './incoming-events.js';
import { dispatchCommand } from './command-dispatcher.js';
import { receiveFileMessage } from './evidence-file.js';
import { evidenceMaxBytes } from '../services/evidence.service.js';
import { parseTextMessage } from './message-text.js';
import { deliverOutcome } from './replies.js';

const GROUP_GREETING = '大家好，我是整改督办助手。整改办同志在本群 @我 发送“设为周报群”，本群将在每周一收到整改周报；@我 发送“帮助”可查看我能做什么。';
const NON_TEXT_REPLY = '目前我只能识别文字命令。发送“帮助”或 /help 查看可用命令。';

/** Routes a stored event to what handles it. Runs after the ack. */
export function createEventRouter(registry: CommandRegistry = defaultRegistry) {
  return async function handleEvent(deps: Deps, event: IncomingEvent): Promise<void> {
    switch (event.type) {
      case 'im.message.receive_v1':
        return handleMessage(deps, registry, event);
      case 'im.chat.member.bot.added_v1': {
        const e = BotChatEventSchema.safeParse(event.event);
        if (e.success)
          await deliverOutcome(deps, { replies: [{ kind: 'text', text: GROUP_GREETING }], notices: [] }, { chatId: e.data.chat_id }, `hello:${event.id}`);
        return;
      }
      case 'im.chat.member.bot.deleted_v1': {
        const e = BotChatEventSchema.safeParse(event.event);
        if (e.success) {
          await forgetChat(deps, e.data.chat_id);
          deps.log.info('bot removed from chat; its bindings are inactive', { chatId: e.data.chat_id });
        }
        return;
      }
      default:
        deps.log.debug('event stored, nothing to do', { type: event.type, eventId: event.id });
    }
  };
}

async function handleMessage(deps: Deps, registry: CommandRegistry, event: IncomingEvent): Promise<void> {
  const parsed = MessageReceiveSchema.safeParse(event.event);
  if (!parsed.success) {
    deps.log.warn('message event with an unexpected shape, ignored', { eventId: event.id });
    return;
  }
  const m = parsed.data;
  if (m.sender.sender_type !== 'user' || !m.sender.sender_id.open_id) return; // bots and system senders
  const isGroup = m.message.chat_type !== 'p2p';
  const text = parseTextMessage(m, isGroup ? await deps.feishu.botOpenId() : undefined);
  if (isGroup && !text?.mentionsBot) return; // group chatter not addressed to the bot

  const messageId = m.message.message_id;
  const isFile = (m.message.message_type === 'file' || m.message.message_type === 'image') && !isGroup;
  const outcome = isFile
    ? await receiveFileMessage(deps, {
        openId: m.sender.sender_id.open_id,
        chatId: m.message.chat_id,
        messageId,
        type: m.message.message_type,
        content: m.message.content,
      })
    : text
      ? await dispatchCommand(deps, registry, {
          text: text.text,
          actor: await loadActor(deps.db, m.sender.sender_id.open_id),
          chat: { id: m.message.chat_id, type: isGroup ? 'group' : 'p2p' },
          messageId,
          eventId: event.id,
          mentions: text.mentions,
          upload: (file) => deps.feishu.uploadFile(file),
          download: (file) => deps.feishu.downloadMessageResource(file.messageId, file.fileKey, { maxBytes: evidenceMaxBytes(deps), type: file.kind }),
          postWeeklySummary: () => postWeeklySummaryNow(deps, event.id),
          zipArchive: deps.zipArchive,
        })
      : { replies: [{ kind: 'text' as const, text: NON_TEXT_REPLY }], notices: [] };
  await deliverOutcome(deps, outcome, { replyTo: messageId, chatId: m.message.chat_id }, messageId);
}
