import type { z } from 'zod';
import type { Actor, Role } from '../src/services/records.js';
import type { ServiceDeps } from '../src/deps.js';
import type { ArchiveZipper } from '../src/ledger-io/archive.js';
import type { CommandOutcome, Reply } from '../src/views/reply.js';

export type { CommandOutcome, Reply };

/** Uploads a file to Feishu for a file reply; returns its file_key. */
export type FileUpload = (file: { fileName: string; bytes: Uint8Array; fileType: 'xls' | 'doc' | 'pdf' | 'ppt' | 'stream' }) => Promise<string>;

/** Downloads a file or image sent in a Feishu message (evidence kept by reference only), within the evidence size limit. */
export type MessageFileDownload = (file: { messageId: string; fileKey: string; kind: 'file' | 'image' }) => Promise<Uint8Array>;

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
  /** present where the transport can download message files (evidence kept in Feishu only) */
  download?: MessageFileDownload;
  /** zips the evidence archive for a chat file (Node only) */
  zipArchive?: ArchiveZipper;
  /** posts the weekly summary to the leading groups now (the transport wires it to the job) */
  postWeeklySummary?: () => Promise<{ chats: number; skippedChats: string[] }>;
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
