import type { Logger } from '../logger.js';
import type { FeishuClient } from '../port/feishu-client.js';
import { previewContent } from '../../cards/preview.js';

/** Local mode: without credentials, outgoing messages are logged (and stay in the outbox). */
export function createLocalFeishuClient(log: Logger): FeishuClient {
  let n = 0;
  return {
    mode: 'local',
    async send(message) {
      const to =
        message.kind === 'create'
          ? `${message.receiveIdType} ${message.receiveId}`
          : message.kind === 'reply'
            ? `reply to ${message.replyTo}`
            : message.kind === 'patch'
              ? `update ${message.messageId}`
              : 'card update';
      const msgType = message.kind === 'create' || message.kind === 'reply' ? message.msgType : 'interactive';
      log.info(`[local] message to ${to}:\n${previewContent(msgType, message.content)}`);
      n += 1;
      return { ok: true, messageId: `om_local_${n}` };
    },
    async botOpenId() {
      return undefined;
    },
    async lookupUserIds() {
      return new Map();
    },
    async downloadMessageResource() {
      throw new Error('local mode: no Feishu credentials, message files cannot be downloaded');
    },
    async uploadFile(file) {
      n += 1;
      log.info(`[local] file upload: ${file.fileName} (${file.bytes.byteLength} bytes, ${file.fileType})`);
      return `file_local_${n}`;
    },
  };
}
