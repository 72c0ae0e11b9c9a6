import type { z } from 'zod';
import type { Actor } from '../db/queries/people.js';
import type { Role } from '../src/domain/enums.js';
import type { ServiceDeps } from '../src/deps.js';
import type { Notice } from '../src/services/notice.js';

/** What a command handler gives back; the transport turns it into an outbox message. */
export type Reply =
  | { kind: 'text'; text: string }
  | {
      kind: 'card';
      card: Record<string, unknown>;
      /** remembered with the sent message, so later changes can update this card */
      cardRef?: { kind: string; measureId?: number; context?: Record<string, unknown> };
    }
  /** a file already uploaded (see CommandContext.upload), sent as a file message */
  | { kind: 'file'; fileKey: string };

/** Uploads a file to Feishu for a file reply; returns its file_key. */
export type FileUpload = (file: { fileName: string; bytes: Uint8Array; fileType: 'xls' | 'doc' | 'stream' }) => Promise<string>;

/** Replies to the asker, plus notices for other people (the secretary, the owner...). */
export interface CommandOutcome {
  replies: Reply[];
  notices: Notice[];
  /** measures the command changed: their cards already sent are updated in place */
  changed?: number[];
}

export type CommandResult = Reply | Reply[] | CommandOutcome;

export interface CommandContext {
  deps: ServiceDeps;
  actor: Actor;
  chat: { id: string; type: 'p2p' | 'group' };
  messageId: string;
  /** stable per delivery: services use it so a redelivered command has one effect */
  eventId: string;
  mentions: Array<{ openId: string; name?: string }>;
  /** every registered command (for /help) */
  registry: CommandRegistry;
  /** present where the transport can upload files (commands that reply with a file need it) */
  upload?: FileUpload;
}

export interface Command<A = unknown> {
  name: string;
  aliases: string[];
  /** one line in Chinese: what it does */
  summary: string;
  /** one line: how to call it */
  usage: string;
  /** who may run it; 'anyone' includes people not yet in the ledger */
  roles: readonly Role[] | 'anyone';
  /** parses the text after the command word */
  args: z.ZodType<A, string>;
  run(ctx: CommandContext, args: A): Promise<CommandResult>;
}

export interface CommandRegistry {
  readonly commands: readonly Command<any>[];
  find(word: string): Command<any> | undefined;
}
