/**
 * The port through which duban talks to the Feishu Open API. Adapters: the official SDK
 * (sdk-client.ts) and local mode (local-client.ts). Nothing above the transport sees HTTP.
 */

import type { ReceiveIdType } from '../outbox/outbound-message.js';

export type { ReceiveIdType };

export type OutgoingMessage =
  | { kind: 'create'; receiveIdType: ReceiveIdType; receiveId: string; msgType: string; content: string; uuid: string }
  | { kind: 'reply'; replyTo: string; msgType: string; content: string; uuid: string }
  | { kind: 'patch'; messageId: string; content: string }
  | { kind: 'card_update'; token: string; content: string };

export type SendOutcome =
  | { ok: true; messageId?: string }
  | {
      ok: false;
      /** permanent failures are recorded and never retried */
      permanent: boolean;
      error: string;
      httpStatus?: number;
      code?: number;
      /** the platform asked us to wait this long (x-ogw-ratelimit-reset) */
      retryAfterMs?: number;
      /** nothing reached Feishu (it was put off before sending): the attempt is given back */
      notSent?: boolean;
    };

/** Feishu's file types for uploads: xls covers .xlsx, doc covers .docx; anything else is stream. */
export type UploadFileType = 'xls' | 'doc' | 'pdf' | 'ppt' | 'stream';

export interface FeishuClient {
  readonly mode: 'local' | 'feishu';
  send(message: OutgoingMessage): Promise<SendOutcome>;
  /** The bot's own open_id (to tell whether a group message mentions it); undefined when unknown. */
  botOpenId(): Promise<string | undefined>;
  /** open_ids of the people with these emails or mobiles (contact API); unknown ones are absent. */
  lookupUserIds(query: { emails?: string[]; mobiles?: string[] }): Promise<Map<string, string>>;
  /**
   * The bytes of a file sent in a message. The message event does not state the file's size,
   * so the limit is enforced on the download itself: a larger file throws ResourceTooLargeError
   * without being kept in memory. `type` is 'image' for an image message's image_key (default 'file').
   */
  downloadMessageResource(messageId: string, fileKey: string, limits: { maxBytes: number; type?: 'file' | 'image' }): Promise<Uint8Array>;
  /** Uploads a file for sending as a file message; returns its file_key. */
  uploadFile(file: { fileName: string; bytes: Uint8Array; fileType: UploadFileType }): Promise<string>;
}

/** A download refused because the file is larger than the limit it was given. */
export class ResourceTooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    /** the size the server stated (Content-Length), when it did */
    readonly statedBytes?: number,
  ) {
    super(`file larger than ${maxBytes} bytes`);
    this.name = 'ResourceTooLargeError';
  }
}

/** The recipient a message goes to, for rate limiting (5/s per chat or user). */
export function recipientOf(message: OutgoingMessage): string {
  switch (message.kind) {
    case 'create':
      return `${message.receiveIdType}:${message.receiveId}`;
    case 'reply':
      return `reply:${message.replyTo}`;
    case 'patch':
      return `message:${message.messageId}`;
    case 'card_update':
      return `token:${message.token}`;
  }
}
